package dev.jcni.spec;

import java.util.List;
import java.util.Map;

/** A network configuration list (conflist): name, version(s), flags and the plugin objects in order. */
public final class NetConfList {
  private NetConfList() {}

  /** Parses a conflist. Malformed JSON: code 6; missing {@code name}: code 7. */
  public static NetConfList parse(byte[] json) {
    throw new UnsupportedOperationException("TODO");
  }

  public Map<String, Object> raw() {
    throw new UnsupportedOperationException("TODO");
  }

  public byte[] bytes() {
    throw new UnsupportedOperationException("TODO");
  }

  public String name() {
    throw new UnsupportedOperationException("TODO");
  }

  /** {@code cniVersion} as written ("" when absent). */
  public String cniVersionString() {
    throw new UnsupportedOperationException("TODO");
  }

  /** {@code cniVersions} as written; empty when absent. */
  public List<String> cniVersions() {
    throw new UnsupportedOperationException("TODO");
  }

  /** {@code disableCheck}: a bool or the strings "true"/"false" (any case). */
  public boolean disableCheck() {
    throw new UnsupportedOperationException("TODO");
  }

  public boolean disableGC() {
    throw new UnsupportedOperationException("TODO");
  }

  public boolean loadOnlyInlinedPlugins() {
    throw new UnsupportedOperationException("TODO");
  }

  /** The plugin objects, each with all of its keys. */
  public List<Map<String, Object>> plugins() {
    throw new UnsupportedOperationException("TODO");
  }
}
