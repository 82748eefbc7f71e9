package dev.jcni.plugins.common.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden text of the script generators. */
class ScriptsTest {
  private static InetAddress a(String s) {
    return FwValues.address(s, "test");
  }

  @Test
  void nftScriptGolden() {
    NftScript s =
        new NftScript()
            .replaceTable("inet", "jcni_t", "owner: x")
            .addBaseChain("inet", "jcni_t", "prerouting", "nat", "prerouting", "dstnat")
            .addChain("inet", "jcni_t", "hostports")
            .addRule(
                "inet",
                "jcni_t",
                "prerouting",
                new NftScript.Rule().kw("fib", "daddr", "type", "local", "jump").name("hostports"))
            .addRule(
                "inet",
                "jcni_t",
                "hostports",
                new NftScript.Rule()
                    .kw("ip", "daddr")
                    .addr(a("192.168.1.1"))
                    .kw("tcp", "dport")
                    .num(8080)
                    .kw("dnat", "ip", "to")
                    .hostPort(a("10.0.0.2"), 80)
                    .comment("id: c1"))
            .addRule(
                "inet",
                "jcni_t",
                "hostports",
                new NftScript.Rule()
                    .kw("ip6", "saddr")
                    .cidr(FwValues.cidr("fd00::5/64", "k"))
                    .kw("udp", "dport")
                    .num(53)
                    .kw("dnat", "ip6", "to")
                    .hostPort(a("fd00::5"), 5353))
            .deleteRule("inet", "jcni_t", "hostports", 7);
    assertThat(s.toString())
        .isEqualTo(
            """
        add table inet jcni_t
        delete table inet jcni_t
        add table inet jcni_t { comment "owner: x"; }
        add chain inet jcni_t prerouting { type nat hook prerouting priority dstnat; policy accept; }
        add chain inet jcni_t hostports
        add rule inet jcni_t prerouting fib daddr type local jump hostports
        add rule inet jcni_t hostports ip daddr 192.168.1.1 tcp dport 8080 dnat ip to 10.0.0.2:80 comment "id: c1"
        add rule inet jcni_t hostports ip6 saddr fd00::/64 udp dport 53 dnat ip6 to [fd00::5]:5353
        delete rule inet jcni_t hostports handle 7
        """);
  }

  @Test
  void nftSetsMapsAndPositionsGolden() {
    NftScript s =
        new NftScript()
            .addBaseChainKeepPolicy("inet", "t", "forward", "filter", "forward", "filter")
            .addSet("inet", "t", "bridges", "ifname")
            .addVerdictMap("inet", "t", "iso", "ifname")
            .addElement("inet", "t", "bridges", new NftScript.Rule().ifname("br0"))
            .addElement(
                "inet",
                "t",
                "iso",
                new NftScript.Rule().ifname("br0").kw(":", "jump").name("iso_1"))
            .insertRule(
                "inet", "t", "forward", new NftScript.Rule().kw("iifname", "vmap").setRef("iso"))
            .addRuleAfter("inet", "t", "forward", 4, new NftScript.Rule().kw("jump").name("ADMIN"));
    assertThat(s.toString())
        .isEqualTo(
            """
        add chain inet t forward { type filter hook forward priority filter; }
        add set inet t bridges { type ifname; }
        add map inet t iso { type ifname : verdict; }
        add element inet t bridges { "br0" }
        add element inet t iso { "br0" : jump iso_1 }
        insert rule inet t forward iifname vmap @iso
        add rule inet t forward position 4 jump ADMIN
        """);
    assertThatThrownBy(() -> new NftScript().addSet("inet", "t", "s", "ifname; flush ruleset"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new NftScript.Rule().setRef("s }; flush ruleset"))
        .isInstanceOf(RuntimeException.class);
    assertThatThrownBy(
            () -> new NftScript().addRuleAfter("inet", "t", "c", -1, new NftScript.Rule()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void iptablesNewChainAndInterfaces() {
    IptablesScript s =
        new IptablesScript()
            .newChain("filter", "CNI-FORWARD")
            .insert(
                "filter",
                "X",
                1,
                new IptablesScript.Rule()
                    .opt("-i")
                    .ifname("br0")
                    .opt("!", "-o")
                    .ifname("br0")
                    .comment("CNI firewall plugin rules (ingressPolicy: same-bridge|isolated)")
                    .opt("-j", "DROP"));
    assertThat(s.toString())
        .isEqualTo(
            """
        *filter
        -N CNI-FORWARD
        -I X 1 -i br0 ! -o br0 -m comment --comment "CNI firewall plugin rules (ingressPolicy: same-bridge|isolated)" -j DROP
        COMMIT
        """);
    assertThatThrownBy(() -> new IptablesScript.Rule().ifname("eth+"))
        .isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> new IptablesScript.Rule().ifname("br0 -j ACCEPT"))
        .isInstanceOf(RuntimeException.class);
  }

  @Test
  void nftBuilderRefusesInjection() {
    assertThatThrownBy(() -> new NftScript.Rule().kw("accept; add rule"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new NftScript().addTable("inet", "t; flush ruleset"))
        .isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> new NftScript().addTable("inet x", "t"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new NftScript.Rule().comment("x\"; flush ruleset; \""))
        .isInstanceOf(RuntimeException.class);
    assertThatThrownBy(
            () ->
                new NftScript()
                    .addBaseChain("inet", "t", "c", "nat", "prerouting", "0; flush ruleset"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void iptablesScriptGolden() {
    IptablesScript s =
        new IptablesScript()
            .declareChain("nat", "JCNI-DN-abc")
            .append(
                "nat",
                "JCNI-DN-abc",
                new IptablesScript.Rule()
                    .opt("-p", "tcp", "-m", "tcp", "--dport")
                    .num(8080)
                    .opt("-j", "DNAT", "--to-destination")
                    .hostPort(a("10.0.0.2"), 80))
            .insert(
                "nat",
                "POSTROUTING",
                1,
                new IptablesScript.Rule()
                    .comment("jcni portmap masquerade")
                    .opt("-j")
                    .chain("JCNI-HOSTPORT-MASQ"))
            .flushChain("nat", "OLD")
            .deleteChain("nat", "OLD");
    s.append(
        "filter",
        "FORWARD",
        new IptablesScript.Rule()
            .opt("-d")
            .cidr(FwValues.cidr("10.0.0.9/24", "k"))
            .opt("-j", "ACCEPT"));
    assertThat(s.toString())
        .isEqualTo(
            """
        *nat
        :JCNI-DN-abc - [0:0]
        -A JCNI-DN-abc -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.0.0.2:80
        -I POSTROUTING 1 -m comment --comment "jcni portmap masquerade" -j JCNI-HOSTPORT-MASQ
        -F OLD
        -X OLD
        COMMIT
        *filter
        -A FORWARD -d 10.0.0.0/24 -j ACCEPT
        COMMIT
        """);
  }

  @Test
  void iptablesBuilderRefusesInjection() {
    assertThatThrownBy(() -> new IptablesScript.Rule().opt("-j ACCEPT"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new IptablesScript.Rule().opt("x\nCOMMIT"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new IptablesScript.Rule().comment("a\" -j ACCEPT \""))
        .isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> new IptablesScript().flushChain("nat;", "X"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void iptablesStateParsesSaveOutputAndReplaysDeletes() {
    String save =
        """
        # Generated by iptables-save v1.8.9 (nf_tables) on Sat Nov 28 00:41:13 2026
        *nat
        :PREROUTING ACCEPT [0:0]
        :POSTROUTING ACCEPT [0:0]
        :CNI-HOSTPORT-DNAT - [0:0]
        :JCNI-DN-abc - [0:0]
        -A PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT
        -A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "dnat name: \\"net\\" id: \\"c1\\"" -m multiport --dports 80 -j CNI-DN-1
        -A JCNI-DN-abc -p tcp -m comment --comment jcni-c2 -j DNAT --to-destination 10.0.0.2:80
        COMMIT
        """;
    IptablesState st = IptablesState.parse(save);
    assertThat(st.chains("nat"))
        .containsExactly("PREROUTING", "POSTROUTING", "CNI-HOSTPORT-DNAT", "JCNI-DN-abc");
    assertThat(st.hasChain("nat", "JCNI-DN-abc")).isTrue();
    assertThat(st.hasChain("filter", "INPUT")).isFalse();
    List<IptablesState.SavedRule> r = st.rules("nat", "CNI-HOSTPORT-DNAT");
    assertThat(r).hasSize(1);
    assertThat(r.get(0).comment()).isEqualTo("dnat name: \"net\" id: \"c1\"");
    assertThat(r.get(0).target()).isEqualTo("CNI-DN-1");
    assertThat(st.rules("nat", "JCNI-DN-abc").get(0).comment()).isEqualTo("jcni-c2");
    String del =
        new IptablesScript().deleteSaved("nat", st.rules("nat", "JCNI-DN-abc").get(0)).toString();
    assertThat(del)
        .isEqualTo(
            "*nat\n-D JCNI-DN-abc -p tcp -m comment --comment jcni-c2 -j DNAT "
                + "--to-destination 10.0.0.2:80\nCOMMIT\n");
  }

  @Test
  void conditions() {
    assertThat(Conditions.detect(List.of("-s", "1.2.3.4"))).isEqualTo(Backend.IPTABLES);
    assertThat(Conditions.detect(List.of("! -s 1.2.3.4"))).isEqualTo(Backend.IPTABLES);
    assertThat(Conditions.detect(List.of("ip saddr 1.2.3.4"))).isEqualTo(Backend.NFTABLES);
    assertThat(Conditions.detect(List.of())).isNull();
    assertThat(
            Conditions.parse(List.of("-s 1.2.3.4", "!", "-d", "10.0.0.0/8"), Backend.IPTABLES, "c")
                .tokens())
        .containsExactly("-s", "1.2.3.4", "!", "-d", "10.0.0.0/8");
    assertThat(
            Conditions.parse(
                    List.of("ip saddr != { 10.0.0.0/8, 192.168.0.1 }"), Backend.NFTABLES, "c")
                .toString())
        .isEqualTo("ip saddr != { 10.0.0.0/8, 192.168.0.1 }");
    for (List<String> bad :
        List.of(
            List.of("-s 1.2.3.4 -j ACCEPT"),
            List.of("-s", "1.2.3.4\n-A X"),
            List.of("-s", "\"x\""),
            List.of("-t", "filter"),
            List.of("-g", "X"))) {
      assertThatThrownBy(() -> Conditions.parse(bad, Backend.IPTABLES, "conditionsV4"))
          .hasMessageContaining("conditionsV4");
    }
    for (List<String> bad :
        List.of(
            List.of("ip saddr 1.2.3.4 accept"),
            List.of("ip saddr 1.2.3.4;", "flush ruleset"),
            List.of("ip saddr 1.2.3.4 # x"),
            List.of("}", "add rule ip t c drop"),
            List.of("ip saddr { 1.2.3.4"),
            List.of("ip saddr 1.2.3.4 comment \"x\""),
            List.of("tcp dport 1 jump x"),
            List.of("meta mark set 1"))) {
      assertThatThrownBy(() -> Conditions.parse(bad, Backend.NFTABLES, "conditionsV6"))
          .hasMessageContaining("conditionsV6");
    }
  }
}
