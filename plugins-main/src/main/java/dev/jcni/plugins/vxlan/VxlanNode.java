package dev.jcni.plugins.vxlan;

import java.util.List;
import java.util.function.Consumer;

/** Host-side work of one node: ensure the VTEP, reconcile its entries. */
public final class VxlanNode {
  private VxlanNode() {}

  public static Reconciler.Outcome sync(VxlanConfig cfg, List<Peer> peers, Object ns, Consumer<String> log) {
    throw new UnsupportedOperationException("TODO: needs cni-netlink");
  }
}
