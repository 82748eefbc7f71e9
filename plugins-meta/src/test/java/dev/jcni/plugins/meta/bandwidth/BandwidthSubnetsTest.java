package dev.jcni.plugins.meta.bandwidth;

import static dev.jcni.plugins.meta.bandwidth.BandwidthNetnsTest.BURST;
import static dev.jcni.plugins.meta.bandwidth.BandwidthNetnsTest.IN_RATE;
import static dev.jcni.plugins.meta.bandwidth.BandwidthNetnsTest.OUT_RATE;
import static dev.jcni.plugins.meta.bandwidth.BandwidthNetnsTest.conf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code shapedSubnets} / {@code unshapedSubnets} (Go v1.5's keys, htb layout) with real traffic:
 * the node talks to the pod from two addresses, 10.78.0.1 (its veth) and 10.60.0.1 (on its
 * loopback, inside the listed subnet), and only the traffic the config selects is shaped, in both
 * directions. Same tolerance as {@link BandwidthNetnsTest}.
 */
class BandwidthSubnetsTest {
  private static final String LISTED = "10.60.0.1";
  private static final String OTHER = "10.78.0.1";
  private static final String POD = "10.78.0.2";
  private Node h;
  private String pod;
  private String prev;

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(Node.ROOT, "needs root: creates network namespaces");
    h = new Node();
    pod = h.pod("s");
    prev = h.wireVeth(pod, "jbwh0", OTHER + "/24", POD + "/24");
    Node.sh("ip", "-n", h.node, "addr", "add", LISTED + "/32", "dev", "lo");
    Node.sh("ip", "-n", Node.nsName(pod), "route", "add", "10.60.0.0/24", "via", OTHER);
  }

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  private static String limits(String key) {
    return ",\"ingressRate\":"
        + IN_RATE
        + ",\"ingressBurst\":"
        + BURST
        + ",\"egressRate\":"
        + OUT_RATE
        + ",\"egressBurst\":"
        + BURST
        + ",\""
        + key
        + "\":[\"10.60.0.0/24\",\"fd60::/64\"]";
  }

  private double in(String from) throws Exception {
    return h.iperf(Node.nsName(pod), h.node, POD, false, from);
  }

  private double out(String to) throws Exception {
    return h.iperf(Node.nsName(pod), h.node, POD, true, to);
  }

  private static void shaped(double measured, long rate, String what) {
    System.out.printf("%s: %.0f bit/s (%.2f of %d)%n", what, measured, measured / rate, rate);
    assertThat(measured).as(what).isBetween(0.70 * rate, 1.15 * rate);
  }

  private static void unshaped(double measured, long rate, String what) {
    System.out.printf("%s: %.0f bit/s unshaped%n", what, measured);
    assertThat(measured).as(what).isGreaterThan(20.0 * rate);
  }

  @Test
  void unshapedSubnetsBypassTheLimitBothWays() throws Exception {
    BandwidthPlugin bw = new BandwidthPlugin();
    String c = conf(prev, limits("unshapedSubnets"));
    h.call(bw, "ADD", c, pod, "c1", "eth0").ok();
    assertThat(h.qdiscKinds("jbwh0")).contains("htb", "ingress");
    assertThat(h.qdiscKinds(Shaping.ifbName("jbw-net", "c1"))).containsExactly("htb");
    h.call(bw, "CHECK", c, pod, "c1", "eth0").ok();
    unshaped(in(LISTED), IN_RATE, "unshaped subnet -> pod");
    shaped(in(OTHER), IN_RATE, "other -> pod");
    unshaped(out(LISTED), OUT_RATE, "pod -> unshaped subnet");
    shaped(out(OTHER), OUT_RATE, "pod -> other");
    h.call(bw, "DEL", c, pod, "c1", "eth0").ok();
    assertThat(h.qdiscKinds("jbwh0")).containsExactly("noqueue");
    assertThat(h.ifbs()).isEmpty();
  }

  @Test
  void shapedSubnetsAreTheOnlyOnesLimited() throws Exception {
    BandwidthPlugin bw = new BandwidthPlugin();
    String c = conf(prev, limits("shapedSubnets"));
    h.call(bw, "ADD", c, pod, "c1", "eth0").ok();
    h.call(bw, "CHECK", c, pod, "c1", "eth0").ok();
    shaped(in(LISTED), IN_RATE, "shaped subnet -> pod");
    unshaped(in(OTHER), IN_RATE, "other -> pod");
    shaped(out(LISTED), OUT_RATE, "pod -> shaped subnet");
    h.call(bw, "CHECK", conf(prev, limits("unshapedSubnets")), pod, "c1", "eth0")
        .failed(999, "default class of jbwh0 doesn't match");
    h.call(bw, "DEL", c, pod, "c1", "eth0").ok();
    assertThat(h.qdiscKinds("jbwh0")).containsExactly("noqueue");
  }
}
