package dev.jcni.plugins.meta.portmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.plugins.common.firewall.Backend;
import dev.jcni.spec.CniException;
import dev.jcni.spec.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Binding portmap's keys with the project's binder: Go's key matching, and portmap's own code-7
 * errors.
 */
class PortMapConfTest {

  @Test
  void bindsTopLevelAndMappingKeysAsGoDoes() {
    PortMapConf bound =
        PortMapConf.bind(
            Json.parseObject(
                "{\"name\":\"n\",\"type\":\"portmap\",\"SNAT\":false,"
                    + "\"backend\":\"nftables\",\"runtimeConfig\":{\"PortMappings\":[{\"HostPort\":8080,\"containerPort\":80,"
                    + "\"protocol\":\"UDP\",\"hostIP\":\"0.0.0.0\"}]},\"other\":1}"));
    assertThat(bound.snat()).isEqualTo(false);
    PortMapConfig c = PortMapConfig.from(bound);
    assertThat(c.snat()).isFalse();
    assertThat(c.backend()).isEqualTo(Backend.NFTABLES);
    assertThat(c.markMasqBit()).isEqualTo(PortMapConfig.DEFAULT_MARK_BIT);
    assertThat(c.mappings()).containsExactly(new PortMapping(8080, 80, "udp", null));
  }

  @Test
  void wrongTypesAreConfigErrorsNamingTheKeyPath() {
    for (String[] t :
        List.of(
            new String[] {"\"snat\":\"yes\"", "snat: must be a boolean"},
            new String[] {"\"markMasqBit\":\"13\"", "markMasqBit: must be an integer"},
            new String[] {"\"backend\":1", "backend: must be a string"},
            new String[] {
              "\"conditionsV4\":\"-s 1.2.3.4\"", "conditionsV4: must be an array of strings"
            },
            new String[] {"\"runtimeConfig\":[]", "runtimeConfig: must be an object"},
            new String[] {
              "\"runtimeConfig\":{\"portMappings\":{}}",
              "runtimeConfig.portMappings: must be an array"
            },
            new String[] {
              "\"runtimeConfig\":{\"portMappings\":[1]}",
              "runtimeConfig.portMappings[0]: must be an object"
            },
            new String[] {
              "\"runtimeConfig\":{\"portMappings\":[{\"containerPort\":80}]}",
              "runtimeConfig.portMappings[0].hostPort: is required"
            },
            new String[] {
              "\"runtimeConfig\":{\"portMappings\":[{\"hostPort\":8080,\"containerPort\":80,"
                  + "\"protocol\":5}]}",
              "runtimeConfig.portMappings[0].protocol: must be a string"
            })) {
      assertThatThrownBy(
              () -> PortMapConfig.parse(Json.parseObject("{\"name\":\"n\"," + t[0] + "}")))
          .as(t[0])
          .isInstanceOfSatisfying(
              CniException.class,
              e -> {
                assertThat(e.code()).isEqualTo(7);
                assertThat(e.msg()).isEqualTo(t[1]);
              });
    }
  }
}
