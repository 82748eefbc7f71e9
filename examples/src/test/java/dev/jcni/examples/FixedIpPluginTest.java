package dev.jcni.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FixedIpPluginTest {
  @Test
  void returnsTheConfiguredAddress() {
    String c = "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"ipam\":{\"type\":\"fixed-ip\",\"address\":\"10.1.2.3/24\"}}";
    Run r = Run.call(new FixedIpPlugin(), Run.env("ADD", "c1", "eth0"), c);
    assertThat(r.exit()).as(r.stdout()).isZero();
    assertThat(r.stdout()).contains("\"address\":\"10.1.2.3/24\"");
  }

  @Test
  void missingAddressIsCode7() {
    Run r = Run.call(new FixedIpPlugin(), Run.env("ADD", "c1", "eth0"), "{\"cniVersion\":\"1.0.0\",\"name\":\"n\"}");
    assertThat(r.json()).containsEntry("code", 7L).containsEntry("msg", "ipam.address is required");
  }
}
