package dev.jcni.plugins.meta.portmap;

import static dev.jcni.plugins.meta.portmap.PortMapNetnsTest.conf;
import static dev.jcni.plugins.meta.portmap.PortMapNetnsTest.prevResult;
import static dev.jcni.plugins.meta.portmap.Topology.CLIENT_V4;
import static dev.jcni.plugins.meta.portmap.Topology.HOST_V4;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.spec.json.Json;
import dev.jcni.system.NetNs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our portmap next to Go's portmap on one node, and chained after a main plugin (Go's bridge +
 * host-local from /usr/lib/cni, or jcni's bridge + host-local), all driven as real processes inside
 * a NODE namespace. Root only; the Go cases skip when the Go plugins are not installed.
 */
class PortMapChainTest {
  private Topology topo;
  private NetNs pod;
  private NetNs client;
  private NetNs node;
  private Path dataDir;

  private void setUp(boolean wirePod) throws Exception {
    Assumptions.assumeTrue(Topology.isRoot(), "needs root: creates network namespaces");
    topo = wirePod ? new Topology("jpmc") : Topology.nodeAndClientOnly("jpmc");
    pod = topo.open(topo.pod);
    client = topo.open(topo.client);
    node = topo.open(topo.node);
    dataDir = Files.createTempDirectory("jpm-hostlocal-");
  }

  @AfterEach
  void tearDown() throws Exception {
    for (NetNs ns : new NetNs[] {pod, client, node}) {
      if (ns != null) {
        ns.close();
      }
    }
    if (topo != null) {
      topo.close();
    }
    if (dataDir != null) {
      try (Stream<Path> s = Files.walk(dataDir)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static Topology.Result ok(Topology.Result r) {
    assertThat(r.exit()).as("stdout=%s stderr=%s", r.stdout(), r.stderr()).isZero();
    return r;
  }

  private String save() throws Exception {
    return Topology.sh("ip", "netns", "exec", topo.node, "iptables-save", "-t", "nat");
  }

  /** Go's rules only (theirs are CNI-*, ours JCNI-* / jcni-portmap). */
  private String goRules() throws Exception {
    return save()
        .lines()
        .filter(l -> l.contains("CNI-") && !l.contains("JCNI-") && !l.contains("jcni-portmap"))
        .sorted()
        .collect(Collectors.joining("\n"));
  }

  static final String ONE =
      "[{\"HostPort\":%d,\"ContainerPort\":80,\"Protocol\":\"tcp\",\"HostIP\":\"\"}]";

  @ParameterizedTest
  @ValueSource(strings = {"iptables", "nftables"})
  void coexistsWithGoPortmap(String backend) throws Exception {
    Assumptions.assumeTrue(Plugins.goInstalled("portmap"), "Go portmap not installed");
    setUp(true);
    String prev = prevResult(topo.podPath());
    String goConf = conf("1.0.0", "gonet", "", ONE.formatted(18082), prev);
    String ourConf =
        conf("1.0.0", "jnet", "\"backend\":\"" + backend + "\"", ONE.formatted(18080), prev);
    try (Traffic.Servers s = new Traffic.Servers(pod, 80, 53)) {
      ok(
          Plugins.go(
              topo.node, "portmap", Plugins.env("ADD", "ctrG", topo.podPath(), "eth0"), goConf));
      ok(Plugins.ours(topo.node, Plugins.env("ADD", "ctrJ", topo.podPath(), "eth0"), ourConf));
      assertThat(Traffic.tcp(client, HOST_V4, 18082)).isEqualTo(CLIENT_V4);
      assertThat(Traffic.tcp(client, HOST_V4, 18080)).isEqualTo(CLIENT_V4);
      assertThat(Traffic.tcp(pod, HOST_V4, 18082)).isEqualTo(Topology.NODE_POD_SIDE_V4);
      assertThat(Traffic.tcp(pod, HOST_V4, 18080)).isEqualTo(Topology.NODE_POD_SIDE_V4);
      String goRules = goRules();
      assertThat(goRules).contains("CNI-HOSTPORT-DNAT").contains("CNI-DN-");

      // our DEL leaves Go's rules exactly as they were
      ok(
          Plugins.ours(
              topo.node,
              Plugins.env("DEL", "ctrJ", "", "eth0"),
              conf("1.0.0", "jnet", "", ONE.formatted(18080), null)));
      assertThat(goRules()).isEqualTo(goRules);
      assertThat(Traffic.tcp(client, HOST_V4, 18080)).isNull();
      assertThat(Traffic.tcp(client, HOST_V4, 18082)).isEqualTo(CLIENT_V4);

      // Go's DEL leaves ours
      ok(Plugins.ours(topo.node, Plugins.env("ADD", "ctrJ", topo.podPath(), "eth0"), ourConf));
      ok(
          Plugins.go(
              topo.node, "portmap", Plugins.env("DEL", "ctrG", topo.podPath(), "eth0"), goConf));
      assertThat(Traffic.tcp(client, HOST_V4, 18082)).isNull();
      assertThat(Traffic.tcp(client, HOST_V4, 18080)).isEqualTo(CLIENT_V4);
      ok(Plugins.ours(topo.node, Plugins.env("DEL", "ctrJ", topo.podPath(), "eth0"), ourConf));
      assertThat(save()).doesNotContain("JCNI-DN-").doesNotContain("CNI-DN-");
    }
  }

  @ParameterizedTest
  @CsvSource({"go,iptables", "go,nftables", "jcni,iptables", "jcni,nftables"})
  void chainedAfterBridgeAndHostLocal(String mainImpl, String backend) throws Exception {
    boolean go = mainImpl.equals("go");
    if (go) {
      Assumptions.assumeTrue(
          Plugins.goInstalled("bridge") && Plugins.goInstalled("host-local"),
          "Go bridge/host-local not installed");
    }
    setUp(false);
    String bridgeConf =
        """
        {"cniVersion":"1.0.0","name":"pmchain","type":"bridge","bridge":"jpmbr0","isGateway":true,"isDefaultGateway":true,
         "ipMasq":false,"hairpinMode":true,
         "ipam":{"type":"host-local","ranges":[[{"subnet":"10.88.0.0/24"}]],"dataDir":"%s"}}"""
            .formatted(dataDir);
    Map<String, String> addEnv = Plugins.env("ADD", "chain1", topo.podPath(), "eth0");
    Topology.Result br =
        go
            ? Plugins.go(topo.node, "bridge", addEnv, bridgeConf)
            : Plugins.jcni(topo.node, "bridge", List.of(), addEnv, bridgeConf);
    ok(br);
    Map<String, Object> bridgeResult = Json.parseObject(br.stdout().getBytes());
    String podIp =
        ((String) ((Map<?, ?>) ((List<?>) bridgeResult.get("ips")).get(0)).get("address"))
            .split("/")[0];
    assertThat(podIp).startsWith("10.88.0.");

    String pmConf =
        conf(
            "1.0.0",
            "pmchain",
            "\"backend\":\"" + backend + "\"",
            ONE.formatted(18080),
            br.stdout());
    try (Traffic.Servers s = new Traffic.Servers(pod, 80, 53)) {
      Topology.Result pm = ok(Plugins.ours(topo.node, addEnv, pmConf));
      // passed through unchanged (an empty "dns":{} is dropped, as an absent one means the same)
      Map<String, Object> out = Json.parseObject(pm.stdout().getBytes());
      for (String k : List.of("cniVersion", "interfaces", "ips", "routes")) {
        assertThat(out.get(k)).as(k).isEqualTo(bridgeResult.get(k));
      }
      assertThat(Traffic.tcp(client, HOST_V4, 18080)).isEqualTo(CLIENT_V4);
      assertThat(Traffic.tcp(node, "127.0.0.1", 18080)).isEqualTo("10.88.0.1");
      assertThat(Traffic.tcp(pod, HOST_V4, 18080)).isEqualTo("10.88.0.1");
      ok(Plugins.ours(topo.node, Plugins.env("CHECK", "chain1", topo.podPath(), "eth0"), pmConf));

      // DEL in reverse order, as containerd's StopPodSandbox, then its RemovePodSandbox shape
      Map<String, String> delEnv = Plugins.env("DEL", "chain1", topo.podPath(), "eth0");
      ok(Plugins.ours(topo.node, delEnv, pmConf));
      String bridgeDel =
          bridgeConf.substring(0, bridgeConf.lastIndexOf('}'))
              + ",\"prevResult\":"
              + br.stdout()
              + "}";
      ok(
          go
              ? Plugins.go(topo.node, "bridge", delEnv, bridgeDel)
              : Plugins.jcni(topo.node, "bridge", List.of(), delEnv, bridgeDel));
      Map<String, String> del2 = Plugins.env("DEL", "chain1", "", "eth0");
      ok(Plugins.ours(topo.node, del2, conf("1.0.0", "pmchain", "", ONE.formatted(18080), null)));
      ok(
          go
              ? Plugins.go(topo.node, "bridge", del2, bridgeConf)
              : Plugins.jcni(topo.node, "bridge", List.of(), del2, bridgeConf));
      assertThat(Traffic.tcp(client, HOST_V4, 18080)).isNull();
      assertThat(save()).doesNotContain("JCNI-DN-");
      assertThat(Topology.sh("ip", "netns", "exec", topo.node, "nft", "list", "tables"))
          .doesNotContain("jcni_hp_");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"iptables", "nftables"})
  void statusIsCode50WhenTheBackendIsUnusable(String backend) throws Exception {
    setUp(true);
    String c = conf("1.1.0", "pmnet", "\"backend\":\"" + backend + "\"", null, null);
    Map<String, String> env = Map.of("CNI_COMMAND", "STATUS", "CNI_PATH", "/usr/lib/cni");
    ok(Plugins.jcni(topo.node, "portmap", List.of(), env, c));
    // the same call without CAP_NET_ADMIN (all capabilities dropped): neither nft nor iptables can
    // work
    Topology.Result r =
        Plugins.jcni(
            topo.node,
            "portmap",
            List.of("setpriv", "--bounding-set", "-all", "--inh-caps", "-all"),
            env,
            c);
    assertThat(r.exit()).isNotZero();
    Map<String, Object> err = Json.parseObject(r.stdout().getBytes());
    assertThat(err.get("code")).isEqualTo(50L);
    assertThat((String) err.get("msg")).contains(backend);
  }
}
