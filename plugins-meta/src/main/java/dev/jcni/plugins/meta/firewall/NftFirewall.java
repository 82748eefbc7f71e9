package dev.jcni.plugins.meta.firewall;

import static dev.jcni.plugins.meta.firewall.Names.NFT_BRIDGES;
import static dev.jcni.plugins.meta.firewall.Names.NFT_FAMILY;
import static dev.jcni.plugins.meta.firewall.Names.NFT_FORWARD;
import static dev.jcni.plugins.meta.firewall.Names.NFT_ISOLATION;
import static dev.jcni.plugins.meta.firewall.Names.NFT_TABLE;

import dev.jcni.plugins.common.firewall.FwValues;
import dev.jcni.plugins.common.firewall.IpFamily;
import dev.jcni.plugins.common.firewall.NftScript;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The nftables layout: one shared table of ours,
 *
 * <pre>
 * table inet jcni_firewall {
 *   set isolated_bridges { type ifname; }                    bridges with ingressPolicy same-bridge/isolated
 *   map isolation { type ifname : verdict; }                 bridge -> jump iso_&lt;hash(bridge)&gt;
 *   chain forward { type filter hook forward priority filter; (policy: accept when we create it; kept after)
 *     iifname vmap @isolation                                first: isolation drops are final
 *     jump CNI-ADMIN                                         the admin's overrides (iptablesAdminChainName)
 *     ip daddr POD ct state established,related accept comment "jcni-fw net: N id: C if: I"
 *     ip saddr POD accept comment "jcni-fw net: N id: C if: I"
 *   }
 *   chain CNI-ADMIN { }                                      never written after creation
 *   chain iso_&lt;hash&gt; { oifname != "BR" oifname @isolated_bridges drop }   (isolated: without the != match)
 * }
 * </pre>
 *
 * An nft {@code accept} ends only its own base chain: other tables hooked at forward still see the
 * packet, so these rules admit pods against a {@code drop} policy set on {@code inet jcni_firewall
 * forward} (which the plugin never changes once the chain exists), not against a drop in someone
 * else's table. A drop is final in any table, so isolation works whatever else is loaded.
 *
 * <p>Every write is one {@code nft -f} transaction built from a listing taken under a lock: ADD
 * adds the skeleton pieces that are missing, deletes the attachment's old rules by handle and
 * appends the new ones; DEL and GC delete rules by handle, chosen by comment.
 */
final class NftFirewall {
  private NftFirewall() {}

  private static final Pattern CHAIN = Pattern.compile("^\\s*chain (\\S+) \\{");
  private static final Pattern HANDLE = Pattern.compile("^\\s*(.*?)\\s*# handle (\\d+)\\s*$");
  private static final Pattern COMMENT = Pattern.compile(" comment \"([^\"]*)\"");

  /** One rule of a {@code nft -a list table} listing. */
  record Listed(String chain, String text, String comment, long handle) {}

  /** The rules of a listing (the table's and chains' own handle lines are skipped). */
  static List<Listed> parse(String listing) {
    List<Listed> out = new ArrayList<>();
    String chain = null;
    for (String line : listing.split("\n")) {
      Matcher ch = CHAIN.matcher(line);
      if (ch.find()) {
        chain = ch.group(1);
        continue;
      }
      Matcher h = HANDLE.matcher(line);
      if (chain == null || !h.matches() || h.group(1).endsWith("{")) {
        continue; // not in a chain yet, no handle, or the opening line of a table, set or map
      }
      String text = h.group(1);
      Matcher cm = COMMENT.matcher(text);
      out.add(new Listed(chain, text, cm.find() ? cm.group(1) : null, Long.parseLong(h.group(2))));
    }
    return out;
  }

  /**
   * ADD: the missing skeleton, the attachment's old rules out, its rules (and its bridge's
   * isolation) in.
   */
  static NftScript add(
      FirewallConfig c, String comment, List<FwValues.Cidr> ips, String bridge, String listing) {
    List<Listed> rules = listing == null ? List.of() : parse(listing);
    NftScript s = new NftScript();
    if (listing == null) {
      s.addTable(NFT_FAMILY, NFT_TABLE, "jcni firewall plugin");
    } else {
      s.addTable(NFT_FAMILY, NFT_TABLE);
    }
    s.addSet(NFT_FAMILY, NFT_TABLE, NFT_BRIDGES, "ifname")
        .addVerdictMap(NFT_FAMILY, NFT_TABLE, NFT_ISOLATION, "ifname")
        .addChain(NFT_FAMILY, NFT_TABLE, c.adminChain())
        .addBaseChainKeepPolicy(NFT_FAMILY, NFT_TABLE, NFT_FORWARD, "filter", "forward", "filter");
    Listed vmap = find(rules, vmapRule().toString());
    if (find(rules, adminJump(c).toString()) == null) {
      if (vmap != null) {
        s.addRuleAfter(NFT_FAMILY, NFT_TABLE, NFT_FORWARD, vmap.handle(), adminJump(c));
      } else {
        s.insertRule(NFT_FAMILY, NFT_TABLE, NFT_FORWARD, adminJump(c));
      }
    }
    if (vmap == null) {
      s.insertRule(NFT_FAMILY, NFT_TABLE, NFT_FORWARD, vmapRule());
    }
    for (Listed r : rules) {
      if (comment.equals(r.comment())) {
        s.deleteRule(NFT_FAMILY, NFT_TABLE, r.chain(), r.handle());
      }
    }
    for (FwValues.Cidr ip : ips) {
      for (NftScript.Rule r : podRules(ip, comment)) {
        s.addRule(NFT_FAMILY, NFT_TABLE, NFT_FORWARD, r);
      }
    }
    if (c.ingressPolicy() != IngressPolicy.OPEN) {
      String iso = Names.isoChain(bridge);
      NftScript.Rule drop = new NftScript.Rule().kw("oifname");
      if (c.ingressPolicy() == IngressPolicy.SAME_BRIDGE) {
        drop.kw("!=").ifname(bridge).kw("oifname");
      }
      drop.setRef(NFT_BRIDGES).kw("drop").comment(Names.policyComment(c.ingressPolicy()));
      s.addChain(NFT_FAMILY, NFT_TABLE, iso)
          .flushChain(NFT_FAMILY, NFT_TABLE, iso)
          .addRule(NFT_FAMILY, NFT_TABLE, iso, drop)
          .addElement(NFT_FAMILY, NFT_TABLE, NFT_BRIDGES, new NftScript.Rule().ifname(bridge))
          .addElement(
              NFT_FAMILY,
              NFT_TABLE,
              NFT_ISOLATION,
              new NftScript.Rule().ifname(bridge).kw(":", "jump").name(iso));
    }
    return s;
  }

  static NftScript.Rule vmapRule() {
    return new NftScript.Rule().kw("iifname", "vmap").setRef(NFT_ISOLATION);
  }

  static NftScript.Rule adminJump(FirewallConfig c) {
    return new NftScript.Rule().kw("jump").name(c.adminChain());
  }

  /** The pod's two rules for one address, written as nft prints them back. */
  static List<NftScript.Rule> podRules(FwValues.Cidr ip, String comment) {
    String fam = ip.family() == IpFamily.V6 ? "ip6" : "ip";
    return List.of(
        new NftScript.Rule()
            .kw(fam, "daddr")
            .addr(ip.address())
            .kw("ct", "state", "established", ",", "related", "accept")
            .comment(comment),
        new NftScript.Rule().kw(fam, "saddr").addr(ip.address()).kw("accept").comment(comment));
  }

  /**
   * The text nft lists for a rule built by {@link #podRules} (the list separator printed without
   * spaces).
   */
  static String listed(NftScript.Rule r) {
    return r.toString().replace(" , ", ",");
  }

  private static Listed find(List<Listed> rules, String text) {
    for (Listed r : rules) {
      if (r.chain().equals(NFT_FORWARD) && r.text().equals(text)) {
        return r;
      }
    }
    return null;
  }

  /**
   * DEL: every rule carrying the attachment's comment. Empty when the table or the rules are
   * absent.
   */
  static NftScript del(String comment, String listing) {
    NftScript s = new NftScript();
    if (listing != null) {
      for (Listed r : parse(listing)) {
        if (comment.equals(r.comment())) {
          s.deleteRule(NFT_FAMILY, NFT_TABLE, r.chain(), r.handle());
        }
      }
    }
    return s;
  }

  /** GC: rules of this network whose comment is not one of {@code keep}. */
  static NftScript gc(String netPrefix, Set<String> keep, String listing) {
    NftScript s = new NftScript();
    if (listing != null) {
      for (Listed r : parse(listing)) {
        String cm = r.comment();
        if (cm != null && cm.startsWith(netPrefix) && !keep.contains(cm)) {
          s.deleteRule(NFT_FAMILY, NFT_TABLE, r.chain(), r.handle());
        }
      }
    }
    return s;
  }

  /** What CHECK misses, one line per missing piece. */
  static List<String> missing(
      FirewallConfig c,
      String comment,
      Collection<FwValues.Cidr> ips,
      String bridge,
      String listing) {
    List<String> out = new ArrayList<>();
    if (listing == null) {
      out.add("nftables table " + NFT_FAMILY + " " + NFT_TABLE);
      return out;
    }
    List<Listed> rules = parse(listing);
    if (find(rules, adminJump(c).toString()) == null) {
      out.add("nft rule " + NFT_FORWARD + ": " + adminJump(c));
    }
    for (FwValues.Cidr ip : ips) {
      for (NftScript.Rule r : podRules(ip, comment)) {
        if (find(rules, listed(r)) == null) {
          out.add("nft rule " + NFT_FORWARD + ": " + listed(r));
        }
      }
    }
    if (c.ingressPolicy() != IngressPolicy.OPEN) {
      if (find(rules, vmapRule().toString()) == null) {
        out.add("nft rule " + NFT_FORWARD + ": " + vmapRule());
      }
      String iso = Names.isoChain(bridge);
      boolean found = false;
      for (Listed r : rules) {
        found |= r.chain().equals(iso) && r.text().contains(" drop");
      }
      if (!found || !listing.contains("\"" + bridge + "\" : jump " + iso)) {
        out.add("nft isolation of bridge " + bridge);
      }
    }
    return out;
  }
}
