package dev.jcni.plugins.common;

import dev.jcni.netlink.Address;
import dev.jcni.netlink.Route;
import dev.jcni.spec.Result;
import dev.jcni.spec.net.Cidr;
import dev.jcni.spec.net.InetAddresses;
import java.net.InetAddress;
import java.util.List;

/**
 * CHECK helpers, Go's ValidateExpectedInterfaceIPs / ValidateExpectedRoute over what the kernel reports: every
 * address of the result that belongs to the interface is present, and every route of the result exists (with its
 * gateway when it names one). Failures are {@link IllegalStateException}s naming what is missing.
 */
public final class IfaceCheck {
  private IfaceCheck() {}

  /**
   * @param ifIndexInResult the interface's index in {@code result.interfaces()}; addresses bound to another
   *     interface are skipped, addresses without an index are checked
   */
  public static void addresses(String ifname, List<Address> actual, Result result, int ifIndexInResult) {
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
        throw new IllegalStateException("Failed to match addr " + ip.address() + " on interface " + ifname);
      }
    }
  }

  /** Every route of {@code result} exists in {@code actual} (the container's routes, all tables). */
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
        throw new IllegalStateException("Failed to match route " + r.dst() + (gw == null ? "" : " via "
            + InetAddresses.format(gw)));
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
      return dst.prefixLength() == 0 && a.family() == (dst.isIpv4() ? dev.jcni.netlink.Family.V4
          : dev.jcni.netlink.Family.V6);
    }
    return a.dst().network().equals(dst);
  }
}
