package dev.jcni.plugins.vxlan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.plugins.vxlan.ReconcilePlan.Kind;
import dev.jcni.plugins.vxlan.ReconcilePlan.Op;
import dev.jcni.plugins.vxlan.VtepEntries.Fdb;
import dev.jcni.plugins.vxlan.VtepEntries.Neigh;
import dev.jcni.plugins.vxlan.VtepEntries.Route;
import dev.jcni.plugins.vxlan.VtepEntries.Snapshot;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReconcilePlanTest {
  static final Peer B = Peer.of("192.168.1.11", "10.244.2.0/24");
  static final Peer C = Peer.of("192.168.1.12", "10.244.3.0/24");

  static void assertSameEntries(Snapshot actual, Snapshot expected) {
    assertThat(actual.neighbours()).containsExactlyInAnyOrderElementsOf(expected.neighbours());
    assertThat(actual.fdb()).containsExactlyInAnyOrderElementsOf(expected.fdb());
    assertThat(actual.routes()).containsExactlyInAnyOrderElementsOf(expected.routes());
  }

  static List<Kind> kinds(ReconcilePlan p) {
    return p.ops().stream().map(Op::kind).toList();
  }

  @Test
  void desiredEntriesFollowFlannel() {
    Snapshot d = VtepEntries.desired(List.of(B));
    assertThat(d.neighbours())
        .singleElement()
        .hasToString("neigh 10.244.2.0 lladdr 0e:76:c0:a8:01:0b permanent");
    assertThat(d.fdb()).singleElement().hasToString("fdb 0e:76:c0:a8:01:0b dst 192.168.1.11");
    assertThat(d.routes()).singleElement().hasToString("route 10.244.2.0/24 via 10.244.2.0 onlink");
  }

  @Test
  void fromNothingAddsNeighbourAndFdbBeforeRoutes() {
    ReconcilePlan p = ReconcilePlan.diff(VtepEntries.desired(List.of(B, C)), Snapshot.empty());
    assertThat(kinds(p))
        .containsExactly(
            Kind.NEIGH_REPLACE,
            Kind.NEIGH_REPLACE,
            Kind.FDB_REPLACE,
            Kind.FDB_REPLACE,
            Kind.ROUTE_REPLACE,
            Kind.ROUTE_REPLACE);
    assertThat(p.unchanged()).isZero();
  }

  @Test
  void inSyncMeansNoOps() {
    Snapshot d = VtepEntries.desired(List.of(B, C));
    ReconcilePlan p = ReconcilePlan.diff(d, d);
    assertThat(p.isEmpty()).isTrue();
    assertThat(p.unchanged()).isEqualTo(6);
  }

  @Test
  void removedNodeLosesRouteFirstThenNeighbourThenFdb() {
    ReconcilePlan p =
        ReconcilePlan.diff(VtepEntries.desired(List.of(B)), VtepEntries.desired(List.of(B, C)));
    assertThat(kinds(p)).containsExactly(Kind.ROUTE_DEL, Kind.NEIGH_DEL, Kind.FDB_DEL);
    assertThat(p.ops().get(0).entry()).hasToString("route 10.244.3.0/24 via 10.244.3.0 onlink");
    assertThat(p.unchanged()).isEqualTo(3);
  }

  @Test
  void nodeChangingItsUnderlayAddressGetsNewMacAndFdb() {
    Peer moved = Peer.of("192.168.1.99", "10.244.2.0/24");
    ReconcilePlan p =
        ReconcilePlan.diff(VtepEntries.desired(List.of(moved)), VtepEntries.desired(List.of(B)));
    assertThat(kinds(p)).containsExactly(Kind.NEIGH_REPLACE, Kind.FDB_REPLACE, Kind.FDB_DEL);
    assertThat(p.ops().get(2).entry()).isEqualTo(new Fdb(B.vtepMac(), B.underlayIP()));
  }

  @Test
  void driftIsRepaired() {
    Snapshot d = VtepEntries.desired(List.of(B));
    Neigh learnt = new Neigh(B.gateway(), B.vtepMac(), false);
    Fdb wrongDst = new Fdb(B.vtepMac(), C.underlayIP());
    Route notOnlink = new Route(B.podSubnet(), B.gateway(), false);
    Route foreign = new Route(Ipv4Subnets.parse("10.99.0.0/16", "k"), null, false);
    ReconcilePlan p =
        ReconcilePlan.diff(
            d, new Snapshot(List.of(learnt), List.of(wrongDst), List.of(notOnlink, foreign)));
    assertThat(kinds(p))
        .containsExactly(
            Kind.NEIGH_REPLACE, Kind.FDB_DEL, Kind.FDB_REPLACE, Kind.ROUTE_REPLACE, Kind.ROUTE_DEL);
    assertThat(p.ops().get(4).entry()).isEqualTo(foreign);
  }

  @Test
  void reconcilerConvergesAndIsIdempotent() {
    FakeVtep vtep = new FakeVtep();
    List<String> log = new ArrayList<>();
    var out = Reconciler.reconcile(vtep, VtepEntries.desired(List.of(B, C)), log::add);
    assertThat(out.ok()).isTrue();
    assertThat(out.added()).isEqualTo(6);
    assertThat(log).hasSize(6);
    assertSameEntries(vtep.read(), VtepEntries.desired(List.of(B, C)));

    var again = Reconciler.reconcile(vtep, VtepEntries.desired(List.of(B, C)), log::add);
    assertThat(again.applied()).isEmpty();
    assertThat(again.unchanged()).isEqualTo(6);

    var shrink = Reconciler.reconcile(vtep, VtepEntries.desired(List.of(C)), log::add);
    assertThat(shrink.removed()).isEqualTo(3);
    assertSameEntries(vtep.read(), VtepEntries.desired(List.of(C)));
  }

  @Test
  void oneFailureDoesNotStopTheRest() {
    FakeVtep vtep = new FakeVtep();
    vtep.failOn = "fdbReplace fdb " + B.vtepMac();
    var out = Reconciler.reconcile(vtep, VtepEntries.desired(List.of(B, C)), s -> {});
    assertThat(out.failures()).singleElement().asString().contains("injected failure");
    assertThat(vtep.routes).containsKey(C.podSubnet());
    vtep.failOn = null;
    var retry = Reconciler.reconcile(vtep, VtepEntries.desired(List.of(B, C)), s -> {});
    assertThat(retry.ok()).isTrue();
    assertSameEntries(vtep.read(), VtepEntries.desired(List.of(B, C)));
  }

  @Test
  void alreadyDeletedEntriesAreNotCountedAsChanges() {
    FakeVtep vtep = new FakeVtep();
    ReconcilePlan p = ReconcilePlan.diff(Snapshot.empty(), VtepEntries.desired(List.of(B)));
    var out = Reconciler.apply(vtep, p, s -> {});
    assertThat(out.ok()).isTrue();
    assertThat(out.applied()).isEmpty();
  }
}
