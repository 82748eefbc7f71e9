package dev.jcni.plugins.meta.bandwidth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.api.CniPlugin;
import dev.jcni.api.Dispatcher;
import dev.jcni.spec.json.Json;
import dev.jcni.system.NetNs;
import dev.jcni.testkit.CniOutcome;
import dev.jcni.testkit.CniRunner;
import dev.jcni.testkit.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Throwaway namespaces for the root tests, all named {@code jbw-...}: a NODE namespace (the
 * plugins' host) and pod namespaces. jcni plugins run in-process through the real {@link
 * Dispatcher} on a thread inside NODE; Go's run as processes ({@code ip netns exec NODE
 * /usr/lib/cni/TYPE}). {@code tc}, {@code ip} and iperf3 are the oracles. {@link #close()} removes
 * every namespace (and with them every link and qdisc) and the IPAM data directory.
 */
final class Node implements AutoCloseable {
  static final boolean ROOT = dev.jcni.testkit.NetnsExtension.isRoot();
  static final Path GO = Path.of("/usr/lib/cni");

  final String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
  final String node = "jbw-n" + tag;
  final Path dataDir;
  private final List<String> namespaces = new ArrayList<>();
  private final NetNs nodeNs;

  Node() throws IOException {
    dataDir = Files.createTempDirectory("jbw-ipam-");
    nodeNs = NetNs.create(node);
    namespaces.add(node);
    sh("ip", "-n", node, "link", "set", "lo", "up");
  }

  static boolean go(String type) {
    return Files.isExecutable(GO.resolve(type));
  }

  /** A pod namespace; returns its path. */
  String pod(String name) {
    String n = "jbw-p" + tag + "-" + name;
    NetNs.create(n).close();
    namespaces.add(n);
    sh("ip", "-n", n, "link", "set", "lo", "up");
    return "/run/netns/" + n;
  }

  static String nsName(String path) {
    return Path.of(path).getFileName().toString();
  }

  /**
   * A pod wired the way ptp would: host veth {@code hostIf} in NODE with {@code hostAddr}, {@code
   * eth0} in the pod with {@code podAddr}; returns the prevResult a main plugin would have written.
   */
  String wireVeth(String podPath, String hostIf, String hostAddr, String podAddr) {
    String pod = nsName(podPath);
    sh(
        "ip", "-n", node, "link", "add", hostIf, "type", "veth", "peer", "name", "eth0", "netns",
        pod);
    sh("ip", "-n", node, "addr", "add", hostAddr, "dev", hostIf);
    sh("ip", "-n", node, "link", "set", hostIf, "up");
    sh("ip", "-n", pod, "addr", "add", podAddr, "dev", "eth0");
    sh("ip", "-n", pod, "link", "set", "eth0", "up");
    return "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\""
        + hostIf
        + "\"},{\"name\":\"eth0\",\"sandbox\":\""
        + podPath
        + "\"}],\"ips\":[{\"interface\":1,\"address\":\""
        + podAddr
        + "\"}]}";
  }

  /** One plugin call's outcome. */
  record Outcome(int exit, String stdout, String stderr) {
    @SuppressWarnings("unchecked")
    Map<String, Object> json() {
      return (Map<String, Object>) Json.parse(stdout.getBytes(StandardCharsets.UTF_8));
    }

    Outcome ok() {
      assertThat(exit).as("stdout=%s stderr=%s", stdout, stderr).isZero();
      return this;
    }

    Outcome failed(int code, String msgContains) {
      assertThat(exit).as(stdout).isNotZero();
      assertThat(((Number) json().get("code")).intValue()).as(stdout).isEqualTo(code);
      assertThat((String) json().get("msg")).as(stdout).contains(msgContains);
      assertThat(stdout).doesNotContain("Exception").doesNotContain("\tat ");
      return this;
    }
  }

  static Map<String, String> env(String command, String netns, String cid, String ifname) {
    Map<String, String> env = new HashMap<>();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", cid);
    env.put("CNI_NETNS", netns);
    env.put("CNI_IFNAME", ifname);
    env.put("CNI_PATH", GO.toString());
    env.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAME=p");
    return env;
  }

  /** A jcni plugin, in-process on a thread inside NODE. */
  Outcome call(
      CniPlugin plugin, String command, String conf, String netns, String cid, String ifname) {
    Map<String, String> env = env(command, netns, cid, ifname);
    CniOutcome o = CniRunner.of(plugin).inNamespace(nodeNs).callWithEnv(env, conf);
    return new Outcome(o.exit(), o.stdout(), o.stderr());
  }

  /** Go's plugin of {@code type} from /usr/lib/cni, as a process inside NODE. */
  Outcome go(String type, String command, String conf, String netns, String cid, String ifname) {
    List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", node, "env"));
    for (Map.Entry<String, String> e : env(command, netns, cid, ifname).entrySet()) {
      argv.add(e.getKey() + "=" + e.getValue());
    }
    argv.add(GO.resolve(type).toString());
    return run(argv, conf);
  }

  /** {@code tc -j [-s] ARGS} in NODE, parsed. */
  @SuppressWarnings("unchecked")
  List<Map<String, Object>> tc(String... args) {
    List<String> cmd = new ArrayList<>(List.of("tc", "-n", node, "-j"));
    cmd.addAll(List.of(args));
    String out = sh(cmd.toArray(String[]::new)).trim();
    return out.isEmpty()
        ? List.of()
        : (List<Map<String, Object>>) Json.parse(out.getBytes(StandardCharsets.UTF_8));
  }

  /** Kinds of the qdiscs on {@code dev} in NODE ({@code tc qdisc show dev DEV}). */
  List<String> qdiscKinds(String dev) {
    List<String> out = new ArrayList<>();
    for (Map<String, Object> q : tc("qdisc", "show", "dev", dev)) {
      out.add((String) q.get("kind"));
    }
    return out;
  }

  /** Names of the ifb devices in NODE. */
  List<String> ifbs() {
    List<String> out = new ArrayList<>();
    for (String line : sh("ip", "-n", node, "-o", "link", "show", "type", "ifb").split("\n")) {
      String[] f = line.trim().split(":\\s+");
      if (f.length > 1) {
        out.add(f[1].split("@")[0]);
      }
    }
    return out;
  }

  /**
   * iperf3 throughput in bits/s as the receiver counted it: server in {@code serverNs}, client in
   * {@code clientNs}; {@code reverse} makes the server send. 3 s runs with the first second omitted
   * (slow start and the token bucket's initial burst stay out of the figure).
   */
  double iperf(String serverNs, String clientNs, String serverAddr, boolean reverse)
      throws Exception {
    return iperf(serverNs, clientNs, serverAddr, reverse, null);
  }

  /** As above with the client bound to {@code bind} (null: the kernel's choice). */
  double iperf(String serverNs, String clientNs, String serverAddr, boolean reverse, String bind)
      throws Exception {
    int port = 20000 + ThreadLocalRandom.current().nextInt(20000);
    Process server =
        new ProcessBuilder(
                "ip", "netns", "exec", serverNs, "iperf3", "-s", "-1", "-p", String.valueOf(port))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!sh("ip", "netns", "exec", serverNs, "ss", "-Hltn", "sport = :" + port)
          .contains(":" + port)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("iperf3 server did not start");
        }
        Thread.sleep(20);
      }
      List<String> argv =
          new ArrayList<>(
              List.of(
                  "ip",
                  "netns",
                  "exec",
                  clientNs,
                  "iperf3",
                  "-c",
                  serverAddr,
                  "-p",
                  String.valueOf(port),
                  "-t",
                  "3",
                  "-O",
                  "1",
                  "-J"));
      if (reverse) {
        argv.add("-R");
      }
      if (bind != null) {
        argv.add("-B");
        argv.add(bind);
      }
      Outcome o = run(argv, null);
      assertThat(o.exit).as(o.stdout + o.stderr).isZero();
      @SuppressWarnings("unchecked")
      Map<String, Object> end = (Map<String, Object>) o.json().get("end");
      @SuppressWarnings("unchecked")
      Map<String, Object> recv = (Map<String, Object>) end.get("sum_received");
      return ((Number) recv.get("bits_per_second")).doubleValue();
    } finally {
      server.destroy();
      if (!server.waitFor(5, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  static String sh(String... argv) {
    Outcome o = run(List.of(argv), null);
    if (o.exit != 0) {
      throw new IllegalStateException(
          String.join(" ", argv) + " -> " + o.exit + ": " + o.stdout + o.stderr);
    }
    return o.stdout;
  }

  static Outcome run(List<String> argv, String stdin) {
    try {
      Processes.Finished f = Processes.run(argv, stdin, Map.of(), Duration.ofSeconds(60));
      return new Outcome(f.exit(), f.stdout(), f.stderr());
    } catch (IOException e) {
      return new Outcome(-1, "", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(-1, "", e.toString());
    }
  }

  @Override
  public void close() {
    nodeNs.close();
    for (String n : namespaces) {
      try {
        if (NetNs.exists(n)) {
          NetNs.delete(n);
        }
      } catch (RuntimeException e) {
        run(List.of("ip", "netns", "del", n), null);
      }
    }
    try (Stream<Path> s = Files.walk(dataDir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // best effort
    }
  }
}
