package dev.jcni.spec.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InetAddressesTest {
  @Test
  void canonicalFormsMatchGo() {
    String[][] cases = {
      {"10.1.0.5", "10.1.0.5"},
      {"0.0.0.0", "0.0.0.0"},
      {"255.255.255.255", "255.255.255.255"},
      {"::", "::"},
      {"::1", "::1"},
      {"1::", "1::"},
      {"FD00:1:0::1", "fd00:1::1"},
      {"fd00:0:0:1:0:0:0:1", "fd00:0:0:1::1"}, // first longest run wins; a tie keeps the first
      {"fd00:0:0:1:1:0:0:1", "fd00::1:1:0:0:1"},
      {"1:0:1:0:1:0:1:0", "1:0:1:0:1:0:1:0"}, // single zero groups are not compressed
      {"2001:db8::ff00:42:8329", "2001:db8::ff00:42:8329"},
      {"::ffff:10.0.0.1", "10.0.0.1"},
      {"::ffff:a00:1", "10.0.0.1"},
      {"::10.0.0.1", "::a00:1"},
      {"1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"},
      {"0001:0002:0003:0004:0005:0006:0007:0008", "1:2:3:4:5:6:7:8"},
    };
    for (String[] c : cases) {
      assertThat(InetAddresses.canonical(c[0])).as(c[0]).isEqualTo(c[1]);
    }
  }

  @Test
  void rejectsNonLiterals() {
    for (String bad :
        new String[] {
          "",
          "localhost",
          "10.0.0",
          "10.0.0.1.2",
          "01.0.0.1",
          "256.0.0.1",
          "1.2.3.-4",
          ":::",
          "1:::2",
          "12345::",
          "::1%lo",
          ":1",
          "1:",
          "1:2:3:4:5:6:7:8:9",
          "::1.2.3",
          "1.2.3.4::",
          "1:2:3:4:5:6:7::1.2.3.4",
          "1:2:3:4:5:6:7:1.2.3.4",
          "g::1",
          " ::1"
        }) {
      assertThat(InetAddresses.parseBytes(bad)).as(bad).isNull();
      assertThat(InetAddresses.isLiteral(bad)).isFalse();
    }
    assertThatThrownBy(() -> InetAddresses.parse("example.com"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid IP address: example.com");
  }

  @Test
  void nextPreviousCompare() {
    assertThat(InetAddresses.format(InetAddresses.next(InetAddresses.parse("10.0.0.255"))))
        .isEqualTo("10.0.1.0");
    assertThat(InetAddresses.format(InetAddresses.previous(InetAddresses.parse("10.0.1.0"))))
        .isEqualTo("10.0.0.255");
    assertThat(InetAddresses.format(InetAddresses.next(InetAddresses.parse("fd00::ffff"))))
        .isEqualTo("fd00::1:0");
    assertThat(InetAddresses.format(InetAddresses.next(InetAddresses.parse("255.255.255.255"))))
        .isEqualTo("0.0.0.0");
    assertThat(
            InetAddresses.compare(
                InetAddresses.parse("10.0.0.2"), InetAddresses.parse("10.0.0.10")))
        .isNegative();
    assertThat(InetAddresses.compare(InetAddresses.parse("10.0.0.2"), InetAddresses.parse("::1")))
        .isNegative();
    assertThat(InetAddresses.family(InetAddresses.parse("::ffff:1.2.3.4"))).isEqualTo(4);
    assertThat(InetAddresses.family(InetAddresses.parse("fd00::1"))).isEqualTo(6);
  }

  @Test
  void addOffsetsWrapWithinTheFamily() {
    assertThat(InetAddresses.format(InetAddresses.add(InetAddresses.parse("10.0.0.255"), 1)))
        .isEqualTo("10.0.1.0");
    assertThat(InetAddresses.format(InetAddresses.add(InetAddresses.parse("10.0.1.0"), -1)))
        .isEqualTo("10.0.0.255");
    assertThat(InetAddresses.format(InetAddresses.add(InetAddresses.parse("10.0.0.0"), 65536)))
        .isEqualTo("10.1.0.0");
    assertThat(InetAddresses.format(InetAddresses.add(InetAddresses.parse("255.255.255.255"), 2)))
        .isEqualTo("0.0.0.1");
    assertThat(InetAddresses.format(InetAddresses.add(InetAddresses.parse("0.0.0.0"), -1)))
        .isEqualTo("255.255.255.255");
    assertThat(InetAddresses.format(InetAddresses.add(InetAddresses.parse("fd00::ffff"), 1)))
        .isEqualTo("fd00::1:0");
    assertThat(InetAddresses.format(InetAddresses.add(InetAddresses.parse("fd00:0:0:1::"), -1)))
        .isEqualTo("fd00::ffff:ffff:ffff:ffff");
    assertThat(InetAddresses.format(InetAddresses.add(InetAddresses.parse("::"), Long.MAX_VALUE)))
        .isEqualTo("::7fff:ffff:ffff:ffff");
    assertThat(InetAddresses.format(InetAddresses.add(InetAddresses.parse("fd00::5"), 0)))
        .isEqualTo("fd00::5");
  }
}
