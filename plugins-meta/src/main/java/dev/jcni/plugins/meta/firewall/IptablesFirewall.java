package dev.jcni.plugins.meta.firewall;

import static dev.jcni.plugins.meta.firewall.Names.FILTER;
import static dev.jcni.plugins.meta.firewall.Names.FORWARD;
import static dev.jcni.plugins.meta.firewall.Names.PRIV_CHAIN;
import static dev.jcni.plugins.meta.firewall.Names.STAGE1;
import static dev.jcni.plugins.meta.firewall.Names.STAGE2;

import dev.jcni.plugins.common.firewall.FwValues;
import dev.jcni.plugins.common.firewall.IpFamily;
import dev.jcni.plugins.common.firewall.IptablesScript;
import dev.jcni.plugins.common.firewall.IptablesState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The iptables layout (table {@code filter}): Go's chains, with the pod's rules marked by our
 * comment.
 *
 * <pre>
 * FORWARD               : -m comment --comment "CNI firewall plugin rules (ingressPolicy: same-bridge)"
 *                           -j CNI-ISOLATION-STAGE-1                         (shared, same-bridge/isolated only)
 *                         -m comment --comment "CNI firewall plugin rules" -j CNI-FORWARD           (shared)
 * CNI-FORWARD           : -m comment --comment "CNI firewall plugin admin overrides" -j CNI-ADMIN  (shared, first)
 *                         -d POD/32 -m conntrack --ctstate RELATED,ESTABLISHED
 *                           -m comment --comment "jcni-fw net: N id: C if: I" -j ACCEPT        (per attachment)
 *                         -s POD/32 -m comment --comment "jcni-fw net: N id: C if: I" -j ACCEPT
 * CNI-ISOLATION-STAGE-1 : -i BR ! -o BR -m comment --comment "..." -j CNI-ISOLATION-STAGE-2  (per bridge), RETURN
 * CNI-ISOLATION-STAGE-2 : -o BR -m comment --comment "..." -j DROP                           (per bridge), RETURN
 * </pre>
 *
 * The shared rules are Go's, byte for byte: with Go's firewall plugin on the same node each side
 * finds the other's shared rules and adds no duplicate. Go deletes its pod rules by their exact
 * text (no comment), we delete ours by comment, so neither DEL touches the other's pod rules.
 * Shared chains are created with {@code -N}, which fails (and the transaction with it) if someone
 * created them since our read, never with a declaration, which would flush them. Nothing shared is
 * ever removed, as in Go: the admin chain is the admin's, and the isolation rules of a bridge may
 * serve other pods.
 */
final class IptablesFirewall {
  private IptablesFirewall() {}

  /**
   * ADD for one family: missing shared pieces, then the attachment's old rules out and its new
   * rules in.
   */
  static IptablesScript add(
      FirewallConfig c, String comment, List<FwValues.Cidr> ips, String bridge, IptablesState st) {
    IptablesScript s = new IptablesScript();
    if (!st.hasChain(FILTER, PRIV_CHAIN)) {
      s.newChain(FILTER, PRIV_CHAIN);
    }
    if (!st.hasChain(FILTER, c.adminChain())) {
      s.newChain(FILTER, c.adminChain());
    }
    if (find(st, FORWARD, filterJump()) < 0) {
      // first, or right after the isolation jump, which must see packets before CNI-FORWARD accepts
      // them
      int iso = -1;
      List<IptablesState.SavedRule> fwd = st.rules(FILTER, FORWARD);
      for (int i = 0; i < fwd.size(); i++) {
        if (STAGE1.equals(fwd.get(i).target())) {
          iso = i;
        }
      }
      s.insert(FILTER, FORWARD, iso + 2, filterJump());
    }
    if (find(st, PRIV_CHAIN, adminJump(c)) < 0) {
      s.insert(FILTER, PRIV_CHAIN, 1, adminJump(c));
    }
    for (IptablesState.SavedRule r : st.rules(FILTER, PRIV_CHAIN)) {
      if (comment.equals(r.comment())) {
        s.deleteSaved(FILTER, r);
      }
    }
    for (FwValues.Cidr ip : ips) {
      for (IptablesScript.Rule r : podRules(ip, comment)) {
        s.append(FILTER, PRIV_CHAIN, r);
      }
    }
    if (c.ingressPolicy() != IngressPolicy.OPEN) {
      isolation(s, c.ingressPolicy(), bridge, st);
    }
    return s;
  }

  /**
   * Go's setupIsolationChains: each rule inserted (or appended) only when its exact text is
   * missing.
   */
  private static void isolation(
      IptablesScript s, IngressPolicy p, String bridge, IptablesState st) {
    String comment = Names.policyComment(IngressPolicy.SAME_BRIDGE);
    for (String ch : new String[] {STAGE1, STAGE2}) {
      if (!st.hasChain(FILTER, ch)) {
        s.newChain(FILTER, ch);
      }
    }
    IptablesScript.Rule jump = new IptablesScript.Rule().comment(comment).opt("-j").chain(STAGE1);
    if (find(st, FORWARD, jump) < 0) {
      s.insert(FILTER, FORWARD, 1, jump);
    }
    IptablesScript.Rule stage1 =
        new IptablesScript.Rule()
            .opt("-i")
            .ifname(bridge)
            .opt("!", "-o")
            .ifname(bridge)
            .comment(comment)
            .opt("-j")
            .chain(STAGE2);
    if (find(st, STAGE1, stage1) < 0) {
      s.insert(FILTER, STAGE1, 1, stage1);
    }
    if (p == IngressPolicy.ISOLATED) {
      IptablesScript.Rule drop =
          new IptablesScript.Rule()
              .opt("-i")
              .ifname(bridge)
              .opt("-o")
              .ifname(bridge)
              .comment(Names.policyComment(IngressPolicy.ISOLATED))
              .opt("-j", "DROP");
      if (find(st, STAGE1, drop) < 0) {
        s.insert(FILTER, STAGE1, 1, drop);
      }
    }
    IptablesScript.Rule ret = new IptablesScript.Rule().comment(comment).opt("-j", "RETURN");
    if (find(st, STAGE1, ret) < 0) {
      s.append(FILTER, STAGE1, ret);
    }
    IptablesScript.Rule stage2 =
        new IptablesScript.Rule().opt("-o").ifname(bridge).comment(comment).opt("-j", "DROP");
    if (find(st, STAGE2, stage2) < 0) {
      s.insert(FILTER, STAGE2, 1, stage2);
    }
    if (find(st, STAGE2, ret) < 0) {
      s.append(FILTER, STAGE2, ret);
    }
  }

  /** The pod's two rules for one address (Go's, plus our comment). */
  static List<IptablesScript.Rule> podRules(FwValues.Cidr ip, String comment) {
    return List.of(
        new IptablesScript.Rule()
            .opt("-d")
            .cidr(ip)
            .opt("-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED")
            .comment(comment)
            .opt("-j", "ACCEPT"),
        new IptablesScript.Rule().opt("-s").cidr(ip).comment(comment).opt("-j", "ACCEPT"));
  }

  static IptablesScript.Rule filterJump() {
    return new IptablesScript.Rule().comment(Names.GO_FILTER_COMMENT).opt("-j").chain(PRIV_CHAIN);
  }

  static IptablesScript.Rule adminJump(FirewallConfig c) {
    return new IptablesScript.Rule()
        .comment(Names.GO_ADMIN_COMMENT)
        .opt("-j")
        .chain(c.adminChain());
  }

  /**
   * Index of the rule whose saved text is exactly {@code rule}'s (the order iptables-save prints),
   * or -1.
   */
  private static int find(IptablesState st, String chain, IptablesScript.Rule rule) {
    String want = rule.toString();
    List<IptablesState.SavedRule> rules = st.rules(FILTER, chain);
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).spec().equals(want)) {
        return i;
      }
    }
    return -1;
  }

  /** DEL for one family: every rule carrying the attachment's comment; empty when there is none. */
  static IptablesScript del(String comment, IptablesState st) {
    IptablesScript s = new IptablesScript();
    for (IptablesState.SavedRule r : st.rules(FILTER, PRIV_CHAIN)) {
      if (comment.equals(r.comment())) {
        s.deleteSaved(FILTER, r);
      }
    }
    return s;
  }

  /**
   * GC for one family: rules of this network whose attachment is not in {@code keep} (comments to
   * keep).
   */
  static IptablesScript gc(String netPrefix, Set<String> keep, IptablesState st) {
    IptablesScript s = new IptablesScript();
    for (IptablesState.SavedRule r : st.rules(FILTER, PRIV_CHAIN)) {
      String cm = r.comment();
      if (cm != null && cm.startsWith(netPrefix) && !keep.contains(cm)) {
        s.deleteSaved(FILTER, r);
      }
    }
    return s;
  }

  /** What CHECK misses for one family, one line per missing piece. */
  static List<String> missing(
      IpFamily f,
      FirewallConfig c,
      String comment,
      Collection<FwValues.Cidr> ips,
      String bridge,
      IptablesState st) {
    List<String> out = new ArrayList<>();
    String tool = f.iptables();
    for (String ch : new String[] {PRIV_CHAIN, c.adminChain()}) {
      if (!st.hasChain(FILTER, ch)) {
        out.add(tool + " chain " + ch);
      }
    }
    if (find(st, FORWARD, filterJump()) < 0) {
      out.add(tool + " FORWARD rule " + filterJump());
    }
    if (find(st, PRIV_CHAIN, adminJump(c)) < 0) {
      out.add(tool + " " + PRIV_CHAIN + " rule " + adminJump(c));
    }
    for (FwValues.Cidr ip : ips) {
      for (IptablesScript.Rule r : podRules(ip, comment)) {
        if (find(st, PRIV_CHAIN, r) < 0) {
          out.add(tool + " " + PRIV_CHAIN + " rule " + r);
        }
      }
    }
    if (c.ingressPolicy() != IngressPolicy.OPEN) {
      IptablesScript probe = new IptablesScript();
      isolation(probe, c.ingressPolicy(), bridge, st);
      if (!probe.isEmpty()) {
        out.add(tool + " isolation rules for bridge " + bridge);
      }
    }
    return out;
  }
}
