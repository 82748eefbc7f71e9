package dev.jcni.spec;

import java.util.List;
import java.util.Objects;

/**
 * A CNI specification version such as {@code 1.1.0}. Known versions are the constants; {@link
 * #parse} also accepts well-formed unknown versions (for example {@code 0.5.0}) so that callers can
 * report them.
 */
public record CniVersion(int major, int minor, int patch) implements Comparable<CniVersion> {
  public static final CniVersion V0_1_0 = new CniVersion(0, 1, 0);
  public static final CniVersion V0_2_0 = new CniVersion(0, 2, 0);
  public static final CniVersion V0_3_0 = new CniVersion(0, 3, 0);
  public static final CniVersion V0_3_1 = new CniVersion(0, 3, 1);
  public static final CniVersion V0_4_0 = new CniVersion(0, 4, 0);
  public static final CniVersion V1_0_0 = new CniVersion(1, 0, 0);
  public static final CniVersion V1_1_0 = new CniVersion(1, 1, 0);

  /** Every spec version, oldest first. */
  public static final List<CniVersion> ALL =
      List.of(V0_1_0, V0_2_0, V0_3_0, V0_3_1, V0_4_0, V1_0_0, V1_1_0);

  /** The newest version this library implements. */
  public static final CniVersion CURRENT = V1_1_0;

  public CniVersion {
    if (major < 0 || minor < 0 || patch < 0) {
      throw new IllegalArgumentException("negative version component");
    }
  }

  /**
   * Parses {@code X.Y.Z}. A null or empty string means 0.1.0, as in the spec.
   *
   * @throws CniException code 1 (incompatible version) when the string is not of that form
   */
  public static CniVersion parse(String s) {
    if (s == null || s.isEmpty()) {
      return V0_1_0;
    }
    String[] parts = s.split("\\.", -1);
    if (parts.length != 3) {
      throw new CniException(
          ErrorCodes.INCOMPATIBLE_CNI_VERSION,
          "invalid version \"" + s + "\"",
          "a CNI version has the form X.Y.Z");
    }
    try {
      return new CniVersion(
          Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
    } catch (IllegalArgumentException e) {
      throw new CniException(
          ErrorCodes.INCOMPATIBLE_CNI_VERSION,
          "invalid version \"" + s + "\"",
          "a CNI version has the form X.Y.Z");
    }
  }

  /** True for one of the seven published spec versions. */
  public boolean isKnown() {
    return ALL.contains(this);
  }

  public boolean atLeast(CniVersion other) {
    return compareTo(other) >= 0;
  }

  @Override
  public int compareTo(CniVersion o) {
    int c = Integer.compare(major, o.major);
    if (c == 0) {
      c = Integer.compare(minor, o.minor);
    }
    return c != 0 ? c : Integer.compare(patch, o.patch);
  }

  @Override
  public String toString() {
    return major + "." + minor + "." + patch;
  }

  static CniVersion requireNonNull(CniVersion v) {
    return Objects.requireNonNull(v, "cniVersion");
  }
}
