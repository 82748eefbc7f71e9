package dev.jcni.plugins.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.api.CniPlugin;
import dev.jcni.api.Delegate;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A throwaway "node" namespace (the plugin's host) plus pod namespaces, all named {@code jbr-...}
 * (or another prefix); the plugin runs in-process through the real {@link Dispatcher} on a thread
 * inside the node namespace, so nothing ever touches the machine's own namespace.
 * ip/nft/iptables/bridge are used as oracles. {@link #close()} removes everything.
 */
public final class NodeHarness implements AutoCloseable {
  public static final boolean ROOT = dev.jcni.testkit.NetnsExtension.isRoot();
  public static final Path GO_CNI = Path.of("/usr/lib/cni");

  public final String tag =
      Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
  private final String prefix;
  public final String node;
  public final Path dataDir;
  private final List<String> pods = new ArrayList<>();
  private final NetNs nodeNs;

  public NodeHarness() {
    this("jbr");
  }

  /**
   * Names everything {@code PREFIX-...} (the test suite's own prefix, so parallel suites never
   * collide).
   */
  public NodeHarness(String prefix) {
    this.prefix = prefix;
    this.node = prefix + "-n" + tag;
    try {
      dataDir = Files.createTempDirectory(prefix + "-ipam-");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    nodeNs = NetNs.create(node);
    sh("ip", "-n", node, "link", "set", "lo", "up");
  }

  /**
   * Whether the kernel has bridge VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING); probed in the
   * node.
   */
  public boolean vlanFilteringSupported() {
    if (rc("ip", "-n", node, "link", "add", "jbrvf", "type", "bridge", "vlan_filtering", "1")
        != 0) {
      return false;
    }
    sh("ip", "-n", node, "link", "del", "jbrvf");
    return true;
  }

  /** A new pod namespace; returns its path. */
  public String pod(String name) {
    String n = prefix + "-p" + tag + "-" + name;
    NetNs.create(n).close();
    pods.add(n);
    sh("ip", "-n", n, "link", "set", "lo", "up");
    return "/run/netns/" + n;
  }

  public static String nsName(String path) {
    return Path.of(path).getFileName().toString();
  }

  public void deletePod(String path) {
    String n = nsName(path);
    NetNs.delete(n);
    pods.remove(n);
  }

  /** One plugin call's outcome. */
  public record Outcome(int exit, String stdout, String stderr) {
    @SuppressWarnings("unchecked")
    public Map<String, Object> json() {
      return (Map<String, Object>) Json.parse(stdout.getBytes(StandardCharsets.UTF_8));
    }

    public Outcome ok() {
      assertThat(exit).as("stdout=%s stderr=%s", stdout, stderr).isZero();
      return this;
    }

    public Outcome failed(int code, String msgContains) {
      assertThat(exit).as(stdout).isNotZero();
      assertThat(((Number) json().get("code")).intValue()).as(stdout).isEqualTo(code);
      assertThat((String) json().get("msg")).contains(msgContains);
      return this;
    }
  }

  /** Runs {@code plugin} for one verb in the node namespace. */
  public Outcome call(
      CniPlugin plugin,
      String command,
      String conf,
      String netns,
      String cid,
      String ifname,
      String cniPath) {
    return call(plugin, Delegate.standard(), command, conf, netns, cid, ifname, cniPath);
  }

  public Outcome call(
      CniPlugin plugin,
      Delegate.Strategy delegation,
      String command,
      String conf,
      String netns,
      String cid,
      String ifname,
      String cniPath) {
    return call(
        plugin,
        delegation,
        command,
        conf,
        netns,
        cid,
        ifname,
        cniPath,
        "IgnoreUnknown=1;K8S_POD_NAME=p");
  }

  public Outcome call(
      CniPlugin plugin,
      Delegate.Strategy delegation,
      String command,
      String conf,
      String netns,
      String cid,
      String ifname,
      String cniPath,
      String cniArgs) {
    Map<String, String> env = new HashMap<>();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", cid);
    env.put("CNI_NETNS", netns);
    env.put("CNI_IFNAME", ifname);
    env.put("CNI_PATH", cniPath);
    env.put("CNI_ARGS", cniArgs);
    CniOutcome o =
        CniRunner.of(plugin).delegation(delegation).inNamespace(nodeNs).callWithEnv(env, conf);
    return new Outcome(o.exit(), o.stdout(), o.stderr());
  }

  /** Runs a real plugin process in the node namespace ({@code ip netns exec NODE exe}). */
  public Outcome exec(
      Path exe,
      String command,
      String conf,
      String netns,
      String cid,
      String ifname,
      String cniPath) {
    List<String> argv =
        List.of(
            "ip",
            "netns",
            "exec",
            node,
            "env",
            "CNI_COMMAND=" + command,
            "CNI_CONTAINERID=" + cid,
            "CNI_NETNS=" + netns,
            "CNI_IFNAME=" + ifname,
            "CNI_PATH=" + cniPath,
            "CNI_ARGS=IgnoreUnknown=1",
            exe.toString());
    try {
      Process p = new ProcessBuilder(argv).start();
      p.getOutputStream().write(conf.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      byte[] err = p.getErrorStream().readAllBytes();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Outcome(p.waitFor(), out, new String(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A command in the node namespace; fails the test on a non-zero exit. */
  public String inNode(String... argv) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", node));
    cmd.addAll(List.of(argv));
    return sh(cmd.toArray(String[]::new));
  }

  public String inPod(String podPath, String... argv) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", nsName(podPath)));
    cmd.addAll(List.of(argv));
    return sh(cmd.toArray(String[]::new));
  }

  /** Exit code of a command in a namespace (for pings expected to fail). */
  public static int rc(String... argv) {
    return run(List.of(argv)).exit;
  }

  public boolean ping(String fromPodPath, String addr) {
    String ns = fromPodPath == null ? node : nsName(fromPodPath);
    return rc("ip", "netns", "exec", ns, "ping", "-c", "1", "-W", "2", addr) == 0;
  }

  public static String sh(String... argv) {
    Outcome o = run(List.of(argv));
    if (o.exit != 0) {
      throw new IllegalStateException(
          String.join(" ", argv) + " -> " + o.exit + ": " + o.stdout + o.stderr);
    }
    return o.stdout;
  }

  private static Outcome run(List<String> argv) {
    Processes.Finished f = Processes.exec(argv.toArray(String[]::new));
    return new Outcome(f.exit(), f.stdout() + f.stderr(), "");
  }

  /**
   * Files left in host-local's directory for {@code network} (reservations, not
   * lock/last_reserved_ip).
   */
  public List<String> reservations(String network) {
    Path d = dataDir.resolve(network);
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> !n.equals("lock") && !n.startsWith("last_reserved_ip"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Links of the node namespace whose name starts with {@code veth}. */
  public List<String> nodeVeths() {
    List<String> out = new ArrayList<>();
    for (String line : inNode("ip", "-o", "link", "show").split("\n")) {
      String[] f = line.split(":\\s+");
      if (f.length > 1 && f[1].startsWith("veth")) {
        out.add(f[1].replaceAll("@.*", ""));
      }
    }
    return out;
  }

  @Override
  public void close() {
    for (String p : pods) {
      try {
        NetNs.delete(p);
      } catch (RuntimeException ignored) {
        // already gone
      }
    }
    nodeNs.close();
    try {
      NetNs.delete(node);
    } catch (RuntimeException ignored) {
      // already gone
    }
    try (Stream<Path> s = Files.walk(dataDir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort
    }
  }
}
