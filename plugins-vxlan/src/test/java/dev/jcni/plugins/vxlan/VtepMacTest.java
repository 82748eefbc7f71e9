package dev.jcni.plugins.vxlan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.netlink.MacAddress;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VtepMacTest {

  @Test
  void embedsTheIpv4UnderlayAddress() {
    MacAddress m = VtepMac.forUnderlay(Peer.parseAddress("192.168.56.11", "k"));
    assertThat(m.toString()).isEqualTo("0e:76:c0:a8:38:0b");
    assertThat(MacAddress.parse(m.toString())).isEqualTo(m);
  }

  @Test
  void isLocallyAdministeredUnicastAndStable() {
    Set<MacAddress> seen = new HashSet<>();
    for (String ip :
        new String[] {"10.0.0.1", "10.0.0.2", "172.16.0.1", "fd00::1", "fd00::2", "2001:db8::7"}) {
      MacAddress m = VtepMac.forUnderlay(Peer.parseAddress(ip, "k"));
      int first = m.bytes()[0] & 0xff;
      assertThat(first & 0x01).as("unicast").isZero();
      assertThat(first & 0x02).as("locally administered").isEqualTo(2);
      assertThat(VtepMac.forUnderlay(Peer.parseAddress(ip, "k"))).isEqualTo(m);
      assertThat(seen.add(m)).as("distinct for " + ip).isTrue();
    }
  }
}
