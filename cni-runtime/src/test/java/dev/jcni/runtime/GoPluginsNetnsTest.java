package dev.jcni.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.spec.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code jcni} CLI driving Go's bridge + host-local (v1.1.1, /usr/lib/cni) and an in-process
 * jcni plugin against real namespaces: a "node" namespace plays the host (the CLI runs inside it
 * through {@code ip netns exec}) and a container namespace gets eth0. Go bridge's CHECK verifies
 * every interface, address and route of the prevResult we cached, so it checks that the result
 * survives our cache round trip intact.
 */
class GoPluginsNetnsTest {
  static final Path GO = Path.of("/usr/lib/cni");
  final String id = Integer.toHexString(0x1000 + ThreadLocalRandom.current().nextInt(0xefff));
  final String node = "jrt-node-" + id;
  final String ctr = "jrt-ctr-" + id;
  final String bridge = "jrtbr" + id;

  @TempDir Path tmp;
  Path record;

  @BeforeEach
  void setUp() throws Exception {
    Assumptions.assumeTrue(
        dev.jcni.testkit.NetnsExtension.isRoot(), "needs root: creates namespaces");
    Assumptions.assumeTrue(
        Files.isExecutable(GO.resolve("bridge")) && Files.isExecutable(GO.resolve("host-local")),
        "needs Go bridge and host-local in /usr/lib/cni");
    sh("ip", "netns", "add", node);
    sh("ip", "netns", "add", ctr);
    sh("ip", "-n", node, "link", "set", "lo", "up");
    record = tmp.resolve("calls.jsonl");
    Files.createDirectories(tmp.resolve("net.d"));
    Files.writeString(
        tmp.resolve("net.d/10-jrt.conflist"),
        "{\"cniVersion\":\"1.0.0\",\"name\":\"jrt\",\"plugins\":["
            + "{\"type\":\"bridge\",\"bridge\":\""
            + bridge
            + "\",\"isGateway\":true,\"ipMasq\":false,"
            + "\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.231.7.0/24\",\"dataDir\":"
            + Json.writeString(tmp.resolve("ipam").toString())
            + "}},"
            + "{\"type\":\"jcni-test-recorder\",\"record\":"
            + Json.writeString(record.toString())
            + "}]}");
  }

  @AfterEach
  void tearDown() throws Exception {
    for (String ns : List.of(ctr, node)) {
      if (Files.exists(Path.of("/run/netns", ns))) {
        run(List.of("ip", "netns", "del", ns));
      }
    }
  }

  /**
   * {@code jcni VERB jrt CTR ...} run inside the node namespace, plugins exec'd from /usr/lib/cni.
   */
  Proc jcni(String verb) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return run(
        List.of(
            "ip",
            "netns",
            "exec",
            node,
            java,
            "-cp",
            System.getProperty("java.class.path"),
            Cli.class.getName(),
            verb,
            "jrt",
            ctr,
            "--container-id",
            "jrt-" + id,
            "--conf-dir",
            tmp.resolve("net.d").toString(),
            "--cache-dir",
            tmp.resolve("cache").toString(),
            "--cni-path",
            GO.toString()));
  }

  @Test
  void addCheckDelWithGoBridge() throws Exception {
    Proc add = jcni("add");
    assertThat(add.rc).as(add.out + add.err).isZero();
    Map<String, Object> result = Json.parseObject(add.out.getBytes(StandardCharsets.UTF_8));
    assertThat(Json.writeString(result.get("ips"))).contains("10.231.7.2/24");
    assertThat(Json.writeString(result.get("interfaces")))
        .contains(bridge, "\"eth0\"", "/run/netns/" + ctr);

    assertThat(sh("ip", "-n", ctr, "-4", "-o", "addr", "show", "dev", "eth0"))
        .contains("10.231.7.2/24");
    assertThat(sh("ip", "-n", node, "-4", "-o", "addr", "show", "dev", bridge))
        .contains("10.231.7.1/24");
    assertThat(
            run(List.of("ip", "netns", "exec", node, "ping", "-c", "1", "-W", "3", "10.231.7.2"))
                .rc)
        .isZero();
    // the in-process plugin after Go's bridge got bridge's result as prevResult
    Recorded rec = Recorded.drain(record).get(0);
    assertThat(Json.writeString(rec.stdin().get("prevResult"))).contains("10.231.7.2/24", bridge);

    Proc check = jcni("check");
    assertThat(check.rc).as(check.out + check.err).isZero();

    Proc del = jcni("del");
    assertThat(del.rc).as(del.out + del.err).isZero();
    assertThat(run(List.of("ip", "-n", ctr, "link", "show", "eth0")).rc).isNotZero();
    assertThat(tmp.resolve("cache/results/jrt-jrt-" + id + "-eth0")).doesNotExist();
    assertThat(tmp.resolve("ipam/jrt/10.231.7.2")).doesNotExist();
    assertThat(Recorded.drain(record))
        .extracting(Recorded::command)
        .containsExactly("CHECK", "DEL");

    // a CHECK after DEL fails cleanly: Go bridge misses the interface (no stack trace, CNI error
    // JSON)
    Proc late = jcni("check");
    assertThat(late.rc).isEqualTo(1);
    assertThat(Json.parseObject(late.out.getBytes(StandardCharsets.UTF_8)))
        .containsKeys("code", "msg");
  }

  record Proc(int rc, String out, String err) {}

  static Proc run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(new ArrayList<>(cmd)).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("timed out: " + cmd);
    }
    return new Proc(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  static String sh(String... cmd) throws Exception {
    Proc p = run(List.of(cmd));
    if (p.rc != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + ": " + p.err);
    }
    return p.out;
  }
}
