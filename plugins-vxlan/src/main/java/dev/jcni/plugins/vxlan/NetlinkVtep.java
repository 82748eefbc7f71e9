package dev.jcni.plugins.vxlan;

import dev.jcni.netlink.Family;
import dev.jcni.netlink.FdbEntry;
import dev.jcni.netlink.MacAddress;
import dev.jcni.netlink.Netlink;
import dev.jcni.netlink.Route;
import dev.jcni.plugins.vxlan.VtepEntries.Fdb;
import dev.jcni.plugins.vxlan.VtepEntries.Neigh;
import dev.jcni.plugins.vxlan.VtepEntries.Snapshot;
import dev.jcni.spec.net.Cidr;
import dev.jcni.system.ErrnoException;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link VtepDataplane} over rtnetlink for the VTEP with ifindex {@code index}, in {@code nl}'s
 * namespace.
 */
public final class NetlinkVtep implements VtepDataplane {
  /** A route without RTA_DST: the default route. */
  private static final Cidr ANY = Cidr.parse("0.0.0.0/0");

  private final Netlink nl;
  private final int index;

  public NetlinkVtep(Netlink nl, int index) {
    this.nl = nl;
    this.index = index;
  }

  @Override
  public Snapshot read() {
    List<Neigh> neigh = new ArrayList<>();
    for (dev.jcni.netlink.Neigh n : nl.neighList(index, Family.V4)) {
      if (n.ip() instanceof Inet4Address ip) {
        MacAddress mac =
            n.mac() == null || n.mac().bytes().length != 6 ? MacAddress.of(new byte[6]) : n.mac();
        neigh.add(new Neigh(ip, mac, (n.state() & dev.jcni.netlink.Neigh.NUD_PERMANENT) != 0));
      }
    }
    List<Fdb> fdb = new ArrayList<>();
    for (FdbEntry e : nl.fdbList(index)) {
      // only the vxlan driver's own table (NTF_SELF); a remote without dst is not one of ours
      if ((e.flags() & FdbEntry.NTF_SELF) != 0
          && e.dst() != null
          && e.mac() != null
          && e.mac().bytes().length == 6) {
        fdb.add(new Fdb(e.mac(), e.dst()));
      }
    }
    List<VtepEntries.Route> routes = new ArrayList<>();
    for (Route r : nl.routeList(Family.V4, Netlink.RouteFilter.MAIN.withOif(index))) {
      Cidr dst = r.dst() == null ? ANY : r.dst().network();
      routes.add(
          new VtepEntries.Route(
              dst, r.gateway() instanceof Inet4Address g ? g : null, r.isOnlink()));
    }
    return new Snapshot(neigh, fdb, routes);
  }

  @Override
  public void neighReplace(Neigh n) {
    nl.neighReplace(dev.jcni.netlink.Neigh.permanent(index, n.ip(), n.mac()));
  }

  @Override
  public boolean neighDel(Neigh n) {
    try {
      nl.neighDel(new dev.jcni.netlink.Neigh(index, n.ip(), null, 0, 0));
      return true;
    } catch (ErrnoException e) {
      if (e.isNotFound()) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public void fdbReplace(Fdb f) {
    nl.fdbReplace(remote(f));
  }

  @Override
  public boolean fdbDel(Fdb f) {
    try {
      nl.fdbDel(remote(f));
      return true;
    } catch (ErrnoException e) {
      if (e.isNotFound()) {
        return false;
      }
      throw e;
    }
  }

  private FdbEntry remote(Fdb f) {
    // permanent, like flannel: never aged out, and the same state `bridge fdb add ... permanent`
    // gives
    return FdbEntry.vxlanRemote(index, f.mac(), f.dst())
        .withState(dev.jcni.netlink.Neigh.NUD_PERMANENT);
  }

  @Override
  public void routeReplace(VtepEntries.Route r) {
    nl.routeReplace(route(r).onlink(r.onlink()).scope(Route.SCOPE_UNIVERSE).build());
  }

  @Override
  public boolean routeDel(VtepEntries.Route r) {
    try {
      nl.routeDel(route(r).build());
      return true;
    } catch (ErrnoException e) {
      if (e.isNotFound()) {
        return false;
      }
      throw e;
    }
  }

  private Route.Builder route(VtepEntries.Route r) {
    Route.Builder b =
        Route.builder().family(Family.V4).dst(r.dst()).oif(index).table(Route.TABLE_MAIN);
    if (r.gw() != null) {
      b.gateway(r.gw());
    }
    return b;
  }
}
