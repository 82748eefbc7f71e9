package dev.jcni.plugins.vxlan;

import static dev.jcni.plugins.vxlan.OverlaySim.nodeIp;
import static dev.jcni.plugins.vxlan.OverlaySim.podIp;
import static dev.jcni.plugins.vxlan.OverlaySim.sh;
import static dev.jcni.plugins.vxlan.OverlaySim.subnet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.api.Command;
import dev.jcni.api.Invocation;
import dev.jcni.spec.CniArgs;
import dev.jcni.spec.CniException;
import dev.jcni.spec.CniVersion;
import dev.jcni.spec.NetConf;
import dev.jcni.spec.Result;
import dev.jcni.system.NetNs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several simulated nodes (namespaces on one underlay bridge) running the vxlan plugin in-process
 * inside each node's namespace, as the node's own process would; pods are wired by iproute2 here.
 * Checks the kernel state with {@code ip}/{@code bridge} and traffic with ping between pods of
 * different nodes.
 */
class VxlanMultiNodeTest {
  static final int VTEP_MTU = 1450;
  @TempDir Path dir;
  OverlaySim sim;
  Path peersFile;
  final VxlanPlugin plugin = new VxlanPlugin();

  @BeforeEach
  void setUp() {
    Assumptions.assumeTrue(
        OverlaySim.isRoot(), "needs root: creates network namespaces, veths, VTEPs");
    sim = new OverlaySim();
    peersFile = dir.resolve("peers.json");
  }

  @AfterEach
  void tearDown() {
    if (sim != null) {
      sim.close();
    }
  }

  String conf(int node, String extra) {
    String peers =
        extra != null && extra.startsWith(INLINE) ? "" : ",\"peersFile\":\"" + peersFile + "\"";
    return "{\"cniVersion\":\"1.0.0\",\"name\":\"jvxnet\",\"type\":\"vxlan\",\"underlayInterface\":\"eth0\","
        + "\"nodeSubnet\":\""
        + subnet(node)
        + "\""
        + peers
        + (extra == null ? "" : extra)
        + "}";
  }

  /** Extra keys starting with this replace the peers file by inline peers. */
  static final String INLINE = ",\"peers\":";

  Invocation inv(Command cmd, int node, String netns, String extra, Result prev) {
    NetConf c = NetConf.parse(conf(node, extra).getBytes(StandardCharsets.UTF_8));
    return new Invocation(
        cmd,
        "cid-" + node,
        netns,
        "eth0",
        CniArgs.parse(""),
        List.of(),
        c,
        prev,
        List.of(),
        Map.of(),
        null);
  }

  /** Runs one verb of the plugin on a thread inside the node's namespace (the plugin's "host"). */
  Result call(Command cmd, int node, String extra) {
    Result prev =
        new Result(
            CniVersion.V1_0_0,
            List.of(
                Result.Interface.of("eth0", "02:00:00:00:00:01", "/run/netns/" + sim.pod(node, 1))),
            List.of(Result.IpConfig.parse(0, podIp(node, 1) + "/24", null)),
            List.of(),
            null);
    String netns =
        cmd == Command.ADD || cmd == Command.CHECK ? "/run/netns/" + sim.pod(node, 1) : "";
    try (NetNs ns = NetNs.openNamed(sim.node(node))) {
      return ns.run(
          () ->
              switch (cmd) {
                case ADD -> plugin.add(inv(cmd, node, netns, extra, prev));
                case DEL -> {
                  plugin.del(inv(cmd, node, netns, extra, null));
                  yield null;
                }
                case CHECK -> {
                  plugin.check(inv(cmd, node, netns, extra, prev));
                  yield null;
                }
                case GC -> {
                  plugin.gc(inv(cmd, node, netns, extra, null));
                  yield null;
                }
                case STATUS -> {
                  plugin.status(inv(cmd, node, netns, extra, null));
                  yield null;
                }
                default -> throw new IllegalArgumentException();
              });
    }
  }

  void writePeers(int... nodes) throws Exception {
    List<Peer> peers = new ArrayList<>();
    for (int n : nodes) {
      peers.add(Peer.of(nodeIp(n), subnet(n)));
    }
    PeersFile.writeAtomically(peersFile, peers);
  }

  void addNodeWithPod(int i) {
    sim.addNode(i);
    sim.addPod(i, 1, VTEP_MTU);
  }

  String ip(int node, String... args) {
    List<String> cmd = new ArrayList<>(List.of("ip", "-n", sim.node(node)));
    cmd.addAll(List.of(args));
    return sh(cmd.toArray(new String[0]));
  }

  String fdb(int node) {
    return sh("bridge", "-n", sim.node(node), "fdb", "show", "dev", "jcni.vxlan1");
  }

  static String mac(int node) {
    return VtepMac.forUnderlay(Peer.parseAddress(nodeIp(node), "k")).toString();
  }

  void assertPeerEntries(int node, int peer, boolean present) {
    String route = subnet(peer) + " via 10.213." + peer + ".0 onlink";
    String neigh = "10.213." + peer + ".0 lladdr " + mac(peer) + " PERMANENT";
    String fdb = mac(peer) + " dst " + nodeIp(peer) + " self permanent";
    if (present) {
      assertThat(ip(node, "route", "show", "dev", "jcni.vxlan1"))
          .as("node %d route to %d", node, peer)
          .contains(route);
      assertThat(ip(node, "neigh", "show", "dev", "jcni.vxlan1")).contains(neigh);
      assertThat(fdb(node)).contains(fdb);
    } else {
      assertThat(ip(node, "route", "show", "dev", "jcni.vxlan1")).doesNotContain(subnet(peer));
      assertThat(ip(node, "neigh", "show", "dev", "jcni.vxlan1"))
          .doesNotContain("10.213." + peer + ".0 ");
      assertThat(fdb(node)).doesNotContain(mac(peer));
    }
  }

  @Test
  void podsReachEachOtherAcrossNodesAndRoutesFollowThePeersFile() throws Exception {
    for (int i = 1; i <= 3; i++) {
      addNodeWithPod(i);
    }
    writePeers(1, 2, 3);
    for (int i = 1; i <= 3; i++) {
      Result r = call(Command.ADD, i, null);
      assertThat(r.ips())
          .singleElement()
          .extracting(ip -> ip.address().toString())
          .isEqualTo(podIp(i, 1) + "/24");
    }

    // the VTEP as specified
    String link = ip(1, "-d", "link", "show", "jcni.vxlan1");
    assertThat(link)
        .contains("mtu " + VTEP_MTU)
        .contains("link/ether " + mac(1))
        .contains("vxlan id 1 local " + nodeIp(1) + " dev eth0")
        .contains("dstport 4789")
        .contains("nolearning")
        .contains("state UNKNOWN");
    assertThat(ip(1, "-4", "addr", "show", "dev", "jcni.vxlan1")).contains("inet 10.213.1.0/32");
    assertPeerEntries(1, 2, true);
    assertPeerEntries(1, 3, true);
    assertPeerEntries(1, 1, false);
    assertPeerEntries(3, 2, true);

    assertThat(sim.ping(sim.pod(1, 1), podIp(2, 1))).as("pod1 -> pod2").isTrue();
    assertThat(sim.ping(sim.pod(1, 1), podIp(3, 1))).as("pod1 -> pod3").isTrue();
    assertThat(sim.ping(sim.pod(3, 1), podIp(2, 1))).as("pod3 -> pod2").isTrue();
    assertThat(sim.ping(sim.node(2), podIp(1, 1))).as("node2 host -> pod1").isTrue();

    // idempotent: a second ADD changes nothing and CHECK is satisfied
    call(Command.ADD, 1, null);
    call(Command.CHECK, 1, null);

    // a fourth node joins: the file changes, each node follows on its next plugin call (ADD or GC)
    addNodeWithPod(4);
    writePeers(1, 2, 3, 4);
    call(Command.ADD, 4, null);
    call(Command.ADD, 1, null);
    call(Command.GC, 2, null);
    call(Command.GC, 3, null);
    for (int i = 1; i <= 3; i++) {
      assertPeerEntries(i, 4, true);
      assertPeerEntries(4, i, true);
    }
    assertThat(sim.ping(sim.pod(4, 1), podIp(1, 1))).as("pod4 -> pod1").isTrue();
    assertThat(sim.ping(sim.pod(2, 1), podIp(4, 1))).as("pod2 -> pod4").isTrue();

    // node 2 leaves: its entries disappear everywhere
    sim.removeNode(2);
    writePeers(1, 3, 4);
    call(Command.GC, 1, null);
    call(Command.ADD, 3, null);
    call(Command.GC, 4, null);
    for (int i : new int[] {1, 3, 4}) {
      assertPeerEntries(i, 2, false);
    }
    assertThat(sim.ping(sim.pod(3, 1), podIp(4, 1))).as("pod3 -> pod4 after node2 left").isTrue();
  }

  @Test
  void checkFindsDriftAndAddRepairsIt() throws Exception {
    addNodeWithPod(1);
    addNodeWithPod(2);
    writePeers(1, 2);
    call(Command.ADD, 1, null);
    ip(1, "route", "del", subnet(2));
    sh("bridge", "-n", sim.node(1), "fdb", "del", mac(2), "dev", "jcni.vxlan1", "dst", nodeIp(2));
    assertThatThrownBy(() -> call(Command.CHECK, 1, null))
        .isInstanceOfSatisfying(
            CniException.class,
            e -> assertThat(e.details()).contains("route " + subnet(2)).contains("fdb " + mac(2)));
    call(Command.ADD, 1, null);
    assertPeerEntries(1, 2, true);
    call(Command.CHECK, 1, null);

    // a VTEP that was deleted is recreated; one with another VNI is replaced
    ip(1, "link", "del", "jcni.vxlan1");
    assertThatThrownBy(() -> call(Command.CHECK, 1, null)).hasMessageContaining("does not exist");
    call(Command.ADD, 1, null);
    assertPeerEntries(1, 2, true);
    ip(1, "link", "del", "jcni.vxlan1");
    ip(1, "link", "add", "jcni.vxlan1", "type", "vxlan", "id", "7", "dstport", "4789");
    call(Command.ADD, 1, null);
    assertThat(ip(1, "-d", "link", "show", "jcni.vxlan1")).contains("vxlan id 1 ");
    assertPeerEntries(1, 2, true);
  }

  @Test
  void delAlwaysSucceedsAndStatusReportsTheUnderlayAndAgent() throws Exception {
    addNodeWithPod(1);
    writePeers(1);
    call(Command.DEL, 1, null); // nothing created yet, empty CNI_NETNS: still fine
    call(Command.STATUS, 1, null);
    assertThatThrownBy(() -> call(Command.STATUS, 1, ",\"underlayInterface\":\"nosuch0\""))
        .isInstanceOfSatisfying(
            CniException.class,
            e -> {
              assertThat(e.code()).isEqualTo(50);
              assertThat(e.msg()).contains("underlayInterface");
            });
    Path ready = dir.resolve("ready");
    String withReady = ",\"readyFile\":\"" + ready + "\"";
    assertThatThrownBy(() -> call(Command.STATUS, 1, withReady))
        .isInstanceOfSatisfying(CniException.class, e -> assertThat(e.code()).isEqualTo(50));
    Files.writeString(ready, "ok");
    call(Command.STATUS, 1, withReady);
    call(Command.ADD, 1, null);
    call(Command.DEL, 1, null);
    call(Command.DEL, 1, null);
    assertThat(ip(1, "link", "show", "jcni.vxlan1"))
        .contains("jcni.vxlan1"); // DEL leaves the node's VTEP
  }

  @Test
  void addWaitsForTheAgentsPeersLock() throws Exception {
    addNodeWithPod(1);
    addNodeWithPod(2);
    writePeers(1, 2);
    java.util.concurrent.CompletableFuture<Result> add;
    try (PeersLock held = PeersLock.acquire(peersFile, java.time.Duration.ofSeconds(1))) {
      assertThat(held.held()).isTrue();
      add = java.util.concurrent.CompletableFuture.supplyAsync(() -> call(Command.ADD, 1, null));
      Thread.sleep(300);
      assertThat(add).as("ADD waits while the agent writes and reconciles").isNotDone();
      writePeers(1, 2); // what the agent does under the lock
    }
    assertThat(add.get(20, java.util.concurrent.TimeUnit.SECONDS).ips()).hasSize(1);
    assertPeerEntries(1, 2, true);
    assertThat(PeersLock.acquire(dir.resolve("absent/peers.json"), java.time.Duration.ZERO).held())
        .as("no directory: nobody writes it, nothing to lock")
        .isFalse();
  }

  @Test
  void concurrentAddsOnOneNodeConvergeWithoutTheLock() throws Exception {
    addNodeWithPod(1);
    String peers =
        INLINE
            + "[{\"underlayIP\":\""
            + nodeIp(2)
            + "\",\"podSubnet\":\""
            + subnet(2)
            + "\"},"
            + "{\"underlayIP\":\""
            + nodeIp(3)
            + "\",\"podSubnet\":\""
            + subnet(3)
            + "\"}]";
    // inline peers: no peers file, so no lock; four ADDs race to create the VTEP and program the
    // same entries
    List<java.util.concurrent.CompletableFuture<Result>> adds = new ArrayList<>();
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      for (int i = 0; i < 4; i++) {
        adds.add(
            java.util.concurrent.CompletableFuture.supplyAsync(
                () -> {
                  try {
                    go.await();
                  } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                  }
                  return call(Command.ADD, 1, peers);
                },
                pool));
      }
      go.countDown();
      for (var f : adds) {
        assertThat(f.get(60, java.util.concurrent.TimeUnit.SECONDS).ips()).hasSize(1);
      }
    } finally {
      pool.shutdownNow();
    }
    assertPeerEntries(1, 2, true);
    assertPeerEntries(1, 3, true);
    assertThat(ip(1, "-4", "addr", "show", "dev", "jcni.vxlan1"))
        .containsOnlyOnce("inet 10.213.1.0/32");
    call(Command.CHECK, 1, peers);
  }

  @Test
  void ipv6Underlay() throws Exception {
    // the peers file is configured too (absent here), so the inline list and the file are merged
    for (int i = 1; i <= 2; i++) {
      addNodeWithPod(i);
      ip(i, "-6", "addr", "add", "fd00:213::" + i + "/64", "dev", "eth0", "nodad");
    }
    String peers =
        INLINE
            + "[{\"underlayIP\":\"fd00:213::1\",\"podSubnet\":\""
            + subnet(1)
            + "\"},"
            + "{\"underlayIP\":\"fd00:213::2\",\"podSubnet\":\""
            + subnet(2)
            + "\"}]";
    for (int i = 1; i <= 2; i++) {
      call(Command.ADD, i, ",\"localIP\":\"fd00:213::" + i + "\"" + peers);
    }
    String mac2 = VtepMac.forUnderlay(Peer.parseAddress("fd00:213::2", "k")).toString();
    assertThat(ip(1, "-d", "link", "show", "jcni.vxlan1"))
        .contains("local fd00:213::1")
        .contains("mtu 1430");
    assertThat(fdb(1)).contains(mac2 + " dst fd00:213::2 self permanent");
    assertThat(sim.ping(sim.pod(1, 1), podIp(2, 1)))
        .as("pod1 -> pod2 over an IPv6 underlay")
        .isTrue();
    call(Command.CHECK, 1, ",\"localIP\":\"fd00:213::1\"" + peers);
  }

  @Test
  void invalidConfigLeavesNothingBehind() throws Exception {
    addNodeWithPod(1);
    writePeers(1);
    assertThatThrownBy(() -> call(Command.ADD, 1, ",\"vni\":99999999"))
        .isInstanceOfSatisfying(
            CniException.class,
            e -> {
              assertThat(e.code()).isEqualTo(7);
              assertThat(e.msg()).startsWith("vni:");
            });
    Files.writeString(
        peersFile, "[{\"underlayIP\":\"192.168.213.12\",\"podSubnet\":\"10.213.1.0/16\"}]");
    assertThatThrownBy(() -> call(Command.ADD, 1, null))
        .isInstanceOfSatisfying(CniException.class, e -> assertThat(e.code()).isEqualTo(7));
    assertThat(OverlaySim.run("ip", "-n", sim.node(1), "link", "show", "jcni.vxlan1").exit())
        .isNotZero();
  }
}
