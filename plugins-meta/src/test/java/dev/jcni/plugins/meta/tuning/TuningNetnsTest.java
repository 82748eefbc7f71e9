package dev.jcni.plugins.meta.tuning;

import static dev.jcni.plugins.meta.tuning.Harness.link;
import static dev.jcni.plugins.meta.tuning.Harness.sysctl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcni.spec.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * tuning against real namespaces (root): a veth pair the test creates inside the pod namespace
 * stands for an interface that outlives the plugin calls, so DEL's restore can be seen. The plugin
 * runs in a NODE namespace; {@code ip}/{@code sysctl} in the pod are the oracle. Go's tuning v1.1.1
 * ({@code /usr/lib/cni/tuning}) is run next to ours: each undoes the other's changes from the
 * shared data directory, and both give the same result.
 */
class TuningNetnsTest {
  private Harness h;
  private final TuningPlugin plugin = new TuningPlugin(null);

  private static final String ARP_NOTIFY = "net.ipv4.conf.eth0.arp_notify";
  private static final String ARP_IGNORE = "net.ipv4.conf.eth0.arp_ignore";
  private static final String SOMAXCONN = "net.core.somaxconn";
  private static final String TCP_RMEM = "net.ipv4.tcp_rmem";

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

  private String conf(String pod, String body) {
    return conf("1.0.0", pod, body);
  }

  private String conf(String version, String pod, String body) {
    return "{\"cniVersion\":\""
        + version
        + "\",\"name\":\"jtu-net\",\"type\":\"tuning\",\"dataDir\":"
        + Json.writeString(h.dataDir.toString())
        + body
        + ",\"prevResult\":{\"cniVersion\":\""
        + version
        + "\","
        + "\"interfaces\":[{\"name\":\"jtuhost0\"},{\"name\":\"eth0\",\"mac\":\""
        + mac(pod)
        + "\",\"sandbox\":\""
        + pod
        + "\"}],\"ips\":[{\"interface\":1,\"address\":\"10.9.0.2/24\"}]}}";
  }

  private static String mac(String pod) {
    return (String) link(pod, "eth0").get("address");
  }

  /** What tuning can change, as ip and sysctl show it. */
  private static String snapshot(String pod) {
    Map<String, Object> l = link(pod, "eth0");
    return "mac="
        + l.get("address")
        + " mtu="
        + l.get("mtu")
        + " qlen="
        + l.get("txqlen")
        + " flags="
        + l.get("flags")
        + " promiscuity="
        + l.get("promiscuity")
        + " "
        + ARP_NOTIFY
        + "="
        + sysctl(pod, ARP_NOTIFY)
        + " "
        + ARP_IGNORE
        + "="
        + sysctl(pod, ARP_IGNORE)
        + " "
        + SOMAXCONN
        + "="
        + sysctl(pod, SOMAXCONN)
        + " "
        + TCP_RMEM
        + "="
        + sysctl(pod, TCP_RMEM);
  }

  private static final String ALL =
      ",\"sysctl\":{\"net.ipv4.conf.IFNAME.arp_notify\":\"1\","
          + "\"net/ipv4/conf/eth0/arp_ignore\":\"2\",\"net.core.somaxconn\":\"1000\","
          + "\"net.ipv4.tcp_rmem\":\"4096 87380 6291456\"},\"mac\":\"02:AA:BB:CC:DD:01\",\"mtu\":1400,\"promisc\":true,"
          + "\"allmulti\":true,\"txQLen\":321";

  @Test
  void valuesVisibleInThePodAndRestoredByDel() {
    String pod = h.pod("a");
    h.podVeth(pod, "eth0", "jtupeer");
    String before = snapshot(pod);
    String c = conf(pod, ALL);

    Harness.Outcome add = h.call(plugin, "ADD", c, pod, "jtu-c1", "eth0").ok();
    Map<String, Object> l = link(pod, "eth0");
    assertThat(l.get("address")).isEqualTo("02:aa:bb:cc:dd:01");
    assertThat(((Number) l.get("mtu")).intValue()).isEqualTo(1400);
    assertThat(((Number) l.get("txqlen")).intValue()).isEqualTo(321);
    assertThat(Json.writeString(l.get("flags"))).contains("\"PROMISC\"", "\"ALLMULTI\"");
    assertThat(sysctl(pod, ARP_NOTIFY)).isEqualTo("1");
    assertThat(sysctl(pod, ARP_IGNORE)).isEqualTo("2");
    assertThat(sysctl(pod, SOMAXCONN)).isEqualTo("1000");
    assertThat(sysctl(pod, TCP_RMEM).split("\\s+")).containsExactly("4096", "87380", "6291456");
    // the pod interface's entry carries the new MAC; the host one is untouched
    assertThat(add.json().get("interfaces"))
        .isEqualTo(
            Json.parse(
                "[{\"name\":\"jtuhost0\"},{\"name\":\"eth0\","
                    + "\"mac\":\"02:aa:bb:cc:dd:01\",\"sandbox\":\""
                    + pod
                    + "\"}]"));
    assertThat(h.saved()).containsExactly("jtu-c1_eth0.json");

    h.call(plugin, "CHECK", c, pod, "jtu-c1", "eth0").ok();
    Harness.in(pod, "ip", "link", "set", "eth0", "mtu", "1300");
    assertThat(
            h.call(plugin, "CHECK", c, pod, "jtu-c1", "eth0")
                .failed(999, "Error: Tuning configured MTU")
                .msg())
        .isEqualTo("Error: Tuning configured MTU of eth0 is 1400, current value is 1300");
    Harness.in(pod, "sysctl", "-qw", ARP_NOTIFY + "=0");
    assertThat(h.call(plugin, "CHECK", c, pod, "jtu-c1", "eth0").msg())
        .isEqualTo(
            "Error: Tuning configured value of /proc/sys/net/ipv4/conf/eth0/arp_notify is 1, current value"
                + " is 0");

    h.call(plugin, "DEL", c, pod, "jtu-c1", "eth0").ok();
    assertThat(snapshot(pod)).isEqualTo(before);
    assertThat(h.saved()).isEmpty();
    // repeated DEL, and containerd's second DEL without the netns
    h.call(plugin, "DEL", c, pod, "jtu-c1", "eth0").ok();
    h.call(plugin, "DEL", c, "", "jtu-c1", "eth0").ok();
  }

  @Test
  void everyVersionPassesPrevResultThrough() {
    String pod = h.pod("v");
    h.podVeth(pod, "eth0", "jtupeer");
    for (String v : List.of("0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0")) {
      Harness.Outcome add =
          h.call(
                  plugin,
                  "ADD",
                  conf(v, pod, ",\"mac\":\"02:aa:bb:cc:dd:0" + v.charAt(0) + "\""),
                  pod,
                  "jtu-v",
                  "eth0")
              .ok();
      assertThat(add.json().get("cniVersion")).isEqualTo(v);
      assertThat(Json.writeString(add.json().get("ips"))).contains("10.9.0.2/24");
      assertThat(Json.writeString(add.json().get("interfaces")))
          .contains("02:aa:bb:cc:dd:0" + v.charAt(0));
      h.call(plugin, "DEL", conf(v, pod, ""), pod, "jtu-v", "eth0").ok();
    }
    // 0.2.0 has no interfaces: the address passes through
    Harness.Outcome old =
        h.call(
                plugin,
                "ADD",
                "{\"cniVersion\":\"0.2.0\",\"name\":\"jtu-net\",\"type\":\"tuning\","
                    + "\"dataDir\":"
                    + Json.writeString(h.dataDir.toString())
                    + ",\"mtu\":1280,\"prevResult\":{\"cniVersion\":"
                    + "\"0.2.0\",\"ip4\":{\"ip\":\"10.9.0.2/24\"}}}",
                pod,
                "jtu-o",
                "eth0")
            .ok();
    assertThat(Json.writeString(old.json().get("ip4"))).contains("10.9.0.2/24");
    assertThat(((Number) link(pod, "eth0").get("mtu")).intValue()).isEqualTo(1280);
  }

  @Test
  void badConfigIsCode7NamingTheKeyAndLeavesNothing() {
    String pod = h.pod("b");
    h.podVeth(pod, "eth0", "jtupeer");
    String before = snapshot(pod);
    String[][] cases = {
      {",\"sysctl\":{\"kernel.shmmax\":\"1\"}", "sysctl \"kernel.shmmax\": invalid net sysctl key"},
      {
        ",\"sysctl\":{\"net/ipv4/../../kernel/shmmax\":\"1\"}",
        "sysctl \"net/ipv4/../../kernel/shmmax\": "
      },
      // not per network namespace: invisible from the pod's namespace, so it cannot reach the
      // node's value
      {
        ",\"sysctl\":{\"net.ipv4.tcp_mem\":\"1 2 3\"}",
        "sysctl \"net.ipv4.tcp_mem\": no such sysctl"
      },
      {
        ",\"sysctl\":{\"net.ipv4.conf.IFNAME.nonexistent\":\"1\"}",
        "sysctl \"net.ipv4.conf.IFNAME.nonexistent\""
      },
      {",\"mac\":\"02:aa:bb:cc:dd:zz\"", "mac: invalid MAC address"},
      {",\"mtu\":-1", "mtu: must not be negative"},
      // accepted by the config, refused by the kernel: everything done before is undone
      {
        ",\"sysctl\":{\"net.ipv4.conf.IFNAME.arp_notify\":\"1\"},\"mac\":\"02:aa:bb:cc:dd:01\",\"mtu\":70000",
        "mtu: the kernel refused 70000 for \"eth0\""
      },
      {
        ",\"sysctl\":{\"net.ipv4.conf.IFNAME.arp_notify\":\"1\",\"net.ipv4.conf.IFNAME.arp_ignore\":\"abc\"},"
            + "\"mtu\":1400",
        "sysctl \"net.ipv4.conf.IFNAME.arp_ignore\": the kernel refused value \"abc\""
      },
      {",\"sysctl\":{\"net.core.somaxconn\":\"5\"},\"mac\":\"01:00:5e:00:00:01\"", "mac: "},
    };
    for (String[] k : cases) {
      h.call(plugin, "ADD", conf(pod, k[0]), pod, "jtu-c2", "eth0").failed(7, k[1]);
      assertThat(snapshot(pod)).as(k[0]).isEqualTo(before);
      assertThat(h.saved()).as(k[0]).isEmpty();
    }
    String noPrev =
        "{\"cniVersion\":\"1.0.0\",\"name\":\"jtu-net\",\"type\":\"tuning\",\"mtu\":1400}";
    h.call(plugin, "ADD", noPrev, pod, "jtu-c2", "eth0").failed(7, "prevResult: ");
    h.call(plugin, "ADD", conf(pod, ",\"mtu\":1400"), pod, "jtu-c2", "eth9")
        .failed(999, "failed to get \"eth9\"");
    assertThat(snapshot(pod)).isEqualTo(before);
    assertThat(h.saved()).isEmpty();
  }

  @Test
  void theNodesOwnNamespaceIsRefusedBeforeAnyWrite() {
    String nodeBefore = sysctl(h.nodePath(), SOMAXCONN);
    h.call(
            plugin,
            "ADD",
            "{\"cniVersion\":\"1.0.0\",\"name\":\"jtu-net\",\"type\":\"tuning\",\"dataDir\":"
                + Json.writeString(h.dataDir.toString())
                + ",\"sysctl\":{\"net.core.somaxconn\":\"77\"},\"prevResult\":"
                + "{\"cniVersion\":\"1.0.0\"}}",
            h.nodePath(),
            "jtu-c3",
            "lo")
        .failed(8, "plugin's netns");
    assertThat(sysctl(h.nodePath(), SOMAXCONN)).isEqualTo(nodeBefore);
    assertThat(h.saved()).isEmpty();
  }

  @Test
  void macFromCniArgsAndTheMacCapability() {
    String pod = h.pod("m");
    h.podVeth(pod, "eth0", "jtupeer");
    String c = conf(pod, ",\"mac\":\"02:00:00:00:00:01\",\"capabilities\":{\"mac\":true}");
    h.call(
            plugin,
            dev.jcni.api.Delegate.standard(),
            Harness.env(
                "ADD",
                pod,
                "jtu-m",
                "eth0",
                "/usr/lib/cni",
                "IgnoreUnknown=1;MAC=02:00:00:00:00:02"),
            c)
        .ok();
    assertThat(mac(pod)).isEqualTo("02:00:00:00:00:02");
    String rc =
        c.replace(
            ",\"capabilities\"",
            ",\"runtimeConfig\":{\"mac\":\"02:00:00:00:00:03\"},\"capabilities\"");
    h.call(
            plugin,
            dev.jcni.api.Delegate.standard(),
            Harness.env(
                "ADD",
                pod,
                "jtu-m",
                "eth0",
                "/usr/lib/cni",
                "IgnoreUnknown=1;MAC=02:00:00:00:00:02"),
            rc)
        .ok();
    assertThat(mac(pod)).isEqualTo("02:00:00:00:00:03");
    h.call(plugin, "DEL", c, pod, "jtu-m", "eth0").ok();
    // the repeated ADD kept the first original, so DEL goes all the way back
    assertThat(mac(pod)).isNotIn("02:00:00:00:00:01", "02:00:00:00:00:02", "02:00:00:00:00:03");
  }

  @Test
  void goAndOursUndoEachOther() {
    assumeTrue(Harness.go("tuning"), "needs Go's tuning in /usr/lib/cni");
    String pod = h.pod("g");
    h.podVeth(pod, "eth0", "jtupeer");
    String before = snapshot(pod);
    // Go v1.1.1 keys only (no txQLen there)
    String c =
        conf(
            pod,
            ",\"sysctl\":{\"net.ipv4.conf.IFNAME.arp_notify\":\"1\"},\"mac\":\"02:aa:bb:cc:dd:02\","
                + "\"mtu\":1300,\"promisc\":true,\"allmulti\":true");
    Path go = Harness.GO.resolve("tuning");

    // ours adds, Go's deletes (and restores from our file)
    h.call(plugin, "ADD", c, pod, "jtu-c4", "eth0").ok();
    assertThat(mac(pod)).isEqualTo("02:aa:bb:cc:dd:02");
    h.exec(go, "DEL", c, pod, "jtu-c4", "eth0", "/usr/lib/cni").ok();
    assertThat(snapshot(pod).replace(ARP_NOTIFY + "=1", ARP_NOTIFY + "=0"))
        .isEqualTo(before); // Go keeps sysctls
    assertThat(h.saved()).isEmpty();
    Harness.in(pod, "sysctl", "-qw", ARP_NOTIFY + "=0");

    // Go's adds, ours deletes (from Go's file)
    Harness.Outcome goAdd = h.exec(go, "ADD", c, pod, "jtu-c5", "eth0", "/usr/lib/cni").ok();
    assertThat(h.saved()).containsExactly("jtu-c5_eth0.json");
    h.call(plugin, "CHECK", c, pod, "jtu-c5", "eth0").ok();
    h.call(plugin, "DEL", c, pod, "jtu-c5", "eth0").ok();
    assertThat(snapshot(pod).replace(ARP_NOTIFY + "=1", ARP_NOTIFY + "=0")).isEqualTo(before);
    assertThat(h.saved()).isEmpty();
    Harness.in(pod, "sysctl", "-qw", ARP_NOTIFY + "=0");

    // same config, same prevResult: the same result from both
    Harness.Outcome ours = h.call(plugin, "ADD", c, pod, "jtu-c6", "eth0").ok();
    Map<String, Object> goJson = goAdd.json();
    assertThat(goJson.remove("dns"))
        .isEqualTo(Map.of()); // Go prints an empty DNS object; we leave it out
    assertThat(ours.json()).isEqualTo(goJson);
    h.call(plugin, "DEL", c, pod, "jtu-c6", "eth0").ok();
    assertThat(snapshot(pod)).isEqualTo(before);
  }

  @Test
  void gcRemovesOnlyThisNetworksStaleFilesAndStatus() throws Exception {
    String pod = h.pod("gc");
    h.podVeth(pod, "eth0", "jtupeer");
    h.podVeth(pod, "eth1", "jtupeer1");
    h.call(plugin, "ADD", conf("1.1.0", pod, ",\"mtu\":1400"), pod, "jtu-keep", "eth0").ok();
    h.call(plugin, "ADD", conf("1.1.0", pod, ",\"mtu\":1400"), pod, "jtu_stale", "eth1").ok();
    Files.writeString(
        h.dataDir.resolve("gone_eth0.json"), "{\n \"mtu\": 1500\n}"); // Go's: any network's
    Files.writeString(
        h.dataDir.resolve("other_eth0.json"), "{\"mtu\":1500,\"jcni.network\":\"other\"}");
    String gc =
        "{\"cniVersion\":\"1.1.0\",\"name\":\"jtu-net\",\"type\":\"tuning\",\"dataDir\":"
            + Json.writeString(h.dataDir.toString())
            + ",\"cni.dev/valid-attachments\":[{\"containerID\":\"jtu-keep\","
            + "\"ifname\":\"eth0\"}]}";
    h.call(plugin, "GC", gc, "", "", "").ok();
    assertThat(h.saved())
        .containsExactly("gone_eth0.json", "jtu-keep_eth0.json", "other_eth0.json");
    // without the list GC refuses instead of treating everything as stale
    h.call(plugin, "GC", gc.replace("cni.dev/valid-attachments", "x"), "", "", "")
        .failed(7, "cni.dev/valid-attachments");
    h.call(plugin, "STATUS", gc, "", "", "").ok();
    Path file = h.tmp.resolve("afile");
    Files.writeString(file, "");
    h.call(
            plugin,
            "STATUS",
            gc.replace(h.dataDir.toString(), file.resolve("sub").toString()),
            "",
            "",
            "")
        .failed(50, "tuning: cannot create its data directory");
    h.call(plugin, "DEL", conf("1.1.0", pod, ""), pod, "jtu-keep", "eth0").ok();
  }
}
