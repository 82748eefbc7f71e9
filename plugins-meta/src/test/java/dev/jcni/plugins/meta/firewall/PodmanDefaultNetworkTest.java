package dev.jcni.plugins.meta.firewall;

import static dev.jcni.plugins.meta.firewall.FwNet.CLIENT_V4;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.runtime.CniRuntime;
import dev.jcni.runtime.RuntimeConf;
import dev.jcni.spec.NetConfList;
import dev.jcni.spec.Result;
import dev.jcni.spec.json.Json;
import dev.jcni.system.NetNs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * podman's own default network (Debian's {@code 87-podman-bridge.conflist}: bridge + host-local,
 * portmap, firewall, tuning) through jcni's plugins alone, driven by the in-process {@code jcni}
 * runtime from inside a NODE namespace whose FORWARD policy is DROP. The installed conflist is used
 * when present ({@code /etc/cni/net.d}), else the same text kept here; only host-local's and
 * tuning's data directories are pointed at a scratch directory. Root only.
 */
class PodmanDefaultNetworkTest {
  /** Debian podman 4.3's 87-podman-bridge.conflist, as installed. */
  static final String PODMAN_CONFLIST =
      """
      {
        "cniVersion": "0.4.0",
        "name": "podman",
        "plugins": [
          {
            "type": "bridge",
            "bridge": "cni-podman0",
            "isGateway": true,
            "ipMasq": true,
            "hairpinMode": true,
            "ipam": {
              "type": "host-local",
              "routes": [{ "dst": "0.0.0.0/0" }],
              "ranges": [
                [
                  {
                    "subnet": "10.88.0.0/16",
                    "gateway": "10.88.0.1"
                  }
                ]
              ]
            }
          },
          {
            "type": "portmap",
            "capabilities": {
              "portMappings": true
            }
          },
          {
            "type": "firewall"
          },
          {
            "type": "tuning"
          }
        ]
      }
      """;

  static final List<Path> INSTALLED =
      List.of(
          Path.of("/etc/cni/net.d/87-podman-bridge.conflist"),
          Path.of("/usr/share/containers/87-podman-bridge.conflist"));

  @TempDir Path dir;
  private FwNet net;
  private final ByteArrayOutputStream pluginStderr = new ByteArrayOutputStream();

  @AfterEach
  void tearDown() {
    if (net != null) {
      net.close();
    }
  }

  /** The conflist text with only the data directories redirected into {@code dir}. */
  @SuppressWarnings("unchecked")
  private byte[] conflist() throws Exception {
    String text = PODMAN_CONFLIST;
    for (Path p : INSTALLED) {
      if (Files.isReadable(p)) {
        text = Files.readString(p);
        break;
      }
    }
    Map<String, Object> list = Json.parseObject(text);
    List<Map<String, Object>> plugins = (List<Map<String, Object>>) list.get("plugins");
    List<String> types = new ArrayList<>();
    for (Map<String, Object> p : plugins) {
      types.add((String) p.get("type"));
    }
    assertThat(types).containsExactly("bridge", "portmap", "firewall", "tuning");
    ((Map<String, Object>) plugins.get(0).get("ipam"))
        .put("dataDir", dir.resolve("ipam").toString());
    plugins.get(3).put("dataDir", dir.resolve("tuning").toString());
    return Json.write(list);
  }

  @Test
  void podmanDefaultChainRunsOnJcniPluginsAlone() throws Exception {
    Assumptions.assumeTrue(FwNet.isRoot(), "needs root: creates network namespaces");
    Assumptions.assumeTrue(
        FwNet.run(null, Map.of(), "sh", "-c", "command -v ping").exit() == 0,
        "ping not installed (iputils-ping)");
    Files.createDirectories(dir.resolve("empty-cni-path"));
    // every type on the class path; CNI_PATH is an empty directory, so nothing can be exec'd
    CniRuntime rt =
        CniRuntime.builder()
            .cniPath(List.of(dir.resolve("empty-cni-path")))
            .cacheDir(dir.resolve("cache"))
            .inProcess(true)
            .stderr(new PrintStream(pluginStderr, true, StandardCharsets.UTF_8))
            .build();
    for (String type : List.of("bridge", "host-local", "portmap", "firewall", "tuning")) {
      Assumptions.assumeTrue(rt.runsInProcess(type), type + " is not on the class path");
    }
    NetConfList list = NetConfList.parse(conflist());
    net = new FwNet();
    net.iptablesForwardDrop();
    String p1 = net.ns("pod1");
    String p2 = net.ns("pod2");
    NetNs pod1 = net.open(p1);
    NetNs clientNs = net.open(net.client);
    RuntimeConf rc1 =
        RuntimeConf.of("podman1", net.path(p1), "eth0")
            .withCapabilityArgs(
                Map.of(
                    "portMappings",
                    List.of(Map.of("hostPort", 18095, "containerPort", 80, "protocol", "tcp"))));
    RuntimeConf rc2 = RuntimeConf.of("podman2", net.path(p2), "eth0");
    try (NetNs node = NetNs.openNamed(net.node)) {
      Result r1 = node.run(() -> rt.addNetworkList(list, rc1));
      Result r2 = node.run(() -> rt.addNetworkList(list, rc2));
      String ip1 = r1.ips().get(0).address().addressString();
      String ip2 = r2.ips().get(0).address().addressString();
      assertThat(ip1).startsWith("10.88.0.");
      assertThat(ip2).startsWith("10.88.0.").isNotEqualTo(ip1);
      assertThat(r1.interfaces().get(0).name()).isEqualTo("cni-podman0");

      // pod <-> pod on the bridge, pod -> beyond the node through FORWARD (DROP, admitted by
      // firewall), masqueraded
      assertThat(ping(p1, ip2)).isTrue();
      assertThat(ping(p2, ip1)).isTrue();
      assertThat(ping(p1, CLIENT_V4)).isTrue();
      try (Traffic.Server s = new Traffic.Server(clientNs, 18096);
          Traffic.Server web = new Traffic.Server(pod1, 80)) {
        assertThat(Traffic.tcp(pod1, CLIENT_V4, 18096)).isEqualTo("192.168.78.1");
        // the host port, from the node itself (OUTPUT path, no FORWARD)
        assertThat(Traffic.tcp(node, "192.168.78.1", 18095)).isNotNull();
      }
      assertThat(net.ruleset())
          .contains("jcni-fw net: podman id: podman1 if: eth0")
          .contains("jcni-fw net: podman id: podman2 if: eth0");
      node.exec(() -> rt.checkNetworkList(list, rc1));

      node.exec(() -> rt.delNetworkList(list, rc1));
      node.exec(() -> rt.delNetworkList(list, rc2));
      assertThat(ping(p1, CLIENT_V4)).isFalse();
      String rules = net.ruleset();
      assertThat(rules)
          .doesNotContain(ip1 + "/")
          .doesNotContain(ip2 + "/")
          .doesNotContain("podman1")
          .doesNotContain("podman2");
      assertThat(FwNet.sh("ip", "netns", "exec", net.node, "iptables-save", "-t", "nat"))
          .doesNotContain(ip1)
          .doesNotContain(ip2);
    }
  }

  private static boolean ping(String ns, String to) throws Exception {
    return FwNet.run(null, Map.of(), "ip", "netns", "exec", ns, "ping", "-c", "1", "-W", "2", to)
            .exit()
        == 0;
  }
}
