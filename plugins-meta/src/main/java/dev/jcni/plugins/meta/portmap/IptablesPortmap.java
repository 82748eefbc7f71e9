package dev.jcni.plugins.meta.portmap;

import static dev.jcni.plugins.meta.portmap.Names.DNAT_CHAIN;
import static dev.jcni.plugins.meta.portmap.Names.MASQ_CHAIN;

import dev.jcni.plugins.common.firewall.FwValues;
import dev.jcni.plugins.common.firewall.IpFamily;
import dev.jcni.plugins.common.firewall.IptablesScript;
import dev.jcni.plugins.common.firewall.IptablesState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The iptables layout (table {@code nat}), Go's design under our own names so both plugins coexist:
 *
 * <pre>
 * PREROUTING / OUTPUT : -m addrtype --dst-type LOCAL -j JCNI-HOSTPORT-DNAT                  (shared, kept)
 * JCNI-HOSTPORT-DNAT  : -p tcp -m multiport --dports H1,H2 -m comment --comment "jcni-portmap net: N id: C"
 *                       [conditions] -j JCNI-DN-&lt;hash(net,id)&gt;                           (one per container)
 * JCNI-DN-&lt;hash&gt;       : -s POD_SUBNET [-d HOSTIP] -p tcp -m tcp --dport H -j MARK --set-xmark BIT/BIT  (hairpin)
 *                       -s 127.0.0.1 [-d HOSTIP] -p tcp -m tcp --dport H -j MARK ...       (v4 localhost)
 *                       [-d HOSTIP] -p tcp -m tcp --dport H -j DNAT --to-destination POD:C
 * POSTROUTING         : -m comment --comment "jcni-portmap masquerade" -j JCNI-HOSTPORT-MASQ  (shared, first)
 * JCNI-HOSTPORT-MASQ  : -m mark --mark BIT/BIT -j MASQUERADE                               (one per bit in use)
 * </pre>
 *
 * With {@code externalSetMarkChain} the MARK rules jump to that chain instead and no masquerade
 * chain is made. Each transaction is built from a fresh {@code iptables-save} (held under a lock):
 * shared chains are declared only when missing (declaring flushes), and a container's old entries
 * are removed before new ones are added.
 */
public final class IptablesPortmap {
  private IptablesPortmap() {}

  static final String NAT = "nat";
  private static final int MULTIPORT_MAX = 15;

  /** The ADD transaction for one family. */
  public static IptablesScript add(
      IpFamily f,
      String network,
      String containerId,
      PortMapConfig c,
      FwValues.Cidr pod,
      IptablesState st) {
    boolean v6 = f == IpFamily.V6;
    String dn = Names.dnChain(network, containerId);
    IptablesScript s = new IptablesScript();
    ensureShared(s, c, st);
    // Replace: drop this container's old entries; declaring its own chain flushes it.
    for (IptablesState.SavedRule r : st.rules(NAT, DNAT_CHAIN)) {
      if (dn.equals(r.target())) {
        s.deleteSaved(NAT, r);
      }
    }
    s.declareChain(NAT, dn);
    Map<String, List<Integer>> portsByProto = new LinkedHashMap<>();
    for (PortMapping m : c.mappings()) {
      if (!m.appliesTo(v6)) {
        continue;
      }
      List<Integer> ports = portsByProto.get(m.protocol());
      if (ports == null) {
        ports = new ArrayList<>();
        portsByProto.put(m.protocol(), ports);
      }
      if (!ports.contains(m.hostPort())) {
        ports.add(m.hostPort());
      }
      if (c.snat()) {
        List<FwValues.Cidr> sources = new ArrayList<>();
        if (c.masqAll()) {
          sources.add(v6 ? FwValues.cidr("::/0", "any") : FwValues.cidr("0.0.0.0/0", "any"));
        } else {
          sources.add(pod);
          if (!v6) {
            sources.add(FwValues.cidr("127.0.0.1/32", "localhost"));
          }
        }
        for (FwValues.Cidr src : sources) {
          IptablesScript.Rule r = new IptablesScript.Rule().opt("-s").cidr(src);
          match(r, m);
          if (c.externalSetMarkChain() != null) {
            r.opt("-j").chain(c.externalSetMarkChain());
          } else {
            long bit = 1L << c.markMasqBit();
            r.opt("-j", "MARK", "--set-xmark", mark(bit));
          }
          s.append(NAT, dn, r);
        }
      }
      IptablesScript.Rule r = new IptablesScript.Rule();
      match(r, m);
      r.opt("-j", "DNAT", "--to-destination").hostPort(pod.address(), m.containerPort());
      s.append(NAT, dn, r);
    }
    String comment = Names.comment(network, containerId);
    var cond = v6 ? c.conditionsV6() : c.conditionsV4();
    for (Map.Entry<String, List<Integer>> e : portsByProto.entrySet()) {
      List<Integer> ports = e.getValue();
      for (int i = 0; i < ports.size(); i += MULTIPORT_MAX) {
        StringBuilder list = new StringBuilder();
        for (int p : ports.subList(i, Math.min(ports.size(), i + MULTIPORT_MAX))) {
          list.append(list.length() == 0 ? "" : ",").append(p);
        }
        s.append(
            NAT,
            DNAT_CHAIN,
            new IptablesScript.Rule()
                .opt("-p", e.getKey(), "-m", "multiport", "--dports", list.toString())
                .comment(comment)
                .conditions(cond)
                .opt("-j")
                .chain(dn));
      }
    }
    return s;
  }

  private static void match(IptablesScript.Rule r, PortMapping m) {
    if (m.hostIp() != null) {
      r.opt("-d").addr(m.hostIp());
    }
    r.opt("-p", m.protocol(), "-m", m.protocol(), "--dport").num(m.hostPort());
  }

  private static String mark(long bit) {
    return "0x" + Long.toHexString(bit) + "/0x" + Long.toHexString(bit);
  }

  private static void ensureShared(IptablesScript s, PortMapConfig c, IptablesState st) {
    if (!st.hasChain(NAT, DNAT_CHAIN)) {
      s.declareChain(NAT, DNAT_CHAIN);
    }
    for (String builtin : new String[] {"PREROUTING", "OUTPUT"}) {
      if (!jumps(st, builtin, DNAT_CHAIN)) {
        s.append(
            NAT,
            builtin,
            new IptablesScript.Rule()
                .opt("-m", "addrtype", "--dst-type", "LOCAL")
                .comment(Names.COMMENT_PREFIX + " hostports")
                .opt("-j")
                .chain(DNAT_CHAIN));
      }
    }
    if (!c.snat() || c.externalSetMarkChain() != null) {
      return;
    }
    if (!st.hasChain(NAT, MASQ_CHAIN)) {
      s.declareChain(NAT, MASQ_CHAIN);
    }
    if (!jumps(st, "POSTROUTING", MASQ_CHAIN)) {
      s.insert(
          NAT,
          "POSTROUTING",
          1,
          new IptablesScript.Rule()
              .comment(Names.COMMENT_PREFIX + " masquerade")
              .opt("-j")
              .chain(MASQ_CHAIN));
    }
    String m = " --mark " + mark(1L << c.markMasqBit()) + " ";
    boolean have = false;
    for (IptablesState.SavedRule r : st.rules(NAT, MASQ_CHAIN)) {
      have |= (" " + r.spec() + " ").contains(m) && "MASQUERADE".equals(r.target());
    }
    if (!have) {
      s.append(
          NAT,
          MASQ_CHAIN,
          new IptablesScript.Rule()
              .opt("-m", "mark", "--mark", mark(1L << c.markMasqBit()), "-j", "MASQUERADE"));
    }
  }

  private static boolean jumps(IptablesState st, String from, String to) {
    for (IptablesState.SavedRule r : st.rules(NAT, from)) {
      if (to.equals(r.target())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The DEL transaction for one family: the container's entries and chain; empty when nothing is
   * there.
   */
  public static IptablesScript del(String network, String containerId, IptablesState st) {
    return remove(Set.of(Names.dnChain(network, containerId)), st);
  }

  private static IptablesScript remove(Set<String> chains, IptablesState st) {
    IptablesScript s = new IptablesScript();
    for (IptablesState.SavedRule r : st.rules(NAT, DNAT_CHAIN)) {
      if (chains.contains(r.target())) {
        s.deleteSaved(NAT, r);
      }
    }
    for (String ch : chains) {
      if (st.hasChain(NAT, ch)) {
        s.flushChain(NAT, ch).deleteChain(NAT, ch);
      }
    }
    return s;
  }

  /**
   * The GC transaction for one family: containers of this network (found by the entry comments)
   * that are not in {@code keepContainerIds}.
   */
  public static IptablesScript gc(
      String network, Collection<String> keepContainerIds, IptablesState st) {
    Set<String> keep = new LinkedHashSet<>();
    for (String id : keepContainerIds) {
      keep.add(Names.dnChain(network, id));
    }
    String prefix = Names.netPrefix(network);
    Set<String> stale = new LinkedHashSet<>();
    for (IptablesState.SavedRule r : st.rules(NAT, DNAT_CHAIN)) {
      String comment = r.comment();
      String target = r.target();
      if (comment != null
          && comment.startsWith(prefix)
          && target != null
          && target.startsWith(Names.DN_PREFIX)
          && !keep.contains(target)) {
        stale.add(target);
      }
    }
    return remove(stale, st);
  }

  /** What CHECK misses for one family, one line per missing piece. */
  public static List<String> missing(
      IpFamily f,
      String network,
      String containerId,
      PortMapConfig c,
      FwValues.Cidr pod,
      IptablesState st) {
    boolean v6 = f == IpFamily.V6;
    String dn = Names.dnChain(network, containerId);
    List<String> out = new ArrayList<>();
    if (!st.hasChain(NAT, dn)) {
      out.add(f.iptables() + " chain " + dn);
      return out;
    }
    if (!jumps(st, DNAT_CHAIN, dn)) {
      out.add(f.iptables() + " entry rule " + DNAT_CHAIN + " -> " + dn);
    }
    if (!jumps(st, "PREROUTING", DNAT_CHAIN) || !jumps(st, "OUTPUT", DNAT_CHAIN)) {
      out.add(f.iptables() + " jump to " + DNAT_CHAIN + " from PREROUTING/OUTPUT");
    }
    for (PortMapping m : c.mappings()) {
      if (!m.appliesTo(v6)) {
        continue;
      }
      String to = "--to-destination " + FwValues.hostPort(pod.address(), m.containerPort());
      String port = "--dport " + m.hostPort() + " ";
      boolean found = false;
      for (IptablesState.SavedRule r : st.rules(NAT, dn)) {
        found |= (r.spec() + " ").contains(port) && (r.spec() + " ").contains(to + " ");
      }
      if (!found) {
        out.add(
            f.iptables()
                + " DNAT "
                + m.protocol()
                + " "
                + m.hostPort()
                + " -> "
                + FwValues.hostPort(pod.address(), m.containerPort()));
      }
    }
    return out;
  }
}
