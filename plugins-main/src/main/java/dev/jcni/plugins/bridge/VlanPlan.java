package dev.jcni.plugins.bridge;

import dev.jcni.netlink.BridgeVlan;
import java.util.ArrayList;
import java.util.List;

/**
 * The bridge-VLAN requests for one port, as Go's setupVeth issues them: the port's existing VLANs
 * removed unless {@code preserveDefaultVlan}, the access VLAN as PVID untagged, the trunk VIDs
 * tagged (contiguous runs as one range request), and native VLAN 1 for a trunk without an access
 * VLAN. Pure, so it is tested without a kernel.
 */
final class VlanPlan {
  private VlanPlan() {}

  enum Kind {
    DEL,
    ADD,
    ADD_RANGE
  }

  /** One request; {@code vidEnd} is only meaningful for {@link Kind#ADD_RANGE}. */
  record Op(Kind kind, int vid, int vidEnd, boolean pvid, boolean untagged) {}

  /** Whether the port's current VLANs are needed (they are removed first). */
  static boolean needsExisting(BridgeSettings s) {
    return (s.vlan() != 0 || !s.trunkVlans().isEmpty()) && !s.preserveDefaultVlan();
  }

  static List<Op> plan(BridgeSettings s, List<BridgeVlan> existing) {
    List<Op> ops = new ArrayList<>();
    if (needsExisting(s)) {
      for (BridgeVlan v : existing) {
        for (int vid = v.vid(); vid <= Math.max(v.vid(), v.vidEnd()); vid++) {
          ops.add(new Op(Kind.DEL, vid, vid, false, false));
        }
      }
    }
    if (s.vlan() != 0) {
      ops.add(new Op(Kind.ADD, s.vlan(), s.vlan(), true, true));
    }
    List<Integer> t = s.trunkVlans();
    for (int i = 0; i < t.size(); ) {
      int j = i;
      while (j + 1 < t.size() && t.get(j + 1).intValue() == t.get(j).intValue() + 1) {
        j++;
      }
      ops.add(
          j == i
              ? new Op(Kind.ADD, t.get(i), t.get(i), false, false)
              : new Op(Kind.ADD_RANGE, t.get(i), t.get(j), false, false));
      i = j + 1;
    }
    if (s.vlan() == 0 && !t.isEmpty()) {
      // no access VLAN: native VLAN 1, as Go does for backwards compatibility
      ops.add(new Op(Kind.ADD, 1, 1, true, true));
    }
    return ops;
  }
}
