package dev.jcni.plugins.meta.portmap;

import static dev.jcni.plugins.meta.portmap.Names.NFT_FAMILY;

import dev.jcni.plugins.common.firewall.Conditions;
import dev.jcni.plugins.common.firewall.FwValues;
import dev.jcni.plugins.common.firewall.NftScript;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The nftables layout: one {@code inet} table per container, {@code jcni_hp_<net>_<container>},
 * holding its own NAT base chains:
 *
 * <pre>
 * table inet jcni_hp_NNNNNNNN_CCCCCCCCCCCCCCCC {
 *   comment "jcni-portmap net: NET id: CID"
 *   chain prerouting  { type nat hook prerouting priority dstnat;  fib daddr type local jump hostports }
 *   chain output      { type nat hook output priority -100;        fib daddr type local jump hostports }
 *   chain postrouting { type nat hook postrouting priority srcnat; (hairpin / localhost masquerade) }
 *   chain hostports   { meta nfproto ipv4 [ip daddr HOSTIP] tcp dport H [conditionsV4] dnat ip to POD:C ... }
 * }
 * </pre>
 *
 * ADD replaces the table in one transaction; DEL is {@code add table; delete table} (idempotent,
 * needs nothing but the container ID, no read); GC lists tables and deletes the network's tables of
 * containers no longer valid. No table is shared, so no container's change can disturb another's,
 * and conditions stay per container (Go's nft backend applies the last ADD's conditions to every
 * container).
 */
public final class NftPortmap {
  private NftPortmap() {}

  /** The ADD transaction. */
  public static NftScript add(
      String network, String containerId, PortMapConfig c, PodAddresses pod) {
    String t = Names.table(network, containerId);
    NftScript s =
        new NftScript()
            .replaceTable(NFT_FAMILY, t, Names.comment(network, containerId))
            .addBaseChain(NFT_FAMILY, t, "prerouting", "nat", "prerouting", "dstnat")
            .addBaseChain(NFT_FAMILY, t, "output", "nat", "output", "-100")
            .addBaseChain(NFT_FAMILY, t, "postrouting", "nat", "postrouting", "srcnat")
            .addChain(NFT_FAMILY, t, "hostports");
    s.addRule(
        NFT_FAMILY,
        t,
        "prerouting",
        new NftScript.Rule().kw("fib", "daddr", "type", "local", "jump").name("hostports"));
    s.addRule(
        NFT_FAMILY,
        t,
        "output",
        new NftScript.Rule().kw("fib", "daddr", "type", "local", "jump").name("hostports"));
    family(s, t, c, pod.v4(), false, c.conditionsV4());
    family(s, t, c, pod.v6(), true, c.conditionsV6());
    return s;
  }

  private static void family(
      NftScript s, String t, PortMapConfig c, FwValues.Cidr pod, boolean v6, Conditions cond) {
    if (pod == null) {
      return;
    }
    String ip = v6 ? "ip6" : "ip";
    Set<String> masqDone = new LinkedHashSet<>();
    for (PortMapping m : c.mappings()) {
      if (!m.appliesTo(v6)) {
        continue;
      }
      NftScript.Rule r = new NftScript.Rule().kw("meta", "nfproto", v6 ? "ipv6" : "ipv4");
      if (m.hostIp() != null) {
        r.kw(ip, "daddr").addr(m.hostIp());
      }
      r.kw(m.protocol(), "dport")
          .num(m.hostPort())
          .conditions(cond)
          .kw("dnat", ip, "to")
          .hostPort(pod.address(), m.containerPort());
      s.addRule(NFT_FAMILY, t, "hostports", r);
      if (!c.snat() || !masqDone.add(m.protocol() + "/" + m.containerPort() + "/" + m.hostPort())) {
        continue;
      }
      // Masquerade what we DNATed to the pod when the reply would otherwise bypass the node: from
      // the pod
      // subnet (hairpin), from localhost (v4 only; ::1 cannot be routed off the node), or from
      // anywhere.
      List<FwValues.Cidr> sources = new ArrayList<>();
      if (!c.masqAll()) {
        sources.add(new FwValues.Cidr(pod.network(), pod.prefix()));
        if (!v6) {
          sources.add(FwValues.cidr("127.0.0.1", "localhost"));
        }
      } else {
        sources.add(null);
      }
      for (FwValues.Cidr src : sources) {
        NftScript.Rule mr = new NftScript.Rule();
        if (src != null) {
          mr.kw(ip, "saddr").cidr(src);
        } else {
          mr.kw("meta", "nfproto", v6 ? "ipv6" : "ipv4");
        }
        mr.kw(ip, "daddr")
            .addr(pod.address())
            .kw(m.protocol(), "dport")
            .num(m.containerPort())
            .kw("ct", "status", "dnat", "ct", "original", "proto-dst")
            .num(m.hostPort())
            .kw("masquerade");
        s.addRule(NFT_FAMILY, t, "postrouting", mr);
      }
    }
  }

  /** The DEL transaction: drops the container's table if present. */
  public static NftScript del(String network, String containerId) {
    return new NftScript().deleteTableIfExists(NFT_FAMILY, Names.table(network, containerId));
  }

  /**
   * The GC transaction: every {@code inet} table of this network whose container is not in {@code
   * keep}.
   *
   * @param existing tables as listed ({@code family name})
   * @param keepContainerIds container IDs of valid attachments
   */
  public static NftScript gc(
      String network,
      Collection<dev.jcni.plugins.common.firewall.Firewall.NftTableRef> existing,
      Collection<String> keepContainerIds) {
    String prefix = Names.tablePrefix(network);
    Set<String> keep = new LinkedHashSet<>();
    for (String id : keepContainerIds) {
      keep.add(Names.table(network, id));
    }
    NftScript s = new NftScript();
    for (var t : existing) {
      if (t.family().equals(NFT_FAMILY)
          && t.name().startsWith(prefix)
          && !keep.contains(t.name())) {
        s.deleteTableIfExists(NFT_FAMILY, t.name());
      }
    }
    return s;
  }

  /**
   * What CHECK misses in a listing of the container's table ({@code nft list table}): one line per
   * missing DNAT.
   */
  public static List<String> missing(String listing, PortMapConfig c, PodAddresses pod) {
    List<String> out = new ArrayList<>();
    for (FwValues.Cidr a : new FwValues.Cidr[] {pod.v4(), pod.v6()}) {
      if (a == null) {
        continue;
      }
      boolean v6 = a.family() == dev.jcni.plugins.common.firewall.IpFamily.V6;
      for (PortMapping m : c.mappings()) {
        if (!m.appliesTo(v6)) {
          continue;
        }
        String want = m.protocol() + " dport " + m.hostPort() + " ";
        String to =
            "dnat "
                + (v6 ? "ip6" : "ip")
                + " to "
                + FwValues.hostPort(a.address(), m.containerPort());
        boolean found = false;
        for (String l : listing.split("\n")) {
          found |= l.contains(want) && l.contains(to);
        }
        if (!found) {
          out.add(want + "-> " + FwValues.hostPort(a.address(), m.containerPort()));
        }
      }
    }
    return out;
  }
}
