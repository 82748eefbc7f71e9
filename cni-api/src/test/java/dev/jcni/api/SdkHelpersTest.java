package dev.jcni.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.spec.CniVersion;
import dev.jcni.spec.NetConf;
import dev.jcni.spec.Result;
import dev.jcni.spec.json.Required;
import dev.jcni.spec.net.Cidr;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** prevIface/ResultIface, PluginLog, strictConfig: through the real dispatcher where it matters. */
class SdkHelpersTest {
  @TempDir Path tmp;

  static Result prev() {
    return new Result(
        CniVersion.V1_0_0,
        List.of(
            Result.Interface.of("cni0", "02:00:00:00:00:01", null),
            Result.Interface.of("eth0", "02:00:00:00:00:02", null),
            Result.Interface.of("eth0", "02:00:00:00:00:03", "/run/netns/p")),
        List.of(
            Result.IpConfig.parse(0, "10.1.0.1/24", null),
            Result.IpConfig.parse(2, "10.1.0.5/24", "10.1.0.1"),
            Result.IpConfig.parse(2, "fd00::5/64", "fd00::1"),
            Result.IpConfig.parse(null, "10.9.9.9/32", null)),
        List.of(),
        null);
  }

  @Test
  void resultIfaceFindsTheSandboxedInterfaceWithItsAddressesAndGateways() throws Exception {
    ResultIface f = ResultIface.find(prev(), "eth0").orElseThrow();
    assertThat(f.index()).isEqualTo(2);
    assertThat(f.mac()).isEqualTo("02:00:00:00:00:03");
    assertThat(f.sandbox()).isEqualTo("/run/netns/p");
    assertThat(f.addresses()).containsExactly(Cidr.parse("10.1.0.5/24"), Cidr.parse("fd00::5/64"));
    assertThat(f.ipv4()).contains(Cidr.parse("10.1.0.5/24"));
    assertThat(f.ipv6()).contains(Cidr.parse("fd00::5/64"));
    assertThat(f.gateway(4)).contains(InetAddress.getByName("10.1.0.1"));
    assertThat(f.gateway(6)).contains(InetAddress.getByName("fd00::1"));
    assertThat(ResultIface.find(prev(), "cni0").orElseThrow().gateways()).isEmpty();
    assertThat(ResultIface.find(prev(), "eth9")).isEmpty();
  }

  /** Records what the helpers saw inside a real dispatch. */
  @CniType("sdk-helpers")
  static final class Probe implements CniPlugin {
    record Conf(@Required String mode) {}

    static volatile Object seen;

    @Override
    public Result add(Invocation inv) {
      Conf c = inv.strictConfig(Conf.class);
      PluginLog log = PluginLog.of(inv).alsoTo(Path.of(c.mode()));
      log.info("hello");
      log.debug("dbg");
      log.error("bad", new IllegalStateException("inner"));
      seen = inv.prevIface().map(ResultIface::ipv4).orElse(null);
      return inv.prevResult() != null ? inv.prevResult() : Result.empty(inv.cniVersion());
    }

    @Override
    public void del(Invocation inv) {}
  }

  @Test
  void pluginLogWritesToItsFileAndJcniLogButNeverStdout() throws Exception {
    Path own = tmp.resolve("own.log");
    Path shared = tmp.resolve("jcni.log");
    Map<String, String> env = new java.util.HashMap<>(TestSupport.env("ADD", tmp.resolve("ns")));
    env.put("CNI_NETNS", "/dev/null");
    env.put("JCNI_LOG", shared + ",stderr");
    String prevJson =
        new String(
            dev.jcni.spec.ResultCodec.toJson(prev(), CniVersion.V1_0_0), StandardCharsets.UTF_8);
    String conf =
        "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"sdk-helpers\",\"mode\":\""
            + own
            + "\",\"prevResult\":"
            + prevJson
            + "}";
    TestSupport.Out out = TestSupport.run(new Probe(), env, conf);
    assertThat(out.exit()).as(out.stdout()).isZero();
    assertThat(out.stdout()).doesNotContain("hello").startsWith("{\"cniVersion\":\"1.0.0\"");
    assertThat(Probe.seen).isEqualTo(java.util.Optional.of(Cidr.parse("10.1.0.5/24")));
    String ownText = Files.readString(own);
    assertThat(ownText)
        .contains(" sdk-helpers ADD ctr-1/eth0 INFO hello\n")
        .contains(" DEBUG dbg\n")
        .contains(" ERROR bad\n")
        .contains("IllegalStateException: inner");
    assertThat(Files.readString(shared))
        .contains("INFO hello")
        .contains("jcni sdk-helpers ADD"); // + dispatcher line
    assertThat(out.stderr()).contains("INFO hello");
  }

  @Test
  void logIsOffWithoutTargetsAndStrictConfigErrorsAreCode7() {
    Invocation inv =
        Invocation.builder()
            .config(
                NetConf.parse("{\"name\":\"n\",\"type\":\"t\"}".getBytes(StandardCharsets.UTF_8)))
            .build();
    assertThat(PluginLog.of(inv).enabled()).isFalse();
    assertThat(PluginLog.of(inv).alsoTo(tmp.resolve("x")).enabled()).isTrue();
    PluginLog.of(inv).info("nothing happens");
    Map<String, String> env = new java.util.HashMap<>(TestSupport.env("ADD", tmp.resolve("ns")));
    env.put("CNI_NETNS", "/dev/null");
    TestSupport.Out out =
        TestSupport.run(
            new Probe(), env, "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"mdoe\":\"x\"}");
    assertThat(out.code().intValue()).isEqualTo(7);
    assertThat(out.msg()).isEqualTo("unknown key \"mdoe\" (did you mean \"mode\"?)");
    out = TestSupport.run(new Probe(), env, "{\"cniVersion\":\"1.0.0\",\"name\":\"n\"}");
    assertThat(out.msg()).isEqualTo("\"mode\": required");
  }

  @Test
  void noStdoutEverFromTheLog() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    System.setOut(new PrintStream(b, true, StandardCharsets.UTF_8));
    try {
      Invocation inv =
          Invocation.builder()
              .env(Map.of("JCNI_LOG", "stderr"))
              .config(NetConf.parse("{\"name\":\"n\"}".getBytes(StandardCharsets.UTF_8)))
              .build();
      PluginLog.of(inv).warn("to stderr only");
    } finally {
      System.setOut(saved);
    }
    assertThat(b.size()).isZero();
  }
}
