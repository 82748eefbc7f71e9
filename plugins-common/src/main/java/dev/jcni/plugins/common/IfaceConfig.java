package dev.jcni.plugins.common;

import dev.jcni.netlink.Address;
import dev.jcni.netlink.Family;
import dev.jcni.netlink.Link;
import dev.jcni.netlink.Netlink;
import dev.jcni.netlink.Route;
import dev.jcni.spec.Result;
import dev.jcni.spec.net.Cidr;
import dev.jcni.spec.net.InetAddresses;
import dev.jcni.system.ErrnoException;
import dev.jcni.system.NetNs;
import java.net.InetAddress;
import java.util.List;

/**
 * Go's ipam.ConfigureIface: applies an IPAM result to the pod's interface. Addresses whose
 * interface index names this interface are added (IPv6 is enabled on lo and the interface first,
 * with keep_addr_on_down), the link is set up, IPv6 duplicate address detection is waited for (at
 * most 5 s) when there is a v6 gateway, then every route is added with its family's gateway when it
 * names none (priority, table and scope honoured).
 *
 * <p><b>Public SDK API</b> (like Go's {@code ipam.ConfigureIface}), kept stable for plugins outside
 * this repository: build the {@link Result} a plugin returns, then let this put its addresses and
 * routes on the pod's interface, e.g. {@code IfaceConfig.configure(pod, podNl, inv.ifname(),
 * result, indexOfTheIfaceInResult)}. Failures are {@link IllegalStateException}s whose message
 * names the address or route (the dispatcher turns them into CNI error 999 with that message).
 */
public final class IfaceConfig {
  private static final long DAD_SETTLE_MILLIS = 5000;

  private IfaceConfig() {}

  /**
   * Applies {@code result} to {@code ifname} inside the pod.
   *
   * @param contNs the pod's namespace (for the IPv6 sysctls)
   * @param cont a netlink handle inside the pod ({@link Netlink#openAt(NetNs)})
   * @param ifname the pod's interface ({@code CNI_IFNAME})
   * @param result the result whose {@code ips} entries with {@code interface == ifIndexInResult}
   *     and whose routes are applied
   * @param ifIndexInResult the interface's index in {@code result.interfaces()}
   */
  public static void configure(
      NetNs contNs, Netlink cont, String ifname, Result result, int ifIndexInResult) {
    List<Result.IpConfig> mine = new java.util.ArrayList<>();
    for (Result.IpConfig ip : result.ips()) {
      if (ip.interfaceIndex() == null) {
        continue;
      }
      int idx = ip.interfaceIndex();
      if (idx < 0
          || idx >= result.interfaces().size()
          || !ifname.equals(result.interfaces().get(idx).name())) {
        throw new IllegalStateException(
            "failed to add IP addr "
                + ip.address()
                + " to \""
                + ifname
                + "\": invalid interface index");
      }
      mine.add(ip);
    }
    configure(contNs, cont, ifname, mine, result.routes());
  }

  /**
   * Applies {@code ips} (every one of them: the caller picked the interface's own) and {@code
   * routes} to {@code ifname} inside the pod; for plugins that build their result's interface list
   * only at the end.
   */
  public static void configure(
      NetNs contNs,
      Netlink cont,
      String ifname,
      List<Result.IpConfig> ips,
      List<Result.Route> routes) {
    Link link = cont.linkByName(ifname);
    InetAddress v4gw = null;
    InetAddress v6gw = null;
    boolean v6 = false;
    for (Result.IpConfig ip : ips) {
      v6 |= ip.family() == 6;
    }
    if (v6) {
      new Sysctls()
          .set("net/ipv6/conf/lo/disable_ipv6", "0")
          .set("net/ipv6/conf/" + ifname + "/disable_ipv6", "0")
          .set("net/ipv6/conf/" + ifname + "/keep_addr_on_down", "1")
          .apply(contNs);
    }
    for (Result.IpConfig ip : ips) {
      try {
        cont.addrAdd(ifname, ip.address());
      } catch (ErrnoException e) {
        throw new IllegalStateException(
            "failed to add IP addr " + ip.address() + " to \"" + ifname + "\": " + e.getMessage(),
            e);
      }
      if (ip.gateway() != null) {
        InetAddress gw = ip.gateway();
        if (gw.getAddress().length == 4) {
          v4gw = v4gw == null ? gw : v4gw;
        } else {
          v6gw = v6gw == null ? gw : v6gw;
        }
      }
    }
    cont.linkSetUp(ifname);
    if (v6gw != null) {
      settle(cont, link.index());
    }
    for (Result.Route r : routes) {
      Cidr dst = r.dst();
      InetAddress gw = r.gw() != null ? r.gw() : dst.isIpv4() ? v4gw : v6gw;
      Route.Builder b =
          Route.builder()
              .dst(dst.network())
              .oif(link.index())
              .family(dst.isIpv4() ? Family.V4 : Family.V6);
      if (gw != null) {
        b.gateway(gw);
      }
      if (r.priority() != null) {
        b.priority(r.priority());
      }
      if (r.table() != null) {
        b.table(r.table());
      }
      if (r.scope() != null) {
        b.scope(r.scope());
      }
      if (r.mtu() != null) {
        b.mtu(r.mtu());
      }
      if (r.advmss() != null) {
        b.advmss(r.advmss());
      }
      try {
        cont.routeAdd(b.build());
      } catch (ErrnoException e) {
        if (!e.isExists()) {
          throw new IllegalStateException(
              "failed to add route '"
                  + r.dst()
                  + (gw == null ? "" : " via " + InetAddresses.format(gw))
                  + " dev "
                  + ifname
                  + "': "
                  + e.getMessage(),
              e);
        }
      }
    }
  }

  /**
   * Go's SettleAddresses: waits until no IPv6 address of the link is tentative; a DAD failure is an
   * error.
   */
  static void settle(Netlink nl, int index) {
    long deadline = System.nanoTime() + DAD_SETTLE_MILLIS * 1_000_000L;
    while (true) {
      List<Address> addrs = nl.addrList(index, Family.V6);
      boolean tentative = false;
      for (Address a : addrs) {
        if (a.isDadFailed()) {
          throw new IllegalStateException(
              "link " + index + " has address " + a.net() + " in DADFAILED state");
        }
        tentative |= a.isTentative() && a.scope() == 0;
      }
      if (!tentative) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "link " + index + " still has tentative addresses after 5s");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for IPv6 DAD");
      }
    }
  }
}
