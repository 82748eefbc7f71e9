package dev.jcni.nodeagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line: options, and one {@code --once} sync through a kubeconfig against a mock API
 * server.
 */
class MainTest {
  @TempDir Path dir;

  static int run(ByteArrayOutputStream err, String... args) throws Exception {
    return Main.run(args, new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void helpAndBadOptions() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertThat(run(err, "--help")).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--kubeconfig")
        .contains("--peers-file");
    err.reset();
    assertThat(run(err, "--bogus")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option --bogus");
    err.reset();
    assertThat(run(err, "--vni")).isEqualTo(2);
    assertThat(run(err, "--resync=0", "--node-name", "x")).isEqualTo(2);
  }

  @Test
  void onceWithAKubeconfigProgramsTheNodeNamespace() throws Exception {
    Assumptions.assumeTrue(NodeSim.isRoot(), "needs root: creates network namespaces and a VTEP");
    try (NodeSim sim = new NodeSim();
        MockCluster cluster = new MockCluster()) {
      sim.addNodeWithPod(1);
      cluster.addNode("node1", NodeSim.nodeIp(1), NodeSim.subnet(1));
      cluster.addNode("node2", NodeSim.nodeIp(2), NodeSim.subnet(2));
      Path kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(
          kubeconfig,
          """
          apiVersion: v1
          kind: Config
          clusters:
          - name: mock
            cluster:
              server: %s
          contexts:
          - name: mock
            context:
              cluster: mock
              user: nobody
          current-context: mock
          users:
          - name: nobody
            user: {}
          """
              .formatted(cluster.client.getMasterUrl().toString()));
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int rc =
          run(
              err,
              "--kubeconfig",
              kubeconfig.toString(),
              "--node-name",
              "node1",
              "--netns",
              sim.node(1),
              "--peers-file",
              dir.resolve("peers.json").toString(),
              "--ready-file",
              dir.resolve("ready").toString(),
              "--underlay-interface",
              "eth0",
              "--once");
      assertThat(rc).as(err.toString(StandardCharsets.UTF_8)).isZero();
      assertThat(Files.readString(dir.resolve("peers.json")))
          .contains("node2")
          .contains(NodeSim.subnet(2));
      assertThat(Files.exists(dir.resolve("ready")))
          .as("--once withdraws readiness on exit")
          .isFalse();
      assertThat(NodeSim.sh("ip", "-n", sim.node(1), "route", "show", "dev", "jcni.vxlan1"))
          .contains(NodeSim.subnet(2) + " via 10.214.2.0 onlink");
    }
  }
}
