package dev.jcni.ipam.staticip;

import dev.jcni.spec.CniException;
import dev.jcni.spec.json.Json;
import java.util.List;
import java.util.Map;

/**
 * Typed reads from the parsed config with Go's key matching ({@link Json#get}: exact, then case-insensitive) and
 * code 7 errors naming the key path on a type mismatch (Go reports these as json errors; a config error is 7).
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

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object v, String path) {
    if (v == null || v instanceof Map) {
      return (Map<String, Object>) v;
    }
    throw wrongType(path, "an object", v);
  }

  static List<?> list(Object v, String path) {
    if (v == null || v instanceof List) {
      return (List<?>) v;
    }
    throw wrongType(path, "a list", v);
  }

  static String asString(Object v, String path) {
    if (v instanceof String) {
      return (String) v;
    }
    throw wrongType(path, "a string", v);
  }

  /** A list of strings (null elements refused). */
  static List<String> strings(Map<String, ?> m, String key, String path) {
    List<?> l = list(get(m, key), path);
    if (l == null) {
      return List.of();
    }
    String[] out = new String[l.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = asString(l.get(i), path + "[" + i + "]");
    }
    return List.of(out);
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
