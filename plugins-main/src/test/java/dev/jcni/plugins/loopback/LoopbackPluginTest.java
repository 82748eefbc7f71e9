package dev.jcni.plugins.loopback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcni.api.Dispatcher;
import dev.jcni.spec.CniVersion;
import dev.jcni.spec.json.Json;
import dev.jcni.system.NetNs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real-kernel tests of the loopback plugin in a throwaway namespace (root only). */
class LoopbackPluginTest {
  private static final boolean ROOT = dev.jcni.testkit.NetnsExtension.isRoot();
  private String nsName;

  @BeforeEach
  void createNamespace() {
    assumeTrue(ROOT, "needs root: creates a network namespace");
    nsName = "jlo-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    NetNs.create(nsName).close();
  }

  @AfterEach
  void deleteNamespace() {
    if (nsName != null) {
      try {
        NetNs.delete(nsName);
      } catch (RuntimeException ignored) {
        // already gone (a test deletes it itself)
      }
    }
  }

  private record Outcome(int exit, String stdout) {
    @SuppressWarnings("unchecked")
    Map<String, Object> json() {
      return (Map<String, Object>) Json.parse(stdout.getBytes(StandardCharsets.UTF_8));
    }
  }

  private Outcome call(String command, String netns, String version) {
    Map<String, String> env = new HashMap<>();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", "c-" + nsName);
    env.put("CNI_NETNS", netns);
    env.put("CNI_IFNAME", "lo");
    env.put("CNI_PATH", "/nonexistent");
    String conf =
        "{\"cniVersion\":\"" + version + "\",\"name\":\"cni-loopback\",\"type\":\"loopback\"}";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc =
        Dispatcher.run(
            new LoopbackPlugin(),
            env,
            new ByteArrayInputStream(conf.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(rc, out.toString(StandardCharsets.UTF_8));
  }

  private boolean loIsUp() throws Exception {
    Process p =
        new ProcessBuilder("ip", "-n", nsName, "-j", "link", "show", "lo")
            .redirectErrorStream(true)
            .start();
    String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(s).isZero();
    @SuppressWarnings("unchecked")
    Map<String, Object> link =
        (Map<String, Object>)
            ((List<Object>) Json.parse(s.getBytes(StandardCharsets.UTF_8))).get(0);
    return ((List<?>) link.get("flags")).contains("UP");
  }

  private String netnsPath() {
    return "/run/netns/" + nsName;
  }

  @Test
  void addBringsLoUpAndReportsBothLoopbackAddressesAt031() throws Exception {
    assertThat(loIsUp()).isFalse();
    Outcome add = call("ADD", netnsPath(), "0.3.1");
    assertThat(add.exit()).as(add.stdout()).isZero();
    assertThat(loIsUp()).isTrue();
    Map<String, Object> r = add.json();
    assertThat(r.get("cniVersion")).isEqualTo("0.3.1");
    assertThat(r.get("interfaces"))
        .isEqualTo(
            List.of(Map.of("name", "lo", "mac", "00:00:00:00:00:00", "sandbox", netnsPath())));
    assertThat(r.get("ips"))
        .isEqualTo(
            List.of(
                Map.of("version", "4", "interface", 0L, "address", "127.0.0.1/8"),
                Map.of("version", "6", "interface", 0L, "address", "::1/128")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"})
  void everySpecVersionGetsAResultAtItsOwnVersion(String version) {
    Outcome add = call("ADD", netnsPath(), version);
    assertThat(add.exit()).as(add.stdout()).isZero();
    Map<String, Object> r = add.json();
    assertThat(r.get("cniVersion")).isEqualTo(version);
    if (CniVersion.parse(version).atLeast(CniVersion.V0_3_0)) {
      assertThat((List<?>) r.get("ips")).hasSize(2);
    } else {
      assertThat(r.get("ip4")).isEqualTo(Map.of("ip", "127.0.0.1/8"));
      assertThat(r.get("ip6")).isEqualTo(Map.of("ip", "::1/128"));
    }
  }

  @Test
  void checkSeesLoUpThenDelTakesItDown() throws Exception {
    assertThat(call("ADD", netnsPath(), "1.0.0").exit()).isZero();
    assertThat(call("CHECK", netnsPath(), "1.0.0").exit()).isZero();

    Outcome del = call("DEL", netnsPath(), "1.0.0");
    assertThat(del.exit()).as(del.stdout()).isZero();
    assertThat(loIsUp()).isFalse();

    Outcome check = call("CHECK", netnsPath(), "1.0.0");
    assertThat(check.exit()).isNotZero();
    assertThat(check.json().get("msg").toString()).contains("loopback interface is down");
  }

  @Test
  void bothDelShapesContainerdSendsSucceed() throws Exception {
    assertThat(call("ADD", netnsPath(), "0.3.1").exit()).isZero();
    // StopPodSandbox: DEL with the namespace
    assertThat(call("DEL", netnsPath(), "0.3.1").exit()).isZero();
    assertThat(loIsUp()).isFalse();
    // RemovePodSandbox: DEL again with an empty CNI_NETNS
    Outcome second = call("DEL", "", "0.3.1");
    assertThat(second.exit()).as(second.stdout()).isZero();
    assertThat(second.stdout()).isEmpty();
  }

  @Test
  void delAfterTheNamespaceWasDeletedSucceeds() {
    String path = netnsPath();
    NetNs.delete(nsName);
    nsName = null;
    Outcome del = call("DEL", path, "0.3.1");
    assertThat(del.exit()).as(del.stdout()).isZero();
  }

  @Test
  void addIntoAMissingNamespaceIsACniErrorNotAStackTrace() {
    Outcome add = call("ADD", "/run/netns/jlo-does-not-exist", "0.3.1");
    assertThat(add.exit()).isNotZero();
    Map<String, Object> err = add.json();
    assertThat(err).containsKeys("code", "msg");
    assertThat(add.stdout()).doesNotContain("\tat ");
  }
}
