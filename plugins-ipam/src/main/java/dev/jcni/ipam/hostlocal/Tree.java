package dev.jcni.ipam.hostlocal;

import dev.jcni.spec.CniException;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of JSON values bound into {@link HostLocalConf}: a wrong JSON type is a config error
 * (code 7) naming the key path.
 */
final class Tree {
  private Tree() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> asObject(Object v, String path) {
    if (v == null || v instanceof Map) {
      return (Map<String, Object>) v;
    }
    throw CniException.invalidConfig(path + ": expected an object, got " + describe(v));
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

  /** A string, or null for null; anything else is code 7 naming {@code path}. */
  static String asStringOrNull(Object v, String path) {
    return v == null ? null : asString(v, path);
  }

  static Integer integer(Object v, String path) {
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
