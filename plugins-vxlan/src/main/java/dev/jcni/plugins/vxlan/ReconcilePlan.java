package dev.jcni.plugins.vxlan;

import dev.jcni.netlink.MacAddress;
import dev.jcni.plugins.vxlan.VtepEntries.Fdb;
import dev.jcni.plugins.vxlan.VtepEntries.Neigh;
import dev.jcni.plugins.vxlan.VtepEntries.Route;
import dev.jcni.plugins.vxlan.VtepEntries.Snapshot;
import dev.jcni.spec.net.Cidr;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The changes that turn the actual VTEP entries into the desired ones: a pure diff, computed
 * without touching the kernel. Everything on the VTEP device belongs to it (the device is ours), so
 * any entry that is not desired is stale and removed.
 *
 * <p>Order matters and follows flannel: for a node being added, neighbour and FDB entries come
 * before the route, so the kernel never resolves the on-link gateway by ARP (which the VTEP cannot
 * answer); for a node being removed, the route goes first, then the neighbour and FDB entries it
 * used.
 */
public record ReconcilePlan(List<Op> ops, int unchanged) {

  /** What to do with one entry. */
  public enum Kind {
    NEIGH_REPLACE,
    FDB_DEL,
    FDB_REPLACE,
    ROUTE_REPLACE,
    ROUTE_DEL,
    NEIGH_DEL
  }

  /**
   * One change; {@code entry} is a {@link Neigh}, {@link Fdb} or {@link Route} matching {@code
   * kind}.
   */
  public record Op(Kind kind, Object entry) {
    public boolean isDelete() {
      return kind == Kind.FDB_DEL || kind == Kind.ROUTE_DEL || kind == Kind.NEIGH_DEL;
    }

    @Override
    public String toString() {
      return (isDelete() ? "del " : "replace ") + entry;
    }
  }

  public ReconcilePlan {
    ops = List.copyOf(ops);
  }

  public boolean isEmpty() {
    return ops.isEmpty();
  }

  public long count(Kind k) {
    return ops.stream().filter(o -> o.kind == k).count();
  }

  /** The diff of {@code desired} against {@code actual}. */
  public static ReconcilePlan diff(Snapshot desired, Snapshot actual) {
    List<Op> ops = new ArrayList<>();
    int unchanged = 0;

    // neighbours, keyed by IP: replace when missing, pointing elsewhere or not permanent
    Map<Inet4Address, Neigh> actualNeigh = new HashMap<>();
    for (Neigh n : actual.neighbours()) {
      actualNeigh.put(n.ip(), n);
    }
    Set<Inet4Address> wantedNeigh = new HashSet<>();
    for (Neigh n : desired.neighbours()) {
      wantedNeigh.add(n.ip());
      if (n.equals(actualNeigh.get(n.ip()))) {
        unchanged++;
      } else {
        ops.add(new Op(Kind.NEIGH_REPLACE, n));
      }
    }

    // FDB remotes, keyed by (mac, dst): a MAC may have several remotes; ours has exactly one
    Set<Fdb> actualFdb = new HashSet<>(actual.fdb());
    Set<Fdb> wantedFdb = new HashSet<>(desired.fdb());
    Set<MacAddress> wantedMacs = new HashSet<>();
    for (Fdb f : desired.fdb()) {
      wantedMacs.add(f.mac());
    }
    List<Fdb> staleFdb = new ArrayList<>();
    for (Fdb f : actual.fdb()) {
      if (wantedFdb.contains(f)) {
        continue;
      }
      if (wantedMacs.contains(f.mac())) {
        ops.add(
            new Op(Kind.FDB_DEL, f)); // wrong remote for a MAC we keep: clear it before the replace
      } else {
        staleFdb.add(f);
      }
    }
    for (Fdb f : desired.fdb()) {
      if (actualFdb.contains(f)) {
        unchanged++;
      } else {
        ops.add(new Op(Kind.FDB_REPLACE, f));
      }
    }

    // routes, keyed by destination prefix
    Map<Cidr, Route> actualRoutes = new LinkedHashMap<>();
    for (Route r : actual.routes()) {
      actualRoutes.put(r.dst(), r);
    }
    Set<Cidr> wantedRoutes = new HashSet<>();
    for (Route r : desired.routes()) {
      wantedRoutes.add(r.dst());
      if (r.equals(actualRoutes.get(r.dst()))) {
        unchanged++;
      } else {
        ops.add(new Op(Kind.ROUTE_REPLACE, r));
      }
    }
    for (Route r : actual.routes()) {
      if (!wantedRoutes.contains(r.dst())) {
        ops.add(new Op(Kind.ROUTE_DEL, r));
      }
    }
    for (Neigh n : actual.neighbours()) {
      if (!wantedNeigh.contains(n.ip())) {
        ops.add(new Op(Kind.NEIGH_DEL, n));
      }
    }
    for (Fdb f : staleFdb) {
      ops.add(new Op(Kind.FDB_DEL, f));
    }
    return new ReconcilePlan(ops, unchanged);
  }
}
