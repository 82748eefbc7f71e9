package dev.jcni.nodeagent;

import static dev.jcni.nodeagent.NodeSim.nodeIp;
import static dev.jcni.nodeagent.NodeSim.podIp;
import static dev.jcni.nodeagent.NodeSim.sh;
import static dev.jcni.nodeagent.NodeSim.subnet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.plugins.vxlan.Peer;
import dev.jcni.plugins.vxlan.VtepMac;
import dev.jcni.plugins.vxlan.VxlanNode;
import dev.jcni.system.NetNs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One agent per simulated node, all watching one mock API server (CRUD mode), each reconciling the
 * VTEP inside its own node namespace with the real netlink code: pods ping across nodes, a joining
 * Node shows up in every node's routes, a deleted Node disappears from all of them, and a route
 * deleted behind the agent's back comes back on the periodic resync.
 */
class NodeAgentOverlayTest {
  @TempDir Path dir;
  NodeSim sim;
  MockCluster cluster;
  final Map<Integer, NodeAgent> agents = new TreeMap<>();
  final List<NetNs> handles = new ArrayList<>();
  final List<String> log = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    Assumptions.assumeTrue(
        NodeSim.isRoot(), "needs root: creates network namespaces, veths, VTEPs");
    sim = new NodeSim();
    cluster = new MockCluster();
  }

  @AfterEach
  void tearDown() {
    agents.values().forEach(NodeAgent::close);
    handles.forEach(NetNs::close);
    if (cluster != null) {
      cluster.close();
    }
    if (sim != null) {
      sim.close();
    }
  }

  void join(int i) {
    sim.addNodeWithPod(i);
    NetNs ns = NetNs.openNamed(sim.node(i));
    handles.add(ns);
    AgentConfig cfg =
        AgentConfig.defaults("node" + i)
            .withFiles(dir.resolve(i + "/peers.json"), dir.resolve(i + "/ready"))
            .withResync(Duration.ofSeconds(1))
            .withUnderlay("eth0", null, null);
    agents.put(
        i,
        new NodeAgent(
                cluster.client,
                cfg,
                (c, p, l) -> VxlanNode.sync(c, p, ns, l),
                s -> log.add("node" + i + ": " + s))
            .start());
    cluster.addNode("node" + i, nodeIp(i), subnet(i));
  }

  String routes(int node) {
    return sh("ip", "-n", sim.node(node), "route", "show", "dev", "jcni.vxlan1");
  }

  /** [route, neighbour, fdb] present for {@code peer} on {@code node}'s VTEP. */
  boolean[] entries(int node, int peer) {
    if (NodeSim.run("ip", "-n", sim.node(node), "link", "show", "jcni.vxlan1").exit() != 0) {
      return new boolean[3];
    }
    String mac = VtepMac.forUnderlay(Peer.parseAddress(nodeIp(peer), "k")).toString();
    return new boolean[] {
      routes(node).contains(subnet(peer) + " via 10.214." + peer + ".0 onlink"),
      sh("ip", "-n", sim.node(node), "neigh", "show", "dev", "jcni.vxlan1")
          .contains("10.214." + peer + ".0 lladdr " + mac + " PERMANENT"),
      sh("bridge", "-n", sim.node(node), "fdb", "show", "dev", "jcni.vxlan1")
          .contains(mac + " dst " + nodeIp(peer) + " self permanent")
    };
  }

  boolean hasPeer(int node, int peer) {
    boolean[] e = entries(node, peer);
    return e[0] && e[1] && e[2];
  }

  boolean lacksPeer(int node, int peer) {
    boolean[] e = entries(node, peer);
    return !e[0] && !e[1] && !e[2];
  }

  void await(String what, BooleanSupplier cond) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError(
            "timed out waiting for " + what + "; agent log:\n" + String.join("\n", log));
      }
      Thread.sleep(100);
    }
  }

  @Test
  void agentsProgramTheOverlayFromTheApiServer() throws Exception {
    for (int i = 1; i <= 3; i++) {
      join(i);
    }
    await(
        "3 nodes meshed",
        () ->
            agents.values().stream().allMatch(NodeAgent::isReady)
                && hasPeer(1, 2)
                && hasPeer(1, 3)
                && hasPeer(2, 1)
                && hasPeer(2, 3)
                && hasPeer(3, 1)
                && hasPeer(3, 2));
    assertThat(Files.exists(dir.resolve("1/ready"))).isTrue();
    assertThat(Files.readString(dir.resolve("2/peers.json")))
        .contains(nodeIp(1))
        .contains(subnet(3));
    assertThat(sim.ping(sim.pod(1), podIp(2))).as("pod1 -> pod2").isTrue();
    assertThat(sim.ping(sim.pod(3), podIp(1))).as("pod3 -> pod1").isTrue();

    join(4);
    await(
        "node4 in every node's routes",
        () ->
            hasPeer(1, 4)
                && hasPeer(2, 4)
                && hasPeer(3, 4)
                && hasPeer(4, 1)
                && hasPeer(4, 2)
                && hasPeer(4, 3));
    assertThat(sim.ping(sim.pod(4), podIp(2))).as("pod4 -> pod2").isTrue();
    assertThat(log).anyMatch(l -> l.startsWith("node1: node added: node4"));

    cluster.deleteNode("node2");
    await("node2 gone everywhere", () -> lacksPeer(1, 2) && lacksPeer(3, 2) && lacksPeer(4, 2));
    for (int i : new int[] {1, 3, 4}) {
      assertThat(routes(i)).doesNotContain(subnet(2));
    }
    assertThat(sim.ping(sim.pod(1), podIp(4))).as("pod1 -> pod4").isTrue();

    sh("ip", "-n", sim.node(1), "route", "del", subnet(3));
    assertThat(routes(1)).doesNotContain(subnet(3));
    await("resync restores the deleted route", () -> hasPeer(1, 3));
    assertThat(sim.ping(sim.pod(1), podIp(3))).as("pod1 -> pod3 after repair").isTrue();

    agents.values().forEach(NodeAgent::close);
    assertThat(Files.exists(dir.resolve("1/ready"))).isFalse();
  }
}
