package dev.jcni.plugins.vxlan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.spec.CniException;
import dev.jcni.spec.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Binding the vxlan keys with the project's binder: Go's key matching, and the plugin's own type
 * errors.
 */
class VxlanConfTest {

  @Test
  void keysMatchExactlyElseCaseInsensitivelyAndUnknownKeysAreIgnored() {
    Map<String, Object> raw =
        Json.parseObject(
            "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"vxlan\","
                + "\"VNI\":42,\"Port\":8472,\"underlayinterface\":\"eth0\",\"nodeSubnet\":\"10.244.1.0/24\","
                + "\"vtepName\":\"vx42\",\"VtepName\":\"other\",\"peers\":[{\"underlayIP\":\"192.0.2.2\","
                + "\"podSubnet\":\"10.244.2.0/24\"}],\"somethingElse\":true}");
    VxlanConf bound = VxlanConf.bind(raw);
    assertThat(bound.vni()).isEqualTo(42L);
    assertThat(bound.vtepName()).isEqualTo("vx42");
    assertThat(bound.mtu()).isNull();
    VxlanConfig c = VxlanConfig.from(bound);
    assertThat(c.vni()).isEqualTo(42);
    assertThat(c.port()).isEqualTo(8472);
    assertThat(c.underlayInterface()).isEqualTo("eth0");
    assertThat(c.vtepName()).isEqualTo("vx42");
    assertThat(c.peers()).hasSize(1);
  }

  @Test
  void wrongTypesAreConfigErrorsInThePluginsWords() {
    for (Object[] t :
        List.of(
            new Object[] {"\"vni\":\"7\"", "vni: must be an integer, got 7"},
            new Object[] {"\"vni\":1.5", "vni: must be an integer, got 1.5"},
            new Object[] {"\"port\":70000", "port: 70000 is out of range 1..65535"},
            new Object[] {"\"vtepName\":5", "vtepName: must be a string"},
            new Object[] {"\"mtu\":true", "mtu: must be an integer, got true"})) {
      Map<String, Object> raw =
          Json.parseObject(
              "{\"underlayInterface\":\"eth0\",\"nodeSubnet\":\"10.244.1.0/24\"," + t[0] + "}");
      assertThatThrownBy(() -> VxlanConfig.from(VxlanConf.bind(raw)))
          .as((String) t[0])
          .isInstanceOfSatisfying(
              CniException.class,
              e -> {
                assertThat(e.code()).isEqualTo(7);
                assertThat(e.msg()).isEqualTo(t[1]);
              });
    }
  }
}
