package dev.jcni.plugins.meta.bandwidth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.netlink.Qdisc;
import dev.jcni.spec.CniException;
import dev.jcni.spec.NetConf;
import dev.jcni.spec.net.Cidr;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Config parsing, precedence between the config and the {@code bandwidth} capability, Go's numbers.
 * No root.
 */
class BandwidthConfigTest {

  static Map<String, Object> raw(String extra) {
    String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"n1\",\"type\":\"bandwidth\"" + extra + "}";
    return NetConf.parse(conf.getBytes(StandardCharsets.UTF_8)).raw();
  }

  static BandwidthConfig parse(String extra) {
    return BandwidthConfig.parse(raw(extra));
  }

  static final String RUNTIME =
      ",\"runtimeConfig\":{\"bandwidth\":{\"ingressRate\":16000000,\"ingressBurst\":160000,"
          + "\"egressRate\":8000000,\"egressBurst\":80000}}";

  @Test
  void runtimeConfigAloneIsUsed() {
    BandwidthConfig c = parse(RUNTIME);
    assertThat(c.source()).isEqualTo("runtimeConfig.bandwidth.");
    assertThat(c.ingressRate()).isEqualTo(16000000);
    assertThat(c.ingressBurst()).isEqualTo(160000);
    assertThat(c.egressRate()).isEqualTo(8000000);
    assertThat(c.egressBurst()).isEqualTo(80000);
    assertThat(c.shapesIngress()).isTrue();
    assertThat(c.shapesEgress()).isTrue();
  }

  @Test
  void anyTopLevelKeyMakesTheConfigWinLikeGo() {
    // Go v1.1.1 (and every later release): getBandwidth returns the embedded top-level entry when
    // the config has
    // any of its keys and only falls back to runtimeConfig.bandwidth otherwise; checked against
    // /usr/lib/cni
    BandwidthConfig c = parse(",\"ingressRate\":8000000,\"ingressBurst\":80000" + RUNTIME);
    assertThat(c.source()).isEmpty();
    assertThat(c.ingressRate()).isEqualTo(8000000);
    assertThat(c.egressRate()).as("nothing merged from runtimeConfig").isZero();
    assertThat(c.shapesEgress()).isFalse();
    // even an explicit zero counts as "the config has limits": nothing is shaped
    BandwidthConfig zero = parse(",\"egressRate\":0" + RUNTIME);
    assertThat(zero.source()).isEmpty();
    assertThat(zero.shapes()).isFalse();
  }

  @Test
  void keysMatchCaseInsensitivelyLikeGo() {
    BandwidthConfig c =
        parse(",\"RuntimeConfig\":{\"Bandwidth\":{\"IngressRate\":800,\"INGRESSBURST\":80}}");
    assertThat(c.ingressRate()).isEqualTo(800);
    assertThat(c.ingressBurst()).isEqualTo(80);
  }

  @Test
  void nothingToShape() {
    assertThat(parse("").shapes()).isFalse();
    assertThat(parse(",\"runtimeConfig\":{}").shapes()).isFalse();
    assertThat(parse(",\"runtimeConfig\":{\"bandwidth\":{}}").shapes()).isFalse();
    assertThat(parse(",\"runtimeConfig\":{\"portMappings\":[]}").source()).isNull();
  }

  @Test
  void badValuesAreCode7NamingTheKey() {
    assertBad(",\"ingressRate\":1000", "ingressBurst: if rate is set, burst must also be set");
    assertBad(",\"egressBurst\":1000", "egressRate: if burst is set, rate must also be set");
    assertBad(
        ",\"runtimeConfig\":{\"bandwidth\":{\"egressRate\":1000}}",
        "runtimeConfig.bandwidth.egressBurst: if rate is set, burst must also be set");
    assertBad(
        ",\"ingressRate\":-5,\"ingressBurst\":100", "ingressRate: must be a non-negative integer");
    assertBad(",\"ingressRate\":\"1M\",\"ingressBurst\":100", "ingressRate: must be a number");
    assertBad(
        ",\"ingressRate\":1.5,\"ingressBurst\":100", "ingressRate: must be a non-negative integer");
    assertBad(
        ",\"ingressRate\":100000,\"ingressBurst\":34359738360",
        "ingressBurst: burst cannot be more than 4GB");
    assertBad(
        ",\"ingressRate\":100000,\"ingressBurst\":18446744073709551615",
        "ingressBurst: 18446744073709551615 is too large");
    assertBad(
        ",\"egressRate\":7,\"egressBurst\":100",
        "egressRate: 7 bits/s is less than one byte per second");
    assertBad(
        ",\"runtimeConfig\":{\"bandwidth\":[]}", "runtimeConfig.bandwidth: must be an object");
    assertBad(
        ",\"shapedSubnets\":[\"10.0.0.0/8\"],\"unshapedSubnets\":[\"10.1.0.0/16\"]",
        "unshapedSubnets and shapedSubnets cannot both be specified");
    assertBad(",\"unshapedSubnets\":[\"10.0.0.0\"]", "unshapedSubnets[0]: bad subnet \"10.0.0.0\"");
    assertBad(",\"shapedSubnets\":[\"x\\\"y/8\"]", "shapedSubnets[0]: bad subnet \"x?y/8\"");
    assertBad(",\"shapedSubnets\":\"10.0.0.0/8\"", "shapedSubnets: must be an array");
  }

  private static void assertBad(String extra, String msg) {
    assertThatThrownBy(() -> parse(extra))
        .isInstanceOf(CniException.class)
        .satisfies(e -> assertThat(((CniException) e).code()).isEqualTo(7))
        .satisfies(e -> assertThat(((CniException) e).msg()).contains(msg));
  }

  @Test
  void subnetsAreNormalised() {
    BandwidthConfig c =
        parse(
            ",\"egressRate\":8000,\"egressBurst\":800,\"unshapedSubnets\":[\"10.1.2.3/16\",\"fd00::1/64\"]");
    assertThat(c.unshapedSubnets())
        .containsExactly(Cidr.parse("10.1.0.0/16"), Cidr.parse("fd00::/64"));
  }

  @Test
  void goNumbers() {
    // 8 Mbit/s, burst 80000 bits: what Go's createTBF computes (and tc prints as rate 8Mbit burst
    // 10000b lat 25ms)
    Qdisc.Tbf t = Shaping.tbf(8_000_000, 80_000);
    assertThat(t.rate()).isEqualTo(1_000_000);
    assertThat(t.burst()).isEqualTo(10_000);
    assertThat(t.buffer()).as("10 ms in 15.625-tick µs").isEqualTo(156_250);
    assertThat(t.limit()).as("25 ms of rate + burst").isEqualTo(35_000);
  }

  @Test
  void ifbNameIsGos() {
    // from Go's bandwidth v1.1.1 in /usr/lib/cni for network "n1", container "c1"
    assertThat(Shaping.ifbName("n1", "c1")).isEqualTo("bwp7be53730afe4");
    assertThat(Shaping.ifbName("n1", "c1")).hasSize(15);
  }

  @Test
  void redirectFilterShape() {
    var f = Shaping.redirectFilter(3, 9);
    assertThat(Shaping.isRedirectFilter(f)).isTrue();
    assertThat(f.redirectsTo(9)).isTrue();
    assertThat(f.keys()).hasSize(1);
    assertThat(List.of(f.prio(), f.protocol())).containsExactly(1, 3);
  }
}
