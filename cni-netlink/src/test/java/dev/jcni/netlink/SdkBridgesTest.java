package dev.jcni.netlink;

import dev.jcni.system.ErrnoException;
import dev.jcni.system.NetNs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.system.internal.nativ.Errno;
import dev.jcni.spec.CniException;
import dev.jcni.spec.net.Cidr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin-author bridges between netlink and cni-spec: IpNet/Cidr, errno to CNI code, DEL's netns open. */
class SdkBridgesTest {
  @Test
  void ipNetAndCidrConvertLosslesslyBothWays() {
    for (String s : List.of("10.1.2.3/24", "0.0.0.0/0", "255.255.255.255/32", "fd00:1::5/64", "::/0",
        "2001:db8::1/128", "10.0.0.0/8")) {
      Cidr c = Cidr.parse(s);
      IpNet n = IpNet.of(c);
      assertThat(n.toString()).isEqualTo(s);
      assertThat(n.prefixLength()).isEqualTo(c.prefixLength());
      assertThat(n.address()).isEqualTo(c.address()); // host bits kept
      assertThat(n.toCidr()).isEqualTo(c);
      assertThat(IpNet.of(n.toCidr())).isEqualTo(n);
    }
    // an IPv4-mapped literal is IPv4 on both sides
    assertThat(IpNet.of(Cidr.parse("::ffff:10.0.0.5/120")).isIpv4()).isTrue();
  }

  @Test
  void errnoToCniCodes() {
    assertThat(new ErrnoException(Errno.EBUSY, "linkDel", "x").cniCode()).isEqualTo(11);
    assertThat(new ErrnoException(Errno.EAGAIN, "linkAdd", "x").cniCode()).isEqualTo(11);
    assertThat(new ErrnoException(Errno.EINVAL, "linkSetMtu", "eth0").cniCode()).isEqualTo(7);
    assertThat(new ErrnoException(Errno.ERANGE, "linkSetMtu", "eth0").cniCode()).isEqualTo(7);
    assertThat(new ErrnoException(Errno.ENETUNREACH, "routeAdd", "0.0.0.0/0").cniCode()).isEqualTo(7);
    assertThat(new ErrnoException(Errno.EOPNOTSUPP, "linkAdd", "vx").cniCode()).isEqualTo(2);
    assertThat(new ErrnoException(Errno.ENOENT, "netnsOpen", "/run/netns/x").cniCode()).isEqualTo(3);
    assertThat(new ErrnoException(Errno.ENODEV, "linkSetUp", "eth9").cniCode()).isEqualTo(999);
    assertThat(new ErrnoException(Errno.ENOSPC, "x", "y").cniCode()).isEqualTo(5);
    assertThat(new ErrnoException(Errno.EEXIST, "linkAdd", "br0").cniCode()).isEqualTo(999);
    CniException e = new ErrnoException(Errno.EPERM, "linkAdd", "br0").toCniException("creating the bridge");
    assertThat(e.code()).isEqualTo(999);
    assertThat(e.msg()).isEqualTo("creating the bridge: linkAdd br0: Operation not permitted (EPERM) "
        + "(needs CAP_NET_ADMIN in the node's network namespace: run the plugin as root)");
    assertThat(new ErrnoException(Errno.EINVAL, "addrAdd", "eth0").toCniException(null).msg())
        .isEqualTo("addrAdd eth0: Invalid argument (EINVAL)");
  }

  @Test
  void openIfPresentTreatsMissingAndStaleAsGone(@TempDir Path tmp) throws Exception {
    assertThat(NetNs.openIfPresent(null)).isEmpty();
    assertThat(NetNs.openIfPresent("")).isEmpty();
    assertThat(NetNs.openIfPresent(tmp.resolve("gone").toString())).isEmpty();
    Path plain = Files.writeString(tmp.resolve("unmounted"), ""); // what a taken-down bind mount leaves
    assertThat(NetNs.openIfPresent(plain.toString())).isEmpty();
    Optional<NetNs> self = NetNs.openIfPresent("/proc/self/ns/net");
    assertThat(self).isPresent();
    self.get().close();
  }
}
