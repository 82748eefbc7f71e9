package dev.jcni.plugins.meta.bandwidth;

import static dev.jcni.plugins.meta.bandwidth.BandwidthNetnsTest.conf;
import static dev.jcni.plugins.meta.bandwidth.BandwidthNetnsTest.limits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcni.plugins.bridge.BridgePlugin;
import dev.jcni.plugins.ptp.PtpPlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Chains mixing jcni and Go (v1.1.1 from /usr/lib/cni) plugins on one NODE namespace: Go's bridge +
 * host-local followed by our bandwidth (with traffic), our ptp / bridge followed by Go's bandwidth,
 * and each bandwidth plugin cleaning up after the other (both name the ifb {@code
 * bwp<sha512(net+id)>}).
 */
class BandwidthChainTest {
  private Node h;

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(Node.ROOT, "needs root: creates network namespaces");
    assumeTrue(
        Node.go("bandwidth") && Node.go("bridge") && Node.go("host-local"),
        "Go reference plugins not installed in /usr/lib/cni");
    h = new Node();
  }

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  private String bridgeConf(String type) {
    return "{\"cniVersion\":\"1.0.0\",\"name\":\"jbw-net\",\"type\":\""
        + type
        + "\",\"bridge\":\"jbwbr0\","
        + "\"isGateway\":true,\"ipMasq\":false,\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.79.0.0/24\","
        + "\"dataDir\":\""
        + h.dataDir
        + "\"}}";
  }

  @Test
  void goBridgeThenOurBandwidthShapesTraffic() throws Exception {
    String pod = h.pod("gb");
    String bridge = bridgeConf("bridge");
    String prev = h.go("bridge", "ADD", bridge, pod, "c1", "eth0").ok().stdout();
    BandwidthPlugin bw = new BandwidthPlugin();
    String c = conf(prev, limits(BandwidthNetnsTest.IN_RATE, BandwidthNetnsTest.OUT_RATE));
    String out = h.call(bw, "ADD", c, pod, "c1", "eth0").ok().stdout();
    String podIp = BandwidthNetnsTest.podAddress(prev);
    double in = h.iperf(Node.nsName(pod), h.node, podIp, false);
    System.out.printf(
        "Go bridge + jcni bandwidth, node -> pod: %.0f bit/s for %d%n",
        in, BandwidthNetnsTest.IN_RATE);
    assertThat(in).isBetween(0.70 * BandwidthNetnsTest.IN_RATE, 1.15 * BandwidthNetnsTest.IN_RATE);
    h.call(
            bw,
            "CHECK",
            conf(out, limits(BandwidthNetnsTest.IN_RATE, BandwidthNetnsTest.OUT_RATE)),
            pod,
            "c1",
            "eth0")
        .ok();
    h.call(
            bw,
            "DEL",
            conf(out, limits(BandwidthNetnsTest.IN_RATE, BandwidthNetnsTest.OUT_RATE)),
            pod,
            "c1",
            "eth0")
        .ok();
    assertThat(h.ifbs()).isEmpty();
    h.go("bridge", "DEL", bridge, pod, "c1", "eth0").ok();
  }

  @Test
  void ourPtpThenGoBandwidth() {
    String pod = h.pod("pg");
    PtpPlugin ptp = new PtpPlugin();
    String ptpConf =
        "{\"cniVersion\":\"1.0.0\",\"name\":\"jbw-net\",\"type\":\"ptp\",\"ipMasq\":false,"
            + "\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.77.0.0/24\",\"dataDir\":\""
            + h.dataDir
            + "\"}}";
    String prev = h.call(ptp, "ADD", ptpConf, pod, "c1", "eth0").ok().stdout();
    String c = conf(prev, limits(BandwidthNetnsTest.IN_RATE, BandwidthNetnsTest.OUT_RATE));
    String out = h.go("bandwidth", "ADD", c, pod, "c1", "eth0").ok().stdout();
    String ifb = Shaping.ifbName("jbw-net", "c1");
    assertThat(out).contains(ifb);
    assertThat(h.ifbs()).containsExactly(ifb);
    assertThat(h.qdiscKinds(ifb)).containsExactly("tbf");
    h.go(
            "bandwidth",
            "CHECK",
            conf(out, limits(BandwidthNetnsTest.IN_RATE, BandwidthNetnsTest.OUT_RATE)),
            pod,
            "c1",
            "eth0")
        .ok();
    h.go(
            "bandwidth",
            "DEL",
            conf(out, limits(BandwidthNetnsTest.IN_RATE, BandwidthNetnsTest.OUT_RATE)),
            pod,
            "c1",
            "eth0")
        .ok();
    assertThat(h.ifbs()).isEmpty();
    h.call(ptp, "DEL", ptpConf, pod, "c1", "eth0").ok();
  }

  @Test
  void ourBridgeThenGoBandwidthThenOurDelCleansGosLayout() {
    String pod = h.pod("bg");
    BridgePlugin br = new BridgePlugin();
    String bridge = bridgeConf("bridge");
    String prev = h.call(br, "ADD", bridge, pod, "c1", "eth0").ok().stdout();
    String c = conf(prev, limits(BandwidthNetnsTest.IN_RATE, BandwidthNetnsTest.OUT_RATE));
    String out = h.go("bandwidth", "ADD", c, pod, "c1", "eth0").ok().stdout();
    String hostIf = hostVeth(out);
    assertThat(h.qdiscKinds(hostIf)).contains("tbf", "ingress");
    // our CHECK accepts Go's programming, our DEL removes Go's ifb and the host veth's qdiscs (Go's
    // own DEL
    // leaves the tbf and the ingress qdiscs)
    BandwidthPlugin bw = new BandwidthPlugin();
    h.call(
            bw,
            "CHECK",
            conf(out, limits(BandwidthNetnsTest.IN_RATE, BandwidthNetnsTest.OUT_RATE)),
            pod,
            "c1",
            "eth0")
        .ok();
    h.call(
            bw,
            "DEL",
            conf(out, limits(BandwidthNetnsTest.IN_RATE, BandwidthNetnsTest.OUT_RATE)),
            pod,
            "c1",
            "eth0")
        .ok();
    assertThat(h.ifbs()).isEmpty();
    assertThat(h.qdiscKinds(hostIf)).doesNotContain("tbf", "ingress");
    h.call(br, "DEL", bridge, pod, "c1", "eth0").ok();
  }

  @Test
  void goDelCleansOurIfb() {
    String pod = h.pod("gd");
    String prev = h.wireVeth(pod, "jbwh0", "10.78.0.1/24", "10.78.0.2/24");
    String c = conf(prev, limits(BandwidthNetnsTest.IN_RATE, BandwidthNetnsTest.OUT_RATE));
    String out = h.call(new BandwidthPlugin(), "ADD", c, pod, "c1", "eth0").ok().stdout();
    h.go(
            "bandwidth",
            "CHECK",
            conf(out, limits(BandwidthNetnsTest.IN_RATE, BandwidthNetnsTest.OUT_RATE)),
            pod,
            "c1",
            "eth0")
        .ok();
    h.go(
            "bandwidth",
            "DEL",
            conf(out, limits(BandwidthNetnsTest.IN_RATE, BandwidthNetnsTest.OUT_RATE)),
            pod,
            "c1",
            "eth0")
        .ok();
    assertThat(h.ifbs()).isEmpty();
  }

  /** The first interface without a sandbox that is not the bridge. */
  private static String hostVeth(String result) {
    for (String part : result.split("\\{")) {
      if (part.contains("\"name\"")
          && !part.contains("sandbox")
          && !part.contains("jbwbr0")
          && !part.contains("bwp")) {
        String rest = part.substring(part.indexOf("\"name\"") + 6);
        rest = rest.substring(rest.indexOf('"') + 1);
        return rest.substring(0, rest.indexOf('"'));
      }
    }
    throw new AssertionError("no host veth in " + result);
  }
}
