package dev.jcni.plugins.vxlan;

import dev.jcni.netlink.MacAddress;
import dev.jcni.spec.net.Cidr;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The three kernel entries per remote node on the VTEP, as flannel programs them (see cni-facts
 * §3.2): a permanent neighbour (remote subnet network address → remote VTEP MAC), an FDB entry
 * (remote VTEP MAC → remote underlay address) and an on-link route (remote subnet via its network
 * address).
 */
public final class VtepEntries {
  private VtepEntries() {}

  /**
   * A neighbour on the VTEP. {@code permanent} is false for kernel-learnt (reachable/stale/failed)
   * entries.
   */
  public record Neigh(Inet4Address ip, MacAddress mac, boolean permanent) {
    @Override
    public String toString() {
      return "neigh " + Peer.format(ip) + " lladdr " + mac + (permanent ? " permanent" : "");
    }
  }

  /** A VXLAN FDB remote: frames for {@code mac} are sent to {@code dst}. */
  public record Fdb(MacAddress mac, InetAddress dst) {
    @Override
    public String toString() {
      return "fdb " + mac + " dst " + (dst == null ? "-" : Peer.format(dst));
    }
  }

  /** A route in the main table out of the VTEP; {@code gw} null for a route without a gateway. */
  public record Route(Cidr dst, Inet4Address gw, boolean onlink) {
    @Override
    public String toString() {
      return "route "
          + dst
          + (gw == null ? "" : " via " + Peer.format(gw))
          + (onlink ? " onlink" : "");
    }
  }

  /** A set of entries: what should be (from the peers) or what is (read from the kernel). */
  public record Snapshot(List<Neigh> neighbours, List<Fdb> fdb, List<Route> routes) {
    public Snapshot {
      neighbours = List.copyOf(neighbours);
      fdb = List.copyOf(fdb);
      routes = List.copyOf(routes);
    }

    public static Snapshot empty() {
      return new Snapshot(List.of(), List.of(), List.of());
    }

    public int size() {
      return neighbours.size() + fdb.size() + routes.size();
    }
  }

  /** The desired entries for {@code remotePeers} (already without this node). */
  public static Snapshot desired(List<Peer> remotePeers) {
    List<Neigh> n = new ArrayList<>(remotePeers.size());
    List<Fdb> f = new ArrayList<>(remotePeers.size());
    List<Route> r = new ArrayList<>(remotePeers.size());
    for (Peer p : remotePeers) {
      MacAddress mac = p.vtepMac();
      n.add(new Neigh(p.gateway(), mac, true));
      f.add(new Fdb(mac, p.underlayIP()));
      r.add(new Route(p.podSubnet(), p.gateway(), true));
    }
    return new Snapshot(n, f, r);
  }
}
