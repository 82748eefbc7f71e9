package dev.jcni.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.spec.CniException;
import dev.jcni.spec.net.Cidr;
import dev.jcni.spec.net.InetAddresses;
import dev.jcni.system.ErrnoException;
import dev.jcni.system.internal.nativ.Errno;
import org.junit.jupiter.api.Test;

/** Pure value types: no root, no kernel. */
class ValueTypesTest {

  @Test
  void addressesAndRoutesAreCniSpecCidrs() {
    Cidr n = Cidr.parse("10.1.2.3/24");
    assertThat(Address.of(n).net()).isSameAs(n);
    assertThat(Address.of("10.1.2.3/24").net()).isEqualTo(n);
    assertThat(InetAddresses.format(n.lastAddress())).isEqualTo("10.1.2.255");
    assertThat(Route.builder().dst("2001:db8:0:0:1:0:0:1/128").build().dst())
        .hasToString("2001:db8::1:0:0:1/128");
    assertThat(
            Route.builder().dst(Cidr.ofHost(InetAddresses.parse("::ffff:10.0.0.1"))).build().dst())
        .hasToString("10.0.0.1/32"); // an IPv4-mapped address is IPv4
    assertThat(InetAddresses.format(InetAddresses.parse("fe80::1"))).isEqualTo("fe80::1");
    assertThat(InetAddresses.format(InetAddresses.parse("::"))).isEqualTo("::");
    // text goes through cni-spec's Go rules: a bare address is not a CIDR, a bad one is config
    // error 7
    for (String bad :
        new String[] {
          "10.0.0.1",
          "localhost",
          "10.0.0.256/8",
          "1::2::3/64",
          "10.0.0.1/33",
          "fd00::/129",
          "",
          "g::1/64",
          "10.0.0.1/x",
          "fe80::1%eth0/64"
        }) {
      assertThatThrownBy(() -> Address.of(bad))
          .as(bad)
          .isInstanceOfSatisfying(CniException.class, e -> assertThat(e.code()).isEqualTo(7));
      assertThatThrownBy(() -> Route.builder().dst(bad)).as(bad).isInstanceOf(CniException.class);
    }
    assertThatThrownBy(() -> Route.builder().gateway("10.0.0.256"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void macAddress() {
    MacAddress m = MacAddress.parse("02:AB:cd:00:00:01");
    assertThat(m).hasToString("02:ab:cd:00:00:01");
    assertThat(m).isEqualTo(MacAddress.of(m.bytes()));
    assertThat(MacAddress.parse("00:00:00:00:00:00").isZero()).isTrue();
    assertThatThrownBy(() -> MacAddress.parse("zz:00:00:00:00:00"))
        .isInstanceOf(IllegalArgumentException.class);
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
    assertThat(
            new ErrnoException(101, "routeAdd", "10.0.0.0/8", "Nexthop has invalid gateway", null))
        .hasMessage(
            "routeAdd 10.0.0.0/8: Network is unreachable (ENETUNREACH): Nexthop has invalid gateway");
  }

  @Test
  void routeBuilderInfersFamily() {
    assertThat(Route.builder().dst("fd00::/8").build().family()).isEqualTo(Family.V6);
    assertThat(Route.builder().gateway("10.0.0.1").build().family()).isEqualTo(Family.V4);
    assertThat(Route.builder().gateway("10.0.0.1").build().isDefault()).isTrue();
    assertThatThrownBy(() -> Route.builder().oif(3).build())
        .isInstanceOf(IllegalArgumentException.class);
  }
}
