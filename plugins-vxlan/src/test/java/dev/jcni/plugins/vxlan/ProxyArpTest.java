package dev.jcni.plugins.vxlan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.spec.Result;
import dev.jcni.spec.net.Cidr;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyArpTest {
  static final Cidr NODE = Ipv4Subnets.parse("10.40.1.0/24", "k");

  static List<Result.IpConfig> ips(String... a) {
    return java.util.Arrays.stream(a).map(x -> Result.IpConfig.parse(0, x, null)).toList();
  }

  @Test
  void onlyWhenThePodPrefixCoversMoreThanTheNodeSubnet() {
    assertThat(ProxyArp.needed(NODE, ips("10.40.1.2/16"))).as("tutorial layout").isTrue();
    assertThat(ProxyArp.needed(NODE, ips("10.40.1.2/24"))).as("flannel layout").isFalse();
    assertThat(ProxyArp.needed(NODE, ips("10.40.1.2/26"))).isFalse();
    assertThat(ProxyArp.needed(NODE, ips("fd00::2/64", "10.50.0.2/16")))
        .as("other prefix")
        .isFalse();
    assertThat(ProxyArp.needed(NODE, ips())).isFalse();
  }
}
