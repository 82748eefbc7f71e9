package dev.jcni.spec;

import java.nio.charset.StandardCharsets;

/**
 * libcni's rules for container IDs, network names and interface names ({@code pkg/utils/utils.go}),
 * with its codes and messages. Each failure is a CniException. Hand-written matchers: no regex
 * compilation at startup.
 */
public final class Validation {
  private Validation() {}

  /** Maximum interface name length in bytes (IFNAMSIZ - 1). */
  public static final int MAX_IFNAME_LENGTH = 15;

  /**
   * {@code [a-zA-Z0-9][a-zA-Z0-9_.\-]*}; else code 4 (as skel reports CNI_CONTAINERID). Empty: code
   * 3 "missing containerID", as libcni's ValidateContainerID.
   */
  public static void containerId(String id) {
    if (id == null || id.isEmpty()) {
      throw new CniException(ErrorCodes.UNKNOWN_CONTAINER, "missing containerID");
    }
    if (!isValidName(id)) {
      throw new CniException(
          ErrorCodes.INVALID_ENVIRONMENT_VARIABLES, "invalid characters in containerID", id);
    }
  }

  /** Same pattern as container IDs; else code 7 (invalid network config). */
  public static void networkName(String name) {
    if (name == null || name.isEmpty()) {
      throw new CniException(ErrorCodes.INVALID_NETWORK_CONFIG, "missing network name");
    }
    if (!isValidName(name)) {
      throw new CniException(
          ErrorCodes.INVALID_NETWORK_CONFIG, "invalid characters found in network name", name);
    }
  }

  /**
   * Non-empty, at most 15 bytes, not "." or "..", no '/', ':' or whitespace; else code 4
   * (CNI_IFNAME).
   */
  public static void interfaceName(String ifname) {
    if (ifname == null || ifname.isEmpty()) {
      throw new CniException(ErrorCodes.INVALID_ENVIRONMENT_VARIABLES, "interface name is empty");
    }
    if (ifname.getBytes(StandardCharsets.UTF_8).length > MAX_IFNAME_LENGTH) {
      throw new CniException(
          ErrorCodes.INVALID_ENVIRONMENT_VARIABLES,
          "interface name is too long",
          "interface name should be less than " + (MAX_IFNAME_LENGTH + 1) + " characters");
    }
    if (ifname.equals(".") || ifname.equals("..")) {
      throw new CniException(ErrorCodes.INVALID_ENVIRONMENT_VARIABLES, "interface name is . or ..");
    }
    for (int i = 0; i < ifname.length(); ) {
      int cp = ifname.codePointAt(i);
      if (cp == 0xFFFD) {
        // the environment's bytes were not UTF-8 (or were decoded under a non-UTF-8 locale): refuse
        // rather than
        // create or record a name other than the one the runtime meant
        throw new CniException(
            ErrorCodes.INVALID_ENVIRONMENT_VARIABLES, "interface name is not valid UTF-8");
      }
      if (cp == '/' || cp == ':' || isGoSpace(cp)) {
        throw new CniException(
            ErrorCodes.INVALID_ENVIRONMENT_VARIABLES,
            "interface name contains / or : or whitespace characters");
      }
      i += Character.charCount(cp);
    }
  }

  /** True when {@code s} matches {@code ^[a-zA-Z0-9][a-zA-Z0-9_.\-]*$}. */
  public static boolean isValidName(String s) {
    if (s == null || s.isEmpty() || !isAlnum(s.charAt(0))) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!isAlnum(c) && c != '_' && c != '.' && c != '-') {
        return false;
      }
    }
    return true;
  }

  private static boolean isAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  /** Go's unicode.IsSpace. */
  private static boolean isGoSpace(int cp) {
    switch (cp) {
      case '\t':
      case '\n':
      case 0x0B:
      case '\f':
      case '\r':
      case ' ':
      case 0x85:
      case 0xA0:
        return true;
      default:
        // above Latin-1 Go uses the White_Space property: exactly Java's space/line/paragraph
        // separators
        return cp > 0xFF && Character.isSpaceChar(cp);
    }
  }
}
