package dev.jcni.plugins.meta.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.plugins.common.firewall.FwValues;
import dev.jcni.plugins.common.firewall.IptablesState;
import dev.jcni.spec.json.Json;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Golden text of every transaction the plugin writes, from given firewall states (no root). */
class FirewallScriptsTest {
  static final String C = "jcni-fw net: n id: c1 if: eth0";
  static final List<FwValues.Cidr> V4 = List.of(FwValues.cidr("10.1.0.5/32", "t"));
  static final List<FwValues.Cidr> V6 = List.of(FwValues.cidr("fd00::5/128", "t"));

  static FirewallConfig conf(String json) {
    return FirewallConfig.parse(Json.parseObject(json));
  }

  @Test
  void iptablesAddOnAnEmptyNodeCreatesGosLayout() {
    IptablesState st =
        IptablesState.parse("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\nCOMMIT\n");
    assertThat(IptablesFirewall.add(conf("{}"), C, V4, null, st).toString())
        .isEqualTo(
            """
        *filter
        -N CNI-FORWARD
        -N CNI-ADMIN
        -I FORWARD 1 -m comment --comment "CNI firewall plugin rules" -j CNI-FORWARD
        -I CNI-FORWARD 1 -m comment --comment "CNI firewall plugin admin overrides" -j CNI-ADMIN
        -A CNI-FORWARD -d 10.1.0.5/32 -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment "%s" -j ACCEPT
        -A CNI-FORWARD -s 10.1.0.5/32 -m comment --comment "%s" -j ACCEPT
        COMMIT
        """
                .formatted(C, C));
  }

  /**
   * What Go's firewall v1.1.1 leaves after a same-bridge ADD (iptables-save), plus one old rule of
   * ours.
   */
  static final String GO_STATE =
      """
      *filter
      :INPUT ACCEPT [0:0]
      :FORWARD ACCEPT [0:0]
      :CNI-ADMIN - [0:0]
      :CNI-FORWARD - [0:0]
      :CNI-ISOLATION-STAGE-1 - [0:0]
      :CNI-ISOLATION-STAGE-2 - [0:0]
      -A FORWARD -m comment --comment "CNI firewall plugin rules (ingressPolicy: same-bridge)" -j CNI-ISOLATION-STAGE-1
      -A FORWARD -m comment --comment "CNI firewall plugin rules" -j CNI-FORWARD
      -A CNI-FORWARD -m comment --comment "CNI firewall plugin admin overrides" -j CNI-ADMIN
      -A CNI-FORWARD -d 10.1.0.9/32 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
      -A CNI-FORWARD -s 10.1.0.9/32 -j ACCEPT
      -A CNI-FORWARD -s fd00::7/128 -m comment --comment "jcni-fw net: n id: c1 if: eth0" -j ACCEPT
      -A CNI-FORWARD -s 10.1.0.8/32 -m comment --comment "jcni-fw net: n id: c2 if: eth0" -j ACCEPT
      -A CNI-FORWARD -s 10.1.0.6/32 -m comment --comment "jcni-fw net: other id: c3 if: eth0" -j ACCEPT
      -A CNI-ISOLATION-STAGE-1 -i cni0 ! -o cni0 -m comment --comment "CNI firewall plugin rules (ingressPolicy: same-bridge)" -j CNI-ISOLATION-STAGE-2
      -A CNI-ISOLATION-STAGE-1 -m comment --comment "CNI firewall plugin rules (ingressPolicy: same-bridge)" -j RETURN
      -A CNI-ISOLATION-STAGE-2 -o cni0 -m comment --comment "CNI firewall plugin rules (ingressPolicy: same-bridge)" -j DROP
      -A CNI-ISOLATION-STAGE-2 -m comment --comment "CNI firewall plugin rules (ingressPolicy: same-bridge)" -j RETURN
      COMMIT
      """;

  @Test
  void iptablesAddAfterGoAddsNoSharedRuleTwiceAndReplacesOurOldRules() {
    IptablesState st = IptablesState.parse(GO_STATE);
    String sb = "(ingressPolicy: same-bridge)";
    assertThat(
            IptablesFirewall.add(conf("{\"ingressPolicy\":\"same-bridge\"}"), C, V4, "cni0", st)
                .toString())
        .isEqualTo(
            """
        *filter
        -D CNI-FORWARD -s fd00::7/128 -m comment --comment "%s" -j ACCEPT
        -A CNI-FORWARD -d 10.1.0.5/32 -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment "%s" -j ACCEPT
        -A CNI-FORWARD -s 10.1.0.5/32 -m comment --comment "%s" -j ACCEPT
        COMMIT
        """
                .formatted(C, C, C));
    // another bridge, isolated: only that bridge's rules; the stage-1 drop of "isolated" on top
    assertThat(
            IptablesFirewall.add(conf("{\"ingressPolicy\":\"isolated\"}"), "x", V4, "br1", st)
                .toString())
        .contains(
            "-I CNI-ISOLATION-STAGE-1 1 -i br1 ! -o br1 -m comment --comment \"CNI firewall plugin rules "
                + sb
                + "\" -j CNI-ISOLATION-STAGE-2\n"
                + "-I CNI-ISOLATION-STAGE-1 1 -i br1 -o br1 -m comment --comment \"CNI firewall plugin rules "
                + "(ingressPolicy: isolated)\" -j DROP\n"
                + "-I CNI-ISOLATION-STAGE-2 1 -o br1 -m comment --comment \"CNI firewall plugin rules "
                + sb
                + "\" -j DROP\n")
        .doesNotContain("-N ")
        .doesNotContain("RETURN")
        .doesNotContain("-I FORWARD");
  }

  @Test
  void iptablesForwardJumpGoesAfterAnExistingIsolationJump() {
    IptablesState st =
        IptablesState.parse(
            """
        *filter
        :FORWARD ACCEPT [0:0]
        :CNI-ISOLATION-STAGE-1 - [0:0]
        -A FORWARD -j KUBE-FORWARD
        -A FORWARD -m comment --comment "CNI firewall plugin rules (ingressPolicy: same-bridge)" -j CNI-ISOLATION-STAGE-1
        COMMIT
        """);
    assertThat(IptablesFirewall.add(conf("{}"), C, V4, null, st).toString())
        .contains("-I FORWARD 3 -m comment --comment \"CNI firewall plugin rules\" -j CNI-FORWARD");
  }

  @Test
  void iptablesDelAndGcTouchOnlyOurComments() {
    IptablesState st = IptablesState.parse(GO_STATE);
    assertThat(IptablesFirewall.del(C, st).toString())
        .isEqualTo(
            """
        *filter
        -D CNI-FORWARD -s fd00::7/128 -m comment --comment "%s" -j ACCEPT
        COMMIT
        """
                .formatted(C));
    assertThat(IptablesFirewall.del("jcni-fw net: n id: gone if: eth0", st).isEmpty()).isTrue();
    assertThat(IptablesFirewall.gc(Names.netPrefix("n"), Set.of(C), st).toString())
        .isEqualTo(
            """
        *filter
        -D CNI-FORWARD -s 10.1.0.8/32 -m comment --comment "jcni-fw net: n id: c2 if: eth0" -j ACCEPT
        COMMIT
        """);
  }

  @Test
  void iptablesCheckNamesWhatIsMissing() {
    IptablesState st = IptablesState.parse(GO_STATE);
    List<String> m =
        IptablesFirewall.missing(
            dev.jcni.plugins.common.firewall.IpFamily.V4, conf("{}"), C, V4, null, st);
    assertThat(m).hasSize(2).allMatch(s -> s.contains("10.1.0.5/32"));
    assertThat(
            IptablesFirewall.missing(
                dev.jcni.plugins.common.firewall.IpFamily.V4,
                conf("{\"iptablesAdminChainName\":\"MINE\"}"),
                C,
                List.of(),
                null,
                st))
        .containsExactly(
            "iptables chain MINE",
            "iptables CNI-FORWARD rule -m comment --comment "
                + "\"CNI firewall plugin admin overrides\" -j MINE");
  }

  @Test
  void nftAddOnAnEmptyNode() {
    assertThat(NftFirewall.add(conf("{}"), C, List.of(V4.get(0), V6.get(0)), null, null).toString())
        .isEqualTo(
            """
        add table inet jcni_firewall { comment "jcni firewall plugin"; }
        add set inet jcni_firewall isolated_bridges { type ifname; }
        add map inet jcni_firewall isolation { type ifname : verdict; }
        add chain inet jcni_firewall CNI-ADMIN
        add chain inet jcni_firewall forward { type filter hook forward priority filter; }
        insert rule inet jcni_firewall forward jump CNI-ADMIN
        insert rule inet jcni_firewall forward iifname vmap @isolation
        add rule inet jcni_firewall forward ip daddr 10.1.0.5 ct state established , related accept comment "%s"
        add rule inet jcni_firewall forward ip saddr 10.1.0.5 accept comment "%s"
        add rule inet jcni_firewall forward ip6 daddr fd00::5 ct state established , related accept comment "%s"
        add rule inet jcni_firewall forward ip6 saddr fd00::5 accept comment "%s"
        """
                .formatted(C, C, C, C));
  }

  /** {@code nft -a list table inet jcni_firewall} after a few ADDs. */
  static final String LISTING =
      """
      table inet jcni_firewall { # handle 7
      \tcomment "jcni firewall plugin"
      \tset isolated_bridges { # handle 2
      \t\ttype ifname
      \t\telements = { "br0" }
      \t}

      \tmap isolation { # handle 3
      \t\ttype ifname : verdict
      \t\telements = { "br0" : jump iso_0123456789abcdef }
      \t}

      \tchain CNI-ADMIN { # handle 4
      \t}

      \tchain forward { # handle 5
      \t\ttype filter hook forward priority filter; policy drop;
      \t\tiifname vmap @isolation # handle 9
      \t\tjump CNI-ADMIN # handle 10
      \t\tip daddr 10.1.0.5 ct state established,related accept comment "jcni-fw net: n id: c1 if: eth0" # handle 11
      \t\tip saddr 10.1.0.5 accept comment "jcni-fw net: n id: c1 if: eth0" # handle 12
      \t\tip saddr 10.1.0.8 accept comment "jcni-fw net: n id: c2 if: eth0" # handle 13
      \t\tip saddr 10.1.0.6 accept comment "jcni-fw net: other id: c3 if: eth0" # handle 14
      \t}

      \tchain iso_0123456789abcdef { # handle 6
      \t\toifname != "br0" oifname @isolated_bridges drop comment "CNI firewall plugin rules (ingressPolicy: same-bridge)" # handle 15
      \t}
      }
      """
          .replace("iso_0123456789abcdef", Names.isoChain("br0"));

  @Test
  void nftListingSkipsTablesSetsAndMapsWherever() {
    String odd =
        "table inet jcni_firewall { # handle 1\n\tchain CNI-ADMIN { # handle 2\n\t}\n"
            + "\tset later { # handle 3\n\t\ttype ifname\n\t}\n\tmap m { # handle 4\n\t\ttype ifname : verdict\n"
            + "\t\telements = { \"br0\" : jump x }\n\t}\n}\n";
    assertThat(NftFirewall.parse(odd)).isEmpty();
  }

  @Test
  void nftListingParses() {
    List<NftFirewall.Listed> rules = NftFirewall.parse(LISTING);
    assertThat(rules).hasSize(7);
    assertThat(rules.get(0))
        .isEqualTo(new NftFirewall.Listed("forward", "iifname vmap @isolation", null, 9));
    assertThat(rules.get(2).comment()).isEqualTo(C);
    assertThat(rules.get(6).chain()).isEqualTo(Names.isoChain("br0"));
  }

  @Test
  void nftReAddReplacesOurRulesAndKeepsTheAdminsPolicy() {
    String s =
        NftFirewall.add(conf("{\"ingressPolicy\":\"same-bridge\"}"), C, V4, "br0", LISTING)
            .toString();
    assertThat(s)
        .startsWith("add table inet jcni_firewall\n")
        .contains(
            "add chain inet jcni_firewall forward { type filter hook forward priority filter; }\n")
        .doesNotContain("policy")
        .doesNotContain("insert rule")
        .contains(
            "delete rule inet jcni_firewall forward handle 11\ndelete rule inet jcni_firewall forward handle 12\n")
        .doesNotContain("handle 13")
        .contains(
            "add chain inet jcni_firewall "
                + Names.isoChain("br0")
                + "\nflush chain inet jcni_firewall "
                + Names.isoChain("br0")
                + "\n")
        .contains("oifname != \"br0\" oifname @isolated_bridges drop comment")
        .contains("add element inet jcni_firewall isolated_bridges { \"br0\" }")
        .contains(
            "add element inet jcni_firewall isolation { \"br0\" : jump "
                + Names.isoChain("br0")
                + " }");
    // a new admin chain name goes right after the isolation map, not before it
    assertThat(
            NftFirewall.add(conf("{\"iptablesAdminChainName\":\"MINE\"}"), C, V4, null, LISTING)
                .toString())
        .contains("add rule inet jcni_firewall forward position 9 jump MINE\n");
  }

  @Test
  void nftDelGcAndCheck() {
    assertThat(NftFirewall.del(C, LISTING).toString())
        .isEqualTo(
            """
        delete rule inet jcni_firewall forward handle 11
        delete rule inet jcni_firewall forward handle 12
        """);
    assertThat(NftFirewall.del(C, null).isEmpty()).isTrue();
    assertThat(NftFirewall.gc(Names.netPrefix("n"), Set.of(C), LISTING).toString())
        .isEqualTo("delete rule inet jcni_firewall forward handle 13\n");
    assertThat(NftFirewall.missing(conf("{}"), C, V4, null, LISTING)).isEmpty();
    assertThat(
            NftFirewall.missing(conf("{\"ingressPolicy\":\"same-bridge\"}"), C, V4, "br0", LISTING))
        .isEmpty();
    assertThat(
            NftFirewall.missing(conf("{\"ingressPolicy\":\"same-bridge\"}"), C, V4, "br9", LISTING))
        .containsExactly("nft isolation of bridge br9");
    assertThat(NftFirewall.missing(conf("{}"), "jcni-fw net: n id: c9 if: eth0", V4, null, LISTING))
        .hasSize(2);
    assertThat(NftFirewall.missing(conf("{}"), C, V4, null, null))
        .containsExactly("nftables table inet jcni_firewall");
  }
}
