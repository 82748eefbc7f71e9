package dev.jcni.plugins.common;

import dev.jcni.netlink.Address;
import dev.jcni.netlink.Family;
import dev.jcni.netlink.Link;
import dev.jcni.netlink.Netlink;
import dev.jcni.netlink.Route;
import dev.jcni.spec.Result;
import dev.jcni.spec.net.Cidr;
import dev.jcni.spec.net.InetAddresses;
import java.net.InetAddress;
import java.util.List;

/**
 * CHECK helpers, Go's ValidateExpectedInterfaceIPs / ValidateExpectedRoute over what the kernel
 * reports: every address of the result that belongs to the interface is present, and every route of
 * the result exists (with its gateway when it names one). Failures are {@link
 * IllegalStateException}s naming what is missing.
 */
public final class IfaceCheck {
  private IfaceCheck() {}

  /**
   * @param ifIndexInResult the interface's index in {@code result.interfaces()}; addresses bound to
   *     another interface are skipped, addresses without an index are checked
   */
  public static void addresses(
      String ifname, List<Address> actual, Result result, int ifIndexInResult) {
    for (Result.IpConfig ip : result.ips()) {
      if (ip.interfaceIndex() != null && ip.interfaceIndex() != ifIndexInResult) {
        continue;
      }
      Cidr want = ip.address();
      boolean found = false;
      for (Address a : actual) {
        found |= a.net().equals(want);
      }
      if (!found) {
        throw new IllegalStateException(
            "Failed to match addr " + ip.address() + " on interface " + ifname);
      }
    }
  }

  /**
   * Every route of {@code result} exists in {@code actual} (the container's routes, all tables).
   */
  public static void routes(List<Route> actual, Result result) {
    for (Result.Route r : result.routes()) {
      Cidr dst = r.dst().network();
      InetAddress gw = r.gw();
      boolean found = false;
      for (Route a : actual) {
        if (sameDst(a, dst) && (gw == null || gw.equals(a.gateway()) || viaNexthop(a, gw))) {
          found = true;
          break;
        }
      }
      if (!found) {
        throw new IllegalStateException(
            "Failed to match route "
                + r.dst()
                + (gw == null ? "" : " via " + InetAddresses.format(gw)));
      }
    }
  }

  private static boolean viaNexthop(Route r, InetAddress gw) {
    for (Route.Nexthop h : r.nexthops()) {
      if (gw.equals(h.gateway())) {
        return true;
      }
    }
    return false;
  }

  private static boolean sameDst(Route a, Cidr dst) {
    if (a.dst() == null || a.dst().prefixLength() == 0) {
      return dst.prefixLength() == 0
          && a.family() == (dst.isIpv4() ? dev.jcni.netlink.Family.V4 : dev.jcni.netlink.Family.V6);
    }
    return a.dst().network().equals(dst);
  }

  /**
   * The index of the pod's interface in {@code prev.interfaces()}: the entry named {@code ifname}
   * whose sandbox is {@code netns}; -1 when there is none (the caller reports Go's "Sandbox in
   * prevResult doesn't match").
   */
  public static int podInterfaceIndex(Result prev, String ifname, String netns) {
    int idx = -1;
    for (int i = 0; i < prev.interfaces().size(); i++) {
      Result.Interface itf = prev.interfaces().get(i);
      if (ifname.equals(itf.name()) && netns.equals(itf.sandbox())) {
        idx = i;
      }
    }
    return idx;
  }

  /**
   * The pod's end of a veth pair, checked as Go's bridge and ptp CHECKs do: it exists, is a veth,
   * and has the MAC the result recorded (when it recorded one).
   *
   * @param notFound the message when it does not exist; {@code notVeth} the message prefix when it
   *     is another kind
   */
  public static Link podVeth(
      Netlink pod, String ifname, Result.Interface recorded, String notFound, String notVeth) {
    java.util.Optional<Link> l = pod.linkGet(ifname);
    if (l.isEmpty()) {
      throw new IllegalStateException(notFound);
    }
    Link c = l.get();
    if (!"veth".equals(c.kind())) {
      throw new IllegalStateException(notVeth);
    }
    String mac = c.mac() == null ? null : c.mac().toString();
    if (recorded.mac() != null
        && !recorded.mac().isEmpty()
        && !recorded.mac().equalsIgnoreCase(mac)) {
      throw new IllegalStateException(
          "Interface "
              + c.name()
              + " Mac "
              + recorded.mac()
              + " doesn't match container Mac: "
              + mac);
    }
    return c;
  }

  /**
   * The node-side end of the pod's veth {@code pod} among the result's node-side interfaces (no
   * sandbox): the veth whose index is the pod end's peer, enslaved to {@code masterIndex} (0: any
   * or none). When the result recorded its MAC, it must match (else Go's "Mac doesn't match"
   * error). Null when it is not there.
   */
  public static Link hostPeer(Netlink host, Result prev, Link pod, int masterIndex) {
    for (Result.Interface itf : prev.interfaces()) {
      if (itf.sandbox() != null && !itf.sandbox().isEmpty()) {
        continue;
      }
      java.util.Optional<Link> l = host.linkGet(itf.name());
      if (l.isEmpty() || !"veth".equals(l.get().kind())) {
        continue;
      }
      Link v = l.get();
      if (v.index() == pod.vethPeerIndex()
          && (masterIndex == 0 || v.masterIndex() == masterIndex)) {
        String mac = v.mac() == null ? null : v.mac().toString();
        if (itf.mac() != null && !itf.mac().isEmpty() && !itf.mac().equalsIgnoreCase(mac)) {
          throw new IllegalStateException(
              "Interface " + v.name() + " Mac doesn't match: " + itf.mac() + " not found");
        }
        return v;
      }
    }
    return null;
  }

  /** Every IPv4 and IPv6 route of every table, for {@link #routes}. */
  public static List<Route> allRoutes(Netlink nl) {
    List<Route> all =
        new java.util.ArrayList<>(nl.routeList(Family.V4, Netlink.RouteFilter.ALL_TABLES));
    all.addAll(nl.routeList(Family.V6, Netlink.RouteFilter.ALL_TABLES));
    return all;
  }
}
