package dev.jcni.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.spec.CniException;
import dev.jcni.spec.json.Json;
import dev.jcni.spec.net.Cidr;
import dev.jcni.system.ErrnoException;
import dev.jcni.system.NetNs;
import dev.jcni.system.internal.nativ.Errno;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin-author bridges between netlink and cni-spec: one Cidr type, errno to CNI code, DEL's
 * netns open.
 */
class SdkBridgesTest {
  @Test
  void configCidrsGoToNetlinkAndBackUnchanged() {
    // one type from config binding to netlink: what a plugin binds is what it adds, and what
    // netlink reports
    // compares equal to it (host bits kept)
    for (String s :
        List.of(
            "10.1.2.3/24",
            "0.0.0.0/0",
            "255.255.255.255/32",
            "fd00:1::5/64",
            "::/0",
            "2001:db8::1/128",
            "10.0.0.0/8")) {
      Cidr c = Json.bind(Json.parseObject("{\"subnet\":\"" + s + "\"}"), Conf.class).subnet();
      assertThat(Address.of(c).net()).isEqualTo(c).hasToString(s);
      assertThat(Route.builder().dst(c).build().dst()).isEqualTo(c);
      assertThat(Address.of(c).family()).isEqualTo(c.isIpv4() ? Family.V4 : Family.V6);
    }
  }

  record Conf(Cidr subnet) {}

  @Test
  void errnoToCniCodes() {
    assertThat(new ErrnoException(Errno.EBUSY, "linkDel", "x").cniCode()).isEqualTo(11);
    assertThat(new ErrnoException(Errno.EAGAIN, "linkAdd", "x").cniCode()).isEqualTo(11);
    assertThat(new ErrnoException(Errno.EINVAL, "linkSetMtu", "eth0").cniCode()).isEqualTo(7);
    assertThat(new ErrnoException(Errno.ERANGE, "linkSetMtu", "eth0").cniCode()).isEqualTo(7);
    assertThat(new ErrnoException(Errno.ENETUNREACH, "routeAdd", "0.0.0.0/0").cniCode())
        .isEqualTo(7);
    assertThat(new ErrnoException(Errno.EOPNOTSUPP, "linkAdd", "vx").cniCode()).isEqualTo(2);
    assertThat(new ErrnoException(Errno.ENOENT, "netnsOpen", "/run/netns/x").cniCode())
        .isEqualTo(3);
    assertThat(new ErrnoException(Errno.ENODEV, "linkSetUp", "eth9").cniCode()).isEqualTo(999);
    assertThat(new ErrnoException(Errno.ENOSPC, "x", "y").cniCode()).isEqualTo(5);
    assertThat(new ErrnoException(Errno.EEXIST, "linkAdd", "br0").cniCode()).isEqualTo(999);
    CniException e =
        new ErrnoException(Errno.EPERM, "linkAdd", "br0").toCniException("creating the bridge");
    assertThat(e.code()).isEqualTo(999);
    assertThat(e.msg())
        .isEqualTo(
            "creating the bridge: linkAdd br0: Operation not permitted (EPERM) "
                + "(needs CAP_NET_ADMIN in the node's network namespace: run the plugin as root)");
    assertThat(new ErrnoException(Errno.EINVAL, "addrAdd", "eth0").toCniException(null).msg())
        .isEqualTo("addrAdd eth0: Invalid argument (EINVAL)");
  }

  @Test
  void openIfPresentTreatsMissingAndStaleAsGone(@TempDir Path tmp) throws Exception {
    assertThat(NetNs.openIfPresent(null)).isEmpty();
    assertThat(NetNs.openIfPresent("")).isEmpty();
    assertThat(NetNs.openIfPresent(tmp.resolve("gone").toString())).isEmpty();
    Path plain =
        Files.writeString(tmp.resolve("unmounted"), ""); // what a taken-down bind mount leaves
    assertThat(NetNs.openIfPresent(plain.toString())).isEmpty();
    Optional<NetNs> self = NetNs.openIfPresent("/proc/self/ns/net");
    assertThat(self).isPresent();
    self.get().close();
  }
}
