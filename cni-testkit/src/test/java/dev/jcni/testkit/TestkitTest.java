package dev.jcni.testkit;

import static dev.jcni.testkit.CniAssertions.assertThat;
import static dev.jcni.testkit.CniAssertions.assertThatCniError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.api.Invocation;
import dev.jcni.spec.CniException;
import dev.jcni.spec.CniVersion;
import dev.jcni.spec.NetConf;
import dev.jcni.spec.Result;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class TestkitTest {
  final CniRunner run =
      CniRunner.of(new EchoPlugin()).containerId("c1").netns("/run/netns/x").ifname("eth1");

  @Test
  void runnerGoesThroughTheDispatcherAndAssertionsReadTheResult() {
    Result prev =
        Results.builder()
            .version("1.0.0")
            .iface("eth0", "02:00:00:00:00:09", "/run/netns/x")
            .ip("10.1.0.5/24", "10.1.0.1")
            .route("0.0.0.0/0", "10.1.0.1")
            .build();
    String conf =
        Conf.plugin("tk-echo")
            .version("1.0.0")
            .name("n")
            .put("address", "10.2.0.5/16")
            .put("gateway", "10.2.0.1")
            .prevResult(prev)
            .json();
    CniOutcome add = run.add(conf);
    assertThat(add).succeeded().hasCniVersion("1.0.0");
    assertThat(add)
        .result()
        .hasCniVersion("1.0.0")
        .hasIp("eth0", "10.1.0.5/24")
        .hasIp("eth1", "10.2.0.5/16")
        .hasInterface("eth1", true)
        .hasGateway("10.2.0.1")
        .hasRoute("0.0.0.0/0", "10.1.0.1");
    // the prevResult went through the real decode/convert path: the plugin saw CNI_IFNAME's
    // neighbour
    assertThat(add.result().interfaces()).hasSize(2);
  }

  @Test
  void errorsAreCheckedForCodeMessageAndLeaks() {
    String conf = Conf.plugin("tk-echo").put("fail", true).json();
    assertThat(run.add(conf))
        .failedWith(7)
        .hasMessageContaining("asked to fail")
        .hasCniVersion("1.1.0");
    // a bad environment is the dispatcher's code 4
    assertThat(CniRunner.of(new EchoPlugin()).env("CNI_IFNAME", null).add(conf))
        .failedWith(4)
        .hasMessageContaining("CNI_IFNAME");
    // an unexpected exception is 999 and the assertion helpers catch a wrong code
    CniOutcome boom = run.add(Conf.plugin("tk-echo").json());
    assertThat(boom).failedWith(999);
    assertThatThrownBy(() -> assertThat(boom).failedWith(7))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("expected CNI error code 7 but was 999");
    assertThatThrownBy(() -> assertThat(boom).succeeded())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("exit code was 1");
    // a message naming a Java exception class is reported as a leak
    CniOutcome leaky =
        new CniOutcome(
            1,
            "{\"cniVersion\":\"1.0.0\",\"code\":999,\"msg\":\"java.lang.NullPointerException: x\"}",
            "");
    assertThatThrownBy(() -> assertThat(leaky).failedWith(999))
        .hasMessageContaining("leaks a Java exception");
  }

  @Test
  void versionAndGcStatusCallsSendWhatARuntimeSends() {
    CniOutcome v = run.version();
    assertThat(v).succeeded();
    assertThat(v.json()).containsEntry("cniVersion", "1.1.0");
    Map<String, String> env = run.env();
    assertThat(env).containsEntry("CNI_CONTAINERID", "c1").doesNotContainKey("CNI_COMMAND");
    String gc = Conf.plugin("tk-echo").validAttachments("c1", "eth0", "c2", "eth0").json();
    assertThat(gc).contains("\"cni.dev/valid-attachments\":[{");
    assertThat(run.gc(gc)).succeeded();
    assertThat(run.status(Conf.plugin("tk-echo").json())).succeeded();
    assertThat(run.status(Conf.plugin("tk-echo").version("1.0.0").json())).failedWith(1);
  }

  @Test
  void cniErrorAssertOnThrownExceptions() {
    Invocation inv =
        Invocation.builder()
            .ifname("eth0")
            .config(
                NetConf.parse(
                    Conf.plugin("tk-echo")
                        .put("fail", true)
                        .json()
                        .getBytes(StandardCharsets.UTF_8)))
            .build();
    assertThatCniError(() -> new EchoPlugin().add(inv))
        .hasCode(7)
        .hasMessageContaining("asked to fail");
    assertThat(new CniException(5, "disk")).hasCode(5);
    assertThatThrownBy(() -> assertThatCniError(() -> {})).isInstanceOf(AssertionError.class);
  }

  @Test
  void resultsBuilderAndConfTree() {
    Result r =
        Results.builder()
            .unboundIp("10.0.0.2/8", null)
            .dns(List.of("10.0.0.53"), "cluster.local")
            .build();
    assertThat(r).hasIp("10.0.0.2/8").hasCniVersion("1.1.0");
    assertThat(r.ips().get(0).interfaceIndex()).isNull();
    assertThat(r.dns().nameservers()).containsExactly("10.0.0.53");
    Map<String, Object> tree = Conf.plugin("x").version("0.3.1").prevResult(r).tree();
    @SuppressWarnings("unchecked")
    Map<String, Object> prev = (Map<String, Object>) tree.get("prevResult");
    assertThat(prev).containsEntry("cniVersion", "0.3.1");
    assertThatThrownBy(() -> Conf.plugin("x").validAttachments("only-one"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @TestFactory
  Stream<DynamicTest> everyVersionTheEchoPluginSupports() {
    return VersionMatrix.of(new EchoPlugin())
        .atLeast("0.3.0")
        .tests(
            v -> {
              String conf = Conf.plugin("tk-echo").version(v).put("address", "10.9.0.2/24").json();
              assertThat(run.add(conf)).result().hasCniVersion(v.toString()).hasIp("10.9.0.2/24");
            });
  }

  @Test
  void nonRootRunsAreSkippedWithAVisibleReason() {
    assertThat(NetnsExtension.condition(1000).isDisabled()).isTrue();
    assertThat(NetnsExtension.condition(1000).getReason())
        .contains("needs root: creates network namespaces (running as uid 1000)");
    assertThat(NetnsExtension.condition(0).isDisabled()).isFalse();
  }

  @Test
  void versionMatrixNarrows() {
    assertThat(VersionMatrix.of(new EchoPlugin()).versions()).isEqualTo(CniVersion.ALL);
    assertThat(VersionMatrix.of(new EchoPlugin()).atLeast("1.0.0").versions())
        .containsExactly(CniVersion.V1_0_0, CniVersion.V1_1_0);
    assertThat(VersionMatrix.of(new EchoPlugin()).atLeast("1.0.0").tests(v -> {}).count())
        .isEqualTo(2);
    assertThatThrownBy(() -> VersionMatrix.of(List.of()).tests(v -> {}))
        .isInstanceOf(IllegalStateException.class);
  }
}
