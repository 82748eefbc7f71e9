package dev.jcni.plugins.vxlan;

import com.google.auto.service.AutoService;
import dev.jcni.api.CniPlugin;
import dev.jcni.api.CniType;
import dev.jcni.api.Invocation;
import dev.jcni.plugins.common.TargetNetns;
import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.Result;
import java.time.Duration;
import java.util.List;

/**
 * {@code vxlan}: a chained plugin (after bridge, e.g. bridge → portmap → vxlan) that connects this node's pod subnet
 * to the other nodes' over a VXLAN overlay, the way flannel's vxlan backend does: one VTEP per node and, per remote
 * node, a permanent neighbour, an FDB entry and an on-link route. ADD ensures all of that (idempotently, removing
 * entries of nodes no longer listed) and passes prevResult through; nothing is per pod, so DEL does nothing.
 * Host-side work happens in the plugin process's own network namespace (the node's).
 */
@AutoService(CniPlugin.class)
@CniType("vxlan")
public final class VxlanPlugin implements CniPlugin {
  /** How long a call waits for the node agent's reconcile (it holds the peers lock while it programs). */
  static final Duration LOCK_WAIT = Duration.ofSeconds(20);

  @Override
  @SuppressWarnings("try") // the lock is held for the block, never referenced
  public Result add(Invocation inv) {
    VxlanConfig cfg = VxlanConfig.from(inv.config().raw());
    // nothing per pod is made here, but the node's overlay is: only for a call aimed at a real pod namespace
    TargetNetns.validate(inv.netns());
    Reconciler.Outcome o;
    try (PeersLock lock = PeersLock.acquire(cfg.peersFile(), LOCK_WAIT)) {
      o = VxlanNode.sync(cfg, cfg.allPeers(), null, s -> {});
    }
    if (!o.ok()) {
      throw new CniException(ErrorCodes.TRY_AGAIN_LATER, "vxlan: " + o.failures().size()
          + " overlay entries could not be programmed", String.join("; ", o.failures()));
    }
    Result prev = inv.prevResult();
    try {
      ProxyArp.ensure(cfg, prev);
    } catch (RuntimeException e) {
      throw new CniException(ErrorCodes.IO_FAILURE, "vxlan: cannot enable proxy ARP on the bridge: " + e.getMessage());
    }
    return prev != null ? prev : Result.empty(inv.cniVersion());
  }

  /** Nothing is per pod; succeeds always (also for the second DEL with no netns and no prevResult). */
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
      throw new CniException(ErrorCodes.INTERNAL, "vxlan: " + problems.get(0), String.join("; ", problems));
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
