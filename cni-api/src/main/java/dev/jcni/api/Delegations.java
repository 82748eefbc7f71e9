package dev.jcni.api;

/** Standard delegation strategies. */
public final class Delegations {
  private Delegations() {}

  /** In-process when a plugin of that type is on the class path, else exec from CNI_PATH. */
  public static Delegation standard() {
    throw new UnsupportedOperationException("TODO");
  }

  /** Always exec the binary from CNI_PATH (what Go plugins do). */
  public static Delegation execOnly() {
    throw new UnsupportedOperationException("TODO");
  }

  /** Only plugins on the class path; a missing one is an error. */
  public static Delegation inProcessOnly() {
    throw new UnsupportedOperationException("TODO");
  }
}
