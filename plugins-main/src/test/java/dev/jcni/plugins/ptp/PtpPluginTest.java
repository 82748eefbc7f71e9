package dev.jcni.plugins.ptp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcni.plugins.bridge.BridgeGcStatusTest;
import dev.jcni.plugins.bridge.NodeHarness;
import dev.jcni.plugins.common.IpMasqNft;
import dev.jcni.plugins.common.Owner;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ptp plugin against a real kernel, in throwaway node and pod namespaces (root only). */
class PtpPluginTest {
  private NodeHarness h;
  private final PtpPlugin plugin = new PtpPlugin();

  @BeforeEach
  void setUp() {
    assumeTrue(NodeHarness.ROOT, "needs root: creates network namespaces");
    assumeTrue(
        Files.isExecutable(NodeHarness.GO_CNI.resolve("host-local")),
        "needs an IPAM plugin in /usr/lib/cni (Debian containernetworking-plugins)");
    h = new NodeHarness();
  }

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  private String conf(String extra) {
    return "{\"cniVersion\":\"1.0.0\",\"name\":\"jptpnet\",\"type\":\"ptp\""
        + extra
        + ",\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.78.0.0/24\",\"dataDir\":\""
        + h.dataDir
        + "\",\"routes\":[{\"dst\":\"0.0.0.0/0\"}]}}";
  }

  private NodeHarness.Outcome call(String cmd, String conf, String netns, String cid) {
    return h.call(plugin, cmd, conf, netns, cid, "eth0", NodeHarness.GO_CNI.toString());
  }

  private static String withPrev(String conf, NodeHarness.Outcome add) {
    return conf.substring(0, conf.length() - 1) + ",\"prevResult\":" + add.stdout().strip() + "}";
  }

  @SuppressWarnings("unchecked")
  private static String ip(NodeHarness.Outcome add) {
    String a =
        (String)
            ((Map<String, Object>) ((List<Object>) add.json().get("ips")).get(0)).get("address");
    return a.substring(0, a.indexOf('/'));
  }

  @Test
  @SuppressWarnings("unchecked")
  void podsReachEachOtherThroughTheNodeAndDelCleansUp() {
    String c =
        conf(
            ",\"ipMasq\":true,\"ipMasqBackend\":\"nftables\",\"mtu\":1450,"
                + "\"dns\":{\"nameservers\":[\"10.78.0.53\"]}");
    String p1 = h.pod("a");
    String p2 = h.pod("b");
    NodeHarness.Outcome a1 = call("ADD", c, p1, "ctr-a").ok();
    NodeHarness.Outcome a2 = call("ADD", c, p2, "ctr-b").ok();

    Map<String, Object> r = a1.json();
    List<Map<String, Object>> ifs = (List<Map<String, Object>>) r.get("interfaces");
    assertThat(ifs).hasSize(2);
    assertThat((String) ifs.get(0).get("name")).matches("veth[0-9a-f]{8}");
    assertThat(ifs.get(1)).containsEntry("name", "eth0").containsEntry("sandbox", p1);
    assertThat(((List<Map<String, Object>>) r.get("ips")).get(0))
        .containsEntry("interface", 1L)
        .containsEntry("gateway", "10.78.0.1");
    assertThat(r.get("dns")).isEqualTo(Map.of("nameservers", List.of("10.78.0.53")));

    String routes = h.inPod(p1, "ip", "route");
    assertThat(routes)
        .contains("10.78.0.1 dev eth0 scope link src " + ip(a1))
        .contains("10.78.0.0/24 via 10.78.0.1 dev eth0 src " + ip(a1))
        .contains("default via 10.78.0.1 dev eth0")
        .doesNotContain("proto kernel");
    assertThat(h.inPod(p1, "ip", "link", "show", "eth0")).contains("mtu 1450");
    String hostVeth = (String) ifs.get(0).get("name");
    assertThat(h.inNode("ip", "-o", "addr", "show", "dev", hostVeth)).contains("10.78.0.1/32");
    assertThat(h.inNode("ip", "route")).contains(ip(a1) + " dev " + hostVeth);

    assertThat(h.ping(p1, ip(a2))).as("pod -> pod via the node").isTrue();
    assertThat(h.ping(null, ip(a1))).as("node -> pod").isTrue();
    Owner o1 = new Owner("jptpnet", "ctr-a", "eth0");
    assertThat(h.inNode("nft", "list", "table", "inet", IpMasqNft.table(o1)))
        .contains("ip saddr " + ip(a1));

    call("CHECK", withPrev(c, a1), p1, "ctr-a").ok();
    call("DEL", withPrev(c, a1), p1, "ctr-a").ok();
    call("DEL", c, "", "ctr-a").ok();
    assertThat(h.inNode("ip", "route")).doesNotContain(ip(a1) + " dev");
    assertThat(h.inNode("nft", "list", "tables")).doesNotContain(IpMasqNft.table(o1));
    assertThat(h.reservations("jptpnet")).containsExactly(ip(a2));
    assertThat(h.ping(p2, "10.78.0.1")).as("other pod unaffected").isTrue();

    h.deletePod(p2);
    call("DEL", c, p2, "ctr-b").ok();
    assertThat(h.reservations("jptpnet")).isEmpty();
    assertThat(h.inNode("nft", "list", "tables")).doesNotContain("jcni_masq_");
  }

  @Test
  void gcRemovesMasqueradeOfVanishedAttachmentsAndForwardsToIpam() {
    String c = conf(",\"ipMasq\":true,\"ipMasqBackend\":\"nftables\"");
    String p1 = h.pod("a");
    String p2 = h.pod("b");
    call("ADD", c, p1, "ctr-a").ok();
    call("ADD", c, p2, "ctr-b").ok();
    h.deletePod(p1);
    BridgeGcStatusTest.RecordingIpam ipam = new BridgeGcStatusTest.RecordingIpam();
    String gc =
        c.replace("\"1.0.0\"", "\"1.1.0\"")
            .replace(
                "\"ipam\"",
                "\"cni.dev/valid-attachments\":[{\"containerID\":\"ctr-b\",\"ifname\":\"eth0\"}],\"ipam\"");
    h.call(plugin, ipam, "GC", gc, "", "", "", "/nonexistent").ok();
    String tables = h.inNode("nft", "list", "tables");
    assertThat(tables)
        .doesNotContain(IpMasqNft.table(new Owner("jptpnet", "ctr-a", "eth0")))
        .contains(IpMasqNft.table(new Owner("jptpnet", "ctr-b", "eth0")));
    assertThat(ipam.calls).containsExactly("GC host-local keep=1");
    call("DEL", c, p2, "ctr-b").ok();
  }

  @Test
  void dualStackPodsReachEachOtherOverIpv6() {
    String c =
        "{\"cniVersion\":\"1.0.0\",\"name\":\"jptpnet\",\"type\":\"ptp\",\"ipam\":{\"type\":\"host-local\","
            + "\"dataDir\":\""
            + h.dataDir
            + "\",\"ranges\":[[{\"subnet\":\"10.78.0.0/24\"}],[{\"subnet\":\"fd00:78::/64\"}]],"
            + "\"routes\":[{\"dst\":\"0.0.0.0/0\"},{\"dst\":\"::/0\"}]}}";
    String p1 = h.pod("a");
    String p2 = h.pod("b");
    NodeHarness.Outcome a1 = call("ADD", c, p1, "ctr-a").ok();
    NodeHarness.Outcome a2 = call("ADD", c, p2, "ctr-b").ok();
    @SuppressWarnings("unchecked")
    String v6 =
        (String)
            ((Map<String, Object>) ((List<Object>) a2.json().get("ips")).get(1)).get("address");
    assertThat(h.inPod(p1, "ip", "-6", "route")).contains("default via fd00:78::1 dev eth0");
    assertThat(
            NodeHarness.rc(
                "ip",
                "netns",
                "exec",
                NodeHarness.nsName(p1),
                "ping",
                "-6",
                "-c",
                "1",
                "-W",
                "3",
                v6.substring(0, v6.indexOf('/'))))
        .as("pod -> pod over IPv6 via the node")
        .isZero();
    call("CHECK", withPrev(c, a1), p1, "ctr-a").ok();
    call("DEL", c, p1, "ctr-a").ok();
    call("DEL", c, p2, "ctr-b").ok();
    assertThat(h.reservations("jptpnet")).isEmpty();
  }

  @Test
  void checkDetectsARemovedRouteAndAMissingInterface() {
    String c = conf("");
    String p1 = h.pod("a");
    NodeHarness.Outcome add = call("ADD", c, p1, "ctr-a").ok();
    call("CHECK", withPrev(c, add), p1, "ctr-a").ok();
    h.inPod(p1, "ip", "route", "del", "default");
    call("CHECK", withPrev(c, add), p1, "ctr-a").failed(999, "Failed to match route 0.0.0.0/0");
    h.inPod(p1, "ip", "link", "del", "eth0");
    call("CHECK", withPrev(c, add), p1, "ctr-a").failed(999, "eth0");
    call("DEL", c, p1, "ctr-a").ok();
    assertThat(h.nodeVeths()).isEmpty();
  }

  @Test
  void ipamIsRequiredAndBadConfigLeavesNothing() {
    String p1 = h.pod("a");
    call("ADD", "{\"cniVersion\":\"1.0.0\",\"name\":\"jptpnet\",\"type\":\"ptp\"}", p1, "ctr-a")
        .failed(7, "ipam");
    call("ADD", conf(",\"mtu\":-1"), p1, "ctr-a").failed(7, "mtu");
    call("ADD", conf(",\"mtu\":40"), p1, "ctr-a").failed(7, "mtu: invalid MTU 40");
    call("ADD", conf(",\"ipMasq\":true,\"ipMasqBackend\":\"ebtables\""), p1, "ctr-a")
        .failed(7, "ipMasqBackend");
    assertThat(h.reservations("jptpnet")).isEmpty();
    assertThat(h.nodeVeths()).isEmpty();
  }

  @Test
  void aFailedAddReleasesTheAddressAndRemovesTheVeth() {
    String p1 = h.pod("a");
    h.inPod(p1, "ip", "link", "add", "eth0", "type", "veth", "peer", "name", "eth0-p");
    call("ADD", conf(""), p1, "ctr-a").failed(999, "already exists");
    assertThat(h.reservations("jptpnet")).isEmpty();
    assertThat(h.nodeVeths()).isEmpty();
  }
}
