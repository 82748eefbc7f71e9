package dev.jcni.ipam.hostlocal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builders for config trees (what NetConf.raw() returns) in tests. */
final class ConfTrees {
  private ConfTrees() {}

  static Map<String, Object> obj(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static List<Object> list(Object... items) {
    return List.of(items);
  }

  static Map<String, Object> range(String subnet) {
    return obj("subnet", subnet);
  }

  /** A network config with the given ipam object. */
  static Map<String, Object> conf(String version, Map<String, Object> ipam, Object... extra) {
    Map<String, Object> m =
        obj("cniVersion", version, "name", "testnet", "type", "bridge", "ipam", ipam);
    for (int i = 0; i < extra.length; i += 2) {
      m.put((String) extra[i], extra[i + 1]);
    }
    return m;
  }
}
