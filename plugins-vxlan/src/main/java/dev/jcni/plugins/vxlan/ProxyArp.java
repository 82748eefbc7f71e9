package dev.jcni.plugins.vxlan;

import dev.jcni.netlink.Link;
import dev.jcni.netlink.Netlink;
import dev.jcni.spec.Result;
import dev.jcni.spec.net.Cidr;
import dev.jcni.system.Sysctl;
import java.util.ArrayList;
import java.util.List;

/**
 * Pods whose prefix is wider than the node subnet (the tutorial's layout: one cluster-wide {@code
 * 10.40.0.0/16} in host-local, each node allocating its own slice with rangeStart/rangeEnd) treat
 * remote pods as on-link and ARP for them on the bridge. With proxy ARP on the bridge the node
 * answers for every address it routes elsewhere, i.e. through the VTEP, so such pods reach other
 * nodes without a route of their own (and bridge's ipMasq, which exempts the pod prefix, leaves
 * cross-node traffic unmasqueraded).
 */
final class ProxyArp {
  private ProxyArp() {}

  /**
   * True when some IPv4 address of the result has a prefix that strictly contains {@code
   * nodeSubnet}.
   */
  static boolean needed(Cidr nodeSubnet, List<Result.IpConfig> ips) {
    for (Result.IpConfig ip : ips) {
      Cidr c = ip.address();
      if (c.isIpv4() && c.prefixLength() < nodeSubnet.prefixLength() && c.overlaps(nodeSubnet)) {
        return true;
      }
    }
    return false;
  }

  /** Host-side interfaces of the result (no sandbox) that are bridges. */
  static List<String> bridges(Netlink nl, Result prev) {
    List<String> out = new ArrayList<>();
    for (Result.Interface i : prev.interfaces()) {
      if ((i.sandbox() == null || i.sandbox().isEmpty())
          && i.name() != null
          && !out.contains(i.name())) {
        nl.linkGet(i.name())
            .map(Link::kind)
            .filter("bridge"::equals)
            .ifPresent(k -> out.add(i.name()));
      }
    }
    return out;
  }

  /**
   * Turns proxy ARP on for the result's bridge(s) when {@link #needed}; in the caller's namespace.
   */
  static void ensure(VxlanConfig cfg, Result prev) {
    if (prev == null || !needed(cfg.nodeSubnet(), prev.ips())) {
      return;
    }
    try (Netlink nl = Netlink.open()) {
      for (String br : bridges(nl, prev)) {
        String key = "net/ipv4/conf/" + br + "/proxy_arp";
        if (!"1".equals(Sysctl.get(key))) {
          Sysctl.set(key, "1");
        }
      }
    }
  }
}
