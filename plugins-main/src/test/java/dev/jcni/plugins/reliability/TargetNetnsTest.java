package dev.jcni.plugins.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcni.api.CniPlugin;
import dev.jcni.plugins.bridge.BridgePlugin;
import dev.jcni.plugins.bridge.NodeHarness;
import dev.jcni.plugins.loopback.LoopbackPlugin;
import dev.jcni.plugins.ptp.PtpPlugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Calls aimed at the plugin's own namespace or at a bad CNI_NETNS change nothing: each plugin runs
 * in-process through the real Dispatcher on a thread inside a node namespace of ours ({@code
 * jrl-...}), so "own" is that node. Go's skel refuses the own namespace only after the plugin ran,
 * and Go's bridge makes its bridge before it opens the netns; these tests fail on both orders.
 */
class TargetNetnsTest {
  NodeHarness h;
  Path notANamespace;

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(NodeHarness.ROOT, "needs root: creates network namespaces");
    h = new NodeHarness("jrl");
    notANamespace = Files.createFile(h.dataDir.resolve("not-a-netns"));
    // an interface named like CNI_IFNAME in the node: may be its NIC, so nothing may touch it
    h.inNode("ip", "link", "add", "eth0", "type", "veth", "peer", "name", "jrlpeer0");
    h.inNode("ip", "link", "set", "jrlpeer0", "up");
    h.inNode("ip", "addr", "add", "192.168.231.1/24", "dev", "eth0");
    h.inNode("ip", "link", "set", "eth0", "up");
  }

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  private String ipam() {
    return "\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.231.0.0/24\",\"dataDir\":\""
        + h.dataDir
        + "\"}";
  }

  private String bridgeConf() {
    return "{\"cniVersion\":\"1.0.0\",\"name\":\"jrlnet\",\"type\":\"bridge\",\"bridge\":\"jrl0\",\"isGateway\":true,"
        + "\"ipMasq\":true,\"ipMasqBackend\":\"nftables\","
        + ipam()
        + "}";
  }

  private String ptpConf() {
    return "{\"cniVersion\":\"1.0.0\",\"name\":\"jrlnet\",\"type\":\"ptp\",\"ipMasq\":true,"
        + "\"ipMasqBackend\":\"nftables\","
        + ipam()
        + "}";
  }

  private NodeHarness.Outcome call(CniPlugin p, String cmd, String conf, String netns, String cid) {
    return h.call(p, cmd, conf, netns, cid, "eth0", NodeHarness.GO_CNI.toString());
  }

  /**
   * The node as it was: only lo and our eth0 (up, with its address) + its peer, no rules, no
   * reservations.
   */
  private void nodeUntouched() {
    assertThat(h.inNode("ip", "-o", "link", "show").strip().split("\n")).hasSize(3);
    assertThat(h.inNode("ip", "-o", "addr", "show", "dev", "eth0")).contains("192.168.231.1/24");
    assertThat(h.inNode("ip", "-o", "link", "show", "dev", "eth0")).contains("UP");
    assertThat(h.inNode("nft", "list", "ruleset")).doesNotContain("table");
    assertThat(h.inNode("iptables-save")).doesNotContain("CNI");
    assertThat(h.reservations("jrlnet")).isEmpty();
  }

  @Test
  void ownNamespaceIsRefusedBeforeAnythingIsMadeAndItsDelSucceedsWithoutTouchingIt() {
    String own = "/run/netns/" + h.node;
    for (CniPlugin p : List.of(new BridgePlugin(), new PtpPlugin())) {
      String conf = p instanceof BridgePlugin ? bridgeConf() : ptpConf();
      call(p, "ADD", conf, own, "jrl-own")
          .failed(8, "plugin's netns and netns from CNI_NETNS should not be the same");
      nodeUntouched();
      call(p, "DEL", conf, own, "jrl-own").ok();
      nodeUntouched();
    }
    call(
            new LoopbackPlugin(),
            "ADD",
            "{\"cniVersion\":\"1.0.0\",\"name\":\"lo\",\"type\":\"loopback\"}",
            own,
            "jrl-own")
        .failed(8, "should not be the same");
    // loopback's DEL sets CNI_IFNAME down: aimed at our own namespace it must not
    call(
            new LoopbackPlugin(),
            "DEL",
            "{\"cniVersion\":\"1.0.0\",\"name\":\"lo\",\"type\":\"loopback\"}",
            own,
            "jrl-own")
        .ok();
    nodeUntouched();
  }

  @Test
  void delAimedAtTheOwnNamespaceReleasesTheContainersAddressAndMasqueradeButNoInterface() {
    String pod = h.pod("a");
    for (CniPlugin p : List.of(new BridgePlugin(), new PtpPlugin())) {
      String conf = p instanceof BridgePlugin ? bridgeConf() : ptpConf();
      call(p, "ADD", conf, pod, "jrl-c1").ok();
      assertThat(h.reservations("jrlnet")).hasSize(1);
      assertThat(h.inNode("nft", "list", "ruleset")).contains("table");
      call(p, "DEL", conf, "/run/netns/" + h.node, "jrl-c1").ok();
      assertThat(h.reservations("jrlnet")).isEmpty();
      assertThat(h.inNode("nft", "list", "ruleset"))
          .doesNotContain("jrl-c1")
          .doesNotContain("10.231.0.");
      assertThat(h.inNode("ip", "-o", "addr", "show", "dev", "eth0")).contains("192.168.231.1/24");
      assertThat(h.inNode("ip", "-o", "link", "show", "dev", "eth0")).contains("UP");
      // a DEL naming the pod then removes the pod's side, as usual
      call(p, "DEL", conf, pod, "jrl-c1").ok();
      assertThat(h.inPod(pod, "ip", "-o", "link", "show")).doesNotContain("eth0");
      if (h.nodeVeths().isEmpty()) {
        h.inNode("sh", "-c", "ip link del jrl0 2>/dev/null; true");
      }
    }
  }

  @Test
  void aMissingPathOrAFileThatIsNotANetworkNamespaceIsACniErrorBeforeAnythingIsMade() {
    for (String bad :
        List.of("/run/netns/jrl-missing-" + h.tag, notANamespace.toString(), "/proc/self/ns/uts")) {
      String why =
          bad.startsWith("/run")
              ? "no such file or directory"
              : bad.startsWith("/proc") ? "not a network namespace" : "not a namespace file";
      call(new BridgePlugin(), "ADD", bridgeConf(), bad, "jrl-bad")
          .failed(999, "failed to open netns \"" + bad + "\": " + why);
      nodeUntouched();
      call(new PtpPlugin(), "ADD", ptpConf(), bad, "jrl-bad")
          .failed(999, "failed to open netns \"" + bad + "\"");
      nodeUntouched();
      call(
              new LoopbackPlugin(),
              "ADD",
              "{\"cniVersion\":\"1.0.0\",\"name\":\"lo\",\"type\":\"loopback\"}",
              bad,
              "jrl-bad")
          .failed(999, "failed to open netns \"" + bad + "\"");
      // DEL of a namespace that is gone (or only its unmounted file left) succeeds
      call(new BridgePlugin(), "DEL", bridgeConf(), bad, "jrl-bad").ok();
      call(new PtpPlugin(), "DEL", ptpConf(), bad, "jrl-bad").ok();
      nodeUntouched();
    }
  }
}
