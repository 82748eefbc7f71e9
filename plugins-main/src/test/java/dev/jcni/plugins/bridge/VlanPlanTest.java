package dev.jcni.plugins.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.netlink.BridgeVlan;
import java.util.List;
import org.junit.jupiter.api.Test;

class VlanPlanTest {
  private static BridgeSettings settings(int vlan, List<Integer> trunk, boolean preserve) {
    return new BridgeSettings(
        "n",
        "cni0",
        false,
        false,
        false,
        false,
        null,
        0,
        false,
        false,
        vlan,
        trunk,
        vlan != 0 || !trunk.isEmpty(),
        preserve,
        false,
        false,
        false,
        false,
        null,
        null,
        null);
  }

  private static VlanPlan.Op add(int vid, boolean pvidUntagged) {
    return new VlanPlan.Op(VlanPlan.Kind.ADD, vid, vid, pvidUntagged, pvidUntagged);
  }

  private static VlanPlan.Op del(int vid) {
    return new VlanPlan.Op(VlanPlan.Kind.DEL, vid, vid, false, false);
  }

  private static final List<BridgeVlan> DEFAULT = List.of(new BridgeVlan(7, 1, 1, true, true));

  @Test
  void noVlansTouchesNothing() {
    assertThat(VlanPlan.needsExisting(settings(0, List.of(), false))).isFalse();
    assertThat(VlanPlan.plan(settings(0, List.of(), false), DEFAULT)).isEmpty();
  }

  @Test
  void accessVlanReplacesTheDefaultUnlessPreserved() {
    assertThat(VlanPlan.plan(settings(100, List.of(), false), DEFAULT))
        .containsExactly(del(1), add(100, true));
    assertThat(VlanPlan.needsExisting(settings(100, List.of(), true))).isFalse();
    assertThat(VlanPlan.plan(settings(100, List.of(), true), DEFAULT))
        .containsExactly(add(100, true));
  }

  @Test
  void trunkRunsBecomeRangesAndANativeVlanOneIsAddedWithoutAnAccessVlan() {
    assertThat(VlanPlan.plan(settings(0, List.of(20, 101, 102, 103, 300), false), DEFAULT))
        .containsExactly(
            del(1),
            add(20, false),
            new VlanPlan.Op(VlanPlan.Kind.ADD_RANGE, 101, 103, false, false),
            add(300, false),
            add(1, true));
    assertThat(VlanPlan.plan(settings(5, List.of(1000, 1001), true), List.of()))
        .containsExactly(
            add(5, true), new VlanPlan.Op(VlanPlan.Kind.ADD_RANGE, 1000, 1001, false, false));
  }

  @Test
  void existingRangesAreRemovedVidByVid() {
    assertThat(
            VlanPlan.plan(
                settings(9, List.of(), false), List.of(new BridgeVlan(7, 3, 5, false, false))))
        .containsExactly(del(3), del(4), del(5), add(9, true));
  }
}
