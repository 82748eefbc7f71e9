package dev.jcni.api;

import dev.jcni.spec.Result;
import dev.jcni.spec.net.Cidr;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One interface of a {@link Result} with the addresses and gateways that belong to it: what a
 * chained plugin looks up in prevResult for {@code CNI_IFNAME} (see {@link
 * Invocation#prevIface()}).
 *
 * @param index the interface's index in {@link Result#interfaces()}
 * @param iface the interface entry (name, mac, sandbox...)
 * @param addresses the addresses of the {@code ips} entries whose {@code interface} is {@code
 *     index}, in order
 * @param gateways the gateways of those entries (each address family's in order; entries without
 *     one skipped)
 */
public record ResultIface(
    int index, Result.Interface iface, List<Cidr> addresses, List<InetAddress> gateways) {
  public ResultIface {
    addresses = List.copyOf(addresses);
    gateways = List.copyOf(gateways);
  }

  /**
   * The interface named {@code ifname} in {@code result}: the one inside a sandbox (the container
   * side, as Go's plugins choose) when several carry the name, else the first of that name; empty
   * when none does.
   */
  public static Optional<ResultIface> find(Result result, String ifname) {
    List<Result.Interface> ifs = result.interfaces();
    int found = -1;
    for (int i = 0; i < ifs.size(); i++) {
      Result.Interface f = ifs.get(i);
      if (f.name() != null && f.name().equals(ifname)) {
        if (f.sandbox() != null && !f.sandbox().isEmpty()) {
          found = i;
          break;
        }
        if (found < 0) {
          found = i;
        }
      }
    }
    if (found < 0) {
      return Optional.empty();
    }
    List<Cidr> addrs = new ArrayList<>();
    List<InetAddress> gws = new ArrayList<>();
    for (Result.IpConfig ip : result.ips()) {
      if (ip.interfaceIndex() == null || ip.interfaceIndex() != found) {
        continue;
      }
      addrs.add(ip.address());
      if (ip.gateway() != null) {
        gws.add(ip.gateway());
      }
    }
    return Optional.of(new ResultIface(found, ifs.get(found), addrs, gws));
  }

  public String name() {
    return iface.name();
  }

  /** The MAC address as written in the result, or null. */
  public String mac() {
    return iface.mac();
  }

  /** The sandbox (netns path), or null for a host-side interface. */
  public String sandbox() {
    return iface.sandbox();
  }

  /** The first IPv4 address, if any. */
  public Optional<Cidr> ipv4() {
    return addresses.stream().filter(Cidr::isIpv4).findFirst();
  }

  /** The first IPv6 address, if any. */
  public Optional<Cidr> ipv6() {
    return addresses.stream().filter(c -> !c.isIpv4()).findFirst();
  }

  /** The first gateway of the given family (4 or 6), if any. */
  public Optional<InetAddress> gateway(int family) {
    return gateways.stream().filter(g -> (g.getAddress().length == 4) == (family == 4)).findFirst();
  }
}
