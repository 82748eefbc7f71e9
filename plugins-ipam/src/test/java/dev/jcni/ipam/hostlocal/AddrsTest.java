package dev.jcni.ipam.hostlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpTest {

  @ParameterizedTest
  @CsvSource({
      "10.1.2.3, 10.1.2.3",
      "0.0.0.0, 0.0.0.0",
      "255.255.255.255, 255.255.255.255",
      "::, ::",
      "::1, ::1",
      "fd00::, fd00::",
      "FD00:0:0:0:0:0:0:5, fd00::5",
      "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
      "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
      "1:0:0:2:0:0:3:4, 1::2:0:0:3:4",
      "0:0:1:0:0:0:0:0, 0:0:1::",
      "2001:db8::a:0:0:1, 2001:db8::a:0:0:1",
      "fd00::ffff:ffff:ffff:ffff, fd00::ffff:ffff:ffff:ffff",
      "::ffff:10.1.2.3, 10.1.2.3",
      "::1.2.3.4, ::102:304",
      "0001:0db8:0000:0000:0000:0000:0000:0001, 1:db8::1",
  })
  void parsesAndPrintsLikeGo(String in, String out) {
    assertThat(Ip.parse(in)).hasToString(out);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.04", "1..2.3", "a.b.c.d",
      "1.2.3.4 ", ":", ":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "::g", "1:2:3:4:5:6:7:8::",
      "fe80::1%eth0", "localhost", "1:", ":1", "::1.2.3", "::1.2.3.4:5"})
  void rejectsNonAddresses(String s) {
    assertThat(Ip.parseOrNull(s)).isNull();
    assertThatThrownBy(() -> Ip.parse(s)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void arithmeticAndOrder() {
    assertThat(Ip.parse("10.1.2.255").next()).hasToString("10.1.3.0");
    assertThat(Ip.parse("10.1.3.0").prev()).hasToString("10.1.2.255");
    assertThat(Ip.parse("255.255.255.255").next()).hasToString("0.0.0.0");
    assertThat(Ip.parse("fd00::ffff").next()).hasToString("fd00::1:0");
    assertThat(Ip.parse("fd00::1:0").prev()).hasToString("fd00::ffff");
    assertThat(Ip.parse("::").prev()).hasToString("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
    assertThat(Ip.parse("10.0.0.2")).isGreaterThan(Ip.parse("10.0.0.1")).isLessThan(Ip.parse("::1"));
    assertThat(Ip.parse("fd00::1")).isEqualTo(Ip.parse("fd00:0::1")).hasSameHashCodeAs(Ip.parse("fd00::0:1"));
    assertThat(Ip.parse("::ffff:1.2.3.4").isV6()).isFalse();
  }

  @Test
  void cidrBounds() {
    Cidr c = Cidr.parse("10.1.2.5/24");
    assertThat(c.address()).hasToString("10.1.2.5");
    assertThat(c.isNetworkAddress()).isFalse();
    assertThat(c.network()).hasToString("10.1.2.0");
    assertThat(c.last()).hasToString("10.1.2.255");
    assertThat(c.contains(Ip.parse("10.1.2.200"))).isTrue();
    assertThat(c.contains(Ip.parse("10.1.3.0"))).isFalse();
    assertThat(c.contains(Ip.parse("::1"))).isFalse();
    Cidr v6 = Cidr.parse("fd00:1::/48");
    assertThat(v6.last()).hasToString("fd00:1:0:ffff:ffff:ffff:ffff:ffff");
    assertThat(Cidr.parse("0.0.0.0/0").contains(Ip.parse("1.2.3.4"))).isTrue();
    assertThat(Cidr.parse("::ffff:10.0.0.0/120")).hasToString("10.0.0.0/24");
    for (String bad : new String[] {"10.0.0.0", "10.0.0.0/33", "fd00::/129", "10.0.0.0/", "10.0.0.0/-1",
        "10.0.0.0/+8", "x/8", "10.0.0.0/8/8"}) {
      assertThatThrownBy(() -> Cidr.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
