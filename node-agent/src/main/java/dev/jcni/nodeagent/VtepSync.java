package dev.jcni.nodeagent;

import dev.jcni.plugins.vxlan.Peer;
import dev.jcni.plugins.vxlan.Reconciler;
import dev.jcni.plugins.vxlan.VxlanConfig;
import java.util.List;
import java.util.function.Consumer;

/**
 * Ensures this node's VTEP and reconciles its entries to {@code peers}; the real one is {@code
 * VxlanNode.sync}.
 */
@FunctionalInterface
public interface VtepSync {
  Reconciler.Outcome sync(VxlanConfig config, List<Peer> peers, Consumer<String> log);
}
