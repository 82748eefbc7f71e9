package dev.jcni.plugins.vxlan;

import static dev.jcni.plugins.vxlan.OverlaySim.nodeIp;
import static dev.jcni.plugins.vxlan.OverlaySim.subnet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.spec.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
 * The vxlan plugin as the runtime runs it: the dist launcher executed with {@code ip netns exec
 * NODE}, env and stdin as libcni passes them, the result or error JSON on stdout.
 */
class VxlanProcessIT {
  static final Path BIN = dev.jcni.it.Packaged.home().resolve("bin/vxlan");
  @TempDir Path dir;
  OverlaySim sim;

  @BeforeEach
  void setUp() {
    Assumptions.assumeTrue(OverlaySim.isRoot(), "needs root: creates network namespaces and VTEPs");
    Assumptions.assumeTrue(
        Files.isExecutable(BIN), "needs " + BIN + " (mvn verify packages it first)");
    sim = new OverlaySim();
  }

  @AfterEach
  void tearDown() {
    if (sim != null) {
      sim.close();
    }
  }

  record Out(int exit, String stdout, String stderr) {
    @SuppressWarnings("unchecked")
    Map<String, Object> json() {
      return (Map<String, Object>) Json.parse(stdout.getBytes(StandardCharsets.UTF_8));
    }
  }

  Out exec(int node, String command, String netns, String conf) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "ip",
                "netns",
                "exec",
                sim.node(node),
                "env",
                "CNI_COMMAND=" + command,
                "CNI_CONTAINERID=ctr" + node,
                "CNI_NETNS=" + netns,
                "CNI_IFNAME=eth0",
                "CNI_PATH=" + BIN.getParent(),
                BIN.toString()));
    Process p = new ProcessBuilder(cmd).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(conf.getBytes(StandardCharsets.UTF_8));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread t = new Thread(() -> copy(p.getErrorStream(), err));
    t.start();
    p.getInputStream().transferTo(out);
    int rc = p.waitFor();
    t.join();
    return new Out(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static void copy(java.io.InputStream in, ByteArrayOutputStream out) {
    try {
      in.transferTo(out);
    } catch (IOException e) {
      // process gone
    }
  }

  String conf(int node, String version, String extra) {
    String prev =
        "{\"cniVersion\":\""
            + version
            + "\",\"interfaces\":[{\"name\":\"cni0\",\"mac\":\"02:00:00:00:00:01\"},"
            + "{\"name\":\"eth0\",\"mac\":\"02:00:00:00:00:02\",\"sandbox\":\"/run/netns/"
            + sim.pod(node, 1)
            + "\"}],"
            + "\"ips\":[{\"interface\":1,\"address\":\""
            + OverlaySim.podIp(node, 1)
            + "/24\",\"gateway\":\"10.213."
            + node
            + ".1\"}]}";
    return "{\"cniVersion\":\""
        + version
        + "\",\"name\":\"jvxnet\",\"type\":\"vxlan\",\"underlayInterface\":\"eth0\","
        + "\"nodeSubnet\":\""
        + subnet(node)
        + "\",\"peersFile\":\""
        + dir.resolve("peers.json")
        + "\""
        + extra
        + ",\"prevResult\":"
        + prev
        + "}";
  }

  @Test
  void addPassesPrevResultThroughAndErrorsAreCniJson() throws Exception {
    sim.addNode(1);
    sim.addPod(1, 1, 1450);
    sim.addNode(2);
    sim.addPod(2, 1, 1450);
    PeersFile.writeAtomically(
        dir.resolve("peers.json"),
        List.of(Peer.of(nodeIp(1), subnet(1)), Peer.of(nodeIp(2), subnet(2))));
    for (int n = 1; n <= 2; n++) {
      Out add = exec(n, "ADD", "/run/netns/" + sim.pod(n, 1), conf(n, "1.0.0", ""));
      assertThat(add.exit()).as(add.stdout() + add.stderr()).isZero();
      Map<String, Object> r = add.json();
      assertThat(r.get("cniVersion")).isEqualTo("1.0.0");
      assertThat(Json.writeString(r.get("ips"))).contains(OverlaySim.podIp(n, 1) + "/24");
    }
    assertThat(sim.ping(sim.pod(1, 1), OverlaySim.podIp(2, 1))).as("pod1 -> pod2").isTrue();

    // an older config version: the result is converted on the way out
    Out old = exec(1, "ADD", "/run/netns/" + sim.pod(1, 1), conf(1, "0.3.1", ""));
    assertThat(old.exit()).as(old.stdout()).isZero();
    assertThat(old.json().get("cniVersion")).isEqualTo("0.3.1");
    assertThat(exec(1, "CHECK", "/run/netns/" + sim.pod(1, 1), conf(1, "1.0.0", "")).exit())
        .isZero();

    // containerd's second DEL: empty CNI_NETNS, no prevResult
    String noPrev = conf(1, "1.0.0", "").replaceAll(",\"prevResult\":.*}$", "}");
    Out del = exec(1, "DEL", "", noPrev);
    assertThat(del.exit()).as(del.stdout() + del.stderr()).isZero();
    assertThat(del.stdout()).isEmpty();

    Out status =
        exec(1, "STATUS", "", conf(1, "1.1.0", ",\"readyFile\":\"" + dir.resolve("ready") + "\""));
    assertThat(status.exit()).isNotZero();
    assertThat(status.json()).containsEntry("code", 50L);

    Out bad = exec(1, "ADD", "/run/netns/" + sim.pod(1, 1), conf(1, "1.0.0", ",\"port\":0"));
    assertThat(bad.exit()).isNotZero();
    assertThat(bad.json()).containsEntry("code", 7L);
    assertThat((String) bad.json().get("msg")).startsWith("port:");
    assertThat(bad.stdout()).doesNotContain("Exception");
  }
}
