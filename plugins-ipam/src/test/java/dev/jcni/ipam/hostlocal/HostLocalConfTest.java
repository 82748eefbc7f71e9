package dev.jcni.ipam.hostlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.spec.CniException;
import dev.jcni.spec.json.Json;
import dev.jcni.spec.net.Cidr;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Binding host-local's keys with the project's binder: Go's key matching and the same code-7
 * messages.
 */
class HostLocalConfTest {

  @Test
  void bindsEveryLevelWithGosKeyMatching() {
    HostLocalConfig c =
        HostLocalConfig.parse(
            Json.parseObject(
                "{\"cniVersion\":\"1.0.0\",\"Name\":\"jplnet\","
                    + "\"IPAM\":{\"type\":\"host-local\",\"DataDir\":\"/tmp/jpl-hl\",\"Ranges\":[[{\"Subnet\":\"10.9.0.0/24\","
                    + "\"RangeStart\":\"10.9.0.10\"}]],\"Routes\":[{\"Dst\":\"0.0.0.0/0\",\"MTU\":1400}]},"
                    + "\"Args\":{\"CNI\":{\"IPs\":[\"10.9.0.12\"]}},\"RuntimeConfig\":{\"IPs\":[\"10.9.0.13/24\"]}}"),
            null,
            true);
    assertThat(c.name()).isEqualTo("jplnet");
    assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/jpl-hl"));
    assertThat(c.rangeSets()).hasSize(1);
    assertThat(c.rangeSets().get(0).toString()).contains("10.9.0.10");
    assertThat(c.routes())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.dst()).isEqualTo(Cidr.parse("0.0.0.0/0"));
              assertThat(r.mtu()).isEqualTo(1400);
            });
    assertThat(c.requestedIps()).extracting(Addrs::text).containsExactly("10.9.0.12", "10.9.0.13");
  }

  @Test
  void wrongTypesAreConfigErrorsNamingTheKeyPath() {
    for (String[] t :
        List.of(
            new String[] {"\"ipam\":[]", "ipam: expected an object, got a list"},
            new String[] {
              "\"ipam\":{\"dataDir\":1,\"subnet\":\"10.9.0.0/24\"}",
              "ipam.dataDir: expected a string, got a number"
            },
            new String[] {
              "\"ipam\":{\"subnet\":\"10.9.0.0/24\",\"routes\":[{\"dst\":\"0.0.0.0/0\",\"mtu\":\"x\"}]}",
              "ipam.routes[0].mtu: expected an integer, got a string"
            },
            new String[] {
              "\"ipam\":{\"subnet\":\"10.9.0.0/24\"},\"args\":{\"cni\":true}",
              "args.cni: expected an object, got a boolean"
            },
            new String[] {
              "\"ipam\":{\"subnet\":\"10.9.0.0/24\"},\"runtimeConfig\":{\"ipRanges\":{}}",
              "runtimeConfig.ipRanges: expected a list, got an object"
            })) {
      assertThatThrownBy(
              () ->
                  HostLocalConfig.parse(
                      Json.parseObject("{\"cniVersion\":\"1.0.0\",\"name\":\"n\"," + t[0] + "}"),
                      null,
                      true))
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
