package dev.jcni.nodeagent;

import static dev.jcni.nodeagent.NodeSim.nodeIp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.plugins.vxlan.VxlanNode;
import dev.jcni.runtime.CniRuntime;
import dev.jcni.runtime.RuntimeConf;
import dev.jcni.spec.NetConfList;
import dev.jcni.spec.Result;
import dev.jcni.system.NetNs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example conflist of the tutorial this project started from (shared/seed: bridge with
 * host-local, portmap, vxlan), run as written through the runtime (every plugin in-process, inside
 * each simulated node's namespace), with only node-specific values filled in: the node's slice of
 * the tutorial's cluster-wide 10.40.0.0/16 (rangeStart, rangeEnd, gateway: 10.40.i.0/24),
 * host-local's dataDir, and vxlan's underlay, nodeSubnet and the agent's files. Pods see the whole
 * /16 as on-link; vxlan turns on proxy ARP on the bridge so the node answers for remote pods, and
 * bridge's ipMasq (which exempts the /16) leaves cross-node traffic unmasqueraded. The tutorial
 * ends with "how does a node learn routes when a new node joins?" — here the node agents answer it.
 */
class TutorialConflistTest {
  /** The tutorial's conflist, verbatim apart from the %s placeholders for node-specific values. */
  static final String TUTORIAL =
      """
      {
          "cniVersion": "0.3.1",
          "name": "mynet",
          "plugins": [
              {
                  "type": "bridge",
                  "bridge": "cni0",
                  "isGateway": true,
                  "ipMasq": true,
                  "ipam": {
                      "type": "host-local",
                      "subnet": "10.40.0.0/16",
                      "rangeStart": "10.40.%1$d.2",
                      "rangeEnd": "10.40.%1$d.254",
                      "gateway": "10.40.%1$d.1",
                      "dataDir": "%2$s"
                  }
              },
              {
                  "type": "portmap",
                  "capabilities": {
                      "portMappings": true
                  }
              },
              {
                  "type": "vxlan",
                  "capabilities": {
                      "macvsip": true
                  },
                  "underlayInterface": "eth0",
                  "nodeSubnet": "10.40.%1$d.0/24",
                  "peersFile": "%3$s",
                  "readyFile": "%4$s"
              }
          ]
      }
      """;

  @TempDir Path dir;
  NodeSim sim;
  MockCluster cluster;
  final Map<Integer, NodeAgent> agents = new TreeMap<>();
  final List<NetNs> handles = new ArrayList<>();
  final List<String> log = new CopyOnWriteArrayList<>();
  final ByteArrayOutputStream pluginStderr = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() {
    Assumptions.assumeTrue(
        NodeSim.isRoot(), "needs root: creates network namespaces, bridges, VTEPs");
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

  void startNode(int i) throws Exception {
    sim.addBareNode(i);
    NetNs ns = NetNs.openNamed(sim.node(i));
    handles.add(ns);
    Path nd = dir.resolve("node" + i);
    Files.createDirectories(nd.resolve("net.d"));
    Files.writeString(
        nd.resolve("net.d/10-mynet.conflist"),
        TUTORIAL.formatted(i, nd.resolve("ipam"), nd.resolve("peers.json"), nd.resolve("ready")));
    AgentConfig cfg =
        AgentConfig.defaults("node" + i)
            .withFiles(nd.resolve("peers.json"), nd.resolve("ready"))
            .withResync(Duration.ofSeconds(2))
            .withUnderlay("eth0", null, null);
    agents.put(
        i,
        new NodeAgent(
                cluster.client,
                cfg,
                (c, p, l) -> VxlanNode.sync(c, p, ns, l),
                s -> log.add("node" + i + ": " + s))
            .start());
    cluster.addNode("node" + i, nodeIp(i), "10.40." + i + ".0/24");
  }

  CniRuntime runtime(int i) {
    // every type is on the class path; CNI_PATH must still be set (an empty directory: nothing is
    // exec'd)
    return CniRuntime.builder()
        .cniPath(List.of(dir))
        .cacheDir(dir.resolve("node" + i + "/cache"))
        .inProcess(true)
        .stderr(new PrintStream(pluginStderr, true, StandardCharsets.UTF_8))
        .build();
  }

  /**
   * The runtime's ADD of the whole list for a new pod on node i, run from inside the node's
   * namespace.
   */
  Result addPod(int i) throws Exception {
    String pod = sim.pod(i);
    sim.ns(pod);
    CniRuntime rt = runtime(i);
    NetConfList net = rt.loadNetworkList(dir.resolve("node" + i + "/net.d"), "mynet");
    try (NetNs ns = NetNs.openNamed(sim.node(i))) {
      return ns.run(
          () -> rt.addNetworkList(net, RuntimeConf.of("pod" + i, "/run/netns/" + pod, "eth0")));
    }
  }

  void delPod(int i) throws Exception {
    CniRuntime rt = runtime(i);
    NetConfList net = rt.loadNetworkList(dir.resolve("node" + i + "/net.d"), "mynet");
    try (NetNs ns = NetNs.openNamed(sim.node(i))) {
      ns.exec(
          () ->
              rt.delNetworkList(
                  net, RuntimeConf.of("pod" + i, "/run/netns/" + sim.pod(i), "eth0")));
    }
  }

  @Test
  void tutorialConflistConnectsPodsAcrossNodes() throws Exception {
    for (int i = 1; i <= 3; i++) {
      startNode(i);
    }
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!agents.values().stream().allMatch(NodeAgent::isReady)) {
      assertThat(System.nanoTime())
          .as("agents ready; log:\n%s", String.join("\n", log))
          .isLessThan(end);
      Thread.sleep(100);
    }
    List<String> podIps = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      Result r = addPod(i);
      assertThat(r.ips()).as("stderr: %s", pluginStderr).hasSize(1);
      String ip = r.ips().get(0).address().toString();
      assertThat(ip).isEqualTo("10.40." + i + ".2/16");
      podIps.add(ip.substring(0, ip.indexOf('/')));
    }
    assertThat(NodeSim.sh("ip", "-n", sim.node(1), "route", "show", "dev", "jcni.vxlan1"))
        .contains("10.40.2.0/24 via 10.40.2.0 onlink")
        .contains("10.40.3.0/24 via 10.40.3.0 onlink");
    assertThat(
            NodeSim.sh(
                "ip",
                "netns",
                "exec",
                sim.node(1),
                "cat",
                "/proc/sys/net/ipv4/conf/cni0/proxy_arp"))
        .isEqualTo("1\n");
    assertThat(sim.ping(sim.pod(1), podIps.get(1))).as("pod1 -> pod2").isTrue();
    assertThat(sim.ping(sim.pod(2), podIps.get(2))).as("pod2 -> pod3").isTrue();
    assertThat(sim.ping(sim.pod(3), podIps.get(0))).as("pod3 -> pod1").isTrue();

    // the tutorial's open question: a new node joins and the existing nodes learn its route without
    // any CNI call
    startNode(4);
    String pod4 = addPod(4).ips().get(0).address().addressString();
    end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!NodeSim.sh("ip", "-n", sim.node(2), "route", "show", "dev", "jcni.vxlan1")
        .contains("10.40.4.0/24")) {
      assertThat(System.nanoTime()).as("node2 learns node4's route").isLessThan(end);
      Thread.sleep(100);
    }
    assertThat(sim.ping(sim.pod(2), pod4)).as("pod2 -> pod4").isTrue();

    for (int i = 1; i <= 4; i++) {
      delPod(i);
    }
    assertThat(NodeSim.sh("ip", "-n", sim.node(1), "link", "show")).doesNotContain("veth");
    assertThat(NodeSim.sh("ip", "-n", sim.node(1), "link", "show"))
        .contains("jcni.vxlan1"); // the node's, kept
  }
}
