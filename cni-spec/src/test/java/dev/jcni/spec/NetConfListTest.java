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
    assertThatThrownBy(() -> parse(json))
        .isInstanceOfSatisfying(
            CniException.class,
            e -> {
              assertThat(e.code()).isEqualTo(7);
              assertThat(e.msg()).isEqualTo(msg);
            });
  }

  @Test
  void parsesAList() {
    String s =
        "{\"cniVersion\":\"1.0.0\",\"name\":\"k8s\",\"disableCheck\":\"TRUE\",\"disableGC\":true,"
            + "\"plugins\":[{\"type\":\"bridge\",\"bridge\":\"cni0\"},{\"type\":\"portmap\","
            + "\"capabilities\":{\"portMappings\":true}}],\"custom\":1}";
    NetConfList l = parse(s);
    assertThat(l.bytes()).isEqualTo(s.getBytes(StandardCharsets.UTF_8));
    assertThat(l.name()).isEqualTo("k8s");
    assertThat(l.cniVersionString()).isEqualTo("1.0.0");
    assertThat(l.cniVersion()).isEqualTo(CniVersion.V1_0_0);
    assertThat(l.cniVersions()).isEmpty();
    assertThat(l.disableCheck()).isTrue();
    assertThat(l.disableGC()).isTrue();
    assertThat(l.loadOnlyInlinedPlugins()).isFalse();
    assertThat(l.plugins()).hasSize(2);
    assertThat(l.plugins().get(0).raw()).containsEntry("bridge", "cni0");
    assertThat(l.plugins().get(1).hasCapability("portMappings")).isTrue();
    assertThat(l.raw()).containsEntry("custom", 1L);
  }

  @Test
  void disableCheckForms() {
    assertThat(parse("{\"name\":\"n\",\"disableCheck\":false}").disableCheck()).isFalse();
    assertThat(parse("{\"name\":\"n\",\"disableCheck\":\"False\"}").disableCheck()).isFalse();
    assertThat(parse("{\"name\":\"n\",\"disableCheck\":\"true\"}").disableCheck()).isTrue();
    invalid(
        "{\"name\":\"n\",\"disableCheck\":\"yes\"}",
        "error parsing configuration list: invalid value \"yes\" for disableCheck");
    invalid(
        "{\"name\":\"n\",\"disableCheck\":1}",
        "error parsing configuration list: invalid type number for disableCheck");
  }

  @Test
  void cniVersionsSelection() {
    NetConfList l =
        parse(
            "{\"name\":\"n\",\"cniVersion\":\"0.4.0\",\"cniVersions\":[\"1.0.0\",\"9.9.9\",\"0.3.1\"]}");
    assertThat(l.cniVersions()).containsExactly("1.0.0", "9.9.9", "0.3.1");
    assertThat(l.cniVersionString()).isEqualTo("1.0.0");
    assertThat(l.cniVersion()).isEqualTo(CniVersion.V1_0_0);
    assertThat(
            parse("{\"name\":\"n\",\"cniVersion\":\"1.1.0\",\"cniVersions\":[\"1.0.0\"]}")
                .cniVersionString())
        .isEqualTo("1.1.0");
    assertThat(parse("{\"name\":\"n\",\"cniVersions\":[]}").cniVersionString()).isEmpty();
    assertThatThrownBy(() -> parse("{\"name\":\"n\",\"cniVersions\":[\"x.y\"]}"))
        .isInstanceOfSatisfying(CniException.class, e -> assertThat(e.code()).isEqualTo(7));
  }

  @Test
  void topLevelKeysMatchExactlyAsInLibcniButPluginKeysDoNot() {
    // libcni reads the list into a Go map (exact keys) and each plugin into a struct
    // (case-insensitive)
    invalid(
        "{\"Name\":\"n\",\"plugins\":[{\"type\":\"a\"}]}",
        "error parsing configuration list: no name");
    NetConfList l =
        parse("{\"name\":\"n\",\"CNIVersion\":\"1.0.0\",\"plugins\":[{\"Type\":\"a\"}]}");
    assertThat(l.cniVersionString()).isEmpty();
    assertThat(l.plugins().get(0).type()).isEqualTo("a");
  }

  @Test
  void dropInsAndSingleConfigs() {
    NetConfList l =
        parse("{\"name\":\"n\",\"cniVersion\":\"1.0.0\",\"plugins\":[{\"type\":\"a\"}]}");
    NetConf dropIn = NetConfList.parsePlugin("{\"type\":\"b\"}".getBytes(StandardCharsets.UTF_8));
    NetConfList all = l.withDropIns(java.util.List.of(dropIn));
    assertThat(all.plugins()).extracting(NetConf::type).containsExactly("a", "b");
    assertThat(all.bytes()).isEqualTo(l.bytes());
    NetConfList single =
        NetConfList.fromPlugin(
            NetConfList.parsePlugin(
                "{\"cniVersion\":\"0.4.0\",\"name\":\"s\",\"type\":\"c\"}"
                    .getBytes(StandardCharsets.UTF_8)));
    assertThat(single.name()).isEqualTo("s");
    assertThat(single.cniVersionString()).isEqualTo("0.4.0");
    assertThat(single.plugins()).extracting(NetConf::type).containsExactly("c");
    assertThatThrownBy(
            () ->
                NetConfList.parsePlugin(
                    "{\"type\":\"c\",\"capabilities\":{\"x\":1}}".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("error parsing configuration: capabilities.x must be a boolean");
  }

  @Test
  void libcniErrors() {
    invalid(
        "{\"cniVersion\":\"1.0.0\",\"plugins\":[]}", "error parsing configuration list: no name");
    invalid("{\"name\":1}", "error parsing configuration list: invalid name type number");
    invalid(
        "{\"name\":\"n\",\"plugins\":[]}", "error parsing configuration list: no plugins in list");
    invalid(
        "{\"name\":\"n\",\"plugins\":{}}",
        "error parsing configuration list: invalid 'plugins' type object");
    invalid(
        "{\"name\":\"n\",\"loadOnlyInlinedPlugins\":true}",
        "error parsing configuration list: `loadOnlyInlinedPlugins` is true, and no 'plugins' key");
    invalid(
        "{\"name\":\"n\",\"plugins\":[{\"type\":\"a\"},{\"x\":1}]}",
        "failed to parse plugin config 1: error parsing configuration: missing 'type'");
    invalid(
        "{\"name\":\"n\",\"cniVersions\":\"1.0.0\"}",
        "error parsing configuration list: invalid type for cniVersions: string");
    assertThat(parse("{\"name\":\"n\"}").plugins()).isEmpty();
    assertThatThrownBy(() -> parse("{bad"))
        .isInstanceOfSatisfying(CniException.class, e -> assertThat(e.code()).isEqualTo(6));
  }
}
