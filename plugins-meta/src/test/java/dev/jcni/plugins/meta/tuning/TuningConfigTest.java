package dev.jcni.plugins.meta.tuning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jcni.spec.CniArgs;
import dev.jcni.spec.CniException;
import dev.jcni.spec.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Go's precedence between config, CNI_ARGS, runtimeConfig and args.cni, and validation (no root).
 */
class TuningConfigTest {

  private static TuningConfig parse(String json, String cniArgs) {
    return TuningConfig.parse(
        Json.parseObject(json), json.getBytes(StandardCharsets.UTF_8), CniArgs.parse(cniArgs));
  }

  private static String conf(String body) {
    return "{\"cniVersion\":\"1.0.0\",\"name\":\"tnet\",\"type\":\"tuning\"" + body + "}";
  }

  private static CniException error(String json, String cniArgs) {
    CniException e = catchThrowableOfType(CniException.class, () -> parse(json, cniArgs));
    assertThat(e).as(json).isNotNull();
    return e;
  }

  @Test
  void defaults() {
    TuningConfig c = parse(conf(""), "");
    assertThat(c.dataDir()).isEqualTo(Path.of("/run/cni/tuning"));
    assertThat(c.sysctls()).isEmpty();
    assertThat(c.mac()).isNull();
    assertThat(c.promisc()).isFalse();
    assertThat(c.mtu()).isZero();
    assertThat(c.allmulti()).isNull();
    assertThat(c.txQLen()).isNull();
    assertThat(c.changesLink()).isFalse();
  }

  @Test
  void everyKey() {
    TuningConfig c =
        parse(
            conf(
                ",\"dataDir\":\"/tmp/x\",\"sysctl\":{\"net.ipv4.conf.IFNAME.arp_notify\":\"1\","
                    + "\"net.core.somaxconn\":\"500\"},\"mac\":\"C2:11:22:33:44:55\",\"promisc\":true,\"mtu\":1400,"
                    + "\"allmulti\":false,\"txQLen\":0"),
            "");
    assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/x"));
    assertThat(c.sysctls())
        .containsExactly(
            java.util.Map.entry("net.ipv4.conf.IFNAME.arp_notify", "1"),
            java.util.Map.entry("net.core.somaxconn", "500"));
    assertThat(c.mac()).isEqualTo("c2:11:22:33:44:55");
    assertThat(c.promisc()).isTrue();
    assertThat(c.mtu()).isEqualTo(1400);
    assertThat(c.allmulti()).isFalse();
    assertThat(c.txQLen()).isZero();
    assertThat(c.changesLink()).isTrue();
  }

  @Test
  void macPrecedenceConfigThenCniArgsThenRuntimeConfigThenArgs() {
    String base = ",\"mac\":\"02:00:00:00:00:01\"";
    assertThat(parse(conf(base), "").mac()).isEqualTo("02:00:00:00:00:01");
    assertThat(parse(conf(base), "MAC=02:00:00:00:00:02").mac()).isEqualTo("02:00:00:00:00:02");
    TuningConfig rc =
        parse(
            conf(base + ",\"runtimeConfig\":{\"mac\":\"02:00:00:00:00:03\"}"),
            "MAC=02:00:00:00:00:02");
    assertThat(rc.mac()).isEqualTo("02:00:00:00:00:03");
    assertThat(rc.macKey()).isEqualTo("runtimeConfig.mac");
    TuningConfig args =
        parse(
            conf(
                base
                    + ",\"runtimeConfig\":{\"mac\":\"02:00:00:00:00:03\"},\"args\":{\"cni\":"
                    + "{\"mac\":\"02:00:00:00:00:04\"}}"),
            "MAC=02:00:00:00:00:02");
    assertThat(args.mac()).isEqualTo("02:00:00:00:00:04");
    assertThat(args.macKey()).isEqualTo("args.cni.mac");
    // an empty runtimeConfig.mac does not count; an empty args.cni.mac clears (Go's pointer
    // semantics)
    assertThat(parse(conf(base + ",\"runtimeConfig\":{\"mac\":\"\"}"), "").mac())
        .isEqualTo("02:00:00:00:00:01");
    assertThat(parse(conf(base + ",\"args\":{\"cni\":{\"mac\":\"\"}}"), "").mac()).isNull();
  }

  @Test
  void argsCniOverridesAndMergesSysctls() {
    TuningConfig c =
        parse(
            conf(
                ",\"sysctl\":{\"net.a.b\":\"1\",\"net.c.d\":\"2\"},\"promisc\":true,\"mtu\":1400,"
                    + "\"allmulti\":true,\"txQLen\":100,\"args\":{\"cni\":{\"sysctl\":{\"net.a.b\":\"9\",\"net.e.f\":\"3\"},"
                    + "\"promisc\":false,\"mtu\":9000,\"allmulti\":false,\"txQLen\":5}}"),
            "");
    assertThat(c.sysctls())
        .containsExactly(
            java.util.Map.entry("net.c.d", "2"),
            java.util.Map.entry("net.a.b", "9"),
            java.util.Map.entry("net.e.f", "3"));
    assertThat(c.promisc()).isFalse();
    assertThat(c.mtu()).isEqualTo(9000);
    assertThat(c.allmulti()).isFalse();
    assertThat(c.txQLen()).isEqualTo(5);
    // args.cni.sysctl without a config sysctl (Go v1.1.1 panics on its nil map here)
    assertThat(parse(conf(",\"args\":{\"cni\":{\"sysctl\":{\"net.a.b\":\"1\"}}}"), "").sysctls())
        .containsOnlyKeys("net.a.b");
  }

  @Test
  void badValuesAreCode7NamingTheKey() {
    CniException e = error(conf(",\"mac\":\"zz:11:22:33:44:55\""), "");
    assertThat(e.code()).isEqualTo(7);
    assertThat(e.msg()).isEqualTo("mac: invalid MAC address \"zz:11:22:33:44:55\"");
    e = error(conf(",\"runtimeConfig\":{\"mac\":\"01:00:5e:00:00:01\"}"), "");
    assertThat(e.code()).isEqualTo(7);
    assertThat(e.msg()).startsWith("runtimeConfig.mac: ").contains("multicast");
    e = error(conf(",\"args\":{\"cni\":{\"mac\":\"nope\"}}"), "");
    assertThat(e.msg()).startsWith("args.cni.mac: ");
    assertThat(error(conf(",\"mtu\":-1"), "").msg()).isEqualTo("mtu: must not be negative, got -1");
    assertThat(error(conf(",\"mtu\":\"1500\""), "").msg())
        .isEqualTo("mtu: expected an integer, got the string \"1500\"");
    assertThat(error(conf(",\"txQLen\":-5"), "").msg())
        .isEqualTo("txQLen: must not be negative, got -5");
    assertThat(error(conf(",\"args\":{\"cni\":{\"txQLen\":-5}}"), "").msg())
        .startsWith("args.cni.txQLen: ");
    assertThat(error(conf(",\"promisc\":\"yes\""), "").msg())
        .isEqualTo("promisc: expected a boolean, got the string \"yes\"");
    assertThat(error(conf(",\"allmulti\":1"), "").msg()).startsWith("allmulti: expected a boolean");
    assertThat(error(conf(",\"sysctl\":[]"), "").msg())
        .isEqualTo("sysctl: expected an object, got an array");
    assertThat(error(conf(",\"sysctl\":{\"net.core.somaxconn\":1024}"), "").msg())
        .isEqualTo("sysctl \"net.core.somaxconn\": expected a string, got the number 1024");
    assertThat(error(conf(",\"dataDir\":5"), "").msg()).startsWith("dataDir: ");
    e = error(conf(",\"sysctl\":{\"net.a.b\":\"1\",\"net.c.d\":\"1\",\"net.a.b\":\"2\"}"), "");
    assertThat(e.code()).isEqualTo(7);
    assertThat(e.msg()).isEqualTo("sysctl \"net.a.b\": duplicated sysctl keys are not allowed");
  }

  @Test
  void cniArgsAreCode4AndStrictLikeLibcni() {
    CniException e = error(conf(""), "MAC=nope");
    assertThat(e.code()).isEqualTo(4);
    assertThat(e.msg()).startsWith("CNI_ARGS MAC: ");
    e = error(conf(""), "FOO=1");
    assertThat(e.code()).isEqualTo(4);
    assertThat(e.msg()).contains("FOO=1");
    assertThat(parse(conf(""), "IgnoreUnknown=1;K8S_POD_NAME=p;MAC=02:00:00:00:00:09").mac())
        .isEqualTo("02:00:00:00:00:09");
  }
}
