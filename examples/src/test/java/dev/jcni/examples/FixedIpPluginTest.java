package dev.jcni.examples;

import static dev.jcni.testkit.CniAssertions.assertThat;

import dev.jcni.testkit.CniRunner;
import dev.jcni.testkit.Conf;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FixedIpPluginTest {
  @Test
  void returnsTheConfiguredAddress() {
    String c =
        Conf.plugin("x")
            .version("1.0.0")
            .name("n")
            .put(
                "ipam", Map.of("type", "fixed-ip", "address", "10.1.2.3/24", "gateway", "10.1.2.1"))
            .json();
    assertThat(CniRunner.of(new FixedIpPlugin()).add(c))
        .result()
        .hasCniVersion("1.0.0")
        .hasIp("10.1.2.3/24")
        .hasGateway("10.1.2.1");
  }

  @Test
  void missingAddressIsCode7() {
    String c = Conf.plugin("x").version("1.0.0").name("n").json();
    assertThat(CniRunner.of(new FixedIpPlugin()).add(c))
        .failedWith(7)
        .hasMessageContaining("ipam.address is required");
  }
}
