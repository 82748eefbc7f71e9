package dev.jcni.spec;

/**
 * Version comparison with the leniency of libcni's {@code version.ParseVersion}: "" means 0.1.0,
 * "1" and "1.0" are accepted (missing parts are 0), four or more parts are an error. Conflist
 * versions are compared with these rules (not {@link CniVersion#parse}) so that a list libcni
 * accepts is accepted here too. Errors are code 1.
 */
public final class GoVersions {
  private GoVersions() {}

  /** {@code [major, minor, micro]}. */
  public static int[] parse(String version) {
    if (version == null || version.isEmpty()) {
      return new int[] {0, 1, 0};
    }
    String[] parts = version.split("\\.", -1);
    if (parts.length >= 4) {
      throw new CniException(
          ErrorCodes.INCOMPATIBLE_CNI_VERSION,
          "invalid version \"" + version + "\": too many parts");
    }
    int[] out = new int[3];
    String[] names = {"major", "minor", "micro"};
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        throw new CniException(
            ErrorCodes.INCOMPATIBLE_CNI_VERSION,
            "failed to convert "
                + names[i]
                + " version part \""
                + parts[i]
                + "\" of \""
                + version
                + "\"");
      }
    }
    return out;
  }

  public static int compare(String a, String b) {
    int[] x = parse(a);
    int[] y = parse(b);
    for (int i = 0; i < 3; i++) {
      int c = Integer.compare(x[i], y[i]);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  public static boolean atLeast(String version, String other) {
    return compare(version, other) >= 0;
  }

  /**
   * Like {@link #atLeast} but false (instead of an error) for a malformed version, as libcni's
   * GC/STATUS do.
   */
  public static boolean atLeastQuiet(String version, String other) {
    try {
      return atLeast(version, other);
    } catch (CniException e) {
      return false;
    }
  }
}
