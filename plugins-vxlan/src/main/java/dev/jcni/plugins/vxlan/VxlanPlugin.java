package dev.jcni.plugins.vxlan;

import com.google.auto.service.AutoService;
import dev.jcni.api.CniPlugin;
import dev.jcni.api.CniType;
import dev.jcni.api.Invocation;
import dev.jcni.netlink.Netlink;
import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.Result;
import dev.jcni.system.ErrnoException;
import dev.jcni.system.NetNs;
import java.time.Duration;
import java.util.List;

/**
 * {@code vxlan}: a chained plugin (after bridge, e.g. bridge → portmap → vxlan) that connects this
 * node's pod subnet to the other nodes' over a VXLAN overlay, the way flannel's vxlan backend does:
 * one VTEP per node and, per remote node, a permanent neighbour, an FDB entry and an on-link route.
 * ADD ensures all of that (idempotently, removing entries of nodes no longer listed) and passes
 * prevResult through; nothing is per pod, so DEL does nothing. Host-side work happens in the plugin
 * process's own network namespace (the node's).
 */
@AutoService(CniPlugin.class)
@CniType("vxlan")
// @AutoService is compile-time only (CLASS retention): readers of this exported class never need
// its module
@SuppressWarnings("exports")
public final class VxlanPlugin implements CniPlugin {
  /** For ServiceLoader. */
  public VxlanPlugin() {}

  /**
   * How long a call waits for the node agent's reconcile (it holds the peers lock while it
   * programs).
   */
  static final Duration LOCK_WAIT = Duration.ofSeconds(20);

  @Override
  @SuppressWarnings("try") // the lock is held for the block, never referenced
  public Result add(Invocation inv) {
    VxlanConfig cfg = VxlanConfig.from(inv.config().raw());
    // nothing per pod is made here, but the node's overlay is: only for a call aimed at a real pod
    // namespace
    validateNetns(inv.netns());
    Reconciler.Outcome o;
    try (PeersLock lock = PeersLock.acquire(cfg.peersFile(), LOCK_WAIT)) {
      o = VxlanNode.sync(cfg, cfg.allPeers(), null, s -> {});
    }
    if (!o.ok()) {
      throw new CniException(
          ErrorCodes.TRY_AGAIN_LATER,
          "vxlan: " + o.failures().size() + " overlay entries could not be programmed",
          String.join("; ", o.failures()));
    }
    Result prev = inv.prevResult();
    try {
      ProxyArp.ensure(cfg, prev);
    } catch (RuntimeException e) {
      throw new CniException(
          ErrorCodes.IO_FAILURE, "vxlan: cannot enable proxy ARP on the bridge: " + e.getMessage());
    }
    return prev != null ? prev : Result.empty(inv.cniVersion());
  }

  /**
   * plugins-common's TargetNetns.validate, with its words (this module does not depend on
   * plugins-common): the path exists, is a namespace file, and entering it as a network namespace
   * works.
   */
  @SuppressWarnings("try") // the socket is opened to prove the namespace, never used
  static void validateNetns(String path) {
    if (path == null || path.isEmpty()) {
      throw new CniException(ErrorCodes.INVALID_ENVIRONMENT_VARIABLES, "CNI_NETNS is empty");
    }
    String why;
    try (NetNs ns = NetNs.open(java.nio.file.Path.of(path));
        Netlink nl = Netlink.openAt(ns)) {
      return;
    } catch (ErrnoException e) {
      why =
          e.isNotFound()
              ? "no such file or directory"
              : e.errno() != 22
                  ? e.getMessage()
                  : "netnsOpen".equals(e.operation())
                      ? "not a namespace file"
                      : "not a network namespace";
    } catch (java.nio.file.InvalidPathException e) {
      why = "the path cannot be represented on this system (" + e.getReason() + ")";
    }
    throw new CniException(ErrorCodes.INTERNAL, "failed to open netns \"" + path + "\": " + why);
  }

  /**
   * Nothing is per pod; succeeds always (also for the second DEL with no netns and no prevResult).
   */
  @Override
  public void del(Invocation inv) {}

  @Override
  @SuppressWarnings("try") // the lock is held for the block, never referenced
  public void check(Invocation inv) {
    VxlanConfig cfg = VxlanConfig.from(inv.config().raw());
    List<String> problems;
    try (PeersLock lock = PeersLock.acquire(cfg.peersFile(), LOCK_WAIT)) {
      problems = VxlanNode.problems(cfg, cfg.allPeers(), null);
    }
    if (!problems.isEmpty()) {
      throw new CniException(
          ErrorCodes.INTERNAL, "vxlan: " + problems.get(0), String.join("; ", problems));
    }
  }

  @Override
  public void status(Invocation inv) {
    VxlanNode.status(VxlanConfig.from(inv.config().raw()), null);
  }

  /** Removes entries of nodes that are no longer peers (nothing per attachment to collect). */
  @Override
  @SuppressWarnings("try") // the lock is held for the block, never referenced
  public void gc(Invocation inv) {
    VxlanConfig cfg = VxlanConfig.from(inv.config().raw());
    try (PeersLock lock = PeersLock.acquire(cfg.peersFile(), LOCK_WAIT)) {
      VxlanNode.collect(cfg, cfg.allPeers(), null, s -> {});
    }
  }
}
