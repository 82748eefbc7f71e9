package dev.jcni.examples;

import static dev.jcni.testkit.CniAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.spec.Result;
import dev.jcni.testkit.CniOutcome;
import dev.jcni.testkit.CniRunner;
import dev.jcni.testkit.Conf;
import dev.jcni.testkit.NetnsExtension;
import dev.jcni.testkit.TestNetns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * mycni as root in this test's own namespaces ({@code jsd-...}, see {@link NetnsExtension}): the
 * plugin runs inside the node namespace, pods are real namespaces, iproute2 and ping are the
 * oracles.
 */
class MyCniWiredTest {
  @TempDir Path data;

  /**
   * The tutorial's conflist entry as a runtime hands it to the plugin; only {@code dataDir} points
   * elsewhere.
   */
  Conf tutorial() {
    return Conf.plugin("mycni")
        .version("0.3.1")
        .name("mynet")
        .put("subnet", "10.40.0.0/16")
        .put("gateway", "10.40.0.1")
        .put("dataDir", data.toString());
  }

  @RegisterExtension static final NetnsExtension NETNS = NetnsExtension.withPrefix("jsd-");

  @Test
  void tutorialConflistAsWrittenWiresTwoPodsThatPingEachOtherAndTheGateway(TestNetns ns)
      throws Exception {
    String conf = tutorial().json(); // bridge cni0: the node namespace is this test's own
    String podA = ns.pod("a");
    String podB = ns.pod("b");
    CniOutcome a = ns.runner(new MyCniPlugin()).containerId("ca").netns(podA).add(conf);
    assertThat(a)
        .result()
        .hasCniVersion("0.3.1")
        .hasIp("eth0", "10.40.0.2/16")
        .hasGateway("10.40.0.1")
        .hasRoute("0.0.0.0/0", "10.40.0.1")
        .hasInterface("eth0", true)
        .hasInterface("cni0", false);
    CniOutcome b = ns.runner(new MyCniPlugin()).containerId("cb").netns(podB).add(conf);
    assertThat(b).result().hasIp("eth0", "10.40.0.3/16");

    assertThat(ns.inNode("ip", "-4", "-o", "addr", "show", "dev", "cni0"))
        .contains("inet 10.40.0.1/16");
    assertThat(ns.inPod(podA, "ip", "-4", "-o", "addr", "show", "dev", "eth0"))
        .contains("inet 10.40.0.2/16");
    assertThat(ns.inPod(podA, "ip", "-4", "route", "show", "default"))
        .contains("default via 10.40.0.1 dev eth0");
    assertThat(ns.ping(podA, "10.40.0.3")).as("pod a -> pod b").isTrue();
    assertThat(ns.ping(podB, "10.40.0.2")).as("pod b -> pod a").isTrue();
    assertThat(ns.ping(podA, "10.40.0.1")).as("pod a -> gateway").isTrue();
    assertThat(ns.ping(null, "10.40.0.3")).as("node -> pod b").isTrue();
    assertThat(Files.readString(data.resolve("mycni/mycni.log")))
        .contains("mycni ADD ca/eth0 INFO ADD 10.40.0.2/16");
    assertThat(Files.readString(data.resolve("mycni/mynet/10.40.0.2"))).isEqualTo("ca\neth0\n");

    // DEL removes the pod's veth (both ends) and the reservation; a second DEL is fine
    assertThat(ns.runner(new MyCniPlugin()).containerId("ca").netns(podA).del(conf)).succeeded();
    assertThat(ns.inPod(podA, "ip", "-o", "link")).doesNotContain("eth0");
    assertThat(ns.inNode("ip", "-o", "link", "show", "master", "cni0"))
        .hasLineCount(1); // b's host end only
    assertThat(data.resolve("mycni/mynet/10.40.0.2")).doesNotExist();
    assertThat(ns.runner(new MyCniPlugin()).containerId("ca").netns(podA).del(conf)).succeeded();
    // DEL after the runtime removed the namespace still releases the address
    ns.deletePod(podB);
    assertThat(ns.runner(new MyCniPlugin()).containerId("cb").netns(podB).del(conf)).succeeded();
    assertThat(data.resolve("mycni/mynet/10.40.0.3")).doesNotExist();
  }

  @Test
  void renamedBridgeCheckGcAndConcurrentAdds(TestNetns ns) throws Exception {
    String bridge = ns.linkName("br");
    Conf conf = tutorial().version("1.1.0").put("bridge", bridge);
    List<String> pods = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      pods.add(ns.pod("p" + i));
    }
    // six ADDs at once: the flock hands out six different addresses, the bridge is created once
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<Future<CniOutcome>> adds = new ArrayList<>();
    for (int i = 0; i < pods.size(); i++) {
      String cid = "c" + i;
      String pod = pods.get(i);
      adds.add(
          pool.submit(
              () -> ns.runner(new MyCniPlugin()).containerId(cid).netns(pod).add(conf.json())));
    }
    Set<String> addresses = new HashSet<>();
    List<Result> results = new ArrayList<>();
    for (Future<CniOutcome> f : adds) {
      CniOutcome o = f.get();
      assertThat(o).succeeded();
      results.add(o.result());
      addresses.add(o.result().ips().get(0).address().toString());
    }
    pool.shutdown();
    assertThat(addresses).hasSize(6).allMatch(a -> a.startsWith("10.40.0.") && a.endsWith("/16"));
    assertThat(ns.inNode("ip", "-o", "link", "show", "master", bridge)).hasLineCount(6);
    assertThat(ns.inNode("ip", "-o", "link", "show", "type", "bridge"))
        .contains(bridge)
        .doesNotContain("cni0");
    String addr5 = results.get(5).ips().get(0).address().addressString();
    assertThat(ns.ping(pods.get(0), addr5)).isTrue();

    // CHECK: fine as added; fails naming what is missing once the pod's address is gone
    CniRunner p0 = ns.runner(new MyCniPlugin()).containerId("c0").netns(pods.get(0));
    String check0 = conf.prevResult(results.get(0)).json();
    assertThat(p0.check(check0)).succeeded();
    ns.inPod(pods.get(0), "ip", "addr", "flush", "dev", "eth0");
    assertThat(p0.check(check0))
        .failedWith(999)
        .hasMessageContaining("does not have " + results.get(0).ips().get(0).address());
    // CHECK for a container that was never added
    assertThat(ns.runner(new MyCniPlugin()).containerId("nope").netns(pods.get(0)).check(check0))
        .failedWith(999)
        .hasMessageContaining("no address reserved");

    // a second ADD for the same attachment fails and leaves the first one's address alone
    assertThat(
            ns.runner(new MyCniPlugin())
                .containerId("c1")
                .netns(pods.get(1))
                .add(conf.prevResult(null).json()))
        .failedWith(999)
        .hasMessageContaining("ADD twice");
    assertThat(reservations()).hasSize(6);

    // GC keeps c0..c2 and releases the rest; STATUS is fine
    String gc =
        conf.prevResult(null).validAttachments("c0", "eth0", "c1", "eth0", "c2", "eth0").json();
    assertThat(ns.runner(new MyCniPlugin()).gc(gc)).succeeded();
    assertThat(reservations()).hasSize(3);
    assertThat(ns.runner(new MyCniPlugin()).status(conf.json())).succeeded();
  }

  @Test
  void failedAddLeavesNothingBehind(TestNetns ns) throws Exception {
    String conf = tutorial().version("1.0.0").put("bridge", ns.linkName("br")).json();
    String pod = ns.pod("x");
    ns.inPod(
        pod, "ip", "link", "add", "eth0", "type", "veth", "peer", "name",
        "other"); // CNI_IFNAME taken
    assertThat(ns.runner(new MyCniPlugin()).containerId("cx").netns(pod).add(conf))
        .failedWith(999)
        .hasMessageContaining("already exists");
    assertThat(reservations()).isEmpty();
    assertThat(ns.inNode("ip", "-o", "link", "show", "type", "veth")).isEmpty();
    // a netns that does not exist: code 3 (unknown container), nothing reserved
    assertThat(
            ns.runner(new MyCniPlugin())
                .containerId("cy")
                .netns("/run/netns/jsd-missing-ns")
                .add(conf))
        .failedWith(3)
        .hasMessageContaining("jsd-missing-ns");
    assertThat(reservations()).isEmpty();
  }

  List<Path> reservations() throws Exception {
    Path dir = data.resolve("mycni/mynet");
    try (var s = Files.list(dir)) {
      return s.filter(p -> Character.isDigit(p.getFileName().toString().charAt(0))).toList();
    }
  }
}
