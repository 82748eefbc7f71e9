package dev.jcni.spec.json;

import java.util.Map;

/**
 * JSON as plain Java trees on jackson-core streaming (no databind on the hot path): objects are insertion-ordered
 * {@code Map<String,Object>}, arrays {@code List<Object>}, strings, {@code Long}/{@code BigInteger} for integers,
 * {@code Double} for other numbers, {@code Boolean} and null.
 *
 * <p>Key lookup and binding are case-insensitive with an exact match winning, like Go's encoding/json, because
 * real runtimes send keys such as {@code HostPort} and {@code CNIVersion}.
 */
public final class Json {
  private Json() {}

  /** Parses any JSON value. Malformed input: CniException code 6. */
  public static Object parse(byte[] json) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Parses a JSON object. Malformed input or a non-object: CniException code 6. */
  public static Map<String, Object> parseObject(byte[] json) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Serializes a tree (as produced by {@link #parse}, or built from Maps/Lists/scalars/records) compactly. */
  public static byte[] write(Object tree) {
    throw new UnsupportedOperationException("TODO");
  }

  public static String writeString(Object tree) {
    throw new UnsupportedOperationException("TODO");
  }

  /** The value under {@code key}: exact match first, then a case-insensitive match; null when absent. */
  public static Object get(Map<String, ?> object, String key) {
    throw new UnsupportedOperationException("TODO");
  }

  /**
   * Binds a tree to {@code type}: records (components matched to keys case-insensitively, exact wins; missing
   * components null/0/false), {@code List}, {@code Map<String,?>}, String, boxed and primitive numbers, booleans,
   * enums, {@code Object} (the tree itself). A type mismatch: CniException code 6 naming the key path.
   */
  public static <T> T bind(Object tree, Class<T> type) {
    throw new UnsupportedOperationException("TODO");
  }
}
