package dev.jcni.plugins.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IpPrefixTest {
  @Test
  void networkGatewayAndFormatting() {
    IpPrefix p = IpPrefix.parse("10.22.0.5/24");
    assertThat(p.network()).hasToString("10.22.0.0/24");
    assertThat(IpPrefix.format(p.firstHost())).isEqualTo("10.22.0.1");
    assertThat(p.host()).hasToString("10.22.0.5/32");
    IpPrefix v6 = IpPrefix.parse("FD00:22:0:0::5/64");
    assertThat(v6).hasToString("fd00:22::5/64");
    assertThat(v6.network()).hasToString("fd00:22::/64");
    assertThat(IpPrefix.format(v6.firstHost())).isEqualTo("fd00:22::1");
    assertThat(IpPrefix.parse("10.1.2.3/20").network()).hasToString("10.1.0.0/20");
    assertThat(IpPrefix.parse("2001:db8:0:1:0:0:0:1/128")).hasToString("2001:db8:0:1::1/128");
  }

  @Test
  void containsAndOverlap() {
    IpPrefix p = IpPrefix.parse("10.22.0.0/16");
    assertThat(p.contains(IpPrefix.parseAddress("10.22.9.9"))).isTrue();
    assertThat(p.contains(IpPrefix.parseAddress("10.23.0.1"))).isFalse();
    assertThat(p.contains(IpPrefix.parseAddress("fd00::1"))).isFalse();
    assertThat(p.overlaps(IpPrefix.parse("10.22.3.0/24"))).isTrue();
    assertThat(IpPrefix.add(IpPrefix.parseAddress("10.0.0.255"), 1)).isEqualTo(IpPrefix.parseAddress("10.0.1.0"));
  }

  @Test
  void neverResolvesNames() {
    assertThatThrownBy(() -> IpPrefix.parse("localhost/8")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IpPrefix.parse("10.0.0.1/33")).isInstanceOf(IllegalArgumentException.class);
  }
}
