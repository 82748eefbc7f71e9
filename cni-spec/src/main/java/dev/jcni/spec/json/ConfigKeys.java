package dev.jcni.spec.json;

import dev.jcni.spec.CniException;
import java.util.List;
import java.util.Map;

/**
 * Typed reads from a parsed network config for plugins that read its tree directly: Go's key
 * matching ({@link Json#get}: exact, then case-insensitive), and a wrong JSON type is a config
 * error (code 7) naming the key path, as a plugin reports a bad config (where {@link Json#bind}
 * reports a decoding failure, code 6).
 */
public final class ConfigKeys {
  private ConfigKeys() {}

  public static Object get(Map<String, ?> m, String key) {
    return m == null ? null : Json.get(m, key);
  }

  public static String string(Map<String, ?> m, String key, String path) {
    Object v = get(m, key);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw wrongType(path, "a string", v);
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> object(Object v, String path) {
    if (v == null || v instanceof Map) {
      return (Map<String, Object>) v;
    }
    throw wrongType(path, "an object", v);
  }

  public static List<?> list(Object v, String path) {
    if (v == null || v instanceof List) {
      return (List<?>) v;
    }
    throw wrongType(path, "a list", v);
  }

  public static String asString(Object v, String path) {
    if (v instanceof String) {
      return (String) v;
    }
    throw wrongType(path, "a string", v);
  }

  /** A list of strings (null elements refused). */
  public static List<String> strings(Map<String, ?> m, String key, String path) {
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

  public static Integer integer(Map<String, ?> m, String key, String path) {
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

  public static Boolean bool(Map<String, ?> m, String key, String path) {
    Object v = get(m, key);
    if (v == null || v instanceof Boolean) {
      return (Boolean) v;
    }
    throw wrongType(path, "a boolean", v);
  }

  public static Map<String, Object> object(Map<String, ?> m, String key, String path) {
    return object(get(m, key), path);
  }

  public static CniException wrongType(String path, String expected, Object v) {
    return CniException.invalidConfig(
        path + ": expected " + expected + ", got " + Json.describe(v));
  }
}
