package dev.jcni.plugins.meta.portmap;

import static dev.jcni.plugins.meta.portmap.PortMapConfigTest.conf;
import static dev.jcni.plugins.meta.portmap.PortMapConfigTest.pm;
import static dev.jcni.plugins.meta.portmap.PortMapConfigTest.rc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.plugins.common.firewall.Firewall;
import dev.jcni.plugins.common.firewall.FwValues;
import dev.jcni.plugins.common.firewall.IpFamily;
import dev.jcni.plugins.common.firewall.IptablesState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden text of the generated transactions (no root needed). */
class ScriptsGoldenTest {
  static final String NET = "net1";
  static final String ID = "ctr1";
  static final PodAddresses POD =
      new PodAddresses(FwValues.cidr("10.22.0.5/24", "t"), FwValues.cidr("fd00:22::5/64", "t"));

  static PortMapConfig two(Object... extra) {
    Object[] kv = new Object[extra.length + 2];
    kv[0] = "runtimeConfig";
    kv[1] =
        rc(
            pm("hostPort", 8080L, "containerPort", 80L, "protocol", "tcp"),
            pm(
                "hostPort",
                5353L,
                "containerPort",
                53L,
                "protocol",
                "udp",
                "hostIP",
                "192.168.77.1"));
    System.arraycopy(extra, 0, kv, 2, extra.length);
    return PortMapConfig.parse(conf(kv));
  }

  @Test
  void names() {
    assertThat(Names.table(NET, ID))
        .isEqualTo(Names.tablePrefix(NET) + FwValues.sha512Hex("net1\0ctr1").substring(0, 16))
        .startsWith("jcni_hp_")
        .hasSize(33);
    assertThat(Names.dnChain(NET, ID)).startsWith("JCNI-DN-").hasSize(28);
    assertThat(Names.dnChain(NET, "ctr2")).isNotEqualTo(Names.dnChain(NET, ID));
    assertThat(Names.comment(NET, ID)).isEqualTo("jcni-portmap net: net1 id: ctr1");
  }

  @Test
  void nftAdd() {
    String t = Names.table(NET, ID);
    String s =
        NftPortmap.add(NET, ID, two("conditionsV4", List.of("ip saddr != 10.9.0.0/16")), POD)
            .toString();
    assertThat(s)
        .isEqualTo(
            ("""
        add table inet T
        delete table inet T
        add table inet T { comment "jcni-portmap net: net1 id: ctr1"; }
        add chain inet T prerouting { type nat hook prerouting priority dstnat; policy accept; }
        add chain inet T output { type nat hook output priority -100; policy accept; }
        add chain inet T postrouting { type nat hook postrouting priority srcnat; policy accept; }
        add chain inet T hostports
        add rule inet T prerouting fib daddr type local jump hostports
        add rule inet T output fib daddr type local jump hostports
        add rule inet T hostports meta nfproto ipv4 tcp dport 8080 ip saddr != 10.9.0.0/16 dnat ip to 10.22.0.5:80
        add rule inet T postrouting ip saddr 10.22.0.0/24 ip daddr 10.22.0.5 tcp dport 80 ct status dnat \
        ct original proto-dst 8080 masquerade
        add rule inet T postrouting ip saddr 127.0.0.1/32 ip daddr 10.22.0.5 tcp dport 80 ct status dnat \
        ct original proto-dst 8080 masquerade
        add rule inet T hostports meta nfproto ipv4 ip daddr 192.168.77.1 udp dport 5353 ip saddr != 10.9.0.0/16 \
        dnat ip to 10.22.0.5:53
        add rule inet T postrouting ip saddr 10.22.0.0/24 ip daddr 10.22.0.5 udp dport 53 ct status dnat \
        ct original proto-dst 5353 masquerade
        add rule inet T postrouting ip saddr 127.0.0.1/32 ip daddr 10.22.0.5 udp dport 53 ct status dnat \
        ct original proto-dst 5353 masquerade
        add rule inet T hostports meta nfproto ipv6 tcp dport 8080 dnat ip6 to [fd00:22::5]:80
        add rule inet T postrouting ip6 saddr fd00:22::/64 ip6 daddr fd00:22::5 tcp dport 80 ct status dnat \
        ct original proto-dst 8080 masquerade
        """)
                .replace("inet T", "inet " + t));
  }

  @Test
  void nftMasqAllAndNoSnat() {
    String t = Names.table(NET, ID);
    String all =
        NftPortmap.add(NET, ID, two("masqAll", true), new PodAddresses(POD.v4(), null)).toString();
    assertThat(all)
        .contains(
            "add rule inet "
                + t
                + " postrouting meta nfproto ipv4 ip daddr 10.22.0.5 tcp dport 80 "
                + "ct status dnat ct original proto-dst 8080 masquerade\n")
        .doesNotContain("127.0.0.1");
    String none = NftPortmap.add(NET, ID, two("snat", false), POD).toString();
    assertThat(none).doesNotContain("masquerade");
  }

  @Test
  void nftDelAndGc() {
    String t = Names.table(NET, ID);
    assertThat(NftPortmap.del(NET, ID).toString())
        .isEqualTo("add table inet " + t + "\ndelete table inet " + t + "\n");
    String stale = Names.table(NET, "gone");
    String other = Names.table("othernet", "gone");
    String gc =
        NftPortmap.gc(
                NET,
                List.of(
                    new Firewall.NftTableRef("ip", "nat"),
                    new Firewall.NftTableRef("inet", t),
                    new Firewall.NftTableRef("inet", stale),
                    new Firewall.NftTableRef("inet", other),
                    new Firewall.NftTableRef("ip", "cni_hostport")),
                List.of(ID))
            .toString();
    assertThat(gc).isEqualTo("add table inet " + stale + "\ndelete table inet " + stale + "\n");
  }

  @Test
  void nftMissing() {
    PortMapConfig c = two();
    String listing =
        """
        table inet x {
          chain hostports {
            meta nfproto ipv4 tcp dport 8080 dnat ip to 10.22.0.5:80
            ip daddr 192.168.77.1 udp dport 5353 dnat ip to 10.22.0.5:53
          }
        }
        """;
    assertThat(NftPortmap.missing(listing, c, POD))
        .containsExactly("tcp dport 8080 -> [fd00:22::5]:80");
    assertThat(NftPortmap.missing(listing, c, new PodAddresses(POD.v4(), null))).isEmpty();
  }

  static final String EMPTY_NAT =
      """
      *nat
      :PREROUTING ACCEPT [0:0]
      :INPUT ACCEPT [0:0]
      :OUTPUT ACCEPT [0:0]
      :POSTROUTING ACCEPT [0:0]
      COMMIT
      """;

  @Test
  void iptablesAddOnAnEmptyTable() {
    String dn = Names.dnChain(NET, ID);
    String s =
        IptablesPortmap.add(
                IpFamily.V4,
                NET,
                ID,
                two("conditionsV4", List.of("!", "-s", "10.9.0.0/16")),
                POD.v4(),
                IptablesState.parse(EMPTY_NAT))
            .toString();
    assertThat(s)
        .isEqualTo(
            ("""
        *nat
        :JCNI-HOSTPORT-DNAT - [0:0]
        -A PREROUTING -m addrtype --dst-type LOCAL -m comment --comment "jcni-portmap hostports" -j JCNI-HOSTPORT-DNAT
        -A OUTPUT -m addrtype --dst-type LOCAL -m comment --comment "jcni-portmap hostports" -j JCNI-HOSTPORT-DNAT
        :JCNI-HOSTPORT-MASQ - [0:0]
        -I POSTROUTING 1 -m comment --comment "jcni-portmap masquerade" -j JCNI-HOSTPORT-MASQ
        -A JCNI-HOSTPORT-MASQ -m mark --mark 0x2000/0x2000 -j MASQUERADE
        :@DN@ - [0:0]
        -A @DN@ -s 10.22.0.0/24 -p tcp -m tcp --dport 8080 -j MARK --set-xmark 0x2000/0x2000
        -A @DN@ -s 127.0.0.1/32 -p tcp -m tcp --dport 8080 -j MARK --set-xmark 0x2000/0x2000
        -A @DN@ -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.22.0.5:80
        -A @DN@ -s 10.22.0.0/24 -d 192.168.77.1 -p udp -m udp --dport 5353 -j MARK --set-xmark 0x2000/0x2000
        -A @DN@ -s 127.0.0.1/32 -d 192.168.77.1 -p udp -m udp --dport 5353 -j MARK --set-xmark 0x2000/0x2000
        -A @DN@ -d 192.168.77.1 -p udp -m udp --dport 5353 -j DNAT --to-destination 10.22.0.5:53
        -A JCNI-HOSTPORT-DNAT -p tcp -m multiport --dports 8080 -m comment --comment "jcni-portmap net: net1 id: ctr1" \
        ! -s 10.9.0.0/16 -j @DN@
        -A JCNI-HOSTPORT-DNAT -p udp -m multiport --dports 5353 -m comment --comment "jcni-portmap net: net1 id: ctr1" \
        ! -s 10.9.0.0/16 -j @DN@
        COMMIT
        """)
                .replace("@DN@", dn));
  }

  @Test
  void iptablesAddReusesSharedChainsAndReplacesOldEntries() {
    String dn = Names.dnChain(NET, ID);
    String state =
        """
        *nat
        :PREROUTING ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        :POSTROUTING ACCEPT [0:0]
        :JCNI-HOSTPORT-DNAT - [0:0]
        :JCNI-HOSTPORT-MASQ - [0:0]
        :%1$s - [0:0]
        -A PREROUTING -m addrtype --dst-type LOCAL -m comment --comment "jcni-portmap hostports" -j JCNI-HOSTPORT-DNAT
        -A OUTPUT -m addrtype --dst-type LOCAL -m comment --comment "jcni-portmap hostports" -j JCNI-HOSTPORT-DNAT
        -A POSTROUTING -m comment --comment "jcni-portmap masquerade" -j JCNI-HOSTPORT-MASQ
        -A JCNI-HOSTPORT-DNAT -p tcp -m multiport --dports 8080 -m comment --comment "jcni-portmap net: net1 id: ctr1" -j %1$s
        -A JCNI-HOSTPORT-MASQ -m mark --mark 0x2000/0x2000 -j MASQUERADE
        COMMIT
        """
            .formatted(dn);
    PortMapConfig c =
        PortMapConfig.parse(
            conf(
                "runtimeConfig",
                rc(pm("hostPort", 8080L, "containerPort", 80L)),
                "masqAll",
                true,
                "markMasqBit",
                14L));
    String s =
        IptablesPortmap.add(IpFamily.V4, NET, ID, c, POD.v4(), IptablesState.parse(state))
            .toString();
    assertThat(s)
        .isEqualTo(
            ("""
        *nat
        -A JCNI-HOSTPORT-MASQ -m mark --mark 0x4000/0x4000 -j MASQUERADE
        -D JCNI-HOSTPORT-DNAT -p tcp -m multiport --dports 8080 -m comment --comment "jcni-portmap net: net1 id: ctr1" -j @DN@
        :@DN@ - [0:0]
        -A @DN@ -s 0.0.0.0/0 -p tcp -m tcp --dport 8080 -j MARK --set-xmark 0x4000/0x4000
        -A @DN@ -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.22.0.5:80
        -A JCNI-HOSTPORT-DNAT -p tcp -m multiport --dports 8080 -m comment --comment "jcni-portmap net: net1 id: ctr1" -j @DN@
        COMMIT
        """)
                .replace("@DN@", dn));
  }

  @Test
  void iptablesV6ExternalMarkChainAndManyPorts() {
    StringBuilder many = new StringBuilder();
    Object[] maps = new Object[17];
    for (int i = 0; i < 17; i++) {
      maps[i] = pm("hostPort", 9000L + i, "containerPort", 80L);
    }
    PortMapConfig c =
        PortMapConfig.parse(
            conf("runtimeConfig", rc(maps), "externalSetMarkChain", "KUBE-MARK-MASQ"));
    String s =
        IptablesPortmap.add(IpFamily.V6, NET, ID, c, POD.v6(), IptablesState.parse(EMPTY_NAT))
            .toString();
    String dn = Names.dnChain(NET, ID);
    assertThat(s)
        .doesNotContain("JCNI-HOSTPORT-MASQ")
        .doesNotContain("127.0.0.1")
        .contains("-A " + dn + " -s fd00:22::/64 -p tcp -m tcp --dport 9000 -j KUBE-MARK-MASQ\n")
        .contains(
            "-A " + dn + " -p tcp -m tcp --dport 9016 -j DNAT --to-destination [fd00:22::5]:80\n")
        .contains(
            "--dports 9000,9001,9002,9003,9004,9005,9006,9007,9008,9009,9010,9011,9012,9013,9014 ")
        .contains("--dports 9015,9016 ");
    assertThat(many).isEmpty();
  }

  @Test
  void iptablesDelGcAndMissing() {
    String dn = Names.dnChain(NET, ID);
    String dnGone = Names.dnChain(NET, "gone");
    String dnOther = Names.dnChain("othernet", "x");
    String state =
        """
        *nat
        :PREROUTING ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        :JCNI-HOSTPORT-DNAT - [0:0]
        :%1$s - [0:0]
        :%2$s - [0:0]
        :%3$s - [0:0]
        -A PREROUTING -m addrtype --dst-type LOCAL -j JCNI-HOSTPORT-DNAT
        -A OUTPUT -m addrtype --dst-type LOCAL -j JCNI-HOSTPORT-DNAT
        -A JCNI-HOSTPORT-DNAT -p tcp -m multiport --dports 8080 -m comment --comment "jcni-portmap net: net1 id: ctr1" -j %1$s
        -A JCNI-HOSTPORT-DNAT -p tcp -m multiport --dports 8081 -m comment --comment "jcni-portmap net: net1 id: gone" -j %2$s
        -A JCNI-HOSTPORT-DNAT -p tcp -m multiport --dports 8082 -m comment --comment "jcni-portmap net: othernet id: x" -j %3$s
        -A %1$s -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.22.0.5:80
        COMMIT
        """
            .formatted(dn, dnGone, dnOther);
    IptablesState st = IptablesState.parse(state);
    assertThat(IptablesPortmap.del(NET, ID, st).toString())
        .isEqualTo(
            "*nat\n-D JCNI-HOSTPORT-DNAT -p tcp -m multiport "
                + "--dports 8080 -m comment --comment \"jcni-portmap net: net1 id: ctr1\" -j "
                + dn
                + "\n-F "
                + dn
                + "\n-X "
                + dn
                + "\nCOMMIT\n");
    assertThat(IptablesPortmap.del(NET, "never", st).isEmpty()).isTrue();
    assertThat(IptablesPortmap.gc(NET, List.of(ID), st).toString())
        .isEqualTo(
            "*nat\n-D JCNI-HOSTPORT-DNAT -p tcp "
                + "-m multiport --dports 8081 -m comment --comment \"jcni-portmap net: net1 id: gone\" -j "
                + dnGone
                + "\n-F "
                + dnGone
                + "\n-X "
                + dnGone
                + "\nCOMMIT\n");
    PortMapConfig c =
        PortMapConfig.parse(
            conf(
                "runtimeConfig",
                rc(
                    pm("hostPort", 8080L, "containerPort", 80L),
                    pm("hostPort", 8081L, "containerPort", 81L))));
    assertThat(IptablesPortmap.missing(IpFamily.V4, NET, ID, c, POD.v4(), st))
        .containsExactly("iptables DNAT tcp 8081 -> 10.22.0.5:81");
    assertThat(IptablesPortmap.missing(IpFamily.V4, NET, "gone2", c, POD.v4(), st)).hasSize(1);
  }

  @Test
  void routeInterfaceFromProc() {
    String proc =
        """
        Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
        eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0
        cni0\t000016AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
        vx\t000016AC\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
        down\t050016AC\t00000000\t0000\t0\t0\t0\tFFFFFFFF\t0\t0\t0
        """;
    assertThat(
            HostTweaks.routeInterface(
                proc, (java.net.Inet4Address) FwValues.address("172.22.0.5", "t")))
        .isEqualTo("vx");
    assertThat(
            HostTweaks.routeInterface(
                proc, (java.net.Inet4Address) FwValues.address("172.22.9.5", "t")))
        .isEqualTo("cni0");
    assertThat(
            HostTweaks.routeInterface(
                proc, (java.net.Inet4Address) FwValues.address("8.8.8.8", "t")))
        .isEqualTo("eth0");
  }
}
