package dev.jcni.spec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code CNI_ARGS}: {@code K=V;K2=V2} pairs in any order. Lenient: unknown keys are kept, never an
 * error (use {@link #requireKnown} for libcni's strict {@code LoadArgs} behaviour). Keys are
 * case-sensitive, as in libcni, which matches them to Go struct field names; Kubernetes sends
 * {@code IgnoreUnknown=1;K8S_POD_NAMESPACE=...;
 * K8S_POD_NAME=...;K8S_POD_INFRA_CONTAINER_ID=...;K8S_POD_UID=...}.
 */
public final class CniArgs {
  public static final String IGNORE_UNKNOWN = "IgnoreUnknown";
  public static final String K8S_POD_NAMESPACE = "K8S_POD_NAMESPACE";
  public static final String K8S_POD_NAME = "K8S_POD_NAME";
  public static final String K8S_POD_INFRA_CONTAINER_ID = "K8S_POD_INFRA_CONTAINER_ID";
  public static final String K8S_POD_UID = "K8S_POD_UID";

  private static final CniArgs EMPTY = new CniArgs(Map.of());

  private final Map<String, String> pairs;

  private CniArgs(Map<String, String> pairs) {
    this.pairs = pairs;
  }

  /**
   * Parses CNI_ARGS; null or empty gives no pairs. Empty segments (a trailing ';') are skipped. A
   * value may contain '=' (the first '=' splits). A pair without '=': code 4 naming it. A repeated
   * key: the last value wins.
   */
  public static CniArgs parse(String cniArgs) {
    if (cniArgs == null || cniArgs.isEmpty()) {
      return EMPTY;
    }
    Map<String, String> m = new LinkedHashMap<>();
    int start = 0;
    int n = cniArgs.length();
    while (start <= n) {
      int semi = cniArgs.indexOf(';', start);
      int end = semi < 0 ? n : semi;
      String pair = cniArgs.substring(start, end);
      if (!pair.isEmpty()) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new CniException(
              ErrorCodes.INVALID_ENVIRONMENT_VARIABLES,
              "CNI_ARGS: invalid pair \"" + pair + "\"",
              "CNI_ARGS must be of the form K=V;K2=V2");
        }
        m.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
      if (semi < 0) {
        break;
      }
      start = semi + 1;
    }
    return m.isEmpty() ? EMPTY : new CniArgs(Collections.unmodifiableMap(m));
  }

  /** Builds CNI_ARGS from pairs (for runtimes and tests). */
  public static CniArgs of(Map<String, String> pairs) {
    return pairs.isEmpty()
        ? EMPTY
        : new CniArgs(Collections.unmodifiableMap(new LinkedHashMap<>(pairs)));
  }

  /** The value of {@code key} (exact match), or null. */
  public String get(String key) {
    return pairs.get(key);
  }

  /** All pairs in input order, unmodifiable. */
  public Map<String, String> asMap() {
    return pairs;
  }

  public boolean isEmpty() {
    return pairs.isEmpty();
  }

  /**
   * {@code IgnoreUnknown=1|true} present (any case of the value, as libcni's UnmarshallableBool).
   */
  public boolean ignoreUnknown() {
    String v = pairs.get(IGNORE_UNKNOWN);
    return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
  }

  /** {@code K8S_POD_NAMESPACE}, or null. */
  public String podNamespace() {
    return pairs.get(K8S_POD_NAMESPACE);
  }

  /** {@code K8S_POD_NAME}, or null. */
  public String podName() {
    return pairs.get(K8S_POD_NAME);
  }

  /**
   * libcni's strict mode: fails (code 4, listing them) when keys outside {@code known} (and
   * IgnoreUnknown) are present, unless IgnoreUnknown is set.
   */
  public void requireKnown(Collection<String> known) {
    if (ignoreUnknown()) {
      return;
    }
    List<String> unknown = new ArrayList<>();
    for (Map.Entry<String, String> e : pairs.entrySet()) {
      if (!e.getKey().equals(IGNORE_UNKNOWN) && !known.contains(e.getKey())) {
        unknown.add(e.getKey() + "=" + e.getValue());
      }
    }
    if (!unknown.isEmpty()) {
      throw new CniException(
          ErrorCodes.INVALID_ENVIRONMENT_VARIABLES, "CNI_ARGS: unknown args " + unknown);
    }
  }

  /** The {@code K=V;K2=V2} form. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : pairs.entrySet()) {
      if (sb.length() > 0) {
        sb.append(';');
      }
      sb.append(e.getKey()).append('=').append(e.getValue());
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CniArgs && ((CniArgs) o).pairs.equals(pairs);
  }

  @Override
  public int hashCode() {
    return pairs.hashCode();
  }
}
