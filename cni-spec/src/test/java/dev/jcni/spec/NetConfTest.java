package dev.jcni.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.spec.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetConfTest {
  // a config as libcni sends it to portmap, with containerd's capitalised portMappings keys
  static final String PORTMAP =
      "{\n  \"cniVersion\": \"1.0.0\",\n  \"name\": \"k8s-pod-network\",\n"
          + "  \"type\": \"portmap\", \"snat\": true,\n  \"capabilities\": {\"portMappings\": true},\n"
          + "  \"runtimeConfig\": {\"portMappings\": [{\"HostPort\": 8080, \"ContainerPort\": 80, \"Protocol\": \"tcp\","
          + " \"HostIP\": \"\"}]},\n  \"prevResult\": {\"cniVersion\": \"1.0.0\", \"ips\": [{\"address\": \"10.1.0.5/24\"}],"
          + " \"dns\": {}},\n  \"x-custom\": {\"keep\": [1, 2]}\n}";

  @Test
  void keepsExactBytesAndEveryKey() {
    byte[] in = PORTMAP.getBytes(StandardCharsets.UTF_8);
    NetConf c = NetConf.parse(in);
    assertThat(c.bytes()).isEqualTo(in);
    assertThat(c.raw().keySet())
        .containsExactly(
            "cniVersion",
            "name",
            "type",
            "snat",
            "capabilities",
            "runtimeConfig",
            "prevResult",
            "x-custom");
    assertThat(c.raw().get("x-custom")).isEqualTo(Map.of("keep", List.of(1L, 2L)));
    assertThatThrownBy(() -> c.raw().put("a", 1)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void wellKnownKeys() {
    NetConf c = NetConf.parse(PORTMAP.getBytes(StandardCharsets.UTF_8));
    assertThat(c.cniVersionString()).isEqualTo("1.0.0");
    assertThat(c.cniVersion()).isEqualTo(CniVersion.V1_0_0);
    assertThat(c.name()).isEqualTo("k8s-pod-network");
    assertThat(c.type()).isEqualTo("portmap");
    assertThat(c.capabilities()).containsEntry("portMappings", true);
    assertThat(c.hasCapability("portMappings")).isTrue();
    assertThat(c.hasCapability("bandwidth")).isFalse();
    assertThat(c.runtimeConfig()).containsKey("portMappings");
    assertThat(c.args()).isEmpty();
    assertThat(c.ipMasq()).isFalse();
    assertThat(c.ipam()).isEmpty();
    assertThat(c.ipamType()).isNull();
    assertThat(c.dns()).isNull();
    assertThat(c.prevResultRaw()).containsEntry("cniVersion", "1.0.0");
    assertThat(c.hasPrevResult()).isTrue();
  }

  @Test
  void ipamDnsAndDefaults() {
    NetConf c =
        NetConf.parse(
            ("{\"name\":\"n\",\"type\":\"bridge\",\"ipMasq\":true,\"IPAM\":{\"type\":\"host-local\","
                    + "\"subnet\":\"10.1.0.0/16\"},\"dns\":{\"nameservers\":[\"10.96.0.10\"],\"search\":[\"svc\"]},"
                    + "\"args\":{\"cni\":{\"ips\":[\"10.1.0.9\"]}}}")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(c.cniVersionString()).isEmpty();
    assertThat(c.cniVersion()).isEqualTo(CniVersion.V0_1_0);
    assertThat(c.ipMasq()).isTrue();
    assertThat(c.ipamType()).isEqualTo("host-local");
    assertThat(c.ipam()).containsEntry("subnet", "10.1.0.0/16");
    assertThat(c.dns().nameservers()).containsExactly("10.96.0.10");
    assertThat(c.dns().search()).containsExactly("svc");
    assertThat(c.dns().domain()).isNull();
    assertThat(c.args()).containsKey("cni");
    assertThat(c.capabilities()).isEmpty();
    assertThat(c.prevResultRaw()).isNull();
  }

  @Test
  void wrongTypesNameTheKey() {
    NetConf c =
        NetConf.parse(
            "{\"cniVersion\":1,\"ipMasq\":\"yes\",\"ipam\":[],\"capabilities\":{\"a\":1}}"
                .getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(c::cniVersionString)
        .hasMessageStartingWith("\"cniVersion\": expected a string");
    assertThatThrownBy(c::ipMasq).hasMessageStartingWith("\"ipMasq\": expected true or false");
    assertThatThrownBy(c::ipam).hasMessageStartingWith("\"ipam\": expected an object");
    assertThatThrownBy(c::capabilities)
        .hasMessageStartingWith("\"capabilities.a\": expected true or false");
    assertThatThrownBy(() -> NetConf.parse("[]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(CniException.class, e -> assertThat(e.code()).isEqualTo(6));
    assertThatThrownBy(() -> NetConf.parse("{".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(CniException.class, e -> assertThat(e.code()).isEqualTo(6));
  }

  @Test
  void injectedCniVersionKeyIsRead() {
    NetConf c =
        NetConf.parse("{\"CNIVersion\":\"0.4.0\",\"name\":\"n\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(c.cniVersion()).isEqualTo(CniVersion.V0_4_0);
  }

  record Bridge(
      String name, String bridge, Integer mtu, boolean isGateway, Map<String, Object> ipam) {}

  @Test
  void bindAndWith() {
    NetConf c =
        NetConf.parse(
            ("{\"cniVersion\":\"1.1.0\",\"name\":\"n\",\"type\":\"bridge\",\"bridge\":\"cni0\","
                    + "\"MTU\":1450,\"isGateway\":true,\"ipam\":{\"type\":\"host-local\"}}")
                .getBytes(StandardCharsets.UTF_8));
    Bridge b = c.bind(Bridge.class);
    assertThat(b).isEqualTo(new Bridge("n", "cni0", 1450, true, Map.of("type", "host-local")));
    NetConf d = c.with("name", "other").with("bridge", null).with("extra", List.of(1L));
    assertThat(d.raw().keySet())
        .containsExactly("cniVersion", "name", "type", "MTU", "isGateway", "ipam", "extra");
    assertThat(d.name()).isEqualTo("other");
    assertThat(Json.parse(d.bytes())).isEqualTo(d.raw());
    assertThat(c.name()).isEqualTo("n"); // the original is unchanged
    assertThat(NetConf.of(c.raw()).bytes()).isEqualTo(Json.write(c.raw()));
  }
}
