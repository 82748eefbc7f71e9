package dev.jcni.plugins.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcni.api.Delegate;
import dev.jcni.plugins.common.IpMasqIptables;
import dev.jcni.plugins.common.IpMasqNft;
import dev.jcni.plugins.common.MacSpoofCheckNft;
import dev.jcni.plugins.common.Owner;
import dev.jcni.spec.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bridge plugin against a real kernel, in throwaway node and pod namespaces (root only). */
class BridgePluginTest {
  private NodeHarness h;
  private final BridgePlugin plugin = new BridgePlugin();

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
    return "{\"cniVersion\":\"1.0.0\",\"name\":\"jbrnet\",\"type\":\"bridge\",\"bridge\":\"jbr0\""
        + extra
        + ",\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.77.0.0/24\",\"dataDir\":\""
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
  void podsTalkToEachOtherTheGatewayAndTheNodeThenDelRemovesEverything() {
    String c = conf(",\"isGateway\":true,\"ipMasq\":true,\"ipMasqBackend\":\"nftables\"");
    String p1 = h.pod("a");
    String p2 = h.pod("b");
    NodeHarness.Outcome a1 = call("ADD", c, p1, "ctr-a").ok();
    NodeHarness.Outcome a2 = call("ADD", c, p2, "ctr-b").ok();

    Map<String, Object> r = a1.json();
    assertThat(r.get("cniVersion")).isEqualTo("1.0.0");
    List<Map<String, Object>> ifs = (List<Map<String, Object>>) r.get("interfaces");
    assertThat(ifs).hasSize(3);
    assertThat(ifs.get(0).get("name")).isEqualTo("jbr0");
    assertThat((String) ifs.get(1).get("name")).matches("veth[0-9a-f]{8}");
    assertThat(ifs.get(2)).containsEntry("name", "eth0").containsEntry("sandbox", p1);
    Map<String, Object> ip0 = ((List<Map<String, Object>>) r.get("ips")).get(0);
    assertThat(ip0).containsEntry("interface", 2L).containsEntry("gateway", "10.77.0.1");
    assertThat(h.inNode("ip", "-o", "addr", "show", "dev", "jbr0")).contains("10.77.0.1/24");
    assertThat(h.inNode("ip", "-o", "link", "show", ifs.get(1).get("name").toString()))
        .contains("master jbr0");
    assertThat(h.inPod(p1, "ip", "route")).contains("default via 10.77.0.1 dev eth0");

    assertThat(h.ping(p1, ip(a2))).as("pod -> pod").isTrue();
    assertThat(h.ping(p1, "10.77.0.1")).as("pod -> gateway").isTrue();
    assertThat(h.ping(null, ip(a1))).as("node -> pod").isTrue();

    Owner o1 = new Owner("jbrnet", "ctr-a", "eth0");
    assertThat(h.inNode("nft", "list", "table", "inet", IpMasqNft.table(o1)))
        .contains("ip saddr " + ip(a1) + " ip daddr != 10.77.0.0/24");
    assertThat(h.reservations("jbrnet")).containsExactlyInAnyOrder(ip(a1), ip(a2));
    call("CHECK", withPrev(c, a1), p1, "ctr-a").ok();

    // containerd: DEL with the netns, then DEL again with no netns and no prevResult
    call("DEL", withPrev(c, a1), p1, "ctr-a").ok();
    call("DEL", c, "", "ctr-a").ok();
    assertThat(h.inNode("nft", "list", "tables"))
        .doesNotContain(IpMasqNft.table(o1))
        .contains(IpMasqNft.table(new Owner("jbrnet", "ctr-b", "eth0")));
    assertThat(h.reservations("jbrnet")).containsExactly(ip(a2));
    assertThat(h.inPod(p1, "ip", "-o", "link")).doesNotContain("eth0");
    assertThat(h.nodeVeths()).hasSize(1);

    call("DEL", c, p2, "ctr-b").ok();
    assertThat(h.nodeVeths()).isEmpty();
    assertThat(h.reservations("jbrnet")).isEmpty();
    assertThat(h.inNode("nft", "list", "tables")).doesNotContain("jcni_masq_");
  }

  @ParameterizedTest
  @ValueSource(strings = {"nftables", "iptables"})
  void masqueradeLetsPodsReachAHostThatHasNoRouteBack(String backend) {
    // an "outside" host on a link of the node; it has no route to the pod subnet, so only
    // masqueraded pings work
    String outside = h.pod("out");
    String out = NodeHarness.nsName(outside);
    h.inNode("ip", "link", "add", "jbr-up", "type", "veth", "peer", "name", "eth9", "netns", out);
    h.inNode("ip", "addr", "add", "192.168.250.1/24", "dev", "jbr-up");
    h.inNode("ip", "link", "set", "jbr-up", "up");
    h.inPod(outside, "ip", "addr", "add", "192.168.250.2/24", "dev", "eth9");
    h.inPod(outside, "ip", "link", "set", "eth9", "up");

    String masq =
        conf(",\"isDefaultGateway\":true,\"ipMasq\":true,\"ipMasqBackend\":\"" + backend + "\"");
    String plain = conf(",\"isDefaultGateway\":true");
    String p1 = h.pod("a");
    String p2 = h.pod("b");
    call("ADD", masq, p1, "ctr-a").ok();
    call("ADD", plain, p2, "ctr-b").ok();
    assertThat(h.ping(p1, "192.168.250.2")).as("masqueraded pod reaches the outside host").isTrue();
    assertThat(h.ping(p2, "192.168.250.2")).as("pod without ipMasq gets no reply").isFalse();
    call("DEL", masq, p1, "ctr-a").ok();
    call("DEL", plain, p2, "ctr-b").ok();
  }

  @Test
  void delAfterTheNetnsIsGoneStillRemovesTheMasqueradeRules() {
    String c = conf(",\"isGateway\":true,\"ipMasq\":true,\"ipMasqBackend\":\"iptables\"");
    String p1 = h.pod("a");
    call("ADD", c, p1, "ctr-a").ok();
    String chain = IpMasqIptables.chain(new Owner("jbrnet", "ctr-a", "eth0"));
    assertThat(h.inNode("iptables-save", "-t", "nat")).contains(chain);
    h.deletePod(p1);
    call("DEL", c, p1, "ctr-a").ok();
    call("DEL", c, p1, "ctr-a").ok();
    assertThat(h.inNode("iptables-save", "-t", "nat")).doesNotContain(chain);
    assertThat(h.reservations("jbrnet")).isEmpty();
    assertThat(h.nodeVeths()).isEmpty();
  }

  @Test
  @SuppressWarnings("unchecked")
  void dualStackDefaultGatewayDnsOverrideAndMacFromCniArgs() {
    String c =
        "{\"cniVersion\":\"1.0.0\",\"name\":\"jbrnet\",\"type\":\"bridge\",\"bridge\":\"jbr0\","
            + "\"isDefaultGateway\":true,\"dns\":{\"nameservers\":[\"10.77.0.53\"],\"search\":[\"svc\"]},"
            + "\"ipam\":{\"type\":\"host-local\",\"dataDir\":\""
            + h.dataDir
            + "\",\"ranges\":["
            + "[{\"subnet\":\"10.77.0.0/24\"}],[{\"subnet\":\"fd00:77::/64\"}]]}}";
    String p1 = h.pod("a");
    String p2 = h.pod("b");
    NodeHarness.Outcome a1 =
        h.call(
                plugin,
                Delegate.standard(),
                "ADD",
                c,
                p1,
                "ctr-a",
                "eth0",
                "/nonexistent",
                "IgnoreUnknown=1;MAC=0a:58:0a:4d:00:42")
            .ok();
    NodeHarness.Outcome a2 = call("ADD", c, p2, "ctr-b").ok();
    Map<String, Object> r = a1.json();
    assertThat(r.get("dns"))
        .isEqualTo(Map.of("nameservers", List.of("10.77.0.53"), "search", List.of("svc")));
    assertThat(((List<Map<String, Object>>) r.get("interfaces")).get(2))
        .containsEntry("mac", "0a:58:0a:4d:00:42");
    List<Map<String, Object>> ips = (List<Map<String, Object>>) a2.json().get("ips");
    assertThat(ips).hasSize(2);
    assertThat(ips.get(1)).containsEntry("gateway", "fd00:77::1");
    assertThat((List<Object>) r.get("routes"))
        .contains(
            Map.of("dst", "0.0.0.0/0", "gw", "10.77.0.1"),
            Map.of("dst", "::/0", "gw", "fd00:77::1"));
    String v6 = (String) ips.get(1).get("address");
    assertThat(h.inPod(p1, "ip", "-6", "route")).contains("default via fd00:77::1 dev eth0");
    assertThat(h.inNode("ip", "-6", "-o", "addr", "show", "dev", "jbr0")).contains("fd00:77::1/64");
    assertThat(h.inNode("cat", "/proc/sys/net/ipv6/conf/all/forwarding").strip()).isEqualTo("1");
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
        .as("pod -> pod over IPv6")
        .isZero();
    call("CHECK", withPrev(c, a1), p1, "ctr-a").ok();
    call("DEL", c, p1, "ctr-a").ok();
    call("DEL", c, p2, "ctr-b").ok();
    assertThat(h.reservations("jbrnet")).isEmpty();
  }

  @Test
  void disabledContainerInterfaceStaysDown() {
    String c =
        "{\"cniVersion\":\"1.0.0\",\"name\":\"jbrl2\",\"type\":\"bridge\",\"bridge\":\"jbr2\","
            + "\"disableContainerInterface\":true}";
    String p1 = h.pod("a");
    NodeHarness.Outcome add = call("ADD", c, p1, "ctr-a").ok();
    assertThat(h.inPod(p1, "ip", "-o", "link", "show", "eth0")).contains("state DOWN");
    call("CHECK", withPrev(c, add), p1, "ctr-a").ok();
    call("DEL", c, p1, "ctr-a").ok();
    call(
            "ADD",
            c.replace("}", ",\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.1.0.0/24\"}}"),
            p1,
            "ctr-a")
        .failed(7, "disableContainerInterface");
  }

  @Test
  void checkDetectsARemovedAddressRouteOrVeth() {
    String c = conf(",\"isGateway\":true");
    String p1 = h.pod("a");
    NodeHarness.Outcome add = call("ADD", c, p1, "ctr-a").ok();
    String pc = withPrev(c, add);
    call("CHECK", pc, p1, "ctr-a").ok();

    h.inPod(p1, "ip", "route", "del", "default");
    call("CHECK", pc, p1, "ctr-a").failed(999, "Failed to match route 0.0.0.0/0");
    h.inPod(p1, "ip", "route", "add", "default", "via", "10.77.0.1");
    call("CHECK", pc, p1, "ctr-a").ok();

    h.inPod(p1, "ip", "addr", "del", ip(add) + "/24", "dev", "eth0");
    call("CHECK", pc, p1, "ctr-a").failed(999, "Failed to match addr");

    String veth = h.nodeVeths().get(0);
    h.inNode("ip", "link", "del", veth);
    call("CHECK", pc, p1, "ctr-a").failed(999, "not found");
    call("DEL", pc, p1, "ctr-a").ok();
  }

  @Test
  void layer2OnlyNetworkAddsChecksAndDeletesWithoutIpam() {
    String c =
        "{\"cniVersion\":\"1.0.0\",\"name\":\"jbrl2\",\"type\":\"bridge\",\"bridge\":\"jbr2\",\"ipam\":{}}";
    String p1 = h.pod("a");
    NodeHarness.Outcome add = call("ADD", c, p1, "ctr-a").ok();
    assertThat(add.json().get("ips")).isNull();
    assertThat(h.inPod(p1, "ip", "-o", "link", "show", "eth0")).contains("state UP");
    call("CHECK", withPrev(c, add), p1, "ctr-a").ok();
    call("DEL", c, p1, "ctr-a").ok();
    assertThat(h.nodeVeths()).isEmpty();
  }

  @Test
  void hairpinIsolationMtuMacDadAndSpoofCheck() {
    String c =
        conf(
            ",\"isGateway\":true,\"hairpinMode\":true,\"portIsolation\":true,\"mtu\":1400,\"macspoofchk\":true,"
                + "\"enabledad\":true,\"runtimeConfig\":{\"mac\":\"0a:58:0a:4d:00:99\"}");
    String p1 = h.pod("a");
    String p2 = h.pod("b");
    NodeHarness.Outcome add = call("ADD", c, p1, "ctr-a").ok();
    String veth = h.nodeVeths().get(0);
    assertThat(h.inNode("ip", "-d", "link", "show", "jbr0")).contains("mtu 1400");
    String port = h.inNode("ip", "-d", "link", "show", veth);
    assertThat(port).contains("mtu 1400").contains("hairpin on").contains("isolated on");
    assertThat(h.inPod(p1, "ip", "link", "show", "eth0"))
        .contains("0a:58:0a:4d:00:99")
        .contains("mtu 1400");
    assertThat(h.inPod(p1, "cat", "/proc/sys/net/ipv6/conf/eth0/accept_dad").strip())
        .isEqualTo("1");
    Owner o = new Owner("jbrnet", "ctr-a", "eth0");
    assertThat(h.inNode("nft", "list", "table", "bridge", MacSpoofCheckNft.table(o)))
        .contains("iifname \"" + veth + "\" ether saddr != 0a:58:0a:4d:00:99 drop");
    call("CHECK", withPrev(c, add), p1, "ctr-a").ok();

    // isolation: two isolated ports cannot reach each other; the spoof check drops a changed source
    // MAC
    NodeHarness.Outcome add2 =
        call("ADD", c.replace("0a:58:0a:4d:00:99", "0a:58:0a:4d:00:98"), p2, "ctr-b").ok();
    assertThat(h.ping(p1, ip(add2))).as("isolated ports").isFalse();
    call("DEL", c, p2, "ctr-b").ok();
    assertThat(h.ping(null, ip(add))).as("node -> pod").isTrue();
    h.inPod(p1, "ip", "link", "set", "eth0", "address", "0a:58:0a:4d:00:77");
    h.inPod(p1, "ip", "neigh", "flush", "all");
    h.inNode("ip", "neigh", "flush", "all");
    assertThat(h.ping(null, ip(add))).as("spoofed MAC dropped").isFalse();

    call("DEL", c, p1, "ctr-a").ok();
    assertThat(h.inNode("nft", "list", "tables")).doesNotContain(MacSpoofCheckNft.table(o));
  }

  @Test
  void accessVlanAndTrunk() {
    assumeTrue(h.vlanFilteringSupported(), "kernel without bridge VLAN filtering");
    String c = conf(",\"vlan\":100,\"vlanTrunk\":[{\"minID\":200,\"maxID\":202},{\"id\":300}]");
    String p1 = h.pod("a");
    NodeHarness.Outcome add = call("ADD", c, p1, "ctr-a").ok();
    String veth = h.nodeVeths().get(0);
    assertThat(h.inNode("ip", "-d", "link", "show", "jbr0")).contains("vlan_filtering 1");
    String vlans = h.inNode("bridge", "vlan", "show", "dev", veth);
    assertThat(vlans)
        .contains("100 PVID Egress Untagged")
        .contains("200")
        .contains("202")
        .contains("300");
    assertThat(vlans).doesNotContain(" 1 PVID");
    call("CHECK", withPrev(c, add), p1, "ctr-a").ok();
    call("DEL", c, p1, "ctr-a").ok();
  }

  @Test
  void vlanOnAKernelWithoutVlanFilteringIsAClearErrorAndLeavesNothing() {
    assumeTrue(!h.vlanFilteringSupported(), "kernel has bridge VLAN filtering");
    String p1 = h.pod("a");
    call("ADD", conf(",\"vlan\":100"), p1, "ctr-a").failed(999, "bridge VLAN filtering");
    assertThat(h.reservations("jbrnet")).isEmpty();
    assertThat(h.nodeVeths()).isEmpty();
  }

  @Test
  void promiscuousBridge() {
    String c = conf(",\"promiscMode\":true");
    String p1 = h.pod("a");
    NodeHarness.Outcome add = call("ADD", c, p1, "ctr-a").ok();
    assertThat(h.inNode("ip", "link", "show", "jbr0")).contains("PROMISC");
    call("CHECK", withPrev(c, add), p1, "ctr-a").ok();
    call("CHECK", withPrev(conf(""), add), p1, "ctr-a").failed(999, "Promisc");
    call("DEL", c, p1, "ctr-a").ok();
  }

  @Test
  void trunkWithoutAccessVlanGetsNativeVlanOne() {
    assumeTrue(h.vlanFilteringSupported(), "kernel without bridge VLAN filtering");
    String c = conf(",\"vlanTrunk\":[{\"id\":42}],\"preserveDefaultVlan\":false");
    String p1 = h.pod("a");
    NodeHarness.Outcome add = call("ADD", c, p1, "ctr-a").ok();
    String veth = h.nodeVeths().get(0);
    assertThat(h.inNode("bridge", "vlan", "show", "dev", veth))
        .contains("1 PVID Egress Untagged")
        .contains("42");
    call("CHECK", withPrev(c, add), p1, "ctr-a").ok();
    call("DEL", c, p1, "ctr-a").ok();
  }

  @Test
  void vlanGatewayInterfaceCarriesTheGatewayAddress() {
    assumeTrue(h.vlanFilteringSupported(), "kernel without bridge VLAN filtering");
    String c = conf(",\"vlan\":7,\"isDefaultGateway\":true");
    String p1 = h.pod("a");
    NodeHarness.Outcome add = call("ADD", c, p1, "ctr-a").ok();
    assertThat(h.inNode("ip", "-o", "addr", "show", "dev", "jbr0.7")).contains("10.77.0.1/24");
    assertThat(add.stdout()).contains("\"name\":\"jbr0.7\"");
    assertThat(h.ping(p1, "10.77.0.1")).isTrue();
    call("DEL", c, p1, "ctr-a").ok();
  }

  @Test
  void badConfigIsCode7NamingTheKeyAndLeavesNothingBehind() {
    String p1 = h.pod("a");
    call("ADD", conf(",\"hairpinMode\":true,\"promiscMode\":true"), p1, "ctr-a")
        .failed(7, "hairpinMode");
    call("ADD", conf(",\"vlan\":5000"), p1, "ctr-a").failed(7, "vlan");
    call("ADD", conf(",\"ipMasq\":true,\"ipMasqBackend\":\"pf\""), p1, "ctr-a")
        .failed(7, "ipMasqBackend");
    h.inNode("ip", "link", "add", "jbrd", "type", "veth", "peer", "name", "jbrd-p");
    call("ADD", conf(",\"bridge\":\"jbrd\"").replace("\"bridge\":\"jbr0\",", ""), p1, "ctr-a")
        .failed(7, "bridge: \"jbrd\" already exists but is not a bridge");
    assertThat(h.inNode("ip", "-o", "link")).doesNotContain("jbr0");
    assertThat(h.nodeVeths()).isEmpty();
    assertThat(h.inPod(p1, "ip", "-o", "link")).doesNotContain("eth0");
    assertThat(h.reservations("jbrnet")).isEmpty();
  }

  @Test
  void aFailureAfterIpamUndoesTheReservationTheVethAndTheRules() {
    // the bridge already holds another address in the gateway's family: ensureAddr fails after IPAM
    // and masq
    h.inNode("ip", "link", "add", "jbr0", "type", "bridge");
    h.inNode("ip", "addr", "add", "192.168.99.1/24", "dev", "jbr0");
    String c =
        conf(
            ",\"isGateway\":true,\"ipMasq\":true,\"macspoofchk\":true,\"ipMasqBackend\":\"nftables\"");
    String p1 = h.pod("a");
    NodeHarness.Outcome add = call("ADD", c, p1, "ctr-a");
    add.failed(999, "already has an IP address different from 10.77.0.1/24");
    assertThat(h.reservations("jbrnet")).isEmpty();
    assertThat(h.nodeVeths()).isEmpty();
    assertThat(h.inPod(p1, "ip", "-o", "link")).doesNotContain("eth0");
    assertThat(h.inNode("nft", "list", "tables")).doesNotContain("jcni_");
    // forceAddress replaces it
    call("ADD", conf(",\"isGateway\":true,\"forceAddress\":true"), p1, "ctr-a").ok();
    assertThat(h.inNode("ip", "-o", "addr", "show", "dev", "jbr0"))
        .contains("10.77.0.1/24")
        .doesNotContain("192.168.99.1");
  }

  @Test
  void aReusedBridgeWithStpStillGetsThePodOnceThePortIsUp() {
    h.inNode("ip", "link", "add", "jbr0", "type", "bridge", "stp_state", "1");
    String p1 = h.pod("a");
    NodeHarness.Outcome add = call("ADD", conf(",\"isGateway\":true"), p1, "ctr-a").ok();
    assertThat(add.json().get("interfaces")).isNotNull();
    assertThat(h.inNode("ip", "-d", "link", "show", h.nodeVeths().get(0))).contains("master jbr0");
    call("DEL", conf(",\"isGateway\":true"), p1, "ctr-a").ok();
  }

  @Test
  void concurrentAddsAndDelsOnOneNewBridge() throws Exception {
    // kubelet starts pods in parallel: bridge creation, gateway address, IPAM and iptables must not
    // race
    String c = conf(",\"isGateway\":true,\"ipMasq\":true,\"ipMasqBackend\":\"iptables\"");
    int n = 6;
    List<String> pods = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      pods.add(h.pod("c" + i));
    }
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(n);
    try {
      List<java.util.concurrent.Future<NodeHarness.Outcome>> adds = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        String pod = pods.get(i);
        String cid = "ctr-c" + i;
        adds.add(pool.submit(() -> call("ADD", c, pod, cid)));
      }
      java.util.Set<String> ips = new java.util.HashSet<>();
      for (java.util.concurrent.Future<NodeHarness.Outcome> f : adds) {
        ips.add(ip(f.get().ok()));
      }
      assertThat(ips).hasSize(n);
      assertThat(h.reservations("jbrnet")).hasSize(n);
      assertThat(h.inNode("ip", "-o", "addr", "show", "dev", "jbr0"))
          .containsOnlyOnce("10.77.0.1/24");
      assertThat(
              h.ping(
                  pods.get(0),
                  ips.stream()
                      .filter(x -> !x.equals(ips.iterator().next()))
                      .findFirst()
                      .orElseThrow()))
          .isTrue();
      List<java.util.concurrent.Future<NodeHarness.Outcome>> dels = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        String pod = pods.get(i);
        String cid = "ctr-c" + i;
        dels.add(pool.submit(() -> call("DEL", c, pod, cid)));
      }
      for (java.util.concurrent.Future<NodeHarness.Outcome> f : dels) {
        f.get().ok();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(h.reservations("jbrnet")).isEmpty();
    assertThat(h.nodeVeths()).isEmpty();
    assertThat(h.inNode("iptables-save", "-t", "nat")).doesNotContain("JCNI-M-");
  }

  @Test
  void anInterfaceThatAlreadyExistsInThePodIsAnError() {
    String p1 = h.pod("a");
    h.inPod(p1, "ip", "link", "add", "eth0", "type", "veth", "peer", "name", "eth0-p");
    call("ADD", conf(""), p1, "ctr-a").failed(999, "already exists");
    assertThat(h.reservations("jbrnet")).isEmpty();
    assertThat(h.nodeVeths()).isEmpty();
  }

  @Test
  void ourBridgeDelegatesToGoHostLocalByExec() {
    String c = conf(",\"isGateway\":true");
    String p1 = h.pod("a");
    NodeHarness.Outcome add =
        h.call(
                plugin,
                Delegate.execOnly(),
                "ADD",
                c,
                p1,
                "ctr-a",
                "eth0",
                NodeHarness.GO_CNI.toString())
            .ok();
    // Go's host-local writes "<id>\r\n<ifname>" files
    String ipAddr = ip(add);
    assertThat(h.reservations("jbrnet")).containsExactly(ipAddr);
    assertThat(new String(readReservation(ipAddr), StandardCharsets.UTF_8))
        .isEqualTo("ctr-a\r\neth0");
    h.call(
            plugin,
            Delegate.execOnly(),
            "DEL",
            c,
            p1,
            "ctr-a",
            "eth0",
            NodeHarness.GO_CNI.toString())
        .ok();
    assertThat(h.reservations("jbrnet")).isEmpty();
  }

  private byte[] readReservation(String ipAddr) {
    try {
      return Files.readAllBytes(h.dataDir.resolve("jbrnet").resolve(ipAddr));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void resultConvertsToOldVersions() {
    String c = conf(",\"isGateway\":true").replace("\"1.0.0\"", "\"0.3.1\"");
    String p1 = h.pod("a");
    NodeHarness.Outcome add = call("ADD", c, p1, "ctr-a").ok();
    assertThat(add.json().get("cniVersion")).isEqualTo("0.3.1");
    assertThat(add.stdout()).contains("\"version\":\"4\"");
    call("DEL", c, p1, "ctr-a").ok();
    assertThat(Json.parse(add.stdout().getBytes(StandardCharsets.UTF_8))).isNotNull();
  }
}
