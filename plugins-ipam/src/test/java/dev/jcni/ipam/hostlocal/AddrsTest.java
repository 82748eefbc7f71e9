package dev.jcni.ipam.hostlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.spec.net.Cidr;
import dev.jcni.spec.net.InetAddresses;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * host-local's addresses: cni-spec's InetAddresses/Cidr with Go's text, which names the reservation
 * files.
 */
class AddrsTest {

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
    assertThat(Addrs.text(Addrs.parseOrNull(in))).isEqualTo(out);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "1.2.3",
        "1.2.3.4.5",
        "256.1.1.1",
        "01.2.3.4",
        "1.2.3.04",
        "1..2.3",
        "a.b.c.d",
        "1.2.3.4 ",
        ":",
        ":::",
        "1::2::3",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7",
        "12345::",
        "::g",
        "1:2:3:4:5:6:7:8::",
        "fe80::1%eth0",
        "localhost",
        "1:",
        ":1",
        "::1.2.3",
        "::1.2.3.4:5"
      })
  void rejectsNonAddresses(String s) {
    assertThat(Addrs.parseOrNull(s)).isNull();
  }

  @Test
  void arithmeticAndOrder() {
    assertThat(next("10.1.2.255")).isEqualTo("10.1.3.0");
    assertThat(prev("10.1.3.0")).isEqualTo("10.1.2.255");
    assertThat(next("255.255.255.255")).isEqualTo("0.0.0.0");
    assertThat(next("fd00::ffff")).isEqualTo("fd00::1:0");
    assertThat(prev("fd00::1:0")).isEqualTo("fd00::ffff");
    assertThat(prev("::")).isEqualTo("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
    assertThat(Addrs.compare(ip("10.0.0.2"), ip("10.0.0.1"))).isPositive();
    assertThat(Addrs.compare(ip("10.0.0.2"), ip("::1"))).isNegative();
    assertThat(ip("fd00::1")).isEqualTo(ip("fd00:0::1")).hasSameHashCodeAs(ip("fd00::0:1"));
    assertThat(Addrs.isV6(ip("::ffff:1.2.3.4"))).isFalse();
    assertThat(Addrs.sameFamily(ip("::ffff:1.2.3.4"), ip("10.0.0.1"))).isTrue();
    assertThat(Addrs.sameFamily(ip("::1.2.3.4"), ip("10.0.0.1"))).isFalse();
  }

  @Test
  void cidrBounds() {
    Cidr c = Addrs.parseSubnet("10.1.2.5/24");
    assertThat(Addrs.text(c.address())).isEqualTo("10.1.2.5");
    assertThat(c.isNetwork()).isFalse();
    assertThat(Addrs.text(c.networkAddress())).isEqualTo("10.1.2.0");
    assertThat(Addrs.text(c.lastAddress())).isEqualTo("10.1.2.255");
    assertThat(c.contains(ip("10.1.2.200"))).isTrue();
    assertThat(c.contains(ip("10.1.3.0"))).isFalse();
    assertThat(c.contains(ip("::1"))).isFalse();
    Cidr v6 = Addrs.parseSubnet("fd00:1::/48");
    assertThat(Addrs.text(v6.lastAddress())).isEqualTo("fd00:1:0:ffff:ffff:ffff:ffff:ffff");
    assertThat(Addrs.parseSubnet("0.0.0.0/0").contains(ip("1.2.3.4"))).isTrue();
    assertThat(Addrs.parseSubnet("::ffff:10.0.0.0/120")).hasToString("10.0.0.0/24");
    assertThat(Addrs.parseSubnet("10.0.0.0/024")).hasToString("10.0.0.0/24");
    for (String bad :
        new String[] {
          "10.0.0.0",
          "10.0.0.0/33",
          "fd00::/129",
          "10.0.0.0/",
          "10.0.0.0/-1",
          "10.0.0.0/+8",
          "x/8",
          "10.0.0.0/8/8",
          "10.0.0.0/0024",
          "::ffff:10.0.0.0/95",
          "fe80::%eth0/64"
        }) {
      assertThatThrownBy(() -> Addrs.parseSubnet(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("invalid CIDR address \"" + bad + "\"");
    }
  }

  private static InetAddress ip(String s) {
    InetAddress a = Addrs.parseOrNull(s);
    assertThat(a).as(s).isNotNull();
    return a;
  }

  private static String next(String s) {
    return Addrs.text(InetAddresses.next(ip(s)));
  }

  private static String prev(String s) {
    return Addrs.text(InetAddresses.previous(ip(s)));
  }
}
