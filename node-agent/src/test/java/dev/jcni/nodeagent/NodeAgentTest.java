package dev.jcni.nodeagent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.plugins.vxlan.Peer;
import dev.jcni.plugins.vxlan.PeersFile;
import dev.jcni.plugins.vxlan.Reconciler;
import dev.jcni.plugins.vxlan.VxlanConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent against a mock API server, with the VTEP replaced by a recorder (no root needed). */
class NodeAgentTest {
  @TempDir Path dir;
  MockCluster cluster;
  NodeAgent agent;
  final List<String> log = new CopyOnWriteArrayList<>();
  final List<List<Peer>> syncs = new CopyOnWriteArrayList<>();
  final List<VxlanConfig> configs = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    cluster = new MockCluster();
  }

  @AfterEach
  void tearDown() {
    if (agent != null) {
      agent.close();
    }
    cluster.close();
  }

  NodeAgent startAgent(String node, Duration resync) {
    VtepSync recorder =
        (cfg, peers, l) -> {
          configs.add(cfg);
          syncs.add(new ArrayList<>(peers));
          return new Reconciler.Outcome(List.of(), 0, List.of());
        };
    AgentConfig cfg =
        AgentConfig.defaults(node)
            .withFiles(dir.resolve("peers.json"), dir.resolve("ready"))
            .withResync(resync);
    agent = new NodeAgent(cluster.client, cfg, recorder, log::add).start();
    return agent;
  }

  static void await(String what, BooleanSupplier cond) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  List<String> peerNames() {
    if (!Files.exists(dir.resolve("peers.json"))) {
      return List.of();
    }
    return PeersFile.read(dir.resolve("peers.json")).stream().map(Peer::name).toList();
  }

  @Test
  void followsNodesAndWritesThePeersFile() throws Exception {
    cluster.addNode("n1", "192.168.50.1", "10.50.1.0/24");
    cluster.addNode("n2", "192.168.50.2", "10.50.2.0/24");
    cluster.addNode("pending", "192.168.50.9", null); // no podCIDR yet: not a peer
    startAgent("n1", Duration.ofMinutes(10));

    await("initial sync", () -> agent.isReady() && peerNames().equals(List.of("n1", "n2")));
    assertThat(Files.exists(dir.resolve("ready"))).isTrue();
    VxlanConfig own = configs.get(configs.size() - 1);
    assertThat(own.nodeSubnet().toString()).isEqualTo("10.50.1.0/24");
    assertThat(Peer.format(own.localIP())).isEqualTo("192.168.50.1");
    assertThat(own.vtepName()).isEqualTo("jcni.vxlan1");

    cluster.addNode("n3", "192.168.50.3", "10.50.3.0/24");
    await("n3 joins", () -> peerNames().equals(List.of("n1", "n2", "n3")));
    await("sync with n3", () -> syncs.get(syncs.size() - 1).size() == 3);

    cluster.deleteNode("n2");
    await("n2 leaves", () -> peerNames().equals(List.of("n1", "n3")));
    await(
        "sync without n2",
        () -> syncs.get(syncs.size() - 1).stream().noneMatch(p -> p.name().equals("n2")));
    assertThat(log).anyMatch(l -> l.startsWith("node deleted: n2"));
    assertThat(log).anyMatch(l -> l.startsWith("node added: n3"));

    agent.close();
    assertThat(Files.exists(dir.resolve("ready"))).as("readiness withdrawn on shutdown").isFalse();
    assertThat(log).last().isEqualTo("stopped");
  }

  @Test
  void notReadyUntilOwnNodeHasAPodCidr() throws Exception {
    Files.writeString(dir.resolve("ready"), "left by a crashed agent\n");
    cluster.addNode("n2", "192.168.50.2", "10.50.2.0/24");
    startAgent("n1", Duration.ofMinutes(10));
    await("peers written", () -> peerNames().equals(List.of("n2")));
    assertThat(agent.isReady()).isFalse();
    assertThat(Files.exists(dir.resolve("ready"))).isFalse();
    cluster.addNode("n1", "192.168.50.1", "10.50.1.0/24");
    await("ready once own node appears", agent::isReady);
  }

  @Test
  void periodicResyncRunsWithoutEvents() throws Exception {
    cluster.addNode("n1", "192.168.50.1", "10.50.1.0/24");
    startAgent("n1", Duration.ofMillis(200));
    await("ready", agent::isReady);
    int before = syncs.size();
    await("resyncs", () -> syncs.size() >= before + 3);
    assertThat(log).contains("periodic resync");
  }

  @Test
  void failingSyncWithdrawsReadinessAndRetries() throws Exception {
    cluster.addNode("n1", "192.168.50.1", "10.50.1.0/24");
    List<Integer> attempts = Collections.synchronizedList(new ArrayList<>());
    AgentConfig cfg =
        AgentConfig.defaults("n1")
            .withFiles(dir.resolve("peers.json"), dir.resolve("ready"))
            .withResync(Duration.ofMinutes(10));
    agent =
        new NodeAgent(
                cluster.client,
                cfg,
                (c, p, l) -> {
                  attempts.add(1);
                  if (attempts.size() < 3) {
                    throw new IllegalStateException("underlay missing");
                  }
                  return new Reconciler.Outcome(List.of(), 0, List.of());
                },
                log::add)
            .start();
    await("third attempt succeeds", agent::isReady);
    assertThat(attempts).hasSizeGreaterThanOrEqualTo(3);
    assertThat(log).anyMatch(l -> l.contains("underlay missing") && l.contains("retrying"));
  }
}
