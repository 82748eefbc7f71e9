package dev.jcni.plugins.vxlan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.spec.CniException;
import org.junit.jupiter.api.Test;

class Ipv4CidrTest {

  @Test
  void parsesAndNormalisesToTheNetwork() {
    Ipv4Cidr c = Ipv4Cidr.parse("10.244.1.7/24", "k");
    assertThat(c.toString()).isEqualTo("10.244.1.0/24");
    assertThat(Peer.format(c.networkAddress())).isEqualTo("10.244.1.0");
    assertThat(Ipv4Cidr.parse("0.0.0.0/0", "k").toString()).isEqualTo("0.0.0.0/0");
    assertThat(Ipv4Cidr.parse("255.255.255.255/32", "k").toString()).isEqualTo("255.255.255.255/32");
  }

  @Test
  void rejectsBadInputNamingTheKey() {
    for (String bad : new String[] {"10.1.0.0", "10.1.0.0/33", "10.1.0/24", "10.1.0.256/24", "a.b.c.d/8",
        "10.1.0.0/x", "fd00::/64", "10.1.0.0/-1", " 10.1.0.0/24"}) {
      assertThatThrownBy(() -> Ipv4Cidr.parse(bad, "nodeSubnet"), bad)
          .isInstanceOfSatisfying(CniException.class, e -> {
            assertThat(e.code()).isEqualTo(7);
            assertThat(e.msg()).startsWith("nodeSubnet: ");
          });
    }
  }

  @Test
  void overlapAndContainment() {
    Ipv4Cidr a = Ipv4Cidr.parse("10.244.0.0/16", "k");
    Ipv4Cidr b = Ipv4Cidr.parse("10.244.3.0/24", "k");
    Ipv4Cidr c = Ipv4Cidr.parse("10.245.0.0/24", "k");
    assertThat(a.overlaps(b)).isTrue();
    assertThat(b.overlaps(a)).isTrue();
    assertThat(b.overlaps(c)).isFalse();
    assertThat(b.contains(Ipv4Cidr.parseIpv4("10.244.3.200"))).isTrue();
    assertThat(b.contains(Ipv4Cidr.parseIpv4("10.244.4.1"))).isFalse();
  }
}
