package dev.jcni.spec;

import java.util.Map;

/** {@code CNI_ARGS}: {@code K=V;K2=V2} pairs in any order. Lenient: unknown keys are kept, never an error. */
public final class CniArgs {
  private CniArgs() {}

  /** Parses CNI_ARGS; null or empty gives no pairs. A pair without '=': code 4 naming it. */
  public static CniArgs parse(String cniArgs) {
    throw new UnsupportedOperationException("TODO");
  }

  /** The value of {@code key} (exact match), or null. */
  public String get(String key) {
    throw new UnsupportedOperationException("TODO");
  }

  /** All pairs in input order, unmodifiable. */
  public Map<String, String> asMap() {
    throw new UnsupportedOperationException("TODO");
  }

  /** {@code IgnoreUnknown=1|true} present. */
  public boolean ignoreUnknown() {
    throw new UnsupportedOperationException("TODO");
  }
}
