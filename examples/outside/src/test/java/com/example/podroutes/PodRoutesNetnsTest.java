package com.example.podroutes;

import static dev.jcni.testkit.CniAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.spec.Result;
import dev.jcni.testkit.Conf;
import dev.jcni.testkit.NetnsExtension;
import dev.jcni.testkit.Results;
import dev.jcni.testkit.TestNetns;
import dev.jcni.testkit.VersionMatrix;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * As root, in throwaway namespaces (prefix {@code jtu-}; skipped with a reason otherwise): the pod gets an
 * {@code eth0} with 10.40.0.2/16 as bridge would leave it, then pod-routes runs inside the node namespace.
 */
class PodRoutesNetnsTest {
  @RegisterExtension
  static final NetnsExtension NETNS = NetnsExtension.withPrefix("jtu-");

  /** A pod whose eth0 (one end of a veth pair kept inside the pod) has 10.40.0.2/16 and (optionally) fd00:40::2/64, up. */
  static String pod(TestNetns ns, String name, boolean v6) {
    String pod = ns.pod(name);
    ns.inPod(pod, "ip", "link", "add", "eth0", "type", "veth", "peer", "name", "peer0");
    ns.inPod(pod, "ip", "link", "set", "peer0", "up");
    ns.inPod(pod, "ip", "addr", "add", "10.40.0.2/16", "dev", "eth0");
    if (v6) {
      ns.inPod(pod, "ip", "addr", "add", "fd00:40::2/64", "dev", "eth0", "nodad");
    }
    ns.inPod(pod, "ip", "link", "set", "eth0", "up");
    return pod;
  }

  static Result prev(String version, String pod) {
    return Results.builder().version(version).iface("eth0", "0a:58:0a:28:00:02", pod).ip("10.40.0.2/16", "10.40.0.1")
        .route("0.0.0.0/0", "10.40.0.1").build();
  }

  static Conf conf(String version, String pod, String... routes) {
    return Conf.plugin("pod-routes").version(version).name("mynet").put("routes", List.of(routes))
        .prevResult(prev(version, pod));
  }

  @Test
  void addCheckDelAreSeenByTheKernel(TestNetns ns) {
    String pod = pod(ns, "a", false);
    String c = conf("1.0.0", pod, "10.96.0.0/12", "192.168.77.0/24").json();

    assertThat(ns.runner(new PodRoutesPlugin()).netns(pod).add(c)).result()
        .hasRoute("0.0.0.0/0", "10.40.0.1").hasRoute("10.96.0.0/12", "10.40.0.1")
        .hasRoute("192.168.77.0/24", "10.40.0.1").hasIp("eth0", "10.40.0.2/16");
    assertThat(ns.inPod(pod, "ip", "route", "show", "10.96.0.0/12")).contains("10.96.0.0/12 via 10.40.0.1 dev eth0");
    assertThat(ns.inPod(pod, "ip", "route", "show", "192.168.77.0/24")).contains("via 10.40.0.1 dev eth0");

    assertThat(ns.runner(new PodRoutesPlugin()).netns(pod).check(c)).succeeded();
    ns.inPod(pod, "ip", "route", "del", "192.168.77.0/24");
    assertThat(ns.runner(new PodRoutesPlugin()).netns(pod).check(c)).failedWith(999)
        .hasMessageContaining("no route to 192.168.77.0/24 via 10.40.0.1 on eth0");

    assertThat(ns.runner(new PodRoutesPlugin()).netns(pod).del(c)).succeeded();
    assertThat(ns.inPod(pod, "ip", "route", "show", "10.96.0.0/12")).isEmpty();
    assertThat(ns.inPod(pod, "ip", "route", "show", "default")).isEmpty(); // never ours to touch
    assertThat(ns.runner(new PodRoutesPlugin()).netns(pod).del(c)).as("DEL is idempotent").succeeded();
    ns.deletePod(pod);
    assertThat(ns.runner(new PodRoutesPlugin()).netns(pod).del(c)).as("DEL without the netns").succeeded();
  }

  @Test
  void explicitGatewayWinsOverPrevResult(TestNetns ns) {
    String pod = pod(ns, "g", false);
    String c = conf("1.1.0", pod, "10.96.0.0/12").put("gateway", "10.40.0.254").json();
    assertThat(ns.runner(new PodRoutesPlugin()).netns(pod).add(c)).result().hasRoute("10.96.0.0/12", "10.40.0.254");
    assertThat(ns.inPod(pod, "ip", "route", "show", "10.96.0.0/12")).contains("via 10.40.0.254 dev eth0");
  }

  @Test
  void aFailedAddLeavesNoRouteBehind(TestNetns ns) {
    String pod = pod(ns, "f", false); // no IPv6 on eth0: the kernel refuses a route via fd00:40::1
    Result prev = Results.builder().version("1.0.0").iface("eth0", "0a:58:0a:28:00:02", pod)
        .ip("10.40.0.2/16", "10.40.0.1").ip("fd00:40::2/64", "fd00:40::1").build();
    String c = Conf.plugin("pod-routes").version("1.0.0").name("mynet")
        .put("routes", List.of("10.96.0.0/12", "fd00:96::/64")).prevResult(prev).json();
    assertThat(ns.runner(new PodRoutesPlugin()).netns(pod).add(c)).failedWith(7)
        .hasMessageContaining("pod-routes: adding routes in " + pod).hasMessageContaining("No route to host");
    assertThat(ns.inPod(pod, "ip", "route", "show", "10.96.0.0/12")).isEmpty();
  }

  @TestFactory
  Stream<DynamicTest> gatewayFromPrevResultAtEveryVersionWithInterfaces(TestNetns ns) {
    int[] n = {0};
    return VersionMatrix.of(new PodRoutesPlugin()).atLeast("0.3.0").tests(v -> {
      String pod = pod(ns, "v" + n[0]++, false);
      String c = conf(v.toString(), pod, "10.96.0.0/12").json();
      assertThat(ns.runner(new PodRoutesPlugin()).netns(pod).add(c)).result().hasCniVersion(v.toString())
          .hasRoute("10.96.0.0/12", "10.40.0.1");
      assertThat(ns.inPod(pod, "ip", "route", "show", "10.96.0.0/12")).contains("via 10.40.0.1 dev eth0");
    });
  }
}
