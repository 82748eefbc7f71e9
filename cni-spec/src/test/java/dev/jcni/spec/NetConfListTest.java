package dev.jcni.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NetConfListTest {
  private static NetConfList parse(String s) {
    return NetConfList.parse(s.getBytes(StandardCharsets.UTF_8));
  }

  private static void invalid(String json, String msg) {
    assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(CniException.class, e -> {
      assertThat(e.code()).isEqualTo(7);
      assertThat(e.msg()).isEqualTo(msg);
    });
  }

  @Test
  void parsesAList() {
    String s = "{\"cniVersion\":\"1.0.0\",\"name\":\"k8s\",\"disableCheck\":\"TRUE\",\"disableGC\":true,"
        + "\"plugins\":[{\"type\":\"bridge\",\"bridge\":\"cni0\"},{\"type\":\"portmap\","
        + "\"capabilities\":{\"portMappings\":true}}],\"custom\":1}";
    NetConfList l = parse(s);
    assertThat(l.bytes()).isEqualTo(s.getBytes(StandardCharsets.UTF_8));
    assertThat(l.name()).isEqualTo("k8s");
    assertThat(l.cniVersionString()).isEqualTo("1.0.0");
    assertThat(l.cniVersions()).isEmpty();
    assertThat(l.selectedVersionString()).isEqualTo("1.0.0");
    assertThat(l.disableCheck()).isTrue();
    assertThat(l.disableGC()).isTrue();
    assertThat(l.loadOnlyInlinedPlugins()).isFalse();
    assertThat(l.plugins()).hasSize(2);
    assertThat(l.plugins().get(0)).containsEntry("bridge", "cni0");
    assertThat(l.pluginConfs().get(1).hasCapability("portMappings")).isTrue();
    assertThat(l.raw()).containsEntry("custom", 1L);
  }

  @Test
  void disableCheckForms() {
    assertThat(parse("{\"name\":\"n\",\"disableCheck\":false}").disableCheck()).isFalse();
    assertThat(parse("{\"name\":\"n\",\"disableCheck\":\"False\"}").disableCheck()).isFalse();
    assertThat(parse("{\"name\":\"n\",\"disableCheck\":\"true\"}").disableCheck()).isTrue();
    invalid("{\"name\":\"n\",\"disableCheck\":\"yes\"}",
        "error parsing configuration list: invalid value \"yes\" for disableCheck");
    invalid("{\"name\":\"n\",\"disableCheck\":1}",
        "error parsing configuration list: invalid type the number 1 for disableCheck");
  }

  @Test
  void cniVersionsSelection() {
    NetConfList l = parse("{\"name\":\"n\",\"cniVersion\":\"0.4.0\",\"cniVersions\":[\"1.0.0\",\"9.9.9\",\"0.3.1\"]}");
    assertThat(l.cniVersions()).containsExactly("1.0.0", "9.9.9", "0.3.1");
    assertThat(l.selectedVersionString()).isEqualTo("1.0.0");
    assertThat(l.selectedVersion()).isEqualTo(CniVersion.V1_0_0);
    assertThat(parse("{\"name\":\"n\",\"cniVersion\":\"1.1.0\",\"cniVersions\":[\"1.0.0\"]}")
        .selectedVersionString()).isEqualTo("1.1.0");
    assertThat(parse("{\"name\":\"n\",\"cniVersions\":[]}").selectedVersionString()).isEmpty();
    assertThatThrownBy(() -> parse("{\"name\":\"n\",\"cniVersions\":[\"x.y\"]}").selectedVersionString())
        .isInstanceOfSatisfying(CniException.class, e -> assertThat(e.code()).isEqualTo(7));
  }

  @Test
  void libcniErrors() {
    invalid("{\"cniVersion\":\"1.0.0\",\"plugins\":[]}", "error parsing configuration list: no name");
    invalid("{\"name\":1}", "error parsing configuration list: invalid name type: the number 1");
    invalid("{\"name\":\"n\",\"plugins\":[]}", "error parsing configuration list: no plugins in list");
    invalid("{\"name\":\"n\",\"plugins\":{}}", "error parsing configuration list: invalid 'plugins' type: an object");
    invalid("{\"name\":\"n\",\"loadOnlyInlinedPlugins\":true}",
        "error parsing configuration list: `loadOnlyInlinedPlugins` is true, and no 'plugins' key");
    invalid("{\"name\":\"n\",\"plugins\":[{\"type\":\"a\"},{\"x\":1}]}",
        "failed to parse plugin config 1: error parsing configuration: missing 'type'");
    invalid("{\"name\":\"n\",\"cniVersions\":\"1.0.0\"}",
        "error parsing configuration list: invalid type for cniVersions: the string \"1.0.0\"");
    assertThat(parse("{\"name\":\"n\"}").plugins()).isEmpty();
    assertThatThrownBy(() -> parse("{bad")).isInstanceOfSatisfying(CniException.class,
        e -> assertThat(e.code()).isEqualTo(6));
  }
}
