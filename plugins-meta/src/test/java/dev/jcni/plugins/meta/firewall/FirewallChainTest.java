package dev.jcni.plugins.meta.firewall;

import static dev.jcni.plugins.meta.firewall.FirewallNetnsTest.bridgedPrev;
import static dev.jcni.plugins.meta.firewall.FirewallNetnsTest.conf;
import static dev.jcni.plugins.meta.firewall.FirewallNetnsTest.ok;
import static dev.jcni.plugins.meta.firewall.FirewallNetnsTest.vethPrev;
import static dev.jcni.plugins.meta.firewall.FwNet.CLIENT_V4;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.spec.json.Json;
import dev.jcni.system.NetNs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our firewall next to Go's firewall v1.1.1 on one node, and in chains mixing ours and Go's (bridge
 * + host-local then firewall), all as real processes inside a NODE namespace. Root only; skips when
 * the Go plugins are absent.
 */
class FirewallChainTest {
  private FwNet net;
  private Path dataDir;

  @BeforeEach
  void setUp() throws Exception {
    Assumptions.assumeTrue(FwNet.isRoot(), "needs root: creates network namespaces");
    Assumptions.assumeTrue(
        Plugins.goInstalled("firewall")
            && Plugins.goInstalled("bridge")
            && Plugins.goInstalled("host-local"),
        "Go firewall/bridge/host-local not installed in /usr/lib/cni");
    net = new FwNet();
    dataDir = Files.createTempDirectory("jfw-hostlocal-");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (net != null) {
      net.close();
    }
    FwNet.deleteTree(dataDir);
  }

  /** Lines of the ruleset that are Go's (not carrying our comment, not our nft table). */
  private String goLines() throws Exception {
    return net.ruleset()
        .lines()
        .filter(l -> l.startsWith("-A ") && !l.contains("jcni-fw"))
        .sorted()
        .collect(Collectors.joining("\n"));
  }

  private String ourLines() throws Exception {
    return net.ruleset()
        .lines()
        .filter(l -> l.contains("jcni-fw"))
        .sorted()
        .collect(Collectors.joining("\n"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"iptables", "nftables"})
  void coexistsWithGoFirewall(String backend) throws Exception {
    String goPod = net.vethPod(1);
    String ourPod = net.vethPod(2);
    NetNs goNs = net.open(goPod);
    NetNs ourNs = net.open(ourPod);
    NetNs clientNs = net.open(net.client);
    boolean ipt = backend.equals("iptables");
    net.forwardDrop(backend);
    String goConf = conf("1.0.0", "gonet", "", vethPrev(1, net.path(goPod)));
    String ourConf =
        conf("1.0.0", "jnet", "\"backend\":\"" + backend + "\"", vethPrev(2, net.path(ourPod)));
    try (Traffic.Server s = new Traffic.Server(clientNs, 18092)) {
      ok(
          Plugins.go(
              net.node, "firewall", Plugins.env("ADD", "ctrG", net.path(goPod), "eth0"), goConf));
      ok(
          Plugins.jcni(
              net.node, "firewall", Plugins.env("ADD", "ctrJ", net.path(ourPod), "eth0"), ourConf));
      if (ipt) {
        assertThat(Traffic.tcp(goNs, CLIENT_V4, 18092)).isEqualTo("10.98.1.2");
      }
      assertThat(Traffic.tcp(ourNs, CLIENT_V4, 18092)).isEqualTo("10.98.2.2");
      String go = goLines();
      assertThat(go).contains("-A CNI-FORWARD -s 10.98.1.2/32 -j ACCEPT");
      // one FORWARD jump per family (v4, v6): each plugin recognised the other's
      assertThat(net.ruleset().split("-j CNI-FORWARD", -1)).hasSize(3);
      String ours = ourLines();

      // our DEL (no netns, no prevResult) leaves Go's rules exactly as they were
      ok(
          Plugins.jcni(
              net.node,
              "firewall",
              Plugins.env("DEL", "ctrJ", "", "eth0"),
              conf("1.0.0", "jnet", "", null)));
      assertThat(goLines()).isEqualTo(go);
      assertThat(ourLines()).isEmpty();
      assertThat(Traffic.tcp(ourNs, CLIENT_V4, 18092)).isNull();
      if (ipt) {
        assertThat(Traffic.tcp(goNs, CLIENT_V4, 18092)).isEqualTo("10.98.1.2");
      }

      // Go's CHECK is content with the shared rules next to ours; Go's DEL leaves ours
      ok(
          Plugins.jcni(
              net.node, "firewall", Plugins.env("ADD", "ctrJ", net.path(ourPod), "eth0"), ourConf));
      assertThat(ourLines()).isEqualTo(ours);
      ok(
          Plugins.go(
              net.node, "firewall", Plugins.env("CHECK", "ctrG", net.path(goPod), "eth0"), goConf));
      ok(
          Plugins.go(
              net.node, "firewall", Plugins.env("DEL", "ctrG", net.path(goPod), "eth0"), goConf));
      assertThat(goLines()).doesNotContain("10.98.1.2");
      assertThat(ourLines()).isEqualTo(ours);
      assertThat(Traffic.tcp(ourNs, CLIENT_V4, 18092)).isEqualTo("10.98.2.2");
      assertThat(Traffic.tcp(goNs, CLIENT_V4, 18092)).isNull();
      // and ours with what Go's DEL left
      ok(
          Plugins.jcni(
              net.node,
              "firewall",
              Plugins.env("CHECK", "ctrJ", net.path(ourPod), "eth0"),
              ourConf));
    }
  }

  @Test
  void sameBridgeIsolationRulesAreSharedWithGo() throws Exception {
    net.bridge(1);
    String a = net.bridgedPod(1, 2);
    String b = net.bridgedPod(1, 3);
    String sb = "\"ingressPolicy\":\"same-bridge\"";
    ok(
        Plugins.go(
            net.node,
            "firewall",
            Plugins.env("ADD", "ga", net.path(a), "eth0"),
            conf("1.0.0", "gonet", sb, bridgedPrev(1, 2, net.path(a)))));
    String before = goLines();
    ok(
        Plugins.jcni(
            net.node,
            "firewall",
            Plugins.env("ADD", "jb", net.path(b), "eth0"),
            conf(
                "1.0.0",
                "jnet",
                sb + ",\"backend\":\"iptables\"",
                bridgedPrev(1, 3, net.path(b)))));
    // not one shared rule added twice
    assertThat(goLines()).isEqualTo(before);
    assertThat(before).contains("-A CNI-ISOLATION-STAGE-1 -i jfbr1 ! -o jfbr1");
    // and Go after ours adds none either
    ok(
        Plugins.go(
            net.node,
            "firewall",
            Plugins.env("ADD", "ga", net.path(a), "eth0"),
            conf("1.0.0", "gonet", sb, bridgedPrev(1, 2, net.path(a)))));
    assertThat(goLines()).isEqualTo(before);
  }

  @ParameterizedTest(name = "bridge {0}, firewall {1}, {2}")
  @CsvSource({"jcni,go,iptables", "go,jcni,iptables", "go,jcni,nftables", "jcni,jcni,nftables"})
  void chainedAfterBridgeAndHostLocal(String bridgeImpl, String fwImpl, String backend)
      throws Exception {
    String pod = net.ns("pc");
    NetNs podNs = net.open(pod);
    NetNs clientNs = net.open(net.client);
    net.forwardDrop(backend);
    String bridgeConf =
        """
        {"cniVersion":"1.0.0","name":"fwchain","type":"bridge","bridge":"jfwbr0","isGateway":true,
         "isDefaultGateway":true,"ipMasq":false,
         "ipam":{"type":"host-local","ranges":[[{"subnet":"10.97.0.0/24"}]],"dataDir":"%s"}}"""
            .formatted(dataDir);
    Map<String, String> addEnv = Plugins.env("ADD", "chain1", net.path(pod), "eth0");
    FwNet.Result br =
        ok(
            bridgeImpl.equals("go")
                ? Plugins.go(net.node, "bridge", addEnv, bridgeConf)
                : Plugins.jcni(net.node, "bridge", addEnv, bridgeConf));
    String podIp =
        ((String)
                ((Map<?, ?>) ((List<?>) Json.parseObject(br.stdout()).get("ips")).get(0))
                    .get("address"))
            .split("/")[0];
    String fwConf =
        conf(
            "1.0.0",
            "fwchain",
            fwImpl.equals("go") ? "" : "\"backend\":\"" + backend + "\"",
            br.stdout());
    try (Traffic.Server s = new Traffic.Server(clientNs, 18093)) {
      assertThat(Traffic.tcp(podNs, CLIENT_V4, 18093))
          .as("dropped before the firewall plugin")
          .isNull();
      FwNet.Result fw =
          ok(
              fwImpl.equals("go")
                  ? Plugins.go(net.node, "firewall", addEnv, fwConf)
                  : Plugins.jcni(net.node, "firewall", addEnv, fwConf));
      Map<String, Object> out = Json.parseObject(fw.stdout());
      assertThat(out.get("ips")).isEqualTo(Json.parseObject(br.stdout()).get("ips"));
      assertThat(Traffic.tcp(podNs, CLIENT_V4, 18093)).isEqualTo(podIp);

      Map<String, String> delEnv = Plugins.env("DEL", "chain1", net.path(pod), "eth0");
      ok(
          fwImpl.equals("go")
              ? Plugins.go(net.node, "firewall", delEnv, fwConf)
              : Plugins.jcni(net.node, "firewall", delEnv, fwConf));
      String bridgeDel =
          bridgeConf.substring(0, bridgeConf.lastIndexOf('}'))
              + ",\"prevResult\":"
              + br.stdout()
              + "}";
      ok(
          bridgeImpl.equals("go")
              ? Plugins.go(net.node, "bridge", delEnv, bridgeDel)
              : Plugins.jcni(net.node, "bridge", delEnv, bridgeDel));
      assertThat(net.ruleset()).doesNotContain(podIp + "/").doesNotContain(podIp + " ");
    }
  }
}
