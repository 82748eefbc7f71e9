package dev.jcni.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Crash consistency at named points: the jcni runtime CLI runs a bridge + host-local + portmap
 * conflist as a real process inside a node namespace of ours ({@code jrl-...}) and is halted (no
 * finally, no rollback, as kill -9) at a named point ({@code -Djcni.test.crashAt}, see {@code
 * CrashPoint}); the test proves the point was reached (marker on stderr, exit 137). Then DEL, with
 * the runtime's cached result and without it, must leave nothing of the container (veth, address
 * reservation, masquerade and portmap rules), and a fresh ADD of the same container must work. The
 * bridge itself and its gateway address are node infrastructure and may stay, as in Go.
 */
class CrashConsistencyTest {
  static final String CID = "jrl-crash";
  static final String NET = "jrlcrash";

  final String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
  final String node = "jrl-cn" + tag;
  final String pod = "jrl-cp" + tag;
  Path dir;

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(dev.jcni.testkit.NetnsExtension.isRoot(), "needs root: creates network namespaces");
    assumeTrue(run(List.of("nft", "--version"), null).exit == 0, "needs nft");
    dir = Files.createTempDirectory("jrl-crash-");
    sh("ip", "netns", "add", node);
    sh("ip", "netns", "add", pod);
    sh("ip", "-n", node, "link", "set", "lo", "up");
    Files.createDirectories(dir.resolve("net.d"));
    Files.writeString(
        dir.resolve("net.d/10-jrl.conflist"),
        "{\"cniVersion\":\"1.0.0\",\"name\":\""
            + NET
            + "\","
            + "\"plugins\":[{\"type\":\"bridge\",\"bridge\":\"jrlc0\",\"isGateway\":true,\"ipMasq\":true,"
            + "\"ipMasqBackend\":\"nftables\",\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.235.0.0/24\","
            + "\"dataDir\":\""
            + dir.resolve("ipam")
            + "\"}},{\"type\":\"portmap\",\"backend\":\"nftables\","
            + "\"capabilities\":{\"portMappings\":true}}]}");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (dir == null) {
      return;
    }
    run(List.of("ip", "netns", "del", pod), null);
    run(List.of("ip", "netns", "del", node), null);
    try (var s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  record Out(int exit, String stdout, String stderr) {}

  /**
   * {@code jcni VERB NET POD ...} as a fresh JVM inside the node, optionally halted at {@code
   * crashAt}.
   */
  Out jcni(String verb, String crashAt) throws Exception {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "ip",
                "netns",
                "exec",
                node,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xlog:disable",
                "-Xlog:all=warning:stderr",
                "-cp",
                System.getProperty("java.class.path")));
    if (crashAt != null) {
      argv.add("-Djcni.test.crashAt=" + crashAt);
    }
    argv.addAll(
        List.of(
            "dev.jcni.runtime.Cli",
            verb,
            NET,
            "/run/netns/" + pod,
            "--conf-dir",
            dir.resolve("net.d").toString(),
            "--cache-dir",
            dir.resolve("cache").toString(),
            "--cni-path",
            "/usr/lib/cni",
            "--container-id",
            CID,
            "--cap",
            "{\"portMappings\":[{\"hostPort\":18080,\"containerPort\":80,\"protocol\":\"tcp\"}]}"));
    return run(argv, null);
  }

  /**
   * Nothing of the container left: no veth in the node, no reservation, no rule naming it, no eth0
   * in the pod.
   */
  void nothingLeft() throws Exception {
    String links = sh("ip", "-n", node, "-o", "link", "show");
    assertThat(links).doesNotContain("veth");
    Path net = dir.resolve("ipam").resolve(NET);
    if (Files.isDirectory(net)) {
      try (var s = Files.list(net)) {
        assertThat(
                s.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals("lock") && !n.startsWith("last_reserved_ip")))
            .isEmpty();
      }
    }
    String rules = sh("ip", "netns", "exec", node, "nft", "list", "ruleset");
    assertThat(rules).doesNotContain("10.235.0.2").doesNotContain("18080").doesNotContain(CID);
    assertThat(sh("ip", "-n", pod, "-o", "link", "show")).doesNotContain("eth0");
  }

  /**
   * What the halted ADD left (no rollback ran): proves the following DEL had something to clean.
   */
  void leftBehind(String point) throws Exception {
    List<String> order =
        List.of(
            "bridge-made",
            "veth-made",
            "address-reserved",
            "masquerade-added",
            "portmap-rules-added");
    int reached = order.indexOf(point);
    assertThat(sh("ip", "-n", node, "-o", "link", "show")).contains("jrlc0");
    if (reached >= 1) {
      assertThat(sh("ip", "-n", node, "-o", "link", "show")).contains("veth");
    }
    if (reached >= 2) {
      assertThat(dir.resolve("ipam").resolve(NET).resolve("10.235.0.2")).exists();
    }
    String rules = sh("ip", "netns", "exec", node, "nft", "list", "ruleset");
    if (reached >= 3) {
      assertThat(rules).contains("10.235.0.2");
    }
    if (reached >= 4) {
      assertThat(rules).contains("18080");
    }
  }

  void freshAddWorksThenDelLeavesNothing() throws Exception {
    Out add = jcni("add", null);
    assertThat(add.exit()).as(add.stdout() + add.stderr()).isZero();
    assertThat(add.stdout()).contains("10.235.0.");
    assertThat(sh("ip", "netns", "exec", node, "nft", "list", "ruleset")).contains("18080");
    Out del = jcni("del", null);
    assertThat(del.exit()).as(del.stdout() + del.stderr()).isZero();
    nothingLeft();
  }

  void crashes(String verb, String point) throws Exception {
    Out crash = jcni(verb, point);
    assertThat(crash.stderr())
        .as(crash.stdout())
        .contains("jcni: crash point " + point + " reached");
    assertThat(crash.exit()).isEqualTo(137);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "bridge-made",
        "veth-made",
        "address-reserved",
        "masquerade-added",
        "portmap-rules-added"
      })
  void addHaltedAtAPointThenDelWithoutACachedResultLeavesNothingAndAFreshAddWorks(String point)
      throws Exception {
    crashes("add", point);
    leftBehind(point);
    // the runtime died before caching: DEL runs from the config alone (no prevResult)
    assertThat(Files.exists(dir.resolve("cache/results/" + NET + "-" + CID + "-eth0"))).isFalse();
    Out del = jcni("del", null);
    assertThat(del.exit()).as(del.stdout() + del.stderr()).isZero();
    nothingLeft();
    freshAddWorksThenDelLeavesNothing();
  }

  @ParameterizedTest
  @ValueSource(strings = {"del-portmap-rules-removed", "del-veth-deleted", "del-address-released"})
  void delHaltedAtAPointThenDelWithTheCachedResultLeavesNothing(String point) throws Exception {
    Out add = jcni("add", null);
    assertThat(add.exit()).as(add.stdout() + add.stderr()).isZero();
    crashes("del", point);
    assertThat(dir.resolve("cache/results/" + NET + "-" + CID + "-eth0"))
        .exists(); // DEL did not finish
    Out del = jcni("del", null); // with the cached result as prevResult
    assertThat(del.exit()).as(del.stdout() + del.stderr()).isZero();
    nothingLeft();
    freshAddWorksThenDelLeavesNothing();
  }

  @ParameterizedTest
  @ValueSource(strings = {"del-portmap-rules-removed", "del-veth-deleted", "del-address-released"})
  void delHaltedAtAPointThenDelWithoutTheCachedResultLeavesNothing(String point) throws Exception {
    Out add = jcni("add", null);
    assertThat(add.exit()).as(add.stdout() + add.stderr()).isZero();
    crashes("del", point);
    Files.delete(
        dir.resolve("cache/results/" + NET + "-" + CID + "-eth0")); // the cache was lost too
    Out del = jcni("del", null);
    assertThat(del.exit()).as(del.stdout() + del.stderr()).isZero();
    nothingLeft();
    freshAddWorksThenDelLeavesNothing();
  }

  // ------------------------------------------------------------------------------------------------- helpers

  static String sh(String... argv) throws Exception {
    Out o = run(List.of(argv), null);
    if (o.exit != 0) {
      throw new IllegalStateException(
          String.join(" ", argv) + " -> " + o.exit + ": " + o.stdout + o.stderr);
    }
    return o.stdout;
  }

  static Out run(List<String> argv, String stdin) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(argv).start();
    } catch (IOException e) {
      return new Out(127, "", e.getMessage());
    }
    p.getOutputStream().close();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread t = new Thread(() -> drain(p.getErrorStream(), err));
    t.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + argv);
    }
    t.join();
    return new Out(p.exitValue(), out, err.toString(StandardCharsets.UTF_8));
  }

  private static void drain(InputStream in, ByteArrayOutputStream to) {
    try {
      in.transferTo(to);
    } catch (IOException e) {
      // process gone
    }
  }
}
