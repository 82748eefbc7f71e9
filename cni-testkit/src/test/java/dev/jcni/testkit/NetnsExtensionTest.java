package dev.jcni.testkit;

import static dev.jcni.testkit.CniAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.system.NetNs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class NetnsExtensionTest {
  @RegisterExtension static final NetnsExtension NETNS = NetnsExtension.withPrefix("jsd-");

  static String lastNode;

  @Test
  void nodeAndPodsAreRealSeparateNamespacesAndRunnerRunsInTheNode(TestNetns ns) {
    lastNode = ns.nodeName();
    assertThat(ns.nodeName()).startsWith("jsd-").endsWith("-node");
    String pod = ns.pod("a");
    assertThat(pod).startsWith("/run/netns/jsd-").endsWith("-a");
    assertThat(Files.exists(Path.of(pod))).isTrue();
    try (NetNs p = NetNs.open(Path.of(pod))) {
      assertThat(p.sameAs(ns.node())).isFalse();
    }
    // lo is up in both
    assertThat(ns.ping(null, "127.0.0.1")).isTrue();
    assertThat(ns.ping(pod, "127.0.0.1")).isTrue();
    // a link made in the node exists there only
    String br = ns.linkName("br");
    assertThat(br).hasSizeLessThanOrEqualTo(15).startsWith("jsd");
    ns.inNode("ip", "link", "add", br, "type", "bridge");
    assertThat(ns.inNode("ip", "-br", "link")).contains(br);
    assertThat(ns.inPod(pod, "ip", "-br", "link")).doesNotContain(br);
    // the runner executes on a thread inside the node namespace
    CniOutcome add =
        ns.runner(new EchoPlugin())
            .netns(pod)
            .add(Conf.plugin("tk-echo").put("address", "10.3.0.2/24").json());
    assertThat(add).result().hasInterface("eth0", true);
    assertThatThrownBy(() -> ns.inNode("false")).isInstanceOf(AssertionError.class);
    ns.deletePod(pod);
    assertThat(Files.exists(Path.of(pod))).isFalse();
    assertThatThrownBy(() -> ns.linkName("much-too-long"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void closeRemovesEverythingAlsoAfterAFailure() {
    TestNetns ns = new TestNetns("jsd-");
    String pod = ns.pod("x");
    String node = ns.nodeName();
    try {
      throw new IllegalStateException("test body failed");
    } catch (IllegalStateException expected) {
      ns.close();
    }
    assertThat(NetNs.exists(node)).isFalse();
    assertThat(Files.exists(Path.of(pod))).isFalse();
  }

  @AfterAll
  static void theExtensionCleanedUpTheFirstTest() {
    if (lastNode != null) {
      assertThat(NetNs.exists(lastNode)).as("namespace of a finished test").isFalse();
    }
  }

  @Test
  void prefixIsValidated() {
    assertThatThrownBy(() -> NetnsExtension.withPrefix("Bad/"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(NetnsExtension.isRoot()).isEqualTo(NetnsExtension.isRoot());
  }
}
