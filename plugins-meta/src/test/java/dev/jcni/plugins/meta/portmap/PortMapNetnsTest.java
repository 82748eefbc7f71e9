package dev.jcni.plugins.meta.portmap;

import static dev.jcni.plugins.meta.portmap.Topology.CLIENT_V4;
import static dev.jcni.plugins.meta.portmap.Topology.CLIENT_V6;
import static dev.jcni.plugins.meta.portmap.Topology.HOST_V4;
import static dev.jcni.plugins.meta.portmap.Topology.HOST_V6;
import static dev.jcni.plugins.meta.portmap.Topology.NODE_POD_SIDE_V4;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.spec.json.Json;
import dev.jcni.system.NetNs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * portmap as a real process with a NODE namespace as its host, real TCP/UDP traffic through every
 * path, for both backends. Root only; everything happens in namespaces created here.
 */
class PortMapNetnsTest {
  private Topology topo;
  private NetNs node;
  private NetNs pod;
  private NetNs client;

  @BeforeEach
  void setUp() throws Exception {
    Assumptions.assumeTrue(Topology.isRoot(), "needs root: creates network namespaces");
    topo = new Topology("jpm");
    node = topo.open(topo.node);
    pod = topo.open(topo.pod);
    client = topo.open(topo.client);
  }

  @AfterEach
  void tearDown() {
    for (NetNs ns : new NetNs[] {node, pod, client}) {
      if (ns != null) {
        ns.close();
      }
    }
    if (topo != null) {
      topo.close();
    }
  }

  static String prevResult(String podPath) {
    return """
        {"cniVersion":"1.0.0","interfaces":[{"name":"jpmh0"},{"name":"eth0","sandbox":"%s"}],
         "ips":[{"interface":1,"address":"10.99.0.2/24","gateway":"10.99.0.1"},
                {"interface":1,"address":"fd00::2/64","gateway":"fd00::1"}]}"""
        .formatted(podPath);
  }

  /** A portmap config; {@code extra} is spliced in as more top-level keys (may be ""). */
  static String conf(String version, String name, String extra, String mappings, String prev) {
    return "{\"cniVersion\":\""
        + version
        + "\",\"name\":\""
        + name
        + "\",\"type\":\"portmap\","
        + "\"capabilities\":{\"portMappings\":true}"
        + (extra.isEmpty() ? "" : "," + extra)
        + (mappings == null ? "" : ",\"runtimeConfig\":{\"portMappings\":" + mappings + "}")
        + (prev == null ? "" : ",\"prevResult\":" + prev)
        + "}";
  }

  /** containerd's capitalised keys. */
  static final String MAPPINGS =
      """
      [{"HostPort":18080,"ContainerPort":80,"Protocol":"tcp","HostIP":""},
       {"HostPort":15353,"ContainerPort":53,"Protocol":"udp","HostIP":""},
       {"HostPort":18081,"ContainerPort":80,"Protocol":"tcp","HostIP":"192.168.77.1"}]""";

  private Topology.Result ours(String cmd, String id, String netns, String stdin) throws Exception {
    return Plugins.ours(topo.node, Plugins.env(cmd, id, netns, "eth0"), stdin);
  }

  private Topology.Result ok(Topology.Result r) {
    assertThat(r.exit()).as("stdout=%s stderr=%s", r.stdout(), r.stderr()).isZero();
    return r;
  }

  /** Everything netfilter holds in the node (iptables-save's timestamp comments dropped). */
  private String nodeRules() throws Exception {
    String all =
        Topology.sh("ip", "netns", "exec", topo.node, "iptables-save", "-t", "nat")
            + Topology.sh("ip", "netns", "exec", topo.node, "ip6tables-save", "-t", "nat")
            + Topology.sh("ip", "netns", "exec", topo.node, "nft", "list", "ruleset");
    return all.lines()
        .filter(l -> !l.startsWith("#"))
        .collect(java.util.stream.Collectors.joining("\n"));
  }

  private String nftTable(String network, String id) throws Exception {
    return Topology.sh(
        "ip", "netns", "exec", topo.node, "nft", "list", "table", "inet", Names.table(network, id));
  }

  @ParameterizedTest
  @ValueSource(strings = {"iptables", "nftables"})
  void trafficThroughEveryPathThenDel(String backend) throws Exception {
    String id = "ctr-" + backend;
    String prev = prevResult(topo.podPath());
    String c = conf("1.0.0", "pmnet", "\"backend\":\"" + backend + "\"", MAPPINGS, prev);
    try (Traffic.Servers s = new Traffic.Servers(pod, 80, 53)) {
      Topology.Result add = ok(ours("ADD", id, topo.podPath(), c));
      // prevResult passes through unchanged
      assertThat(Json.parse(add.stdout().getBytes())).isEqualTo(Json.parse(prev.getBytes()));

      // another machine -> hostIP:hostPort, not masqueraded
      assertThat(Traffic.tcp(client, HOST_V4, 18080)).isEqualTo(CLIENT_V4);
      assertThat(Traffic.udp(client, HOST_V4, 15353)).isEqualTo(CLIENT_V4);
      assertThat(Traffic.tcp(client, HOST_V4, 18081)).isEqualTo(CLIENT_V4); // hostIP-bound mapping
      // IPv6
      assertThat(Traffic.tcp(client, HOST_V6, 18080)).isEqualTo(CLIENT_V6);
      assertThat(Traffic.udp(client, HOST_V6, 15353)).isEqualTo(CLIENT_V6);
      assertThat(Traffic.tcp(client, HOST_V6, 18081))
          .as("v4 hostIP mapping must not apply to v6")
          .isNull();
      // the node itself: to its own address, and to 127.0.0.1 (route_localnet + masquerade)
      assertThat(Traffic.tcp(node, HOST_V4, 18080)).isEqualTo(HOST_V4);
      assertThat(Traffic.tcp(node, "127.0.0.1", 18080)).isEqualTo(NODE_POD_SIDE_V4);
      assertThat(Traffic.udp(node, "127.0.0.1", 15353)).isEqualTo(NODE_POD_SIDE_V4);
      assertThat(
              Topology.sh(
                      "ip",
                      "netns",
                      "exec",
                      topo.node,
                      "sysctl",
                      "-n",
                      "net.ipv4.conf.jpmh0.route_localnet")
                  .trim())
          .isEqualTo("1");
      // hairpin: the pod to its own host port, masqueraded so the reply comes back through the node
      assertThat(Traffic.tcp(pod, HOST_V4, 18080)).isEqualTo(NODE_POD_SIDE_V4);
      assertThat(Traffic.udp(pod, HOST_V4, 15353)).isEqualTo(NODE_POD_SIDE_V4);
      // the same over IPv6: node to its own address, pod to its host port (masqueraded to the
      // node's fd00::1)
      assertThat(Traffic.tcp(node, HOST_V6, 18080)).isEqualTo(HOST_V6);
      assertThat(Traffic.tcp(pod, HOST_V6, 18080)).isEqualTo("fd00::1");
      assertThat(Traffic.udp(pod, HOST_V6, 15353)).isEqualTo("fd00::1");

      ok(ours("CHECK", id, topo.podPath(), c));

      // DEL as containerd's StopPodSandbox sends it, then as RemovePodSandbox does (no netns, no
      // prevResult)
      ok(ours("DEL", id, topo.podPath(), c));
      assertThat(Traffic.tcp(client, HOST_V4, 18080)).isNull();
      assertThat(Traffic.tcp(client, HOST_V6, 18080)).isNull();
      assertThat(nodeRules()).doesNotContain("JCNI-DN-").doesNotContain("jcni_hp_");
      ok(
          ours(
              "DEL",
              id,
              "",
              conf("1.0.0", "pmnet", "\"backend\":\"" + backend + "\"", MAPPINGS, null)));
      ok(ours("DEL", id, topo.podPath(), c));

      Topology.Result check = ours("CHECK", id, topo.podPath(), c);
      assertThat(check.exit()).isNotZero();
      assertThat(check.stdout()).contains("rules missing");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"iptables", "nftables"})
  void staleUdpConntrackEntriesAreFlushedOnAdd(String backend) throws Exception {
    try (Traffic.Servers s = new Traffic.Servers(pod, 80, 53);
        java.net.DatagramSocket sock =
            client.run(
                () ->
                    new java.net.DatagramSocket(
                        new java.net.InetSocketAddress(
                            java.net.InetAddress.getByName(CLIENT_V4), 40053)))) {
      // A node always tracks connections (kube-proxy, other NAT): a rule using conntrack turns it
      // on here.
      Topology.run(
          "add table inet jpmtrack\nadd chain inet jpmtrack pre { type filter hook prerouting priority 0; }\n"
              + "add rule inet jpmtrack pre ct state new counter\n",
          Map.of(),
          "ip",
          "netns",
          "exec",
          topo.node,
          "nft",
          "-f",
          "-");
      // Before ADD the datagram reaches the node itself (nobody listens): conntrack remembers that
      // flow.
      assertThat(Traffic.udpFrom(sock, HOST_V4, 15353)).isNull();
      assertThat(
              Topology.sh(
                  "ip",
                  "netns",
                  "exec",
                  topo.node,
                  "conntrack",
                  "-L",
                  "-p",
                  "udp",
                  "--orig-port-dst",
                  "15353"))
          .contains("sport=40053");
      ok(
          ours(
              "ADD",
              "udp1",
              topo.podPath(),
              conf(
                  "1.0.0",
                  "pmnet",
                  "\"backend\":\"" + backend + "\"",
                  MAPPINGS,
                  prevResult(topo.podPath()))));
      // The same 5-tuple again: only DNATed because ADD flushed the stale entry.
      assertThat(Traffic.udpFrom(sock, HOST_V4, 15353)).isEqualTo(CLIENT_V4);
      ok(ours("DEL", "udp1", "", conf("1.0.0", "pmnet", "", MAPPINGS, null)));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"iptables", "nftables"})
  void delWithoutPrevResultFindsRulesByContainerId(String backend) throws Exception {
    String c =
        conf(
            "1.0.0",
            "pmnet",
            "\"backend\":\"" + backend + "\"",
            MAPPINGS,
            prevResult(topo.podPath()));
    ok(ours("ADD", "ctr1", topo.podPath(), c));
    ok(ours("ADD", "ctr2", topo.podPath(), c.replace("18080", "18090")));
    // the runtime's second DEL: no netns, no prevResult
    ok(
        ours(
            "DEL",
            "ctr1",
            "",
            conf("1.0.0", "pmnet", "\"backend\":\"" + backend + "\"", MAPPINGS, null)));
    String rules = nodeRules();
    assertThat(rules).doesNotContain("id: ctr1").contains("id: ctr2");
    try (Traffic.Servers s = new Traffic.Servers(pod, 80, 53)) {
      assertThat(Traffic.tcp(client, HOST_V4, 18080)).isNull();
      assertThat(Traffic.tcp(client, HOST_V4, 18090)).isEqualTo(CLIENT_V4);
    }
    ok(ours("DEL", "ctr2", "", conf("1.0.0", "pmnet", "", MAPPINGS, null)));
    assertThat(nodeRules()).doesNotContain("JCNI-DN-").doesNotContain("jcni_hp_");
  }

  @ParameterizedTest
  @ValueSource(strings = {"iptables", "nftables"})
  void gcRemovesOnlyStaleContainersOfItsNetwork(String backend) throws Exception {
    String be = "\"backend\":\"" + backend + "\"";
    String prev = prevResult(topo.podPath());
    ok(ours("ADD", "keep", topo.podPath(), conf("1.1.0", "pmnet", be, MAPPINGS, prev)));
    ok(
        ours(
            "ADD",
            "stale",
            topo.podPath(),
            conf("1.1.0", "pmnet", be, MAPPINGS.replace("1808", "1809"), prev)));
    ok(
        ours(
            "ADD",
            "stale",
            topo.podPath(),
            conf("1.1.0", "othernet", be, MAPPINGS.replace("1808", "1807"), prev)));
    String gc =
        conf(
            "1.1.0",
            "pmnet",
            be
                + ",\"cni.dev/valid-attachments\":[{\"containerID\":\"keep\","
                + "\"ifname\":\"eth0\"}]",
            null,
            null);
    ok(Plugins.ours(topo.node, Map.of("CNI_COMMAND", "GC", "CNI_PATH", "/usr/lib/cni"), gc));
    String rules = nodeRules();
    assertThat(rules)
        .contains("net: pmnet id: keep")
        .doesNotContain("net: pmnet id: stale")
        .contains("net: othernet id: stale");
    ok(ours("CHECK", "keep", topo.podPath(), conf("1.1.0", "pmnet", be, MAPPINGS, prev)));
    assertThat(
            ours("CHECK", "stale", topo.podPath(), conf("1.1.0", "pmnet", be, MAPPINGS, prev))
                .exit())
        .isNotZero();
    try (Traffic.Servers s = new Traffic.Servers(pod, 80, 53)) {
      assertThat(Traffic.tcp(client, HOST_V4, 18080)).isEqualTo(CLIENT_V4);
      assertThat(Traffic.tcp(client, HOST_V4, 18090)).isNull();
      assertThat(Traffic.tcp(client, HOST_V4, 18070)).isEqualTo(CLIENT_V4);
    }
  }

  @Test
  void hostileInputIsRefusedWithCode7AndWritesNothing() throws Exception {
    String prev = prevResult(topo.podPath());
    String before = nodeRules();
    record Case(String extra, String mappings, String key) {}
    List<Case> cases =
        List.of(
            new Case(
                "",
                "[{\"hostPort\":18080,\"containerPort\":80,\"protocol\":\"tcp\",\"hostIP\":\"1.2.3.4; flush ruleset\"}]",
                "runtimeConfig.portMappings[0].hostIP"),
            new Case(
                "",
                "[{\"hostPort\":18080,\"containerPort\":80,\"protocol\":\"tcp\",\"hostIP\":\"not-an-ip\"}]",
                "runtimeConfig.portMappings[0].hostIP"),
            new Case(
                "",
                "[{\"hostPort\":70000,\"containerPort\":80,\"protocol\":\"tcp\"}]",
                "runtimeConfig.portMappings[0].hostPort"),
            new Case(
                "",
                "[{\"hostPort\":18080,\"containerPort\":0,\"protocol\":\"tcp\"}]",
                "runtimeConfig.portMappings[0].containerPort"),
            new Case(
                "",
                "[{\"hostPort\":18080,\"containerPort\":80,\"protocol\":\"tcp -j ACCEPT\"}]",
                "runtimeConfig.portMappings[0].protocol"),
            new Case(
                "\"backend\":\"nftables\",\"conditionsV4\":[\"ip saddr 1.2.3.4 accept; add rule inet x y drop\"]",
                MAPPINGS,
                "conditionsV4"),
            new Case(
                "\"backend\":\"nftables\",\"conditionsV4\":[\"ip saddr 1.2.3.4\\nflush ruleset\"]",
                MAPPINGS,
                "conditionsV4"),
            new Case(
                "\"backend\":\"iptables\",\"conditionsV6\":[\"-s\",\"::1\",\"-j\",\"ACCEPT\"]",
                MAPPINGS,
                "conditionsV6"),
            new Case(
                "\"backend\":\"iptables\",\"conditionsV4\":[\"ip saddr 10.0.0.1\"]",
                MAPPINGS,
                "conditionsV4"),
            new Case("\"backend\":\"nftables\",\"markMasqBit\":3", MAPPINGS, "markMasqBit"),
            new Case("\"markMasqBit\":40", MAPPINGS, "markMasqBit"),
            new Case(
                "\"externalSetMarkChain\":\"KUBE-MARK-MASQ -j ACCEPT\"",
                MAPPINGS,
                "externalSetMarkChain"),
            new Case("\"backend\":\"ipfw\"", MAPPINGS, "backend"));
    for (Case k : cases) {
      Topology.Result r =
          ours(
              "ADD",
              "hostile",
              topo.podPath(),
              conf("1.0.0", "pmnet", k.extra(), k.mappings(), prev));
      assertThat(r.exit()).as(k.toString()).isNotZero();
      Map<String, Object> err = Json.parseObject(r.stdout().getBytes());
      assertThat(err.get("code")).as(k + " -> " + r.stdout()).isEqualTo(7L);
      assertThat((String) err.get("msg")).as(k.toString()).contains(k.key());
    }
    assertThat(nodeRules()).isEqualTo(before).doesNotContain("JCNI").doesNotContain("jcni");
  }

  @Test
  void withoutPortMappingsNothingIsTouched() throws Exception {
    String prev = prevResult(topo.podPath());
    String before = nodeRules();
    Topology.Result add =
        ok(ours("ADD", "nop", topo.podPath(), conf("1.0.0", "pmnet", "", null, prev)));
    assertThat(Json.parse(add.stdout().getBytes())).isEqualTo(Json.parse(prev.getBytes()));
    ok(ours("ADD", "nop2", topo.podPath(), conf("1.0.0", "pmnet", "", "[]", prev)));
    ok(ours("DEL", "nop", "", conf("1.0.0", "pmnet", "", null, null)));
    assertThat(nodeRules()).isEqualTo(before);
    // ADD without prevResult is refused (a chained plugin)
    Topology.Result r =
        ours("ADD", "x", topo.podPath(), conf("1.0.0", "pmnet", "", MAPPINGS, null));
    assertThat(r.exit()).isNotZero();
    assertThat(r.stdout()).contains("prevResult");
  }

  @Test
  void statusAndBackendOptionErrors() throws Exception {
    for (String be : List.of("iptables", "nftables")) {
      ok(
          Plugins.ours(
              topo.node,
              Map.of("CNI_COMMAND", "STATUS", "CNI_PATH", "/usr/lib/cni"),
              conf("1.1.0", "pmnet", "\"backend\":\"" + be + "\"", null, null)));
    }
    ok(
        Plugins.ours(
            topo.node,
            Map.of("CNI_COMMAND", "STATUS", "CNI_PATH", "/usr/lib/cni"),
            conf("1.1.0", "pmnet", "", null, null)));
    // Go's default is iptables here, so nft-syntax conditions without "backend" are an error naming
    // the fix
    Topology.Result r =
        ours(
            "ADD",
            "x",
            topo.podPath(),
            conf(
                "1.0.0",
                "pmnet",
                "\"conditionsV4\":[\"ip saddr != 10.0.0.0/8\"]",
                MAPPINGS,
                prevResult(topo.podPath())));
    assertThat(r.exit()).isNotZero();
    assertThat(r.stdout())
        .contains("\"code\":7")
        .contains("nftables-specific")
        .contains("\\\"backend\\\"");
  }

  @Test
  void conditionsAndMarkOptionsWork() throws Exception {
    String prev = prevResult(topo.podPath());
    try (Traffic.Servers s = new Traffic.Servers(pod, 80, 53)) {
      // iptables conditions exclude the client; markMasqBit 5 still hairpins
      ok(
          ours(
              "ADD",
              "c1",
              topo.podPath(),
              conf(
                  "1.0.0",
                  "pmnet",
                  "\"conditionsV4\":[\"!\",\"-s\",\"192.168.77.2\"],\"markMasqBit\":5",
                  MAPPINGS,
                  prev)));
      assertThat(Traffic.tcp(client, HOST_V4, 18080)).isNull();
      assertThat(Traffic.tcp(pod, HOST_V4, 18080)).isEqualTo(NODE_POD_SIDE_V4);
      assertThat(nodeRules()).contains("--mark 0x20/0x20");
      ok(ours("DEL", "c1", "", conf("1.0.0", "pmnet", "", MAPPINGS, null)));
      // nft conditions, per container
      ok(
          ours(
              "ADD",
              "c2",
              topo.podPath(),
              conf(
                  "1.0.0",
                  "pmnet",
                  "\"backend\":\"nftables\",\"conditionsV4\":[\"ip saddr != 192.168.77.2\"]",
                  MAPPINGS,
                  prev)));
      assertThat(Traffic.tcp(client, HOST_V4, 18080)).isNull();
      assertThat(Traffic.tcp(node, "127.0.0.1", 18080)).isEqualTo(NODE_POD_SIDE_V4);
      ok(ours("DEL", "c2", "", conf("1.0.0", "pmnet", "", MAPPINGS, null)));
      // snat off: no masquerade rules at all
      ok(
          ours(
              "ADD",
              "c3",
              topo.podPath(),
              conf("1.0.0", "pmnet", "\"backend\":\"nftables\",\"snat\":false", MAPPINGS, prev)));
      assertThat(nftTable("pmnet", "c3")).contains("dnat ip to").doesNotContain("masquerade");
      assertThat(Traffic.tcp(client, HOST_V4, 18080)).isEqualTo(CLIENT_V4);
      ok(ours("DEL", "c3", "", conf("1.0.0", "pmnet", "", MAPPINGS, null)));
    }
  }
}
