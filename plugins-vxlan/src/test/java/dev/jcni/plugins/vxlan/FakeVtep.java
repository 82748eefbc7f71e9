package dev.jcni.plugins.vxlan;

import dev.jcni.plugins.vxlan.VtepEntries.Fdb;
import dev.jcni.plugins.vxlan.VtepEntries.Neigh;
import dev.jcni.plugins.vxlan.VtepEntries.Route;
import dev.jcni.plugins.vxlan.VtepEntries.Snapshot;
import dev.jcni.spec.net.Cidr;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An in-memory VTEP with the kernel's keying: neighbour by IP, FDB by (MAC, dst), route by prefix.
 */
final class FakeVtep implements VtepDataplane {
  final Map<Inet4Address, Neigh> neigh = new LinkedHashMap<>();
  final Set<Fdb> fdb = new LinkedHashSet<>();
  final Map<Cidr, Route> routes = new LinkedHashMap<>();
  final List<String> calls = new ArrayList<>();
  String failOn;

  private void call(String s) {
    calls.add(s);
    if (failOn != null && s.contains(failOn)) {
      throw new IllegalStateException("injected failure");
    }
  }

  @Override
  public Snapshot read() {
    return new Snapshot(
        new ArrayList<>(neigh.values()), new ArrayList<>(fdb), new ArrayList<>(routes.values()));
  }

  @Override
  public void neighReplace(Neigh n) {
    call("neighReplace " + n);
    neigh.put(n.ip(), n);
  }

  @Override
  public boolean neighDel(Neigh n) {
    call("neighDel " + n);
    return neigh.remove(n.ip()) != null;
  }

  @Override
  public void fdbReplace(Fdb f) {
    call("fdbReplace " + f);
    // the kernel's replace rewrites the MAC's first remote
    Fdb old = fdb.stream().filter(x -> x.mac().equals(f.mac())).findFirst().orElse(null);
    if (old != null) {
      fdb.remove(old);
    }
    fdb.add(f);
  }

  @Override
  public boolean fdbDel(Fdb f) {
    call("fdbDel " + f);
    return fdb.remove(f);
  }

  @Override
  public void routeReplace(Route r) {
    call("routeReplace " + r);
    if (!neigh.containsKey(r.gw())) {
      throw new IllegalStateException("route before its neighbour: " + r);
    }
    routes.put(r.dst(), r);
  }

  @Override
  public boolean routeDel(Route r) {
    call("routeDel " + r);
    return routes.remove(r.dst()) != null;
  }
}
