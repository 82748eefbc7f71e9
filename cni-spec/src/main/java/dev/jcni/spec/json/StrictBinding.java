package dev.jcni.spec.json;

import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strict binding, on request: {@link Json#bind} plus two checks a plain bind does not make, both
 * CNI error code 7 (invalid network config) naming the key path, so a misspelt or forgotten key is
 * reported instead of silently becoming null:
 *
 * <ul>
 *   <li>a key that matches no record component (case-insensitively, as binding matches), e.g.
 *       {@code unknown key "subnett" (did you mean "subnet"?)};
 *   <li>a component annotated {@link Required} that is absent, null or an empty string: {@code
 *       "gateway": required}.
 * </ul>
 *
 * Nested records are checked too (also inside lists and maps of records). Components of type {@code
 * Map} or {@code Object} accept any keys. Type mismatches keep the binder's code 6.
 */
public final class StrictBinding {
  private StrictBinding() {}

  /**
   * Checks then binds {@code tree}; {@code ignoredTopLevel} keys may appear at the top without a
   * component.
   */
  public static <T> T bind(Object tree, Class<T> type, Set<String> ignoredTopLevel) {
    check(tree, type, "", ignoredTopLevel);
    return Json.bind(tree, type);
  }

  /** Only the checks (nothing is bound). */
  public static void check(Object tree, Type type, String path, Set<String> ignoredTopLevel) {
    if (tree == null) {
      return;
    }
    if (type instanceof ParameterizedType) {
      ParameterizedType pt = (ParameterizedType) type;
      Class<?> raw = (Class<?>) pt.getRawType();
      Type[] args = pt.getActualTypeArguments();
      if (List.class.isAssignableFrom(raw) || Set.class.isAssignableFrom(raw)) {
        if (tree instanceof List) {
          List<?> l = (List<?>) tree;
          for (int i = 0; i < l.size(); i++) {
            check(l.get(i), args[0], path + "[" + i + "]", Set.of());
          }
        }
      } else if (Map.class.isAssignableFrom(raw) && tree instanceof Map) {
        for (Map.Entry<?, ?> e : ((Map<?, ?>) tree).entrySet()) {
          check(e.getValue(), args[1], Json.child(path, String.valueOf(e.getKey())), Set.of());
        }
      }
      return;
    }
    if (!(type instanceof Class) || !((Class<?>) type).isRecord() || !(tree instanceof Map)) {
      if (type instanceof Class && ((Class<?>) type).isArray() && tree instanceof List) {
        List<?> l = (List<?>) tree;
        for (int i = 0; i < l.size(); i++) {
          check(l.get(i), ((Class<?>) type).getComponentType(), path + "[" + i + "]", Set.of());
        }
      }
      return;
    }
    Map<?, ?> m = (Map<?, ?>) tree;
    RecordComponent[] rc = ((Class<?>) type).getRecordComponents();
    String[] keys = new String[rc.length];
    for (int i = 0; i < rc.length; i++) {
      JsonName jn = rc[i].getAnnotation(JsonName.class);
      keys[i] = jn != null ? jn.value() : rc[i].getName();
    }
    for (Object k : m.keySet()) {
      String key = String.valueOf(k);
      if (matches(key, keys) || ignored(key, ignoredTopLevel)) {
        continue;
      }
      String near = nearest(key, keys);
      throw new CniException(
          ErrorCodes.INVALID_NETWORK_CONFIG,
          "unknown key \""
              + Json.child(path, key)
              + "\""
              + (near == null
                  ? " (known keys: " + String.join(", ", keys) + ")"
                  : " (did you mean \"" + near + "\"?)"));
    }
    @SuppressWarnings("unchecked")
    Map<String, ?> sm = (Map<String, ?>) m;
    for (int i = 0; i < rc.length; i++) {
      String actual = Json.findKey(sm, keys[i]);
      Object v = actual == null ? null : sm.get(actual);
      String p = Json.child(path, actual == null ? keys[i] : actual);
      if (rc[i].isAnnotationPresent(Required.class) && (v == null || "".equals(v))) {
        throw new CniException(ErrorCodes.INVALID_NETWORK_CONFIG, "\"" + p + "\": required");
      }
      check(v, rc[i].getGenericType(), p, Set.of());
    }
  }

  private static boolean matches(String key, String[] keys) {
    for (String k : keys) {
      if (k.equalsIgnoreCase(key)) {
        return true;
      }
    }
    return false;
  }

  private static boolean ignored(String key, Set<String> ignored) {
    for (String k : ignored) {
      if (k.equalsIgnoreCase(key)) {
        return true;
      }
    }
    return false;
  }

  /** The component key within edit distance 2 of {@code key} (case-insensitive), or null. */
  private static String nearest(String key, String[] keys) {
    String best = null;
    int bestD = 3;
    for (String k : keys) {
      int d =
          distance(key.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    }
    return best;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
