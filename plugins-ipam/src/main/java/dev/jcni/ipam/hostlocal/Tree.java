package dev.jcni.ipam.hostlocal;

import dev.jcni.spec.CniException;
import dev.jcni.spec.json.Json;
import java.util.List;
import java.util.Map;

/**
 * Typed reads from a parsed JSON tree with Go's key matching (exact first, then case-insensitive) and code 7 errors
 * naming the key path on a type mismatch.
 */
final class Tree {
  private Tree() {}

  /** Go's key matching, shared with every other config reader: {@link Json#get}. */
  static Object get(Map<String, ?> m, String key) {
    return Json.get(m, key);
  }

  static String string(Map<String, ?> m, String key, String path) {
    Object v = get(m, key);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw CniException.invalidConfig(path + ": expected a string, got " + describe(v));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Map<String, ?> m, String key, String path) {
    return asObject(get(m, key), path);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> asObject(Object v, String path) {
    if (v == null || v instanceof Map) {
      return (Map<String, Object>) v;
    }
    throw CniException.invalidConfig(path + ": expected an object, got " + describe(v));
  }

  static List<?> list(Map<String, ?> m, String key, String path) {
    return asList(get(m, key), path);
  }

  static List<?> asList(Object v, String path) {
    if (v == null || v instanceof List) {
      return (List<?>) v;
    }
    throw CniException.invalidConfig(path + ": expected a list, got " + describe(v));
  }

  static String asString(Object v, String path) {
    if (v instanceof String) {
      return (String) v;
    }
    throw CniException.invalidConfig(path + ": expected a string, got " + describe(v));
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
    throw CniException.invalidConfig(path + ": expected an integer, got " + describe(v));
  }

  private static String describe(Object v) {
    if (v instanceof String) {
      return "a string";
    }
    if (v instanceof Number) {
      return "a number";
    }
    if (v instanceof Boolean) {
      return "a boolean";
    }
    if (v instanceof List) {
      return "a list";
    }
    if (v instanceof Map) {
      return "an object";
    }
    return "null";
  }
}
