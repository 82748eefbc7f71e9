package dev.jcni.spec.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.spec.CniException;
import dev.jcni.spec.json.Json;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CidrTest {
  @Test
  void parsesAndKeepsHostBits() {
    Cidr c = Cidr.parse("10.0.0.5/24");
    assertThat(c.address()).isInstanceOf(Inet4Address.class);
    assertThat(InetAddresses.format(c.address())).isEqualTo("10.0.0.5");
    assertThat(c.prefixLength()).isEqualTo(24);
    assertThat(c.family()).isEqualTo(4);
    assertThat(c.bits()).isEqualTo(32);
    assertThat(c.toString()).isEqualTo("10.0.0.5/24");
    assertThat(c.network()).isEqualTo(Cidr.parse("10.0.0.0/24"));
    assertThat(InetAddresses.format(c.networkAddress())).isEqualTo("10.0.0.0");
    assertThat(InetAddresses.format(c.lastAddress())).isEqualTo("10.0.0.255");
    assertThat(c.mask()).containsExactly(0xff, 0xff, 0xff, 0);
    assertThat(Cidr.parse("10.96.0.1/12").network().toString()).isEqualTo("10.96.0.0/12");
    assertThat(Cidr.parse("0.0.0.0/0").contains(InetAddresses.parse("1.2.3.4"))).isTrue();
  }

  @Test
  void ipv6Canonical() {
    Cidr c = Cidr.parse("FD00:0001:0000:0000:0000:0000:0000:0005/64");
    assertThat(c.address()).isInstanceOf(Inet6Address.class);
    assertThat(c.toString()).isEqualTo("fd00:1::5/64");
    assertThat(c.family()).isEqualTo(6);
    assertThat(c.network().toString()).isEqualTo("fd00:1::/64");
    assertThat(InetAddresses.format(c.lastAddress())).isEqualTo("fd00:1::ffff:ffff:ffff:ffff");
    assertThat(Cidr.parse("0:0:0:0:0:0:0:0/0").toString()).isEqualTo("::/0");
    assertThat(Cidr.parse("fd00::1/127").network().toString()).isEqualTo("fd00::/127");
    // IPv4-mapped: Go prints the IPv4 form with the prefix counted over the last 32 bits
    assertThat(Cidr.parse("::ffff:10.0.0.5/120").toString()).isEqualTo("10.0.0.5/24");
  }

  @Test
  void contains() {
    Cidr net = Cidr.parse("10.1.0.0/16");
    assertThat(net.contains(InetAddresses.parse("10.1.255.1"))).isTrue();
    assertThat(net.contains(InetAddresses.parse("10.2.0.1"))).isFalse();
    assertThat(net.contains(InetAddresses.parse("fd00::1"))).isFalse();
    assertThat(net.contains(Cidr.parse("10.1.3.0/24"))).isTrue();
    assertThat(net.contains(Cidr.parse("10.0.0.0/8"))).isFalse();
    assertThat(net.overlaps(Cidr.parse("10.0.0.0/8"))).isTrue();
    assertThat(net.overlaps(Cidr.parse("10.2.0.0/16"))).isFalse();
    assertThat(Cidr.parse("fd00::/64").contains(InetAddresses.parse("fd00::abcd"))).isTrue();
    assertThat(Cidr.parse("10.0.0.0/31").contains(InetAddresses.parse("10.0.0.1"))).isTrue();
    assertThat(Cidr.parse("10.0.0.7/32").contains(InetAddresses.parse("10.0.0.7"))).isTrue();
  }

  @Test
  void rejectsWhatGoRejects() {
    for (String bad :
        new String[] {
          "10.0.0.5",
          "10.0.0.5/33",
          "10.0.0.5/",
          "/24",
          "10.0.0.256/24",
          "010.0.0.5/24",
          "10.0.0/24",
          "fd00::1/129",
          "fd00::1%eth0/64",
          "fd00:::1/64",
          "host/24",
          "10.0.0.5/-1",
          "10.0.0.5/2a",
          "1:2:3:4:5:6:7:8:9/64",
          "1:2:3:4::5:6:7:8/64",
          "",
          " 10.0.0.5/24"
        }) {
      assertThat(Cidr.tryParse(bad)).as(bad).isNull();
      assertThatThrownBy(() -> Cidr.parse(bad))
          .isInstanceOfSatisfying(
              CniException.class,
              e -> {
                assertThat(e.code()).isEqualTo(7);
                assertThat(e.msg()).isEqualTo("invalid CIDR address: " + bad);
              });
    }
    assertThat(Cidr.tryParse(null)).isNull();
  }

  @Test
  void ofEqualsCompareAndJson() {
    assertThat(Cidr.of(InetAddresses.parse("10.0.0.5"), 24)).isEqualTo(Cidr.parse("10.0.0.5/24"));
    assertThat(Cidr.parse("10.0.0.5/24").hashCode())
        .isEqualTo(Cidr.parse("10.0.0.5/24").hashCode());
    assertThat(Cidr.parse("10.0.0.5/24")).isNotEqualTo(Cidr.parse("10.0.0.5/25"));
    assertThat(Cidr.parse("10.0.0.1/8").compareTo(Cidr.parse("fd00::/8"))).isNegative();
    assertThatThrownBy(() -> Cidr.of(InetAddresses.parse("10.0.0.5"), 33))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Json.writeString(Map.of("subnet", Cidr.parse("FD00::1/64"))))
        .isEqualTo("{\"subnet\":\"fd00::1/64\"}");
  }

  record Conf(Cidr subnet) {}

  record Gw(java.net.InetAddress gateway, java.net.Inet4Address v4, java.net.Inet6Address v6) {}

  @Test
  void bindsAndWritesInetAddressesWithoutLookups() {
    Gw g =
        Json.bind(
            Json.parseObject("{\"gateway\":\"FD00::0:1\",\"v4\":\"10.0.0.1\",\"v6\":\"::1\"}"),
            Gw.class);
    assertThat(InetAddresses.format(g.gateway())).isEqualTo("fd00::1");
    assertThat(Json.writeString(g))
        .isEqualTo("{\"gateway\":\"fd00::1\",\"v4\":\"10.0.0.1\",\"v6\":\"::1\"}");
    assertThatThrownBy(() -> Json.bind(Json.parseObject("{\"gateway\":\"localhost\"}"), Gw.class))
        .isInstanceOfSatisfying(
            CniException.class,
            e -> {
              assertThat(e.code()).isEqualTo(7);
              assertThat(e.msg()).isEqualTo("\"gateway\": invalid IP address: localhost");
            });
    assertThatThrownBy(() -> Json.bind(Json.parseObject("{\"v4\":\"::1\"}"), Gw.class))
        .hasMessage("\"v4\": invalid IPv4 address: ::1");
  }

  @Test
  void bindsFromJsonStrings() {
    assertThat(Json.bind(Json.parseObject("{\"subnet\":\"10.1.0.0/16\"}"), Conf.class).subnet())
        .isEqualTo(Cidr.parse("10.1.0.0/16"));
    assertThatThrownBy(() -> Json.bind(Json.parseObject("{\"subnet\":\"10.1.0.0\"}"), Conf.class))
        .isInstanceOfSatisfying(
            CniException.class,
            e -> {
              assertThat(e.code()).isEqualTo(7);
              assertThat(e.msg()).isEqualTo("\"subnet\": invalid CIDR address: 10.1.0.0");
            });
    assertThatThrownBy(() -> Json.bind(Json.parseObject("{\"subnet\":5}"), Conf.class))
        .hasMessageStartingWith("\"subnet\": expected a string");
  }

  @Test
  void hostFirstHostAndAddressText() {
    Cidr c = Cidr.parse("10.22.0.5/24");
    assertThat(c.host()).hasToString("10.22.0.5/32");
    assertThat(InetAddresses.format(c.firstHost())).isEqualTo("10.22.0.1");
    assertThat(c.addressString()).isEqualTo("10.22.0.5");
    Cidr v6 = Cidr.parse("FD00:22:0:0::5/64");
    assertThat(v6.host()).hasToString("fd00:22::5/128");
    assertThat(InetAddresses.format(v6.firstHost())).isEqualTo("fd00:22::1");
    assertThat(v6.addressString()).isEqualTo("fd00:22::5");
    assertThat(v6.network()).hasToString("fd00:22::/64");
    assertThat(Cidr.parse("10.22.0.0/16").contains(InetAddresses.parse("fd00::1"))).isFalse();
  }

  @Test
  void goParseCidrEdgeCases() throws Exception {
    // Go's dtoi takes leading zeros in the prefix length; the address part has none (Go >= 1.17
    // refuses 010.x)
    assertThat(Cidr.parse("10.0.0.5/024")).hasToString("10.0.0.5/24");
    assertThat(Cidr.parse("10.0.0.5/0000000032")).hasToString("10.0.0.5/32");
    assertThat(Cidr.parse("fd00::5/0064")).hasToString("fd00::5/64");
    assertThat(Cidr.tryParse("10.00.0.5/24")).isNull();
    assertThat(Cidr.tryParse("10.0.0.5/+24")).isNull();
    assertThat(Cidr.tryParse("10.0.0.5/24 ")).isNull();
    // IPv4-mapped IPv6: the IPv4 address, the prefix counted over the last 32 bits (Go's
    // IPNet.String); a prefix
    // shorter than 96 leaves /0, as Go prints it
    Cidr mapped = Cidr.parse("::FFFF:10.0.0.5/120");
    assertThat(mapped).isEqualTo(Cidr.parse("10.0.0.5/24"));
    assertThat(mapped.isIpv4()).isTrue();
    assertThat(mapped.address()).isInstanceOf(Inet4Address.class);
    assertThat(Cidr.parse("::ffff:10.0.0.5/80")).hasToString("10.0.0.5/0");
    assertThat(Cidr.parse("::ffff:0a00:0005/128")).hasToString("10.0.0.5/32");
    assertThat(Cidr.tryParse("::ffff:10.0.0.5/129")).isNull();
    // IPv4-compatible (not mapped) stays IPv6, printed in hex as Go does
    assertThat(Cidr.parse("::10.0.0.5/128")).hasToString("::a00:5/128");
    assertThat(Cidr.parse("::10.0.0.5/128").isIpv6()).isTrue();
    // zones are refused (Go's ParseCIDR refuses them too), in any position
    for (String zoned :
        new String[] {"fe80::1%eth0/64", "fe80::1%1/64", "fe80::1/64%eth0", "10.0.0.1%eth0/24"}) {
      assertThat(Cidr.tryParse(zoned)).as(zoned).isNull();
    }
    // an Inet6Address with a scope id loses the scope: a Cidr holds no zone
    java.net.Inet6Address scoped =
        java.net.Inet6Address.getByAddress(null, InetAddresses.parse("fe80::1").getAddress(), 3);
    assertThat(Cidr.of(scoped, 64)).hasToString("fe80::1/64").isEqualTo(Cidr.parse("fe80::1/64"));
    assertThat(Cidr.ofHost(scoped)).hasToString("fe80::1/128");
  }

  @Test
  void hostNetworkAndFamilyHelpers() {
    assertThat(Cidr.ofHost(InetAddresses.parse("10.0.0.7"))).isEqualTo(Cidr.parse("10.0.0.7/32"));
    assertThat(Cidr.ofHost(InetAddresses.parse("::ffff:10.0.0.7")))
        .isEqualTo(Cidr.parse("10.0.0.7/32"));
    assertThat(Cidr.ofHost(InetAddresses.parse("fd00::7"))).isEqualTo(Cidr.parse("fd00::7/128"));
    assertThat(Cidr.parse("10.0.0.0/24").isNetwork()).isTrue();
    assertThat(Cidr.parse("10.0.0.1/24").isNetwork()).isFalse();
    assertThat(Cidr.parse("10.0.0.1/32").isNetwork()).isTrue();
    assertThat(Cidr.parse("fd00::/64").isNetwork()).isTrue();
    assertThat(Cidr.parse("fd00::1/64").isIpv6()).isTrue();
    assertThat(Cidr.parse("fd00::1/64").isIpv4()).isFalse();
    // lossless through InetAddress: address() + prefixLength() rebuild the same Cidr for every
    // family
    for (String t : new String[] {"10.0.0.5/24", "0.0.0.0/0", "fd00:1::5/64", "::/0", "::1/128"}) {
      Cidr c = Cidr.parse(t);
      assertThat(Cidr.of(c.address(), c.prefixLength())).as(t).isEqualTo(c);
      assertThat(Cidr.parse(c.toString())).as(t).isEqualTo(c);
    }
  }
}
