package dev.jcni.spec.result;

import dev.jcni.spec.Result;
import java.util.Map;

/**
 * libcni's types040: 0.3.0, 0.3.1 and 0.4.0; IPs carry a "version" label, interfaces only name,
 * mac, sandbox.
 */
final class Types040 extends ListResult {
  Types040(String version) {
    super(version);
  }

  static Types040 fromWire(Map<String, Object> m, String version) {
    Types040 w = new Types040(version);
    w.readFrom(m);
    return w;
  }

  static Types040 fromModel(Result r) {
    Types040 w = new Types040(r.cniVersion().toString());
    w.fillFrom(r);
    return w;
  }

  @Override
  boolean labelled() {
    return true;
  }

  @Override
  boolean full() {
    return false;
  }

  @Override
  WireResult relabel(String to) {
    return copyInto(new Types040(to));
  }
}
