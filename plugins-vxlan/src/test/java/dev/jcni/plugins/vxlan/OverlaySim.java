package dev.jcni.plugins.vxlan;

import dev.jcni.testkit.Processes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A throwaway multi-node cluster in network namespaces, wired with iproute2 (test code only): an
 * underlay namespace with bridge {@code ul0}; per node a namespace attached to it by a veth ({@code
 * eth0}, 192.168.213.(10+i)/24), with IP forwarding and a pod bridge {@code cni0} (10.213.i.1/24);
 * per pod a namespace with {@code eth0} on that bridge. Every namespace is named {@code
 * jvx-<random>-...} and deleted by {@link #close()}.
 */
final class OverlaySim implements AutoCloseable {
  final String prefix =
      "jvx-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
  final String underlay = prefix + "-u";
  private final List<String> namespaces = Collections.synchronizedList(new ArrayList<>());

  OverlaySim() {
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

  static String nodeIp(int i) {
    return "192.168.213." + (10 + i);
  }

  static String subnet(int i) {
    return "10.213." + i + ".0/24";
  }

  static String podIp(int i, int j) {
    return "10.213." + i + "." + (1 + j);
  }

  String pod(int i, int j) {
    return node(i) + "p" + j;
  }

  /** A node: namespace, underlay veth, forwarding, and its pod bridge. */
  String addNode(int i) {
    String n = node(i);
    ns(n);
    sh(
        "ip", "-n", underlay, "link", "add", "n" + i, "type", "veth", "peer", "name", "eth0",
        "netns", n);
    sh("ip", "-n", underlay, "link", "set", "n" + i, "master", "ul0", "up");
    sh("ip", "-n", n, "link", "set", "lo", "up");
    sh("ip", "-n", n, "addr", "add", nodeIp(i) + "/24", "dev", "eth0");
    sh("ip", "-n", n, "link", "set", "eth0", "up");
    sh("ip", "netns", "exec", n, "sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward");
    sh("ip", "-n", n, "link", "add", "cni0", "type", "bridge");
    sh("ip", "-n", n, "addr", "add", "10.213." + i + ".1/24", "dev", "cni0");
    sh("ip", "-n", n, "link", "set", "cni0", "up");
    return n;
  }

  /** Pod j on node i (address .(1+j)), its eth0 with {@code mtu}, default route via the bridge. */
  String addPod(int i, int j, int mtu) {
    String p = pod(i, j);
    ns(p);
    String n = node(i);
    sh(
        "ip", "-n", n, "link", "add", "vp" + j, "mtu", "" + mtu, "type", "veth", "peer", "name",
        "eth0", "netns", p);
    sh("ip", "-n", n, "link", "set", "vp" + j, "master", "cni0", "up");
    sh("ip", "-n", p, "link", "set", "lo", "up");
    sh("ip", "-n", p, "addr", "add", podIp(i, j) + "/24", "dev", "eth0");
    sh("ip", "-n", p, "link", "set", "eth0", "up");
    sh("ip", "-n", p, "route", "add", "default", "via", "10.213." + i + ".1");
    return p;
  }

  void removeNode(int i) {
    for (String n : new ArrayList<>(namespaces)) {
      if (n.equals(node(i)) || n.startsWith(node(i) + "p")) {
        delete(n);
      }
    }
  }

  boolean ping(String fromNs, String ip) {
    return run("ip", "netns", "exec", fromNs, "ping", "-c", "1", "-W", "2", ip).exit == 0;
  }

  void ns(String name) {
    sh("ip", "netns", "add", name);
    namespaces.add(name);
  }

  private void delete(String name) {
    run("ip", "netns", "del", name);
    namespaces.remove(name);
  }

  @Override
  public void close() {
    List<String> all = new ArrayList<>(namespaces);
    Collections.reverse(all);
    for (String n : all) {
      delete(n);
    }
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
