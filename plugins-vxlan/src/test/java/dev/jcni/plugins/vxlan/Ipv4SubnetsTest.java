package dev.jcni.plugins.vxlan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.spec.CniException;
import dev.jcni.spec.net.Cidr;
import dev.jcni.spec.net.InetAddresses;
import org.junit.jupiter.api.Test;

class Ipv4SubnetsTest {

  @Test
  void parsesAndNormalisesToTheNetwork() {
    Cidr c = Ipv4Subnets.parse("10.244.1.7/24", "k");
    assertThat(c).isEqualTo(Cidr.parse("10.244.1.0/24")).hasToString("10.244.1.0/24");
    assertThat(Peer.format(Ipv4Subnets.networkAddress(c))).isEqualTo("10.244.1.0");
    assertThat(Ipv4Subnets.parse("0.0.0.0/0", "k").toString()).isEqualTo("0.0.0.0/0");
    assertThat(Ipv4Subnets.parse("255.255.255.255/32", "k").toString())
        .isEqualTo("255.255.255.255/32");
    assertThat(Ipv4Subnets.parse("10.244.1.0/024", "k"))
        .hasToString("10.244.1.0/24"); // Go's ParseCIDR
  }

  @Test
  void rejectsBadInputNamingTheKey() {
    String[][] cases = {
      {"10.1.0.0", "is not a CIDR (a.b.c.d/len)"},
      {"10.1.0.0/33", "has an invalid prefix length"},
      {"10.1.0/24", "is not an IPv4 CIDR"},
      {"10.1.0.256/24", "is not an IPv4 CIDR"},
      {"a.b.c.d/8", "is not an IPv4 CIDR"},
      {"10.1.0.0/x", "has an invalid prefix length"},
      {"fd00::/64", "is not an IPv4 CIDR"},
      {"::ffff:10.1.0.0/120", "is not an IPv4 CIDR"},
      {"10.1.0.0/-1", "has an invalid prefix length"},
      {" 10.1.0.0/24", "is not an IPv4 CIDR"}
    };
    for (String[] c : cases) {
      assertThatThrownBy(() -> Ipv4Subnets.parse(c[0], "nodeSubnet"), c[0])
          .isInstanceOfSatisfying(
              CniException.class,
              e -> {
                assertThat(e.code()).isEqualTo(7);
                assertThat(e.msg()).isEqualTo("nodeSubnet: \"" + c[0] + "\" " + c[1]);
              });
    }
    assertThatThrownBy(() -> Ipv4Subnets.parse("", "nodeSubnet"))
        .hasMessage("nodeSubnet: missing subnet");
  }

  @Test
  void overlapAndContainment() {
    Cidr a = Ipv4Subnets.parse("10.244.0.0/16", "k");
    Cidr b = Ipv4Subnets.parse("10.244.3.0/24", "k");
    Cidr c = Ipv4Subnets.parse("10.245.0.0/24", "k");
    assertThat(a.overlaps(b)).isTrue();
    assertThat(b.overlaps(a)).isTrue();
    assertThat(b.overlaps(c)).isFalse();
    assertThat(b.contains(InetAddresses.parse("10.244.3.200"))).isTrue();
    assertThat(b.contains(InetAddresses.parse("10.244.4.1"))).isFalse();
  }
}
