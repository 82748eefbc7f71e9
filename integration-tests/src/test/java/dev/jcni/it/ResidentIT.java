package dev.jcni.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcni.system.NetNs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Resident mode end to end with real processes: {@code bin/jcni daemon} runs in a namespace of its
 * own, the {@code jcni} runtime execs the shims ({@code bin/<type>}, {@code --exec-only}) inside a
 * node namespace, so every plugin call is shim → daemon, acting in the shim's (the node's)
 * namespace. Results and error JSON are compared with the direct path ({@code JCNI_DIRECT=1}: a JVM
 * per call); the daemon is killed with SIGKILL in the middle of an ADD and the DEL, served by the
 * fallback, must leave nothing; with the daemon stopped every call still works. {@code
 * JCNI_SHIM_DEBUG=1} makes each shim say which path served it.
 */
class ResidentIT {
  static Path bin;
  final String hex = Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24));
  final String node = "jsh-" + hex + "-n";
  final String pod = "jsh-" + hex + "-p";
  final String dns = "jsh-" + hex + "-d";
  final String bridge = "jsh" + hex + "br";

  @TempDir Path tmp;
  Path socket;
  Process daemon;

  @BeforeAll
  static void locate() {
    bin = Packaged.home().resolve("bin");
    assertThat(bin.resolve("jcni")).as("run mvn package first").isExecutable();
  }

  @BeforeEach
  void namespaces() throws Exception {
    assumeTrue(dev.jcni.testkit.NetnsExtension.isRoot(), "needs root: creates network namespaces");
    for (String ns : List.of(node, pod, dns)) {
      NetNs.create(ns).close();
      sh("ip", "-n", ns, "link", "set", "lo", "up");
    }
    socket = tmp.resolve("jcni.sock");
    startDaemon();
  }

  @AfterEach
  void cleanUp() throws Exception {
    stopDaemon(false);
    for (String ns : List.of(pod, node, dns)) {
      if (Files.exists(NetNs.RUN_DIR.resolve(ns))) {
        NetNs.delete(ns);
      }
    }
  }

  void startDaemon() throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
            "ip",
            "netns",
            "exec",
            dns,
            bin.resolve("jcni").toString(),
            "daemon",
            "--socket",
            socket.toString());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.redirectErrorStream(true).redirectOutput(tmp.resolve("daemon.log").toFile());
    daemon = pb.start();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < end) {
      assertThat(daemon.isAlive()).as("daemon running: " + daemonLog()).isTrue();
      if (Files.exists(socket) && version().stderr().contains("resident")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the daemon did not serve within 60 s: " + daemonLog());
  }

  /** SIGKILL (a crash) or SIGTERM (an orderly stop, which removes the socket). */
  void stopDaemon(boolean kill) throws Exception {
    if (daemon == null) {
      return;
    }
    if (kill) {
      daemon.destroyForcibly();
    } else {
      daemon.destroy();
      if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
        daemon.destroyForcibly();
      }
    }
    daemon.waitFor(30, TimeUnit.SECONDS);
    daemon = null;
  }

  String daemonLog() throws IOException {
    Path log = tmp.resolve("daemon.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  Proc version() throws Exception {
    return shim("debug", Map.of("CNI_COMMAND", "VERSION"), "{\"cniVersion\":\"1.0.0\"}", false);
  }

  /** One plugin call: the shim as a process in the node namespace. */
  Proc shim(String type, Map<String, String> extra, String stdin, boolean direct) throws Exception {
    List<String> cmd = List.of("ip", "netns", "exec", node, bin.resolve(type).toString());
    Map<String, String> env = new HashMap<>(extra);
    env.put("JCNI_SOCKET", socket.toString());
    env.put("JCNI_SHIM_DEBUG", "1");
    if (direct) {
      env.put("JCNI_DIRECT", "1");
    }
    return run(cmd, env, stdin);
  }

  // ---- the chain through the runtime ----

  void writeConfig(String confDir, String mainType, String dataDir) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(confDir));
    String ipam =
        "{\"type\":\"host-local\",\"ranges\":[[{\"subnet\":\"10.246."
            + (hex.hashCode() & 0x7f)
            + ".0/24\"}]],\"routes\":[{\"dst\":\"0.0.0.0/0\"}],\"dataDir\":\""
            + tmp.resolve(dataDir)
            + "\"}";
    String main =
        "bridge".equals(mainType)
            ? "{\"type\":\"bridge\",\"bridge\":\""
                + bridge
                + "\",\"isGateway\":true,\"ipMasq\":true,\"ipam\":"
                + ipam
                + "}"
            : "{\"type\":\"ptp\",\"ipMasq\":true,\"ipam\":" + ipam + "}";
    Files.writeString(
        dir.resolve("10-pods.conflist"),
        "{\"cniVersion\":\"1.0.0\",\"name\":\"pods\",\"plugins\":["
            + main
            + ",{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true}}]}");
  }

  /**
   * jcni add|del through the shims, the runtime in the node namespace (a process per plugin call).
   */
  Proc chain(String verb, String confDir, String cid, boolean direct) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "ip",
                "netns",
                "exec",
                node,
                bin.resolve("jcni").toString(),
                verb,
                "pods",
                NetNs.RUN_DIR.resolve(pod).toString(),
                "--container-id",
                cid,
                "--conf-dir",
                tmp.resolve(confDir).toString(),
                "--cache-dir",
                tmp.resolve("cache-" + confDir).toString(),
                "--cni-path",
                bin.toString(),
                "--exec-only",
                "--cap",
                "{\"portMappings\":[{\"hostPort\":18093,\"containerPort\":80,\"protocol\":\"tcp\"}]}"));
    Map<String, String> env = new HashMap<>();
    env.put("JCNI_SOCKET", socket.toString());
    env.put("JCNI_SHIM_DEBUG", "1");
    if (direct) {
      env.put("JCNI_DIRECT", "1");
    }
    return run(cmd, env, "");
  }

  @ParameterizedTest
  @ValueSource(strings = {"bridge", "ptp"})
  void chainServedByTheDaemonEqualsTheDirectPath(String mainType) throws Exception {
    writeConfig("res", mainType, "ipam-res");
    writeConfig("dir", mainType, "ipam-dir");
    String cid = "jsh-" + hex + "-c";

    Proc add = chain("add", "res", cid, false);
    assertThat(add.exit()).as(add.all()).isZero();
    assertThat(add.stderr())
        .as("served by the daemon")
        .contains("jcni-shim: " + mainType + " ADD: resident", "jcni-shim: portmap ADD: resident")
        .doesNotContain("direct");
    // the daemon acted in the caller's namespaces: the host side is in the node, nothing in its own
    assertThat(sh("ip", "-n", pod, "-o", "addr", "show", "eth0")).contains("10.246.");
    assertThat(sh("ip", "-n", node, "-o", "link", "show", "type", "veth")).contains("veth");
    assertThat(sh("ip", "-n", dns, "-o", "link", "show")).doesNotContain("veth", bridge);
    assertThat(sh("ip", "netns", "exec", dns, "nft", "list", "ruleset")).doesNotContain(cid);
    String resident = normalise(add.stdout());
    Proc del = chain("del", "res", cid, false);
    assertThat(del.exit()).as(del.all()).isZero();
    assertThat(del.stderr())
        .contains("jcni-shim: portmap DEL: resident", "jcni-shim: " + mainType + " DEL: resident");
    assertNothingLeft("ipam-res", cid);

    Proc addDirect = chain("add", "dir", cid, true);
    assertThat(addDirect.exit()).as(addDirect.all()).isZero();
    assertThat(addDirect.stderr())
        .contains("jcni-shim: " + mainType + " ADD: direct (JCNI_DIRECT=1)")
        .doesNotContain("resident");
    assertThat(normalise(addDirect.stdout())).isEqualTo(resident);
    Proc delDirect = chain("del", "dir", cid, true);
    assertThat(delDirect.exit()).as(delDirect.all()).isZero();
    assertNothingLeft("ipam-dir", cid);
  }

  /**
   * MAC addresses and generated host-side veth names differ from one ADD to the next; nothing else
   * may.
   */
  static String normalise(String result) {
    return result
        .replaceAll("\"mac\"\\s*:\\s*\"[0-9a-fA-F:]+\"", "\"mac\":\"*\"")
        .replaceAll("\"name\"\\s*:\\s*\"veth[0-9a-zA-Z]+\"", "\"name\":\"veth*\"");
  }

  @Test
  void errorJsonAndExitCodesAreTheSameOnBothPaths() throws Exception {
    Map<String, String> add =
        Map.of(
            "CNI_COMMAND",
            "ADD",
            "CNI_CONTAINERID",
            "jsh-" + hex + "-e",
            "CNI_NETNS",
            NetNs.RUN_DIR.resolve(pod).toString(),
            "CNI_IFNAME",
            "eth0",
            "CNI_PATH",
            bin.toString());
    Map<String, String> noNetns = new HashMap<>(add);
    noNetns.remove("CNI_NETNS");
    Map<String, String> goneNetns = new HashMap<>(add);
    goneNetns.put("CNI_NETNS", tmp.resolve("jsh-absent").toString());
    List<Object[]> cases =
        List.of(
            new Object[] {"bridge", add, "{not json"},
            new Object[] {
              "bridge", add, "{\"cniVersion\":\"9.9.9\",\"name\":\"x\",\"type\":\"bridge\"}"
            },
            new Object[] {
              "bridge", noNetns, "{\"cniVersion\":\"1.0.0\",\"name\":\"x\",\"type\":\"bridge\"}"
            },
            new Object[] {
              "ptp",
              goneNetns,
              "{\"cniVersion\":\"1.0.0\",\"name\":\"x\",\"type\":\"ptp\",\"ipam\":"
                  + "{\"type\":\"host-local\",\"subnet\":\"10.247.0.0/24\",\"dataDir\":\""
                  + tmp.resolve("e")
                  + "\"}}"
            },
            new Object[] {
              "bridge",
              add,
              "{\"cniVersion\":\"1.0.0\",\"name\":\"x\",\"type\":\"bridge\",\"bridge\":\""
                  + bridge
                  + "\",\"ipam\":{\"type\":\"host-local\",\"subnet\":\"not-a-cidr\"}}"
            },
            new Object[] {
              "portmap",
              add,
              "{\"cniVersion\":\"1.0.0\",\"name\":\"x\",\"type\":\"portmap\","
                  + "\"capabilities\":{\"portMappings\":true},\"runtimeConfig\":{\"portMappings\":[{\"hostPort\":-1,"
                  + "\"containerPort\":80,\"protocol\":\"tcp\"}]},\"prevResult\":{\"cniVersion\":\"1.0.0\"}}"
            });
    for (Object[] c : cases) {
      String type = (String) c[0];
      @SuppressWarnings("unchecked")
      Map<String, String> env = (Map<String, String>) c[1];
      String stdin = (String) c[2];
      Proc resident = shim(type, env, stdin, false);
      Proc direct = shim(type, env, stdin, true);
      assertThat(resident.stderr()).as(stdin).contains("jcni-shim: " + type + " ADD: resident");
      assertThat(direct.stderr()).as(stdin).contains("jcni-shim: " + type + " ADD: direct");
      assertThat(resident.exit())
          .as(stdin + "\n" + resident.all())
          .isNotZero()
          .isEqualTo(direct.exit());
      assertThat(resident.stdout())
          .as(stdin)
          .startsWith("{\"")
          .contains("\"code\":")
          .isEqualTo(direct.stdout());
    }
  }

  @Test
  void shimsInTwoNodeNamespacesAtOnceEachGetTheirOwnBridge() throws Exception {
    String node2 = "jsh-" + hex + "-m";
    String pod2 = "jsh-" + hex + "-q";
    try {
      for (String ns : List.of(node2, pod2)) {
        NetNs.create(ns).close();
        sh("ip", "-n", ns, "link", "set", "lo", "up");
      }
      List<CompletableFuture<Proc>> adds = new ArrayList<>();
      for (String[] np : new String[][] {{node, pod}, {node2, pod2}}) {
        adds.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return bridgeCall(np[0], np[1], "ADD");
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }));
      }
      for (CompletableFuture<Proc> f : adds) {
        Proc a = f.get(120, TimeUnit.SECONDS);
        assertThat(a.exit()).as(a.all()).isZero();
        assertThat(a.stderr()).contains("jcni-shim: bridge ADD: resident");
      }
      for (String[] np : new String[][] {{node, pod}, {node2, pod2}}) {
        assertThat(sh("ip", "-n", np[0], "-o", "link", "show", "master", bridge))
            .as(np[0])
            .contains("veth");
        assertThat(sh("ip", "-n", np[1], "-o", "addr", "show", "eth0"))
            .as(np[1])
            .contains("10.249.");
      }
      assertThat(sh("ip", "-n", dns, "-o", "link", "show")).doesNotContain(bridge, "veth");
      for (String[] np : new String[][] {{node, pod}, {node2, pod2}}) {
        Proc d = bridgeCall(np[0], np[1], "DEL");
        assertThat(d.exit()).as(d.all()).isZero();
        assertThat(sh("ip", "-n", np[0], "-o", "link", "show", "type", "veth"))
            .doesNotContain("veth");
      }
    } finally {
      for (String ns : List.of(pod2, node2)) {
        if (Files.exists(NetNs.RUN_DIR.resolve(ns))) {
          NetNs.delete(ns);
        }
      }
    }
  }

  /**
   * A bridge call through the shim in the given node namespace; each node keeps its own IPAM data.
   */
  Proc bridgeCall(String nodeNs, String podNs, String verb) throws Exception {
    String conf =
        "{\"cniVersion\":\"1.0.0\",\"name\":\"pods\",\"type\":\"bridge\",\"bridge\":\""
            + bridge
            + "\",\"isGateway\":true,\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.249.0.0/24\",\"dataDir\":\""
            + tmp.resolve("ipam-" + nodeNs)
            + "\"}}";
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "CNI_COMMAND",
                verb,
                "CNI_CONTAINERID",
                "jsh-" + hex + "-2n",
                "CNI_NETNS",
                NetNs.RUN_DIR.resolve(podNs).toString(),
                "CNI_IFNAME",
                "eth0",
                "CNI_PATH",
                bin.toString(),
                "JCNI_SOCKET",
                socket.toString(),
                "JCNI_SHIM_DEBUG",
                "1"));
    return run(List.of("ip", "netns", "exec", nodeNs, bin.resolve("bridge").toString()), env, conf);
  }

  @Test
  void aTypeTheDaemonDoesNotServeRunsItsOwnLauncherWithTheSameStdin() throws Exception {
    Path other = Files.createDirectories(tmp.resolve("other/bin"));
    Path libexec = Files.createDirectories(tmp.resolve("other/libexec"));
    Files.copy(bin.resolve("debug"), other.resolve("jsh-thirdparty"));
    Path launcher = libexec.resolve("jsh-thirdparty");
    Files.writeString(
        launcher, "#!/bin/sh\necho \"third-party launcher for ${0##*/}\"\nexec cat\n");
    Files.setPosixFilePermissions(
        launcher, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"x\",\"type\":\"jsh-thirdparty\"}";
    Proc p =
        run(
            List.of(other.resolve("jsh-thirdparty").toString()),
            Map.of("CNI_COMMAND", "ADD", "JCNI_SOCKET", socket.toString(), "JCNI_SHIM_DEBUG", "1"),
            conf);
    assertThat(p.exit()).as(p.all()).isZero();
    assertThat(p.stderr())
        .contains("jcni-shim: jsh-thirdparty ADD: direct (the daemon does not serve this type)");
    assertThat(p.stdout()).isEqualTo("third-party launcher for jsh-thirdparty\n" + conf);
  }

  // ---- the daemon goes away ----

  @Test
  void daemonKilledMidAddThenDelThroughTheFallbackLeavesNothing() throws Exception {
    String conf =
        "{\"cniVersion\":\"1.0.0\",\"name\":\"pods\",\"type\":\"bridge\",\"bridge\":\""
            + bridge
            + "\",\"isGateway\":true,\"ipMasq\":true,\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.248."
            + (hex.hashCode() & 0x7f)
            + ".0/24\",\"dataDir\":\""
            + tmp.resolve("ipam-res")
            + "\"}}";
    int cutOff = 0;
    int i = 0;
    // the shim is called directly (connects within milliseconds); a freshly started daemon's first
    // bridge ADD
    // takes far longer than these delays, so SIGKILL lands in the middle of it
    for (long delayMs : new long[] {5, 20, 60}) {
      String cid = "jsh-" + hex + "-k" + i++;
      Map<String, String> env =
          Map.of(
              "CNI_COMMAND",
              "ADD",
              "CNI_CONTAINERID",
              cid,
              "CNI_NETNS",
              NetNs.RUN_DIR.resolve(pod).toString(),
              "CNI_IFNAME",
              "eth0",
              "CNI_PATH",
              bin.toString());
      if (daemon == null) {
        startDaemon(); // replaces the stale socket the killed one left
      }
      CompletableFuture<Proc> add =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return shim("bridge", env, conf, false);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      Thread.sleep(delayMs);
      stopDaemon(true);
      Proc a = add.get(120, TimeUnit.SECONDS);
      if (a.exit() != 0) {
        // cut off mid-call: a CNI error, never an empty success
        assertThat(a.stdout())
            .as(a.all())
            .isEqualTo(
                "{\"cniVersion\":\"1.0.0\",\"code\":999," + "\"msg\":\"jcni daemon went away\"}\n");
        cutOff++;
      } else {
        assertThat(a.stdout()).as(a.all()).contains("\"ips\"");
      }
      assertThat(socket).as("a killed daemon leaves its socket behind").exists();
      Map<String, String> delEnv = new HashMap<>(env);
      delEnv.put("CNI_COMMAND", "DEL");
      Proc del = shim("bridge", delEnv, conf, false);
      assertThat(del.exit()).as(del.all()).isZero();
      assertThat(del.stderr())
          .as("stale socket: connection refused, direct path")
          .contains("jcni-shim: bridge DEL: direct (connect " + socket + ": Connection refused)");
      assertNothingLeft("ipam-res", cid);
    }
    assertThat(cutOff).as("ADDs cut off by the kill").isPositive();
  }

  @Test
  void withTheDaemonStoppedEveryCallGoesDirectAndWorks() throws Exception {
    stopDaemon(false);
    assertThat(socket).as("an orderly stop removes the socket").doesNotExist();
    writeConfig("res", "ptp", "ipam-res");
    String cid = "jsh-" + hex + "-s";
    Proc add = chain("add", "res", cid, false);
    assertThat(add.exit()).as(add.all()).isZero();
    assertThat(add.stderr())
        .contains(
            "jcni-shim: ptp ADD: direct (connect " + socket + ": No such file or directory)",
            "jcni-shim: portmap ADD: direct")
        .doesNotContain("resident");
    assertThat(sh("ip", "-n", pod, "-o", "addr", "show", "eth0")).contains("10.246.");
    Proc del = chain("del", "res", cid, false);
    assertThat(del.exit()).as(del.all()).isZero();
    assertNothingLeft("ipam-res", cid);
  }

  // ---- helpers ----

  private void assertNothingLeft(String dataDir, String cid) throws Exception {
    Path dir = tmp.resolve(dataDir).resolve("pods"); // the network's name
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.list(dir)) {
        assertThat(
                s.map(f -> f.getFileName().toString()).filter(n -> n.matches("[0-9.]+")).toList())
            .as("host-local reservations")
            .isEmpty();
      }
    }
    assertThat(sh("ip", "-n", node, "-o", "link", "show", "type", "veth"))
        .as("host-side veths")
        .doesNotContain("veth");
    assertThat(sh("ip", "-n", pod, "-o", "link", "show"))
        .as("pod interfaces")
        .doesNotContain("eth0");
    String nft = sh("ip", "netns", "exec", node, "nft", "list", "ruleset");
    String ipt = run(List.of("ip", "netns", "exec", node, "iptables-save"), Map.of(), "").stdout();
    String shortId = cid.length() > 12 ? cid.substring(0, 12) : cid;
    assertThat(nft + ipt)
        .as("firewall rules of " + cid)
        .doesNotContain(cid)
        .doesNotContain(shortId);
  }

  record Proc(int exit, String stdout, String stderr) {
    String all() {
      return "exit " + exit + "\nstdout: " + stdout + "\nstderr: " + stderr;
    }
  }

  static Proc run(List<String> cmd, Map<String, String> env, String stdin) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().putAll(env);
    Process pr = pb.start();
    CompletableFuture<byte[]> err =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return pr.getErrorStream().readAllBytes();
              } catch (IOException e) {
                return new byte[0];
              }
            });
    try (var o = pr.getOutputStream()) {
      o.write(stdin.getBytes(StandardCharsets.UTF_8));
    } catch (IOException ignored) {
      // the process did not read its stdin
    }
    String out = new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(pr.waitFor(120, TimeUnit.SECONDS)).as("finished: " + cmd).isTrue();
    return new Proc(pr.exitValue(), out, new String(err.get(), StandardCharsets.UTF_8));
  }

  static String sh(String... cmd) throws Exception {
    Proc r = run(List.of(cmd), Map.of(), "");
    assertThat(r.exit()).as(String.join(" ", cmd) + "\n" + r.all()).isZero();
    return r.stdout();
  }
}
