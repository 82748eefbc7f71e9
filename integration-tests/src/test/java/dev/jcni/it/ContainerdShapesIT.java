package dev.jcni.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcni.spec.json.Json;
import dev.jcni.system.NetNs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays what containerd 1.6's CRI plugin sends (shared/reference/cni-facts.md §6) through the
 * packaged executables, every plugin a real process: loopback and the main network ADDed
 * concurrently, containerd's K8S_* CNI_ARGS, portmap's capability arguments with capitalised keys,
 * then the two DELs — first with the netns and the cached prevResult, then with an empty CNI_NETNS
 * and no prevResult. Also the case where the namespace is already gone and only the second DEL
 * shape arrives: it alone must remove everything.
 *
 * <p>The plugins' "host" is a node namespace created here; the chain runs under {@code ip netns
 * exec NODE jcni --exec-only}, so each plugin is its own process, as under libcni.
 */
class ContainerdShapesIT {
  static Path bin;
  final String p = "jcd" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20));
  final String node = p + "-node";
  final String pod = p + "-pod";
  final String client = p + "-cl";
  final String cid = "ctr" + p;
  final String uplinkNode = "10.251." + ThreadLocalRandom.current().nextInt(1, 250) + ".1";
  final String uplinkClient = uplinkNode.substring(0, uplinkNode.length() - 1) + "2";
  final int hostPort = 18091;

  @TempDir Path tmp;

  @BeforeAll
  static void locate() {
    bin = Packaged.home().resolve("bin");
    assertThat(bin.resolve("jcni")).as("run mvn package first").isExecutable();
  }

  @BeforeEach
  void namespaces() throws Exception {
    assumeTrue(dev.jcni.testkit.NetnsExtension.isRoot(), "needs root: creates network namespaces");
    for (String ns : List.of(node, pod, client)) {
      NetNs.create(ns).close();
    }
    sh(
        "ip", "link", "add", p + "-up", "netns", node, "type", "veth", "peer", "name", p + "-cl",
        "netns", client);
    sh("ip", "-n", node, "addr", "add", uplinkNode + "/24", "dev", p + "-up");
    sh("ip", "-n", node, "link", "set", p + "-up", "up");
    sh("ip", "-n", node, "link", "set", "lo", "up");
    sh("ip", "-n", client, "addr", "add", uplinkClient + "/24", "dev", p + "-cl");
    sh("ip", "-n", client, "link", "set", p + "-cl", "up");
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (String ns : List.of(pod, client, node)) {
      if (Files.exists(NetNs.RUN_DIR.resolve(ns))) {
        NetNs.delete(ns);
      }
    }
  }

  private void writeConfigs(String mainType) throws IOException {
    Path confDir = Files.createDirectories(tmp.resolve("net.d"));
    String ipam =
        "{\"type\":\"host-local\",\"ranges\":[[{\"subnet\":\"10.245.7.0/24\"}]],"
            + "\"routes\":[{\"dst\":\"0.0.0.0/0\"}],\"dataDir\":\""
            + tmp.resolve("ipam")
            + "\"}";
    String main =
        "bridge".equals(mainType)
            ? "{\"type\":\"bridge\",\"bridge\":\""
                + p
                + "-br\",\"isGateway\":true,\"ipMasq\":true,\"ipam\":"
                + ipam
                + "}"
            : "{\"type\":\"ptp\",\"ipMasq\":true,\"ipam\":" + ipam + "}";
    Files.writeString(
        confDir.resolve("10-pods.conflist"),
        "{\"cniVersion\":\"1.0.0\",\"name\":\"pods\",\"plugins\":["
            + main
            + ",{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true},\"snat\":true}]}");
    // What containerd sends for loopback, from the same plugin directory.
    Files.writeString(
        confDir.resolve("99-loopback.conf"),
        "{\"cniVersion\":\"0.3.1\",\"name\":\"cni-loopback\",\"type\":\"loopback\"}");
  }

  /** containerd's CNI_ARGS; the pair order changes from call to call. */
  private String cniArgs(int call) {
    List<String> pairs =
        new ArrayList<>(
            List.of(
                "K8S_POD_NAMESPACE=default",
                "K8S_POD_NAME=web-" + p,
                "K8S_POD_INFRA_CONTAINER_ID=" + cid,
                "K8S_POD_UID=uid-" + p,
                "IgnoreUnknown=1"));
    java.util.Collections.rotate(pairs, call);
    return String.join(";", pairs);
  }

  private Proc jcni(String verb, String network, String netns, String ifname, String cap, int call)
      throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "ip",
                "netns",
                "exec",
                node,
                bin.resolve("jcni").toString(),
                verb,
                network,
                netns,
                "--ifname",
                ifname,
                "--container-id",
                cid,
                "--args",
                cniArgs(call),
                "--conf-dir",
                tmp.resolve("net.d").toString(),
                "--cache-dir",
                tmp.resolve("cache").toString(),
                "--cni-path",
                bin.toString(),
                "--exec-only"));
    if (cap != null) {
      cmd.addAll(List.of("--cap", cap));
    }
    return run(cmd);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bridge", "ptp"})
  void podLifecycleAsContainerdDrivesIt(String mainType) throws Exception {
    writeConfigs(mainType);
    String podNs = NetNs.RUN_DIR.resolve(pod).toString();
    // containerd passes go-cni's struct without JSON tags: capitalised keys, HostIP empty
    String cap =
        "{\"portMappings\":[{\"HostPort\":"
            + hostPort
            + ",\"ContainerPort\":8080,\"Protocol\":\"tcp\",\"HostIP\":\"\"}]}";

    // RunPodSandbox: loopback and the main network concurrently
    CompletableFuture<Proc> lo =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return jcni("add", "cni-loopback", podNs, "lo", null, 0);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Proc add = jcni("add", "pods", podNs, "eth0", cap, 1);
    Proc loAdd = lo.get(120, TimeUnit.SECONDS);
    assertThat(add.exit()).as(add.all()).isZero();
    assertThat(loAdd.exit()).as(loAdd.all()).isZero();
    assertThat(sh("ip", "-n", pod, "-o", "link", "show", "lo")).contains("UP");

    // the capitalised port mapping took effect: outside client -> node:hostPort -> pod:8080
    assertThat(connectThroughHostPort()).isEqualTo("hello " + p);
    assertThat(reservations()).hasSize(1);
    assertThat(firewallMentionsContainer()).isTrue();

    // StopPodSandbox: DEL with the netns (the runtime supplies the cached prevResult)
    Proc del1 = jcni("del", "pods", podNs, "eth0", cap, 2);
    assertThat(del1.exit()).as(del1.all()).isZero();
    Proc loDel1 = jcni("del", "cni-loopback", podNs, "lo", null, 3);
    assertThat(loDel1.exit()).as(loDel1.all()).isZero();

    // RemovePodSandbox: DEL again, CNI_NETNS empty, no prevResult (the cache is gone)
    Proc del2 = jcni("del", "pods", "", "eth0", cap, 4);
    assertThat(del2.exit()).as(del2.all()).isZero();
    Proc loDel2 = jcni("del", "cni-loopback", "", "lo", null, 0);
    assertThat(loDel2.exit()).as(loDel2.all()).isZero();

    assertNothingLeft();
  }

  @ParameterizedTest
  @ValueSource(strings = {"bridge", "ptp"})
  void onlyTheSecondDelShapeStillRemovesEverything(String mainType) throws Exception {
    writeConfigs(mainType);
    String podNs = NetNs.RUN_DIR.resolve(pod).toString();
    String cap =
        "{\"portMappings\":[{\"HostPort\":"
            + hostPort
            + ",\"ContainerPort\":8080,\"Protocol\":\"tcp\",\"HostIP\":\"\"}]}";
    Proc add = jcni("add", "pods", podNs, "eth0", cap, 0);
    assertThat(add.exit()).as(add.all()).isZero();
    assertThat(reservations()).hasSize(1);

    // The sandbox died: its namespace is gone and the cached result is lost before any DEL.
    NetNs.delete(pod);
    deleteRecursively(tmp.resolve("cache"));

    Proc del = jcni("del", "pods", "", "eth0", cap, 1);
    assertThat(del.exit()).as(del.all()).isZero();
    assertNothingLeft();
  }

  private void assertNothingLeft() throws Exception {
    assertThat(reservations()).as("host-local reservations").isEmpty();
    assertThat(firewallMentionsContainer()).as("firewall rules of " + cid).isFalse();
    assertThat(sh("ip", "-n", node, "-o", "link", "show", "type", "veth"))
        .as("host-side veths")
        .doesNotContain("veth");
    assertThat(tmp.resolve("cache/results").toFile().list()).as("cached results").isNullOrEmpty();
  }

  private List<String> reservations() throws IOException {
    Path dir = tmp.resolve("ipam/pods");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(f -> f.getFileName().toString()).filter(n -> n.matches("[0-9.]+")).toList();
    }
  }

  /**
   * Both backends label what they own with the container ID (nft comments/names, iptables
   * comments).
   */
  private boolean firewallMentionsContainer() throws Exception {
    String nft = sh("ip", "netns", "exec", node, "nft", "list", "ruleset");
    Proc ipt = run(List.of("ip", "netns", "exec", node, "iptables-save"));
    return nft.contains(cid) || nft.contains(shortId()) || ipt.stdout().contains(cid);
  }

  private String shortId() {
    return cid.length() > 12 ? cid.substring(0, 12) : cid;
  }

  /**
   * A server in the pod (socket opened inside its namespace) answers a client in the outside
   * namespace.
   */
  private String connectThroughHostPort() throws Exception {
    try (NetNs podNs = NetNs.openNamed(pod);
        ServerSocket server = podNs.run(() -> new ServerSocket(8080));
        NetNs clientNs = NetNs.openNamed(client)) {
      server.setSoTimeout(10_000);
      CompletableFuture<Void> serve =
          CompletableFuture.runAsync(
              () -> {
                try (Socket s = server.accept();
                    OutputStream o = s.getOutputStream()) {
                  o.write(("hello " + p).getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      // Connect on a thread inside the client namespace: java.net.Socket creates its fd lazily at
      // connect time,
      // so a socket merely constructed there would still connect from this thread's namespace.
      String got =
          clientNs.run(
              () -> {
                try (Socket c = new Socket()) {
                  c.connect(new InetSocketAddress(uplinkNode, hostPort), 5_000);
                  c.setSoTimeout(5_000);
                  InputStream in = c.getInputStream();
                  return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
              });
      serve.get(10, TimeUnit.SECONDS);
      return got;
    }
  }

  record Proc(int exit, String stdout, String stderr) {
    String all() {
      return "exit " + exit + "\nstdout: " + stdout + "\nstderr: " + stderr;
    }

    Map<String, Object> json() {
      return Json.parseObject(stdout.getBytes(StandardCharsets.UTF_8));
    }
  }

  static Proc run(List<String> cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process pr = pb.start();
    pr.getOutputStream().close();
    CompletableFuture<byte[]> err =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return pr.getErrorStream().readAllBytes();
              } catch (IOException e) {
                return new byte[0];
              }
            });
    String out = new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(pr.waitFor(120, TimeUnit.SECONDS)).as("finished: " + cmd).isTrue();
    return new Proc(pr.exitValue(), out, new String(err.get(), StandardCharsets.UTF_8));
  }

  static String sh(String... cmd) throws Exception {
    Proc r = run(List.of(cmd));
    assertThat(r.exit()).as(String.join(" ", cmd) + "\n" + r.all()).isZero();
    return r.stdout();
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
