package dev.jcni.spec.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.spec.CniException;
import dev.jcni.spec.NetConf;
import dev.jcni.spec.net.Cidr;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrictBindingTest {
  record Range(@Required Cidr subnet, String gateway) {}

  record Conf(
      @Required String bridge,
      Integer mtu,
      List<Range> ranges,
      Map<String, Object> extra,
      @JsonName("cni.dev/thing") String thing) {}

  static NetConf conf(String json) {
    return NetConf.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  static CniException error(String json) {
    return (CniException)
        org.assertj.core.api.Assertions.catchThrowable(() -> conf(json).bindStrict(Conf.class));
  }

  @Test
  void acceptsComponentsSpecKeysNamespacedKeysAndAnyKeysInMaps() {
    Conf c =
        conf("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"t\",\"ipam\":{},\"dns\":{},"
                + "\"runtimeConfig\":{},\"prevResult\":{},\"capabilities\":{},\"args\":{},\"ipMasq\":true,"
                + "\"cni.dev/valid-attachments\":[],\"Bridge\":\"br0\",\"mtu\":1400,"
                + "\"ranges\":[{\"subnet\":\"10.0.0.0/24\"}],\"extra\":{\"anything\":1},\"cni.dev/thing\":\"x\"}")
            .bindStrict(Conf.class);
    assertThat(c.bridge()).isEqualTo("br0"); // case-insensitive, as plain binding
    assertThat(c.ranges().get(0).subnet()).isEqualTo(Cidr.parse("10.0.0.0/24"));
    assertThat(c.thing()).isEqualTo("x");
  }

  @Test
  void unknownKeysAreCode7NamingTheKeyWithASuggestion() {
    CniException e = error("{\"name\":\"n\",\"bridge\":\"b\",\"mut\":1400}");
    assertThat(e.code()).isEqualTo(7);
    assertThat(e.msg()).isEqualTo("unknown key \"mut\" (did you mean \"mtu\"?)");
    e = error("{\"name\":\"n\",\"bridge\":\"b\",\"zzzzzzzz\":1}");
    assertThat(e.msg())
        .startsWith(
            "unknown key \"zzzzzzzz\" (known keys: bridge, mtu, ranges, extra, cni.dev/thing)");
    // nested records are checked with the path
    e =
        error(
            "{\"name\":\"n\",\"bridge\":\"b\",\"ranges\":[{\"subnet\":\"10.0.0.0/8\"},{\"subnet\":\"10.1.0.0/16\","
                + "\"gatway\":\"10.1.0.1\"}]}");
    assertThat(e.msg()).isEqualTo("unknown key \"ranges[1].gatway\" (did you mean \"gateway\"?)");
  }

  @Test
  void requiredComponentsMustBePresentAndNonEmpty() {
    assertThat(error("{\"name\":\"n\"}").msg()).isEqualTo("\"bridge\": required");
    assertThat(error("{\"name\":\"n\",\"bridge\":\"\"}").msg()).isEqualTo("\"bridge\": required");
    assertThat(error("{\"name\":\"n\",\"bridge\":null}").code()).isEqualTo(7);
    assertThat(error("{\"name\":\"n\",\"bridge\":\"b\",\"ranges\":[{}]}").msg())
        .isEqualTo("\"ranges[0].subnet\": required");
  }

  @Test
  void typeErrorsKeepTheBindersCodes() {
    assertThat(error("{\"name\":\"n\",\"bridge\":\"b\",\"mtu\":\"big\"}").code()).isEqualTo(6);
    assertThat(error("{\"name\":\"n\",\"bridge\":\"b\",\"ranges\":[{\"subnet\":\"nope\"}]}").code())
        .isEqualTo(7);
    // plain bind ignores both rules
    assertThat(conf("{\"name\":\"n\",\"mut\":1}").bind(Conf.class).bridge()).isNull();
    assertThatThrownBy(() -> StrictBinding.bind(Map.of("x", 1), Range.class, java.util.Set.of("x")))
        .hasMessage("\"subnet\": required");
  }
}
