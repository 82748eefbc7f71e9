package dev.jcni.plugins.meta.firewall;

import static dev.jcni.plugins.meta.firewall.FwNet.CLIENT_V4;
import static dev.jcni.plugins.meta.firewall.FwNet.CLIENT_V6;
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
 * The firewall plugin as a real process with a NODE namespace as its host, real TCP through the
 * node's forwarding path, for both backends. Root only; everything happens in namespaces created
 * here ({@code jfw-*}).
 */
class FirewallNetnsTest {
  private FwNet net;

  @BeforeEach
  void setUp() throws Exception {
    Assumptions.assumeTrue(FwNet.isRoot(), "needs root: creates network namespaces");
    net = new FwNet();
  }

  @AfterEach
  void tearDown() {
    if (net != null) {
      net.close();
    }
  }

  /** prevResult of a pod on its own veth {@code jfhN} (v4 and v6). */
  static String vethPrev(int n, String podPath) {
    return """
        {"cniVersion":"1.0.0","interfaces":[{"name":"jfh%d"},{"name":"eth0","sandbox":"%s"}],
         "ips":[{"interface":1,"address":"10.98.%d.2/24","gateway":"10.98.%d.1"},
                {"interface":1,"address":"fd03:%d::2/64","gateway":"fd03:%d::1"}]}"""
        .formatted(n, podPath, n, n, n, n);
  }

  /** A firewall config; {@code extra} is spliced in as more top-level keys (may be ""). */
  static String conf(String version, String name, String extra, String prev) {
    return "{\"cniVersion\":\""
        + version
        + "\",\"name\":\""
        + name
        + "\",\"type\":\"firewall\""
        + (extra.isEmpty() ? "" : "," + extra)
        + (prev == null ? "" : ",\"prevResult\":" + prev)
        + "}";
  }

  private FwNet.Result ours(String cmd, String id, String netns, String stdin) throws Exception {
    return Plugins.jcni(net.node, "firewall", Plugins.env(cmd, id, netns, "eth0"), stdin);
  }

  static FwNet.Result ok(FwNet.Result r) {
    assertThat(r.exit()).as("stdout=%s stderr=%s", r.stdout(), r.stderr()).isZero();
    return r;
  }

  /** A CNI error with {@code code}; returns its msg. No Java exception names on stdout. */
  static String error(FwNet.Result r, int code) {
    assertThat(r.exit()).as("stdout=%s stderr=%s", r.stdout(), r.stderr()).isNotZero();
    Map<String, Object> err = Json.parseObject(r.stdout());
    assertThat(((Number) err.get("code")).intValue()).as(r.stdout()).isEqualTo(code);
    assertThat(r.stdout()).doesNotContain("Exception").doesNotContain("\tat ");
    return (String) err.get("msg");
  }

  @ParameterizedTest
  @ValueSource(strings = {"iptables", "nftables"})
  void admitsThePodAndDelRemovesEveryRuleNamingIt(String backend) throws Exception {
    String pod = net.vethPod(1);
    NetNs podNs = net.open(pod);
    NetNs clientNs = net.open(net.client);
    net.forwardDrop(backend);
    String before = net.ruleset();
    String conf =
        conf("1.0.0", "jfwnet", "\"backend\":\"" + backend + "\"", vethPrev(1, net.path(pod)));
    try (Traffic.Server s = new Traffic.Server(clientNs, 18090)) {
      assertThat(Traffic.tcp(podNs, CLIENT_V4, 18090)).as("dropped before ADD").isNull();
      assertThat(Traffic.tcp(podNs, CLIENT_V6, 18090)).as("dropped before ADD (v6)").isNull();

      FwNet.Result add = ok(ours("ADD", "ctr1", net.path(pod), conf));
      assertThat(Json.parseObject(add.stdout()).get("ips")).asList().hasSize(2);
      assertThat(Traffic.tcp(podNs, CLIENT_V4, 18090)).isEqualTo("10.98.1.2");
      assertThat(Traffic.tcp(podNs, CLIENT_V6, 18090)).isEqualTo("fd03:1::2");
      // the admitted direction is Go's: pod-initiated and replies; nothing new comes in from
      // outside
      String rules = net.ruleset();
      assertThat(rules).contains("jcni-fw net: jfwnet id: ctr1 if: eth0");
      if (backend.equals("iptables")) {
        assertThat(rules)
            .contains(
                "-A FORWARD -m comment --comment \"CNI firewall plugin rules\" -j CNI-FORWARD")
            .contains(
                "-A CNI-FORWARD -m comment --comment \"CNI firewall plugin admin overrides\" -j CNI-ADMIN")
            .contains(
                "-A CNI-FORWARD -s 10.98.1.2/32 -m comment --comment \"jcni-fw net: jfwnet id: ctr1 if: eth0\""
                    + " -j ACCEPT")
            .contains("-A CNI-FORWARD -d fd03:1::2/128 -m conntrack --ctstate RELATED,ESTABLISHED");
      } else {
        assertThat(rules)
            .contains("table inet jcni_firewall")
            .contains("policy drop")
            .contains("ip saddr 10.98.1.2 accept comment")
            .contains("ip6 daddr fd03:1::2 ct state");
      }
      ok(ours("CHECK", "ctr1", net.path(pod), conf));

      // DEL as containerd's second DEL: no netns, no prevResult
      ok(ours("DEL", "ctr1", "", conf("1.0.0", "jfwnet", "\"backend\":\"" + backend + "\"", null)));
      assertThat(Traffic.tcp(podNs, CLIENT_V4, 18090)).as("dropped after DEL").isNull();
      String after = net.ruleset();
      for (String needle : List.of("10.98.1.2", "fd03:1::2", "ctr1")) {
        assertThat(after).doesNotContain(needle);
      }
      // shared pieces stay, as Go leaves them
      ok(ours("DEL", "ctr1", "", conf("1.0.0", "jfwnet", "", null)));
      String msg = error(ours("CHECK", "ctr1", net.path(pod), conf), 999);
      assertThat(msg).contains("rules missing").contains("10.98.1.2");
      assertThat(before).doesNotContain("jcni-fw");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"iptables", "nftables"})
  void gcRemovesOnlyStaleAttachments(String backend) throws Exception {
    String p1 = net.vethPod(1);
    String p2 = net.vethPod(2);
    String b = "\"backend\":\"" + backend + "\"";
    ok(ours("ADD", "keep", net.path(p1), conf("1.1.0", "jfwgc", b, vethPrev(1, net.path(p1)))));
    ok(ours("ADD", "stale", net.path(p2), conf("1.1.0", "jfwgc", b, vethPrev(2, net.path(p2)))));
    // another network's rules are out of this GC's scope
    ok(ours("ADD", "stale", net.path(p2), conf("1.1.0", "jfwother", b, vethPrev(2, net.path(p2)))));
    ok(
        ours(
            "GC",
            "",
            "",
            conf(
                "1.1.0",
                "jfwgc",
                b
                    + ",\"cni.dev/valid-attachments\":[{\"containerID\":\"keep\","
                    + "\"ifname\":\"eth0\"}]",
                null)));
    String rules = net.ruleset();
    assertThat(rules)
        .contains("jcni-fw net: jfwgc id: keep if: eth0")
        .contains("10.98.1.2")
        .doesNotContain("jcni-fw net: jfwgc id: stale")
        .contains("jcni-fw net: jfwother id: stale if: eth0");
  }

  /**
   * Four of our ADDs at once on a fresh node (racing to create the shared chains / table), with
   * Go's firewall ADD in the same moment for the iptables backend; then four DELs at once.
   */
  @ParameterizedTest
  @ValueSource(strings = {"iptables", "nftables"})
  void concurrentCallsKeepEveryPodsRules(String backend) throws Exception {
    List<String> pods = new java.util.ArrayList<>();
    for (int n = 1; n <= 5; n++) {
      pods.add(net.vethPod(n));
    }
    String b = "\"backend\":\"" + backend + "\"";
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(5);
    try {
      List<java.util.concurrent.Future<FwNet.Result>> adds = new java.util.ArrayList<>();
      for (int n = 1; n <= 4; n++) {
        int i = n;
        adds.add(
            pool.submit(
                () ->
                    ours(
                        "ADD",
                        "cc" + i,
                        net.path(pods.get(i - 1)),
                        conf("1.0.0", "jfwcc", b, vethPrev(i, net.path(pods.get(i - 1)))))));
      }
      java.util.concurrent.Future<FwNet.Result> go =
          backend.equals("iptables") && Plugins.goInstalled("firewall")
              ? pool.submit(
                  () ->
                      Plugins.go(
                          net.node,
                          "firewall",
                          Plugins.env("ADD", "g5", net.path(pods.get(4)), "eth0"),
                          conf("1.0.0", "gonet", "", vethPrev(5, net.path(pods.get(4))))))
              : null;
      for (var f : adds) {
        ok(f.get());
      }
      String rules = net.ruleset();
      for (int n = 1; n <= 4; n++) {
        assertThat(rules)
            .contains("jcni-fw net: jfwcc id: cc" + n + " if: eth0")
            .contains("10.98." + n + ".2");
      }
      if (go != null) {
        ok(go.get());
        assertThat(net.ruleset())
            .contains("-A CNI-FORWARD -s 10.98.5.2/32 -j ACCEPT")
            .contains("jcni-fw net: jfwcc id: cc1 if: eth0");
      }
      List<java.util.concurrent.Future<FwNet.Result>> dels = new java.util.ArrayList<>();
      for (int n = 1; n <= 4; n++) {
        int i = n;
        dels.add(pool.submit(() -> ours("DEL", "cc" + i, "", conf("1.0.0", "jfwcc", b, null))));
      }
      for (var f : dels) {
        ok(f.get());
      }
      assertThat(net.ruleset()).doesNotContain("jcni-fw");
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"iptables", "nftables"})
  void statusIsCode50WhenTheBackendIsUnusable(String backend) throws Exception {
    String c = conf("1.1.0", "jfwst", "\"backend\":\"" + backend + "\"", null);
    Map<String, String> env = Map.of("CNI_COMMAND", "STATUS", "CNI_PATH", "/usr/lib/cni");
    ok(Plugins.jcni(net.node, "firewall", env, c));
    // without CAP_NET_ADMIN (all capabilities dropped) neither nft nor iptables can work
    String msg =
        error(
            Plugins.jcni(
                net.node,
                "firewall",
                List.of("setpriv", "--bounding-set", "-all", "--inh-caps", "-all"),
                env,
                c),
            50);
    assertThat(msg).contains(backend);
  }

  @Test
  void defaultBackendIsIptablesWhereItIsUsable() throws Exception {
    String pod = net.vethPod(1);
    ok(ours("ADD", "ctrD", net.path(pod), conf("1.0.0", "jfwdef", "", vethPrev(1, net.path(pod)))));
    String rules = net.ruleset();
    assertThat(rules).contains("-A CNI-FORWARD -s 10.98.1.2/32").doesNotContain("jcni_firewall");
    ok(ours("STATUS", "", "", conf("1.1.0", "jfwdef", "", null)));
    ok(ours("DEL", "ctrD", "", conf("1.0.0", "jfwdef", "", null)));
    assertThat(net.ruleset()).doesNotContain("10.98.1.2");
  }

  @Test
  void badConfigIsCode7NamingTheKeyAndWritesNothing() throws Exception {
    String pod = net.vethPod(1);
    String prev = vethPrev(1, net.path(pod));
    String before = net.ruleset();
    Map<String, String> cases =
        Map.of(
            "\"backend\":\"pf\"", "backend",
            "\"backend\":7", "backend",
            "\"iptablesAdminChainName\":\"bad name\\\"; -j DROP\"", "iptablesAdminChainName",
            "\"iptablesAdminChainName\":\"FORWARD\"", "iptablesAdminChainName",
            "\"ingressPolicy\":\"closed\"", "ingressPolicy",
            "\"ingressPolicy\":\"same-bridge\",\"backend\":\"nftables\"", "ingressPolicy");
    for (Map.Entry<String, String> e : cases.entrySet()) {
      String p =
          e.getKey().contains("same-bridge")
              ? "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.98.1.2/24\"}]}"
              : prev;
      String msg =
          error(ours("ADD", "bad", net.path(pod), conf("1.0.0", "jfwbad", e.getKey(), p)), 7);
      assertThat(msg).as(e.getKey()).contains(e.getValue());
    }
    String msg = error(ours("ADD", "bad", net.path(pod), conf("1.0.0", "jfwbad", "", null)), 7);
    assertThat(msg).contains("prevResult");
    String hostile =
        "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"br0\\\" ; drop\"}],"
            + "\"ips\":[{\"address\":\"10.98.1.2/24\"}]}";
    msg =
        error(
            ours(
                "ADD",
                "bad",
                net.path(pod),
                conf("1.0.0", "jfwbad", "\"ingressPolicy\":\"same-bridge\"", hostile)),
            7);
    assertThat(msg).contains("prevResult.interfaces[0].name");
    assertThat(net.ruleset()).isEqualTo(before);
    // firewalld: a clear "unsupported field" error, nothing written; STATUS says not available
    msg =
        error(
            ours(
                "ADD",
                "fwd",
                net.path(pod),
                conf("1.0.0", "jfwbad", "\"backend\":\"firewalld\"", prev)),
            2);
    assertThat(msg).contains("backend").contains("firewalld");
    error(ours("STATUS", "", "", conf("1.1.0", "jfwbad", "\"backend\":\"firewalld\"", null)), 50);
    ok(ours("DEL", "fwd", "", conf("1.0.0", "jfwbad", "\"backend\":\"firewalld\"", null)));
    assertThat(net.ruleset()).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"iptables", "nftables"})
  void sameBridgeBlocksOtherBridgesAndOpenAllowsThem(String backend) throws Exception {
    net.bridge(1);
    net.bridge(2);
    String a = net.bridgedPod(1, 2);
    String b = net.bridgedPod(2, 2);
    NetNs aNs = net.open(a);
    NetNs bNs = net.open(b);
    String be = "\"backend\":\"" + backend + "\"";
    try (Traffic.Server sa = new Traffic.Server(aNs, 18091);
        Traffic.Server sb = new Traffic.Server(bNs, 18091)) {
      // open: pods of both bridges reach each other
      ok(
          ours(
              "ADD",
              "ca",
              net.path(a),
              conf(
                  "1.0.0",
                  "jfwbr1",
                  be + ",\"ingressPolicy\":\"open\"",
                  bridgedPrev(1, 2, net.path(a)))));
      ok(
          ours(
              "ADD",
              "cb",
              net.path(b),
              conf("1.0.0", "jfwbr2", be, bridgedPrev(2, 2, net.path(b)))));
      assertThat(Traffic.tcp(aNs, "10.98.2.2", 18091)).isEqualTo("10.98.1.2");
      assertThat(Traffic.tcp(bNs, "10.98.1.2", 18091)).isEqualTo("10.98.2.2");

      // same-bridge on both networks: nothing crosses between the bridges, the node still reaches
      // both
      String sb1 = be + ",\"ingressPolicy\":\"same-bridge\"";
      ok(
          ours(
              "ADD",
              "ca",
              net.path(a),
              conf("1.0.0", "jfwbr1", sb1, bridgedPrev(1, 2, net.path(a)))));
      ok(
          ours(
              "ADD",
              "cb",
              net.path(b),
              conf("1.0.0", "jfwbr2", sb1, bridgedPrev(2, 2, net.path(b)))));
      assertThat(Traffic.tcp(aNs, "10.98.2.2", 18091)).isNull();
      assertThat(Traffic.tcp(bNs, "10.98.1.2", 18091)).isNull();
      try (NetNs nodeNs = NetNs.openNamed(net.node)) {
        assertThat(Traffic.tcp(nodeNs, "10.98.2.2", 18091)).isEqualTo("10.98.2.1");
      }
      ok(
          ours(
              "CHECK",
              "ca",
              net.path(a),
              conf("1.0.0", "jfwbr1", sb1, bridgedPrev(1, 2, net.path(a)))));
      String rules = net.ruleset();
      if (backend.equals("iptables")) {
        assertThat(rules)
            .contains("-A CNI-ISOLATION-STAGE-1 -i jfbr1 ! -o jfbr1")
            .contains("-A CNI-ISOLATION-STAGE-2 -o jfbr2 -m comment");
        // the isolation jump sees packets before CNI-FORWARD accepts them
        assertThat(rules.indexOf("-j CNI-ISOLATION-STAGE-1"))
            .isLessThan(rules.indexOf("-j CNI-FORWARD"));
      } else {
        assertThat(rules).contains("iifname vmap @isolation").contains("\"jfbr1\" : jump iso_");
      }
      // DEL removes the pods' rules; the bridge isolation stays (Go: the bridge may serve other
      // pods)
      ok(ours("DEL", "ca", "", conf("1.0.0", "jfwbr1", sb1, null)));
      ok(ours("DEL", "cb", "", conf("1.0.0", "jfwbr2", sb1, null)));
      assertThat(net.ruleset()).doesNotContain("10.98.1.2").doesNotContain("10.98.2.2");
      assertThat(Traffic.tcp(aNs, "10.98.2.2", 18091)).isNull();
    }
  }

  /**
   * {@code isolated} (later Go releases) also cuts pods of one bridge off each other, where bridged
   * traffic is filtered.
   */
  @ParameterizedTest
  @ValueSource(strings = {"iptables", "nftables"})
  void isolatedAlsoBlocksTheSameBridge(String backend) throws Exception {
    Assumptions.assumeTrue(
        java.nio.file.Files.exists(java.nio.file.Path.of("/proc/sys/net/bridge")),
        "br_netfilter not available: bridged traffic never reaches the forward hook");
    net.bridge(1);
    FwNet.sh(
        "ip", "netns", "exec", net.node, "sysctl", "-qw", "net.bridge.bridge-nf-call-iptables=1");
    String a = net.bridgedPod(1, 2);
    String b = net.bridgedPod(1, 3);
    NetNs aNs = net.open(a);
    NetNs bNs = net.open(b);
    String be = "\"backend\":\"" + backend + "\"";
    try (Traffic.Server sb = new Traffic.Server(bNs, 18094)) {
      String same = be + ",\"ingressPolicy\":\"same-bridge\"";
      ok(
          ours(
              "ADD",
              "ia",
              net.path(a),
              conf("1.0.0", "jfwiso", same, bridgedPrev(1, 2, net.path(a)))));
      ok(
          ours(
              "ADD",
              "ib",
              net.path(b),
              conf("1.0.0", "jfwiso", same, bridgedPrev(1, 3, net.path(b)))));
      assertThat(Traffic.tcp(aNs, "10.98.1.3", 18094)).isEqualTo("10.98.1.2");
      String iso = be + ",\"ingressPolicy\":\"isolated\"";
      ok(
          ours(
              "ADD",
              "ia",
              net.path(a),
              conf("1.0.0", "jfwiso", iso, bridgedPrev(1, 2, net.path(a)))));
      assertThat(Traffic.tcp(aNs, "10.98.1.3", 18094)).isNull();
      ok(
          ours(
              "CHECK",
              "ia",
              net.path(a),
              conf("1.0.0", "jfwiso", iso, bridgedPrev(1, 2, net.path(a)))));
    }
  }

  static String bridgedPrev(int n, int m, String podPath) {
    return """
        {"cniVersion":"1.0.0","interfaces":[{"name":"jfbr%d"},{"name":"jfv%dx%d"},{"name":"eth0","sandbox":"%s"}],
         "ips":[{"interface":2,"address":"10.98.%d.%d/24","gateway":"10.98.%d.1"}]}"""
        .formatted(n, n, m, podPath, n, m, n);
  }
}
