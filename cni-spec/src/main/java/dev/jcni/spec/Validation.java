package dev.jcni.spec;

/** libcni's rules for container IDs, network names and interface names. Each failure is a CniException. */
public final class Validation {
  private Validation() {}

  /** {@code [a-zA-Z0-9][a-zA-Z0-9_.\-]*}; else code 4 (as skel reports CNI_CONTAINERID). */
  public static void containerId(String id) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Same pattern as container IDs; else code 7 (invalid network config). */
  public static void networkName(String name) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Non-empty, at most 15 bytes, not "." or "..", no '/', ':' or whitespace; else code 4 (CNI_IFNAME). */
  public static void interfaceName(String ifname) {
    throw new UnsupportedOperationException("TODO");
  }
}
