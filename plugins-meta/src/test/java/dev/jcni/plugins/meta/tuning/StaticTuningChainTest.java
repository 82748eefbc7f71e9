package dev.jcni.plugins.meta.tuning;

import static dev.jcni.plugins.meta.tuning.Harness.link;
import static dev.jcni.plugins.meta.tuning.Harness.sysctl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcni.api.Delegate;
import dev.jcni.plugins.bridge.BridgePlugin;
import dev.jcni.spec.json.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Chains mixing our static and tuning with Go's v1.1.1 plugins, in throwaway NODE and pod
 * namespaces (root): static's addresses and routes land in the pod exactly (under our bridge
 * through in-process delegation, and under Go's bridge exec'ing our static from CNI_PATH); tuning
 * after our bridge (Go's tuning) and after Go's bridge (ours).
 */
class StaticTuningChainTest {
  private Harness h;

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(Harness.ROOT, "needs root: creates network namespaces");
    h = new Harness();
  }

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  private static final String STATIC =
      "{\"type\":\"static\",\"addresses\":[{\"address\":\"10.77.0.5/24\","
          + "\"gateway\":\"10.77.0.1\"},{\"address\":\"FD77::5/64\",\"gateway\":\"fd77::1\"}],\"routes\":["
          + "{\"dst\":\"0.0.0.0/0\"},{\"dst\":\"192.168.200.0/24\",\"gw\":\"10.77.0.254\"},{\"dst\":\"fd78::/64\",\"gw\":\"fd77::1\"}],"
          + "\"dns\":{\"nameservers\":[\"10.77.0.53\"],\"search\":[\"jtu.example\"]}}";

  private static String bridge(String ipam) {
    return "{\"cniVersion\":\"1.0.0\",\"name\":\"jtu-chain\",\"type\":\"bridge\",\"bridge\":\"jtubr0\","
        + "\"ipam\":"
        + ipam
        + "}";
  }

  private String tuning(String prevResult, String body) {
    return "{\"cniVersion\":\"1.0.0\",\"name\":\"jtu-chain\",\"type\":\"tuning\",\"dataDir\":"
        + Json.writeString(h.dataDir.toString())
        + body
        + ",\"prevResult\":"
        + prevResult
        + "}";
  }

  /** Global addresses of the pod's eth0 as {@code addr/prefix}. */
  @SuppressWarnings("unchecked")
  private static TreeSet<String> addresses(String pod) {
    TreeSet<String> out = new TreeSet<>();
    List<Object> l =
        (List<Object>) Json.parse(Harness.in(pod, "ip", "-j", "addr", "show", "dev", "eth0"));
    for (Object o : (List<Object>) ((Map<String, Object>) l.get(0)).get("addr_info")) {
      Map<String, Object> a = (Map<String, Object>) o;
      if ("global".equals(a.get("scope"))) {
        out.add(a.get("local") + "/" + a.get("prefixlen"));
      }
    }
    return out;
  }

  /** Non-kernel routes of the pod (main table, both families) as {@code dst via gw}. */
  @SuppressWarnings("unchecked")
  private static TreeSet<String> routes(String pod) {
    TreeSet<String> out = new TreeSet<>();
    for (String fam : List.of("-4", "-6")) {
      for (Object o :
          (List<Object>) Json.parse(Harness.in(pod, "ip", "-j", fam, "route", "show"))) {
        Map<String, Object> r = (Map<String, Object>) o;
        if (!"kernel".equals(r.get("protocol"))) {
          out.add(
              r.get("dst")
                  + (r.get("gateway") != null ? " via " + r.get("gateway") : "")
                  + " dev "
                  + r.get("dev"));
        }
      }
    }
    return out;
  }

  private static void assertStaticInPod(String pod, Map<String, Object> result, boolean dns) {
    assertThat(addresses(pod)).containsExactly("10.77.0.5/24", "fd77::5/64");
    // a route without gw takes the family's gateway (what Go's bridge and ours do with IPAM
    // routes); Go's
    // bridge CHECK then looks for a gateway-less route and fails, so only the default route relies
    // on it
    assertThat(routes(pod))
        .containsExactly(
            "192.168.200.0/24 via 10.77.0.254 dev eth0",
            "default via 10.77.0.1 dev eth0",
            "fd78::/64 via fd77::1 dev eth0");
    if (dns) {
      // (Go's bridge v1.1.1 replaces IPAM's DNS with its own config's dns, empty here)
      assertThat(Json.writeString(result.get("dns"))).contains("10.77.0.53", "jtu.example");
    }
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> ips = (List<Map<String, Object>>) result.get("ips");
    List<String> got = new ArrayList<>();
    for (Map<String, Object> ip : ips) {
      got.add(ip.get("address") + " gw " + ip.get("gateway"));
    }
    assertThat(got).containsExactly("10.77.0.5/24 gw 10.77.0.1", "fd77::5/64 gw fd77::1");
  }

  @Test
  void ourBridgeWithOurStaticInProcessThenOurTuning() {
    String pod = h.pod("a");
    BridgePlugin br = new BridgePlugin();
    String bc = bridge(STATIC);
    Harness.Outcome add =
        h.call(
                br,
                Delegate.inProcessOnly(),
                Harness.env("ADD", pod, "jtu-a", "eth0", "/nonexistent", "IgnoreUnknown=1"),
                bc)
            .ok();
    assertStaticInPod(pod, add.json(), true);
    String before = sysctl(pod, "net.ipv4.conf.eth0.arp_notify");

    TuningPlugin tuning = new TuningPlugin(null);
    String tc =
        tuning(
            add.stdout().trim(),
            ",\"sysctl\":{\"net.ipv4.conf.IFNAME.arp_notify\":\"1\"},\"mtu\":1400,"
                + "\"mac\":\"02:77:00:00:00:05\"");
    Harness.Outcome tuned = h.call(tuning, "ADD", tc, pod, "jtu-a", "eth0").ok();
    assertThat(sysctl(pod, "net.ipv4.conf.eth0.arp_notify")).isEqualTo("1");
    assertThat(((Number) link(pod, "eth0").get("mtu")).intValue()).isEqualTo(1400);
    assertThat(Json.writeString(tuned.json().get("interfaces"))).contains("02:77:00:00:00:05");
    h.call(tuning, "CHECK", tc, pod, "jtu-a", "eth0").ok();
    // our bridge's CHECK against tuning's result (the pod MAC it reports is tuning's)
    String bcPrev =
        bc.substring(0, bc.length() - 1) + ",\"prevResult\":" + tuned.stdout().trim() + "}";
    h.call(
            br,
            Delegate.inProcessOnly(),
            Harness.env("CHECK", pod, "jtu-a", "eth0", "/nonexistent", "IgnoreUnknown=1"),
            bcPrev)
        .ok();

    h.call(tuning, "DEL", tc, pod, "jtu-a", "eth0").ok();
    assertThat(sysctl(pod, "net.ipv4.conf.eth0.arp_notify")).isEqualTo(before);
    assertThat(((Number) link(pod, "eth0").get("mtu")).intValue()).isEqualTo(1500);
    h.call(
            br,
            Delegate.inProcessOnly(),
            Harness.env("DEL", pod, "jtu-a", "eth0", "/nonexistent", "IgnoreUnknown=1"),
            bcPrev)
        .ok();
    assertThat(
            Harness.run(List.of("ip", "-n", Harness.ns(pod), "link", "show", "eth0"), null).exit())
        .isNotZero();
    assertThat(h.saved()).isEmpty();
  }

  @Test
  void goBridgeExecsOurStatic() {
    assumeTrue(Harness.go("bridge"), "needs Go's bridge in /usr/lib/cni");
    String pod = h.pod("g");
    String bc = bridge(STATIC);
    Path goBridge = Harness.GO.resolve("bridge");
    Harness.Outcome add =
        h.exec(goBridge, "ADD", bc, pod, "jtu-g", "eth0", h.binDir.toString()).ok();
    assertStaticInPod(pod, add.json(), false);
    // Go's bridge CHECK runs our static's CHECK through CNI_PATH
    String bcPrev =
        bc.substring(0, bc.length() - 1) + ",\"prevResult\":" + add.stdout().trim() + "}";
    h.exec(goBridge, "CHECK", bcPrev, pod, "jtu-g", "eth0", h.binDir.toString()).ok();
    h.exec(goBridge, "DEL", bcPrev, pod, "jtu-g", "eth0", h.binDir.toString()).ok();
    assertThat(Harness.in(pod, "ip", "-o", "link", "show")).doesNotContain("eth0");
  }

  @Test
  void badStaticConfigUnderEitherBridgeIsCode7AndLeavesNothing() {
    String bad = bridge(STATIC.replace("\"10.77.0.5/24\"", "\"10.77.0.5\""));
    String pod = h.pod("x");
    h.call(
            new BridgePlugin(),
            Delegate.inProcessOnly(),
            Harness.env("ADD", pod, "jtu-x", "eth0", "/nonexistent", "IgnoreUnknown=1"),
            bad)
        .failed(7, "ipam.addresses[0].address: the 'address' field is expected to be in");
    assertThat(Harness.in(pod, "ip", "-o", "link", "show")).doesNotContain("eth0");
    assertThat(Harness.in(h.node, "ip", "-o", "link", "show")).doesNotContain("veth");
    if (Harness.go("bridge")) {
      // Go's bridge passes our static's CNI error through as it is
      // (Go's bridge v1.1.1 itself leaves its veth pair behind after an IPAM failure; our bridge
      // does not)
      h.exec(Harness.GO.resolve("bridge"), "ADD", bad, pod, "jtu-x", "eth0", h.binDir.toString())
          .failed(7, "ipam.addresses[0].address: ");
    }
  }

  @Test
  void ourBridgeThenGoTuning() {
    assumeTrue(Harness.go("tuning"), "needs Go's tuning in /usr/lib/cni");
    String pod = h.pod("t");
    BridgePlugin br = new BridgePlugin();
    String bc = bridge(STATIC);
    Harness.Outcome add =
        h.call(
                br,
                Delegate.standard(),
                Harness.env("ADD", pod, "jtu-t", "eth0", h.binDir.toString(), "IgnoreUnknown=1"),
                bc)
            .ok();
    // (Go's tuning v1.1.1 CHECK does not substitute IFNAME, so the interface is named literally
    // here)
    String tc =
        tuning(
            add.stdout().trim(),
            ",\"sysctl\":{\"net.ipv4.conf.eth0.arp_notify\":\"1\"},\"mtu\":1300,"
                + "\"promisc\":true");
    Path goTuning = Harness.GO.resolve("tuning");
    h.exec(goTuning, "ADD", tc, pod, "jtu-t", "eth0", "/usr/lib/cni").ok();
    assertThat(sysctl(pod, "net.ipv4.conf.eth0.arp_notify")).isEqualTo("1");
    assertThat(((Number) link(pod, "eth0").get("mtu")).intValue()).isEqualTo(1300);
    assertThat(Json.writeString(link(pod, "eth0").get("flags"))).contains("PROMISC");
    h.exec(goTuning, "CHECK", tc, pod, "jtu-t", "eth0", "/usr/lib/cni").ok();
    // our tuning's CHECK agrees with Go's ADD
    h.call(new TuningPlugin(null), "CHECK", tc, pod, "jtu-t", "eth0").ok();
    h.exec(goTuning, "DEL", tc, pod, "jtu-t", "eth0", "/usr/lib/cni").ok();
    assertThat(((Number) link(pod, "eth0").get("mtu")).intValue()).isEqualTo(1500);
    h.call(
            br,
            Delegate.standard(),
            Harness.env("DEL", pod, "jtu-t", "eth0", h.binDir.toString(), "IgnoreUnknown=1"),
            bc)
        .ok();
    assertThat(Harness.in(pod, "ip", "-o", "link", "show")).doesNotContain("eth0");
    assertThat(h.saved()).isEmpty();
  }

  @Test
  void goBridgeThenOurTuningProcess() {
    assumeTrue(
        Harness.go("bridge") && Harness.go("host-local"), "needs Go's bridge and host-local");
    String pod = h.pod("o");
    String bc =
        bridge(
            "{\"type\":\"host-local\",\"subnet\":\"10.78.0.0/24\",\"dataDir\":"
                + Json.writeString(h.tmp.resolve("ipam").toString())
                + "}");
    Path goBridge = Harness.GO.resolve("bridge");
    Harness.Outcome add = h.exec(goBridge, "ADD", bc, pod, "jtu-o", "eth0", "/usr/lib/cni").ok();
    String origMac = (String) link(pod, "eth0").get("address");
    String tc =
        tuning(
            add.stdout().trim(),
            ",\"sysctl\":{\"net.core.somaxconn\":\"1234\"},\"mac\":"
                + "\"02:78:00:00:00:09\",\"allmulti\":true,\"txQLen\":77");
    Path ours = h.binDir.resolve("tuning");
    // a bad key from a real process: one error object on stdout, nothing changed, nothing saved
    h.exec(
            ours,
            "ADD",
            tc.replace("net.core.somaxconn", "net.core.somaxconn/../../../kernel/shmmax"),
            pod,
            "jtu-o",
            "eth0",
            "/usr/lib/cni")
        .failed(7, "sysctl \"net.core.somaxconn/../../../kernel/shmmax\": ");
    assertThat(link(pod, "eth0").get("address")).isEqualTo(origMac);
    assertThat(h.saved()).isEmpty();
    Harness.Outcome tuned = h.exec(ours, "ADD", tc, pod, "jtu-o", "eth0", "/usr/lib/cni").ok();
    assertThat(sysctl(pod, "net.core.somaxconn")).isEqualTo("1234");
    Map<String, Object> l = link(pod, "eth0");
    assertThat(l.get("address")).isEqualTo("02:78:00:00:00:09");
    assertThat(((Number) l.get("txqlen")).intValue()).isEqualTo(77);
    assertThat(Json.writeString(l.get("flags"))).contains("ALLMULTI");
    // Go's bridge CHECK accepts the chain's final result (pod MAC as tuning reports it)
    String bcPrev =
        bc.substring(0, bc.length() - 1) + ",\"prevResult\":" + tuned.stdout().trim() + "}";
    h.exec(goBridge, "CHECK", bcPrev, pod, "jtu-o", "eth0", "/usr/lib/cni").ok();
    h.exec(ours, "CHECK", tc, pod, "jtu-o", "eth0", "/usr/lib/cni").ok();
    h.exec(ours, "DEL", tc, pod, "jtu-o", "eth0", "/usr/lib/cni").ok();
    assertThat(link(pod, "eth0").get("address")).isEqualTo(origMac);
    assertThat(Json.writeString(link(pod, "eth0").get("flags"))).doesNotContain("ALLMULTI");
    h.exec(goBridge, "DEL", bcPrev, pod, "jtu-o", "eth0", "/usr/lib/cni").ok();
    assertThat(h.saved()).isEmpty();
  }
}
