package dev.jcni.spec;

import java.util.Map;

/**
 * Reads and writes results at every spec version and converts between versions exactly as libcni does
 * (see shared/reference/cni-facts.md §1.11): lossy down-conversion to 0.1.0/0.2.0, "cannot convert: no valid IP
 * addresses", unknown target versions failing with code 1.
 */
public final class ResultCodec {
  private ResultCodec() {}

  /**
   * Reads a result from its wire form. Its version is the {@code cniVersion} key (case-insensitive, so the
   * {@code CNIVersion} that libcni injects works); when absent, {@code fallback} (libcni assumes the config's
   * version); when {@code fallback} is null too, 0.1.0.
   */
  public static Result decode(Map<String, Object> wire, CniVersion fallback) {
    throw new UnsupportedOperationException("TODO");
  }

  public static Result decode(byte[] json, CniVersion fallback) {
    throw new UnsupportedOperationException("TODO");
  }

  /** The wire form of {@code result} converted to {@code target} (libcni's GetAsVersion + JSON encoding). */
  public static Map<String, Object> encode(Result result, CniVersion target) {
    throw new UnsupportedOperationException("TODO");
  }

  /** {@link #encode} to bytes. */
  public static byte[] toJson(Result result, CniVersion target) {
    throw new UnsupportedOperationException("TODO");
  }

  /**
   * Converts a wire result to the target version given as a string ("" means 0.1.0; an unknown version fails
   * with code 1 and libcni's message). This is what the shared/fixtures/conversion cases exercise.
   */
  public static Map<String, Object> convert(Map<String, Object> wire, String targetVersion) {
    throw new UnsupportedOperationException("TODO");
  }
}
