package dev.jcni.plugins.meta.tuning;

import dev.jcni.spec.CniException;
import dev.jcni.spec.json.Json;
import java.util.Map;

/**
 * Typed reads from the parsed config with Go's key matching ({@link Json#get}: exact, then case-insensitive); a
 * wrong JSON type is code 7 naming the key path.
 */
final class Keys {
  private Keys() {}

  static Object get(Map<String, ?> m, String key) {
    return m == null ? null : Json.get(m, key);
  }

  static String string(Map<String, ?> m, String key, String path) {
    Object v = get(m, key);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw wrongType(path, "a string", v);
  }

  static Boolean bool(Map<String, ?> m, String key, String path) {
    Object v = get(m, key);
    if (v == null || v instanceof Boolean) {
      return (Boolean) v;
    }
    throw wrongType(path, "a boolean", v);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Map<String, ?> m, String key, String path) {
    Object v = get(m, key);
    if (v == null || v instanceof Map) {
      return (Map<String, Object>) v;
    }
    throw wrongType(path, "an object", v);
  }

  static Integer integer(Map<String, ?> m, String key, String path) {
    Object v = get(m, key);
    if (v == null) {
      return null;
    }
    if (v instanceof Number) {
      Number n = (Number) v;
      double d = n.doubleValue();
      if (d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE) {
        return n.intValue();
      }
    }
    throw wrongType(path, "an integer", v);
  }

  static CniException wrongType(String path, String expected, Object v) {
    return CniException.invalidConfig(path + ": expected " + expected + ", got " + Json.describe(v));
  }
}
