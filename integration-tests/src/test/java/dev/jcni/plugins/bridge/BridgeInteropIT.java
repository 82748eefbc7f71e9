package dev.jcni.plugins.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcni.api.Delegate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Mixed chains with the Go reference plugins (Debian containernetworking-plugins in /usr/lib/cni)
 * and real plugin processes from the packaged tree, run with {@code ip netns exec NODE}: Go's
 * bridge with our host-local, our bridge as a process, and Go's and our host-local sharing one data
 * directory behind our bridge.
 */
class BridgeInteropIT {
  private static final Path DIST_BIN = dev.jcni.it.Packaged.home().resolve("bin");
  private NodeHarness h;

  @BeforeEach
  void setUp() {
    assumeTrue(NodeHarness.ROOT, "needs root: creates network namespaces");
    assumeTrue(
        Files.isExecutable(NodeHarness.GO_CNI.resolve("bridge")),
        "needs Go plugins in /usr/lib/cni");
    assumeTrue(
        Files.isExecutable(DIST_BIN.resolve("bridge"))
            && Files.isExecutable(DIST_BIN.resolve("host-local")),
        "needs the packaged tree (mvn verify packages it first)");
    h = new NodeHarness();
  }

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  private String conf() {
    return "{\"cniVersion\":\"1.0.0\",\"name\":\"jionet\",\"type\":\"bridge\",\"bridge\":\"jbr0\",\"isGateway\":true,"
        + "\"ipMasq\":true,\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.80.0.0/24\",\"dataDir\":\""
        + h.dataDir
        + "\"}}";
  }

  @SuppressWarnings("unchecked")
  private static String ip(NodeHarness.Outcome add) {
    String a =
        (String)
            ((Map<String, Object>) ((List<Object>) add.json().get("ips")).get(0)).get("address");
    return a.substring(0, a.indexOf('/'));
  }

  private String reservation(String ipAddr) throws Exception {
    return new String(
        Files.readAllBytes(h.dataDir.resolve("jionet").resolve(ipAddr)), StandardCharsets.UTF_8);
  }

  @Test
  void goBridgeWithOurHostLocalAndOurBridgeProcessOnTheSameNode() throws Exception {
    String p1 = h.pod("go");
    String p2 = h.pod("j");
    NodeHarness.Outcome go =
        h.exec(
                NodeHarness.GO_CNI.resolve("bridge"),
                "ADD",
                conf(),
                p1,
                "ctr-go",
                "eth0",
                DIST_BIN.toString())
            .ok();
    NodeHarness.Outcome ours =
        h.exec(DIST_BIN.resolve("bridge"), "ADD", conf(), p2, "ctr-j", "eth0", DIST_BIN.toString())
            .ok();
    assertThat(reservation(ip(go))).isEqualTo("ctr-go\r\neth0");
    assertThat(reservation(ip(ours))).isEqualTo("ctr-j\r\neth0");
    // both pods on one bridge, one gateway address
    assertThat(h.ping(p1, ip(ours))).isTrue();
    assertThat(h.ping(p2, "10.80.0.1")).isTrue();
    assertThat(h.inNode("ip", "-o", "addr", "show", "dev", "jbr0"))
        .containsOnlyOnce("10.80.0.1/24");
    // both masquerade setups coexist: Go's CNI-… chain and ours
    String nat = h.inNode("iptables-save", "-t", "nat");
    assertThat(nat).contains("-j CNI-").contains("-j JCNI-M-");

    h.exec(DIST_BIN.resolve("bridge"), "DEL", conf(), p2, "ctr-j", "eth0", DIST_BIN.toString())
        .ok();
    h.exec(
            NodeHarness.GO_CNI.resolve("bridge"),
            "DEL",
            conf(),
            p1,
            "ctr-go",
            "eth0",
            DIST_BIN.toString())
        .ok();
    assertThat(h.reservations("jionet")).isEmpty();
    assertThat(h.inNode("iptables-save", "-t", "nat"))
        .doesNotContain("JCNI-M-")
        .doesNotContain("-j CNI-");
    assertThat(h.nodeVeths()).isEmpty();
  }

  @Test
  void goAndOurHostLocalShareADataDirectoryBehindOurBridge() {
    BridgePlugin plugin = new BridgePlugin();
    String p1 = h.pod("a");
    String p2 = h.pod("b");
    NodeHarness.Outcome viaGo =
        h.call(
                plugin,
                Delegate.execOnly(),
                "ADD",
                conf(),
                p1,
                "ctr-a",
                "eth0",
                NodeHarness.GO_CNI.toString())
            .ok();
    NodeHarness.Outcome viaOurs =
        h.call(
                plugin,
                Delegate.inProcessOnly(),
                "ADD",
                conf(),
                p2,
                "ctr-b",
                "eth0",
                NodeHarness.GO_CNI.toString())
            .ok();
    assertThat(ip(viaGo)).isNotEqualTo(ip(viaOurs));
    assertThat(h.reservations("jionet")).containsExactlyInAnyOrder(ip(viaGo), ip(viaOurs));
    // each releases the other's reservation format
    h.call(plugin, Delegate.inProcessOnly(), "DEL", conf(), p1, "ctr-a", "eth0", "/nonexistent")
        .ok();
    h.call(
            plugin,
            Delegate.execOnly(),
            "DEL",
            conf(),
            p2,
            "ctr-b",
            "eth0",
            NodeHarness.GO_CNI.toString())
        .ok();
    assertThat(h.reservations("jionet")).isEmpty();
  }

  @Test
  void goPtpAndOurPtpProcessesShareTheNode() throws Exception {
    assumeTrue(Files.isExecutable(NodeHarness.GO_CNI.resolve("ptp")), "needs Go ptp");
    String c =
        "{\"cniVersion\":\"1.0.0\",\"name\":\"jionet\",\"type\":\"ptp\",\"ipMasq\":true,"
            + "\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.81.0.0/24\",\"dataDir\":\""
            + h.dataDir
            + "\"}}";
    String p1 = h.pod("go");
    String p2 = h.pod("j");
    NodeHarness.Outcome go =
        h.exec(
                NodeHarness.GO_CNI.resolve("ptp"),
                "ADD",
                c,
                p1,
                "ctr-go",
                "eth0",
                DIST_BIN.toString())
            .ok();
    NodeHarness.Outcome ours =
        h.exec(DIST_BIN.resolve("ptp"), "ADD", c, p2, "ctr-j", "eth0", DIST_BIN.toString()).ok();
    assertThat(reservation(ip(go))).isEqualTo("ctr-go\r\neth0");
    assertThat(h.ping(p1, ip(ours))).as("Go ptp pod -> our ptp pod").isTrue();
    assertThat(h.ping(p2, ip(go))).as("our ptp pod -> Go ptp pod").isTrue();
    h.exec(DIST_BIN.resolve("ptp"), "DEL", c, p2, "ctr-j", "eth0", DIST_BIN.toString()).ok();
    h.exec(NodeHarness.GO_CNI.resolve("ptp"), "DEL", c, p1, "ctr-go", "eth0", DIST_BIN.toString())
        .ok();
    assertThat(h.reservations("jionet")).isEmpty();
    assertThat(h.nodeVeths()).isEmpty();
    assertThat(h.inNode("iptables-save", "-t", "nat")).doesNotContain("JCNI-M-");
  }

  @Test
  void badConfigFromARealProcessIsErrorJsonOnStdout() {
    String p1 = h.pod("a");
    NodeHarness.Outcome o =
        h.exec(
            DIST_BIN.resolve("bridge"),
            "ADD",
            conf().replace("\"isGateway\":true", "\"hairpinMode\":true,\"promiscMode\":true"),
            p1,
            "ctr-a",
            "eth0",
            DIST_BIN.toString());
    o.failed(7, "hairpinMode");
    assertThat(o.stdout()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(h.nodeVeths()).isEmpty();
    assertThat(h.reservations("jionet")).isEmpty();
  }
}
