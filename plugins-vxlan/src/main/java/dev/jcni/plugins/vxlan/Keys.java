package dev.jcni.plugins.vxlan;

import java.util.Map;

/** Config key lookup as Go's encoding/json does it: exact match first, then case-insensitive. */
final class Keys {
  private Keys() {}

  static Object get(Map<?, ?> m, String key) {
    Object v = m.get(key);
    if (v != null || m.containsKey(key)) {
      return v;
    }
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (e.getKey() instanceof String k && k.equalsIgnoreCase(key)) {
        return e.getValue();
      }
    }
    return null;
  }
}
