package dev.jcni.nodeagent;

import dev.jcni.testkit.Processes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Throwaway nodes in network namespaces (test code, iproute2): an underlay namespace with bridge
 * {@code ul0}; per node a namespace with {@code eth0} on it (192.168.214.(10+i)/24), forwarding on
 * and a pod bridge {@code cni0} (10.214.i.1/24); per pod a namespace on that bridge. All named
 * {@code jvx-<random>-...}, deleted by close().
 */
final class NodeSim implements AutoCloseable {
  final String prefix =
      "jvx-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
  final String underlay = prefix + "-u";
  private final List<String> namespaces = Collections.synchronizedList(new ArrayList<>());

  NodeSim() {
    ns(underlay);
    sh("ip", "-n", underlay, "link", "add", "ul0", "type", "bridge");
    sh("ip", "-n", underlay, "link", "set", "ul0", "up");
  }

  static boolean isRoot() {
    return dev.jcni.testkit.NetnsExtension.isRoot();
  }

  String node(int i) {
    return prefix + "-n" + i;
  }

  String pod(int i) {
    return prefix + "-n" + i + "p";
  }

  static String nodeIp(int i) {
    return "192.168.214." + (10 + i);
  }

  static String subnet(int i) {
    return "10.214." + i + ".0/24";
  }

  static String podIp(int i) {
    return "10.214." + i + ".2";
  }

  /** Node i: its namespace on the underlay, nothing else (the plugins build the rest). */
  String addBareNode(int i) {
    String n = node(i);
    ns(n);
    sh(
        "ip", "-n", underlay, "link", "add", "n" + i, "type", "veth", "peer", "name", "eth0",
        "netns", n);
    sh("ip", "-n", underlay, "link", "set", "n" + i, "master", "ul0", "up");
    sh("ip", "-n", n, "link", "set", "lo", "up");
    sh("ip", "-n", n, "addr", "add", nodeIp(i) + "/24", "dev", "eth0");
    sh("ip", "-n", n, "link", "set", "eth0", "up");
    return n;
  }

  /** Node i with one pod (MTU 1450, the VTEP MTU for a 1500 underlay), wired by hand. */
  void addNodeWithPod(int i) {
    String n = addBareNode(i);
    sh("ip", "netns", "exec", n, "sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward");
    sh("ip", "-n", n, "link", "add", "cni0", "type", "bridge");
    sh("ip", "-n", n, "addr", "add", "10.214." + i + ".1/24", "dev", "cni0");
    sh("ip", "-n", n, "link", "set", "cni0", "up");
    String p = pod(i);
    ns(p);
    sh(
        "ip", "-n", n, "link", "add", "vp", "mtu", "1450", "type", "veth", "peer", "name", "eth0",
        "netns", p);
    sh("ip", "-n", n, "link", "set", "vp", "master", "cni0", "up");
    sh("ip", "-n", p, "link", "set", "lo", "up");
    sh("ip", "-n", p, "addr", "add", podIp(i) + "/24", "dev", "eth0");
    sh("ip", "-n", p, "link", "set", "eth0", "up");
    sh("ip", "-n", p, "route", "add", "default", "via", "10.214." + i + ".1");
  }

  boolean ping(String fromNs, String ip) {
    return run("ip", "netns", "exec", fromNs, "ping", "-c", "1", "-W", "2", ip).exit == 0;
  }

  void ns(String name) {
    sh("ip", "netns", "add", name);
    namespaces.add(name);
  }

  @Override
  public void close() {
    List<String> all = new ArrayList<>(namespaces);
    Collections.reverse(all);
    for (String n : all) {
      run("ip", "netns", "del", n);
    }
    namespaces.clear();
  }

  record Out(int exit, String out) {}

  static Out run(String... cmd) {
    Processes.Finished f = Processes.exec(cmd);
    return new Out(f.exit(), f.stdout() + f.stderr());
  }

  static String sh(String... cmd) {
    Out o = run(cmd);
    if (o.exit != 0) {
      throw new AssertionError(String.join(" ", cmd) + " failed (" + o.exit + "): " + o.out);
    }
    return o.out;
  }
}
