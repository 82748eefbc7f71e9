package dev.jcni.plugins.common;

import dev.jcni.netlink.Netlink;
import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.system.ErrnoException;
import dev.jcni.system.NetNs;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The call's CNI_NETNS, opened and proven to be a network namespace before a plugin changes
 * anything on the host or in IPAM: a path that does not exist or is not a namespace would otherwise
 * be found out only after the bridge, the IPAM reservation or the firewall rules were made. Holds
 * the namespace and a netlink socket inside it.
 *
 * <p>Whether it is the plugin's own namespace is the dispatcher's check (it runs before any plugin
 * code, knows CNI_NETNS_OVERRIDE, and in resident mode "own" is the caller's namespace, which is
 * the calling thread's).
 */
public final class TargetNetns implements AutoCloseable {
  private static final int EINVAL = 22;

  private final NetNs ns;
  private final Netlink netlink;
  private Netlink node;

  private TargetNetns(NetNs ns, Netlink netlink) {
    this.ns = ns;
    this.netlink = netlink;
  }

  /**
   * Opens {@code path} and a netlink socket inside it (entering it is what proves it is a network
   * namespace).
   *
   * @throws CniException code 999 "failed to open netns "PATH": WHY" (Go's words) when it is
   *     missing, not a namespace, or a namespace of another kind
   */
  public static TargetNetns open(String path) {
    if (path == null || path.isEmpty()) {
      throw new CniException(ErrorCodes.INVALID_ENVIRONMENT_VARIABLES, "CNI_NETNS is empty");
    }
    NetNs ns;
    try {
      ns = NetNs.open(Path.of(path));
    } catch (ErrnoException e) {
      throw failed(
          path,
          e.isNotFound()
              ? "no such file or directory"
              : e.errno() == EINVAL ? "not a namespace file" : e.getMessage());
    } catch (InvalidPathException e) {
      throw failed(path, "the path cannot be represented on this system (" + e.getReason() + ")");
    }
    try {
      return new TargetNetns(ns, Netlink.openAt(ns));
    } catch (ErrnoException e) {
      ns.close();
      throw failed(path, e.errno() == EINVAL ? "not a network namespace" : e.getMessage());
    } catch (RuntimeException | Error e) {
      ns.close();
      throw e;
    }
  }

  /**
   * Opens and validates {@code path}, then closes it: for plugins that never enter the namespace.
   */
  public static void validate(String path) {
    open(path).close();
  }

  private static CniException failed(String path, String why) {
    return new CniException(ErrorCodes.INTERNAL, "failed to open netns \"" + path + "\": " + why);
  }

  public NetNs ns() {
    return ns;
  }

  /** A netlink socket inside the namespace. */
  public Netlink netlink() {
    return netlink;
  }

  /**
   * A netlink socket in the caller's (the node's) namespace, opened on first use and closed with
   * this object, so a plugin working on both sides opens and closes them in one place.
   */
  public Netlink node() {
    if (node == null) {
      node = Netlink.open();
    }
    return node;
  }

  @Override
  public void close() {
    try {
      if (node != null) {
        node.close();
      }
    } finally {
      try {
        netlink.close();
      } finally {
        ns.close();
      }
    }
  }
}
