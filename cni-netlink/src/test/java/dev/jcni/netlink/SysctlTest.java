package dev.jcni.netlink;

import static dev.jcni.netlink.TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcni.system.ErrnoException;
import dev.jcni.system.NetNs;
import dev.jcni.system.Sysctl;
import org.junit.jupiter.api.Test;

/** Sysctl writes land in the target namespace only. */
class SysctlTest {

  @Test
  void keyToPath() {
    assertThat(Sysctl.path("net.ipv4.ip_forward")).hasToString("/proc/sys/net/ipv4/ip_forward");
    assertThat(Sysctl.path("net/ipv4/conf/eth0.100/rp_filter"))
        .hasToString("/proc/sys/net/ipv4/conf/eth0.100/rp_filter");
    assertThatThrownBy(() -> Sysctl.path("net/../../etc/passwd"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void setInsideNamespaceLeavesHostAlone() {
    assumeTrue(isRoot(), "needs root: creates network namespaces");
    String name = uniqueName("sc");
    String hostForward = Sysctl.get("net.ipv4.ip_forward");
    try (NetNs ns = NetNs.create(name);
        Netlink nl = Netlink.openAt(ns)) {
      assertThat(Sysctl.get(ns, "net.ipv4.ip_forward")).isEqualTo("0");
      Sysctl.enableIpForward(ns, true, true);
      assertThat(Sysctl.get(ns, "net.ipv4.ip_forward")).isEqualTo("1");
      assertThat(sh("ip", "netns", "exec", name, "cat", "/proc/sys/net/ipv4/ip_forward").trim())
          .isEqualTo("1");
      assertThat(
              sh("ip", "netns", "exec", name, "cat", "/proc/sys/net/ipv6/conf/all/forwarding")
                  .trim())
          .isEqualTo("1");
      assertThat(Sysctl.get("net.ipv4.ip_forward")).isEqualTo(hostForward);

      nl.linkAddVeth("s0", "s1", null, 0);
      Sysctl.setAcceptDad(ns, "s0", 0);
      Sysctl.setRouteLocalnet(ns, "s0", true);
      Sysctl.setArpNotify(ns, "s0", true);
      Sysctl.setAcceptRa(ns, "s0", 0);
      Sysctl.setDisableIpv6(ns, "s1", true);
      assertThat(Sysctl.get(ns, "net/ipv6/conf/s0/accept_dad")).isEqualTo("0");
      assertThat(Sysctl.get(ns, "net/ipv4/conf/s0/route_localnet")).isEqualTo("1");
      assertThat(Sysctl.get(ns, "net/ipv4/conf/s0/arp_notify")).isEqualTo("1");
      assertThat(Sysctl.get(ns, "net/ipv6/conf/s0/accept_ra")).isEqualTo("0");
      assertThat(Sysctl.get(ns, "net/ipv6/conf/s1/disable_ipv6")).isEqualTo("1");
      // multi-digit and multi-value keys read whole (an int sysctl read at offset 1 is EOF)
      Sysctl.set(ns, "net.core.somaxconn", "1000");
      assertThat(Sysctl.get(ns, "net.core.somaxconn")).isEqualTo("1000");
      Sysctl.set(ns, "net.ipv4.tcp_rmem", "4096 87380 6291456");
      assertThat(Sysctl.get(ns, "net.ipv4.tcp_rmem")).isEqualTo("4096\t87380\t6291456");
      assertThat(Sysctl.get(ns, "net.ipv4.tcp_rmem"))
          .isEqualTo(sh("ip", "netns", "exec", name, "cat", "/proc/sys/net/ipv4/tcp_rmem").trim());
      assertThatThrownBy(() -> Sysctl.get(ns, "net/ipv4/conf/nosuchdev/arp_notify"))
          .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.isNotFound()).isTrue());
    } finally {
      deleteQuietly(name);
    }
  }
}
