package dev.jcni.plugins.common.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.spec.CniException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FwValuesTest {

  @Test
  void addressesAreParsedAndPrintedCanonically() {
    assertThat(FwValues.text(FwValues.address("10.1.2.3", "k"))).isEqualTo("10.1.2.3");
    assertThat(FwValues.text(FwValues.address("FD00:0:0:0::0:1", "k"))).isEqualTo("fd00::1");
    assertThat(FwValues.text(FwValues.address("2001:db8:0:0:1:0:0:1", "k")))
        .isEqualTo("2001:db8::1:0:0:1");
    assertThat(FwValues.text(FwValues.address("::", "k"))).isEqualTo("::");
    assertThat(FwValues.text(FwValues.address("::1", "k"))).isEqualTo("::1");
    assertThat(FwValues.text(FwValues.address("1:2:3:4:5:6:7:8", "k")))
        .isEqualTo("1:2:3:4:5:6:7:8");
    assertThat(FwValues.text(FwValues.address("1:0:3:4:5:6:7:8", "k")))
        .isEqualTo("1:0:3:4:5:6:7:8");
    assertThat(FwValues.isUnspecified(FwValues.address("0.0.0.0", "k"))).isTrue();
    assertThat(FwValues.hostPort(FwValues.address("fd00::2", "k"), 80)).isEqualTo("[fd00::2]:80");
    assertThat(FwValues.hostPort(FwValues.address("10.0.0.2", "k"), 80)).isEqualTo("10.0.0.2:80");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "localhost",
        "example.com",
        "10.1",
        "10.0.0.256",
        "10.0.0.1 ",
        "10.0.0.1;drop",
        "10.0.0.1\ncommit",
        "fe80::1%eth0",
        "[::1]",
        "010.0.0.1",
        "1.2.3.4/32",
        "::ffff:1.2.3.4",
        "1::2::3"
      })
  void hostileOrOddAddressesAreRefusedNamingTheKey(String s) {
    assertThatThrownBy(() -> FwValues.address(s, "portMappings[0].hostIP"))
        .isInstanceOf(CniException.class)
        .hasMessageContaining("portMappings[0].hostIP")
        .satisfies(e -> assertThat(((CniException) e).code()).isEqualTo(7));
  }

  @Test
  void cidrs() {
    FwValues.Cidr c = FwValues.cidr("10.1.2.3/24", "k");
    assertThat(c.toString()).isEqualTo("10.1.2.3/24");
    assertThat(c.networkText()).isEqualTo("10.1.2.0/24");
    assertThat(FwValues.cidr("fd00::5/64", "k").networkText()).isEqualTo("fd00::/64");
    assertThat(FwValues.cidr("10.0.0.1", "k").prefix()).isEqualTo(32);
    assertThat(FwValues.cidr("10.1.2.3/20", "k").networkText()).isEqualTo("10.1.0.0/20");
    assertThatThrownBy(() -> FwValues.cidr("10.0.0.1/33", "k")).isInstanceOf(CniException.class);
    assertThatThrownBy(() -> FwValues.cidr("10.0.0.1/x", "k")).isInstanceOf(CniException.class);
  }

  @Test
  void portsAndNames() {
    assertThat(FwValues.port(1, "k")).isEqualTo(1);
    assertThat(FwValues.port(65535, "k")).isEqualTo(65535);
    assertThatThrownBy(() -> FwValues.port(0, "hostPort")).hasMessageContaining("hostPort");
    assertThatThrownBy(() -> FwValues.port(65536, "hostPort")).hasMessageContaining("65536");
    assertThat(FwValues.interfaceName("eth0", "k")).isEqualTo("eth0");
    assertThatThrownBy(() -> FwValues.interfaceName("eth0\"; drop", "k"))
        .isInstanceOf(CniException.class);
    assertThatThrownBy(() -> FwValues.interfaceName("abcdefghijklmnop", "k"))
        .isInstanceOf(CniException.class);
    assertThatThrownBy(() -> FwValues.comment("a\"b", "k")).isInstanceOf(CniException.class);
    assertThatThrownBy(() -> FwValues.comment("a\nb", "k")).isInstanceOf(CniException.class);
    assertThat(FwValues.comment("net: n1 id: abc-1.2", "k")).isEqualTo("net: n1 id: abc-1.2");
    assertThatThrownBy(() -> FwValues.chain("X Y", "k")).isInstanceOf(CniException.class);
    assertThatThrownBy(() -> FwValues.chain("A23456789012345678901234567890", "k"))
        .isInstanceOf(CniException.class);
  }

  @Test
  void goChainNamesMatchGo() {
    // sha512("netid") starts with "0ef1" ... Go: fmt.Sprintf("%s%x", prefix, sha512(name+id))[:28]
    String expected = "CNI-DN-" + FwValues.sha512Hex("net", "id").substring(0, 21);
    assertThat(FwValues.goChainName("CNI-DN-", "net", "id")).isEqualTo(expected).hasSize(28);
    assertThat(FwValues.sha512Hex("abc")).startsWith("ddaf35a193617aba");
  }

  @Test
  void printableEscapesControlCharacters() {
    assertThat(FwValues.printable("a\nb")).isEqualTo("a\\x0ab");
  }
}
