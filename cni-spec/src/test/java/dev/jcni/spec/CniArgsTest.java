package dev.jcni.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CniArgsTest {
  @Test
  void parsesKubernetesArgsInAnyOrder() {
    CniArgs a =
        CniArgs.parse(
            "K8S_POD_NAMESPACE=default;IgnoreUnknown=1;K8S_POD_NAME=web-0;"
                + "K8S_POD_INFRA_CONTAINER_ID=abc;K8S_POD_UID=u-1");
    assertThat(a.ignoreUnknown()).isTrue();
    assertThat(a.podNamespace()).isEqualTo("default");
    assertThat(a.podName()).isEqualTo("web-0");
    assertThat(a.get("K8S_POD_UID")).isEqualTo("u-1");
    assertThat(a.asMap().keySet())
        .containsExactly(
            "K8S_POD_NAMESPACE",
            "IgnoreUnknown",
            "K8S_POD_NAME",
            "K8S_POD_INFRA_CONTAINER_ID",
            "K8S_POD_UID");
    assertThat(a.get("k8s_pod_name")).isNull(); // keys are case-sensitive, as in libcni
  }

  @Test
  void emptyAndLenientForms() {
    assertThat(CniArgs.parse(null).asMap()).isEmpty();
    assertThat(CniArgs.parse("").asMap()).isEmpty();
    CniArgs a = CniArgs.parse("IP=10.0.0.5;;X=a=b;");
    assertThat(a.get("IP")).isEqualTo("10.0.0.5");
    assertThat(a.get("X")).isEqualTo("a=b");
    assertThat(a.ignoreUnknown()).isFalse();
    assertThat(CniArgs.parse("IgnoreUnknown=TRUE").ignoreUnknown()).isTrue();
    assertThat(CniArgs.parse("IgnoreUnknown=0").ignoreUnknown()).isFalse();
    assertThat(CniArgs.parse("A=;B=2").get("A")).isEmpty();
    assertThat(CniArgs.parse("A=1;B=2").toString()).isEqualTo("A=1;B=2");
  }

  @Test
  void pairWithoutEqualsIsCode4() {
    assertThatThrownBy(() -> CniArgs.parse("A=1;bogus"))
        .isInstanceOf(CniException.class)
        .hasMessageContaining("\"bogus\"")
        .satisfies(e -> assertThat(((CniException) e).code()).isEqualTo(4));
    assertThatThrownBy(() -> CniArgs.parse("=x")).isInstanceOf(CniException.class);
  }

  @Test
  void strictModeHonoursIgnoreUnknown() {
    assertThatThrownBy(() -> CniArgs.parse("IP=1.2.3.4;FOO=bar").requireKnown(List.of("IP")))
        .isInstanceOf(CniException.class)
        .hasMessageContaining("FOO=bar");
    CniArgs.parse("IP=1.2.3.4;FOO=bar;IgnoreUnknown=true").requireKnown(List.of("IP"));
    CniArgs.parse("IP=1.2.3.4").requireKnown(List.of("IP"));
  }
}
