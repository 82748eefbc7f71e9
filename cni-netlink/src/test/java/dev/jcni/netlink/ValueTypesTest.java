package dev.jcni.netlink;

import dev.jcni.system.ErrnoException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.system.internal.nativ.Errno;
import org.junit.jupiter.api.Test;

/** Pure value types: no root, no kernel. */
class ValueTypesTest {

  @Test
  void ipNetParsesLiteralsOnly() {
    IpNet n = IpNet.parse("10.1.2.3/24");
    assertThat(n.prefixLength()).isEqualTo(24);
    assertThat(n.network()).hasToString("10.1.2.0/24");
    assertThat(IpNet.format(n.lastAddress())).isEqualTo("10.1.2.255");
    assertThat(n.contains(IpNet.parseAddress("10.1.2.200"))).isTrue();
    assertThat(n.contains(IpNet.parseAddress("10.1.3.1"))).isFalse();
    assertThat(IpNet.parse("fd00::1/64").network()).hasToString("fd00::/64");
    assertThat(IpNet.parse("2001:db8:0:0:1:0:0:1/128")).hasToString("2001:db8::1:0:0:1/128");
    assertThat(IpNet.parse("::ffff:10.0.0.1").address().getAddress()).hasSize(4); // JDK maps v4-mapped to v4
    assertThat(IpNet.parse("10.0.0.1")).hasToString("10.0.0.1/32");
    assertThat(IpNet.format(IpNet.parseAddress("fe80::1"))).isEqualTo("fe80::1");
    assertThat(IpNet.format(IpNet.parseAddress("::"))).isEqualTo("::");
    for (String bad : new String[] {"localhost", "10.0.0.256", "10.0.0", "1::2::3", "10.0.0.1/33", "fd00::/129",
        "", "g::1", "10.0.0.1/x"}) {
      assertThatThrownBy(() -> IpNet.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void macAddress() {
    MacAddress m = MacAddress.parse("02:AB:cd:00:00:01");
    assertThat(m).hasToString("02:ab:cd:00:00:01");
    assertThat(m).isEqualTo(MacAddress.of(m.bytes()));
    assertThat(MacAddress.parse("00:00:00:00:00:00").isZero()).isTrue();
    assertThatThrownBy(() -> MacAddress.parse("zz:00:00:00:00:00")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void exceptionMessageAndPredicates() {
    ErrnoException e = new ErrnoException(Errno.EEXIST, "linkAdd", "veth0");
    assertThat(e).hasMessage("linkAdd veth0: File exists (EEXIST)");
    assertThat(e.isExists()).isTrue();
    assertThat(e.isNotFound()).isFalse();
    assertThat(new ErrnoException(Errno.ENODEV, "linkGet", "x").isNotFound()).isTrue();
    assertThat(new ErrnoException(Errno.ESRCH, "routeDel", "x").isNotFound()).isTrue();
    assertThat(new ErrnoException(Errno.EBUSY, "netnsDelete", "x").isBusy()).isTrue();
    assertThat(new ErrnoException(Errno.EPERM, "linkAdd", "x").isPermission()).isTrue();
    assertThat(new ErrnoException(101, "routeAdd", "10.0.0.0/8", "Nexthop has invalid gateway", null))
        .hasMessage("routeAdd 10.0.0.0/8: Network is unreachable (ENETUNREACH): Nexthop has invalid gateway");
  }

  @Test
  void routeBuilderInfersFamily() {
    assertThat(Route.builder().dst("fd00::/8").build().family()).isEqualTo(Family.V6);
    assertThat(Route.builder().gateway("10.0.0.1").build().family()).isEqualTo(Family.V4);
    assertThat(Route.builder().gateway("10.0.0.1").build().isDefault()).isTrue();
    assertThatThrownBy(() -> Route.builder().oif(3).build()).isInstanceOf(IllegalArgumentException.class);
  }
}
