package dev.jcni.plugins.meta.portmap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.system.NetNs;
import dev.jcni.testkit.Processes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Throwaway namespaces for the root tests: a NODE namespace (the plugin's "host"), a POD namespace
 * wired to it by a veth pair, and a CLIENT namespace standing for another machine on the node's
 * network. Built with {@code ip} commands (test code only). Addresses are fixed: every test has its
 * own namespaces.
 *
 * <pre>
 *   CLIENT eth0 192.168.77.2/24 fd01::2/64  ──  jpmc0 192.168.77.1/24 fd01::1/64  NODE
 *   POD    eth0 10.99.0.2/24    fd00::2/64  ──  jpmh0 10.99.0.1/24    fd00::1/64  NODE (ip_forward on)
 * </pre>
 */
final class Topology implements AutoCloseable {
  static final String POD_V4 = "10.99.0.2";
  static final String POD_V6 = "fd00::2";
  static final String NODE_POD_SIDE_V4 = "10.99.0.1";
  static final String HOST_V4 = "192.168.77.1";
  static final String HOST_V6 = "fd01::1";
  static final String CLIENT_V4 = "192.168.77.2";
  static final String CLIENT_V6 = "fd01::2";

  final String node;
  final String pod;
  final String client;
  private final List<String> created = new ArrayList<>();

  static boolean isRoot() {
    return dev.jcni.testkit.NetnsExtension.isRoot();
  }

  Topology(String prefix) throws Exception {
    this(prefix, true);
  }

  /** Node and client only: the pod namespace is empty, for a main plugin (Go's bridge) to wire. */
  static Topology nodeAndClientOnly(String prefix) throws Exception {
    return new Topology(prefix, false);
  }

  private Topology(String prefix, boolean wirePod) throws Exception {
    String r = Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    node = prefix + "-n-" + r;
    pod = prefix + "-p-" + r;
    client = prefix + "-c-" + r;
    try {
      for (String ns : List.of(node, pod, client)) {
        sh("ip", "netns", "add", ns);
        created.add(ns);
        sh("ip", "-n", ns, "link", "set", "lo", "up");
      }
      sh(
          "ip", "link", "add", "jpmc0", "netns", node, "type", "veth", "peer", "name", "eth0",
          "netns", client);
      sh("ip", "netns", "exec", node, "sysctl", "-qw", "net.ipv4.ip_forward=1");
      sh("ip", "netns", "exec", node, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
      addr(node, "jpmc0", "192.168.77.1/24", "fd01::1/64");
      addr(client, "eth0", "192.168.77.2/24", "fd01::2/64");
      sh("ip", "-n", client, "route", "add", "default", "via", "192.168.77.1");
      sh("ip", "-n", client, "-6", "route", "add", "default", "via", "fd01::1");
      if (wirePod) {
        sh(
            "ip", "link", "add", "jpmh0", "netns", node, "type", "veth", "peer", "name", "eth0",
            "netns", pod);
        addr(node, "jpmh0", "10.99.0.1/24", "fd00::1/64");
        addr(pod, "eth0", "10.99.0.2/24", "fd00::2/64");
        sh("ip", "-n", pod, "route", "add", "default", "via", "10.99.0.1");
        sh("ip", "-n", pod, "-6", "route", "add", "default", "via", "fd00::1");
      }
    } catch (Exception | AssertionError e) {
      close();
      throw e;
    }
  }

  private static void addr(String ns, String dev, String v4, String v6) throws Exception {
    sh("ip", "-n", ns, "addr", "add", v4, "dev", dev);
    sh("ip", "-n", ns, "addr", "add", v6, "dev", dev, "nodad");
    sh("ip", "-n", ns, "link", "set", dev, "up");
  }

  String podPath() {
    return "/run/netns/" + pod;
  }

  NetNs open(String ns) {
    return NetNs.openNamed(ns);
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

  @Override
  public void close() {
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
