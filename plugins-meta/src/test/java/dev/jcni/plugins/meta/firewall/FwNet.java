package dev.jcni.plugins.meta.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.system.NetNs;
import dev.jcni.testkit.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Throwaway namespaces for the root tests (test code only, built with {@code ip}): a NODE namespace
 * acting as the host (forwarding on), a CLIENT namespace standing for the network beyond it, and
 * pods added on demand, each on its own veth or on a bridge of the node. Every name starts with
 * {@code jfw-}; {@link #close} deletes them all.
 *
 * <pre>
 *   CLIENT eth0 192.168.78.2/24 fd02::2/64  ──  jfc0 192.168.78.1/24 fd02::1/64  NODE
 *   POD n  eth0 10.98.n.2/24    fd03:n::2/64 ──  jfhn 10.98.n.1/24 fd03:n::1/64  NODE      (veth pod)
 *   POD n  eth0 10.98.n.m/24                 ──  jfbrn 10.98.n.1/24              NODE      (bridged pod)
 * </pre>
 */
final class FwNet implements AutoCloseable {
  static final String CLIENT_V4 = "192.168.78.2";
  static final String CLIENT_V6 = "fd02::2";

  final String node;
  final String client;
  private final String tag;
  private final List<String> created = new ArrayList<>();
  private final List<NetNs> opened = new ArrayList<>();

  static boolean isRoot() {
    return dev.jcni.testkit.NetnsExtension.isRoot();
  }

  FwNet() throws Exception {
    this(true);
  }

  /** {@code withClient} false: only the node (for chains whose main plugin wires the pod). */
  FwNet(boolean withClient) throws Exception {
    tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    node = ns("n");
    client = withClient ? ns("c") : null;
    try {
      sh("ip", "netns", "exec", node, "sysctl", "-qw", "net.ipv4.ip_forward=1");
      sh("ip", "netns", "exec", node, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
      if (withClient) {
        sh(
            "ip", "link", "add", "jfc0", "netns", node, "type", "veth", "peer", "name", "eth0",
            "netns", client);
        addr(node, "jfc0", "192.168.78.1/24", "fd02::1/64");
        addr(client, "eth0", "192.168.78.2/24", "fd02::2/64");
        sh("ip", "-n", client, "route", "add", "default", "via", "192.168.78.1");
        sh("ip", "-n", client, "-6", "route", "add", "default", "via", "fd02::1");
      }
    } catch (Exception | AssertionError e) {
      close();
      throw e;
    }
  }

  /** A new empty namespace {@code jfw-<kind>-<tag>} with lo up. */
  String ns(String kind) throws Exception {
    String name = "jfw-" + kind + "-" + tag;
    sh("ip", "netns", "add", name);
    created.add(name);
    sh("ip", "-n", name, "link", "set", "lo", "up");
    return name;
  }

  /** Pod {@code n} on its own veth: 10.98.n.2/24 and fd03:n::2/64. */
  String vethPod(int n) throws Exception {
    String pod = ns("p" + n);
    sh(
        "ip", "link", "add", "jfh" + n, "netns", node, "type", "veth", "peer", "name", "eth0",
        "netns", pod);
    addr(node, "jfh" + n, "10.98." + n + ".1/24", "fd03:" + n + "::1/64");
    addr(pod, "eth0", "10.98." + n + ".2/24", "fd03:" + n + "::2/64");
    routes(pod, "10.98." + n + ".1", "fd03:" + n + "::1");
    return pod;
  }

  /** Bridge {@code jfbrn} in the node, 10.98.n.1/24. */
  void bridge(int n) throws Exception {
    sh("ip", "-n", node, "link", "add", "jfbr" + n, "type", "bridge");
    sh("ip", "-n", node, "addr", "add", "10.98." + n + ".1/24", "dev", "jfbr" + n);
    sh("ip", "-n", node, "link", "set", "jfbr" + n, "up");
  }

  /** Pod {@code m} on bridge {@code n}: 10.98.n.m/24. */
  String bridgedPod(int n, int m) throws Exception {
    String pod = ns("p" + n + "x" + m);
    String host = "jfv" + n + "x" + m;
    sh(
        "ip", "link", "add", host, "netns", node, "type", "veth", "peer", "name", "eth0", "netns",
        pod);
    sh("ip", "-n", node, "link", "set", host, "master", "jfbr" + n, "up");
    sh("ip", "-n", pod, "addr", "add", "10.98." + n + "." + m + "/24", "dev", "eth0");
    sh("ip", "-n", pod, "link", "set", "eth0", "up");
    sh("ip", "-n", pod, "route", "add", "default", "via", "10.98." + n + ".1");
    return pod;
  }

  private static void addr(String ns, String dev, String v4, String v6) throws Exception {
    sh("ip", "-n", ns, "addr", "add", v4, "dev", dev);
    sh("ip", "-n", ns, "addr", "add", v6, "dev", dev, "nodad");
    sh("ip", "-n", ns, "link", "set", dev, "up");
  }

  private static void routes(String ns, String gw4, String gw6) throws Exception {
    sh("ip", "-n", ns, "route", "add", "default", "via", gw4);
    sh("ip", "-n", ns, "-6", "route", "add", "default", "via", gw6);
  }

  /** FORWARD policy DROP in the node's iptables filter table, both families. */
  void iptablesForwardDrop() throws Exception {
    sh("ip", "netns", "exec", node, "iptables", "-P", "FORWARD", "DROP");
    sh("ip", "netns", "exec", node, "ip6tables", "-P", "FORWARD", "DROP");
  }

  /**
   * The admin's drop policy on our nft table's forward chain, created before the plugin ever ran.
   */
  void nftForwardDrop() throws Exception {
    run(
        "add table inet jcni_firewall\nadd chain inet jcni_firewall forward { type filter hook forward priority "
            + "filter; policy drop; }\n",
        Map.of(),
        "ip",
        "netns",
        "exec",
        node,
        "nft",
        "-f",
        "-");
    assertThat(
            sh(
                "ip",
                "netns",
                "exec",
                node,
                "nft",
                "list",
                "chain",
                "inet",
                "jcni_firewall",
                "forward"))
        .contains("policy drop");
  }

  void forwardDrop(String backend) throws Exception {
    if (backend.equals("nftables")) {
      nftForwardDrop();
    } else {
      iptablesForwardDrop();
    }
  }

  /**
   * Everything the node's firewall holds: iptables-save and ip6tables-save (filter) and the nft
   * ruleset, without the save tools' timestamp comments.
   */
  String ruleset() throws Exception {
    String all =
        sh("ip", "netns", "exec", node, "iptables-save", "-t", "filter")
            + "\n"
            + sh("ip", "netns", "exec", node, "ip6tables-save", "-t", "filter")
            + "\n"
            + sh("ip", "netns", "exec", node, "nft", "list", "ruleset");
    StringBuilder b = new StringBuilder();
    for (String l : all.split("\n")) {
      if (!l.startsWith("# ")) {
        b.append(l).append('\n');
      }
    }
    return b.toString();
  }

  NetNs open(String ns) {
    NetNs n = NetNs.openNamed(ns);
    opened.add(n);
    return n;
  }

  String path(String ns) {
    return "/run/netns/" + ns;
  }

  /** Runs a command, asserting success; returns stdout. */
  static String sh(String... argv) throws IOException, InterruptedException {
    Result r = run(null, Map.of(), argv);
    assertThat(r.exit).as(String.join(" ", argv) + ": " + r.stderr).isZero();
    return r.stdout;
  }

  /** A finished process. */
  record Result(int exit, String stdout, String stderr) {}

  static Result run(String stdin, Map<String, String> env, String... argv)
      throws IOException, InterruptedException {
    Processes.Finished f = Processes.run(List.of(argv), stdin, env, Processes.DEFAULT_TIMEOUT);
    return new Result(f.exit(), f.stdout(), f.stderr());
  }

  static void deleteTree(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Override
  public void close() {
    for (NetNs n : opened) {
      n.close();
    }
    opened.clear();
    for (String ns : created) {
      try {
        run(null, Map.of(), "ip", "netns", "del", ns);
      } catch (Exception ignored) {
        // best effort
      }
    }
    created.clear();
  }
}
