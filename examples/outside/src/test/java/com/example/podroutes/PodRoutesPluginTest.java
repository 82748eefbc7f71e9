package com.example.podroutes;

import static dev.jcni.testkit.CniAssertions.assertThat;

import dev.jcni.testkit.CniRunner;
import dev.jcni.testkit.Conf;
import dev.jcni.testkit.Results;
import dev.jcni.testkit.VersionMatrix;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** In memory, no root: config and chaining errors, through the real dispatcher (CniRunner). */
class PodRoutesPluginTest {
  final CniRunner runner = CniRunner.of(new PodRoutesPlugin());

  static Conf conf(String version) {
    return Conf.plugin("pod-routes").version(version).name("mynet").put("routes", List.of("10.96.0.0/12"));
  }

  @Test
  void versionListsEverySpecVersion() {
    assertThat(runner.version()).succeeded();
  }

  @TestFactory
  Stream<DynamicTest> addWithoutPrevResultIsCode7AtEveryVersion() {
    return VersionMatrix.of(new PodRoutesPlugin()).tests(v -> assertThat(runner.add(conf(v.toString()).json()))
        .failedWith(7).hasCniVersion(v.toString()).hasMessageContaining("needs a prevResult"));
  }

  @Test
  void misspeltKeyIsNamed() {
    String c = Conf.plugin("pod-routes").version("1.0.0").name("mynet").put("route", List.of("10.96.0.0/12"))
        .prevResult(Results.builder().version("1.0.0").build()).json();
    assertThat(runner.add(c)).failedWith(7).hasMessageContaining("\"route\"");
  }

  @Test
  void badCidrIsCode7NamingTheEntry() {
    String c = Conf.plugin("pod-routes").version("1.0.0").name("mynet").put("routes", List.of("10.96.0.0/33"))
        .prevResult(Results.builder().version("1.0.0").build()).json();
    assertThat(runner.add(c)).failedWith(7).hasMessageContaining("\"routes[0]\": invalid CIDR address: 10.96.0.0/33");
  }

  @Test
  void noGatewayAnywhereIsCode7NamingTheInterface() {
    String c = conf("1.0.0").prevResult(Results.builder().version("1.0.0")
        .iface("eth0", "0a:58:0a:28:00:02", "/run/netns/x").ip("10.40.0.2/16", null).build()).json();
    assertThat(runner.add(c)).failedWith(7).hasMessageContaining("no IPv4 gateway for 10.96.0.0/12")
        .hasMessageContaining("eth0");
  }

  @Test
  void delAfterTheRuntimeRemovedTheNamespaceSucceeds() {
    assertThat(runner.netns("/run/netns/jtu-gone-for-good").del(conf("1.0.0").json())).succeeded();
  }
}
