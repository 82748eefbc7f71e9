package dev.jcni.system.internal;

import dev.jcni.system.NetNs;

/**
 * cni-netlink's way to {@code NetNs.runInside} (run without the virtual-caller check) without
 * making it public API: {@code Netlink.openAt} may be called from a virtual thread because the work
 * runs on a fresh platform thread and never on the caller's. This package is exported to
 * cni-netlink only.
 */
public final class NetNsAccess {
  private NetNsAccess() {}

  /** Implemented by NetNs, registered from its static initializer. */
  public interface Runner {
    <T, E extends Exception> T runInside(NetNs ns, NetNs.Task<T, E> work) throws E;
  }

  private static volatile Runner runner;

  /** Called once, by NetNs. */
  public static void register(Runner r) {
    if (runner != null) throw new IllegalStateException("already registered");
    runner = r;
  }

  /**
   * {@link NetNs#run} without refusing virtual callers (the NetNs instance means its class is
   * initialized).
   */
  public static <T, E extends Exception> T runInside(NetNs ns, NetNs.Task<T, E> work) throws E {
    return runner.runInside(ns, work);
  }
}
