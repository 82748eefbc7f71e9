package dev.jcni.plugins.meta.tuning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jcni.spec.CniException;
import org.junit.jupiter.api.Test;

/**
 * Key → /proc/sys path, and everything that could leave {@code net/} refused with code 7 naming the
 * key.
 */
class SysctlKeysTest {

  @Test
  void dotsBecomeSlashesAndIfnameIsSubstitutedAfterwards() {
    assertThat(SysctlKeys.resolve("net.core.somaxconn", "eth0")).isEqualTo("net/core/somaxconn");
    assertThat(SysctlKeys.resolve("net.ipv4.conf.IFNAME.arp_notify", "eth0.100"))
        .isEqualTo("net/ipv4/conf/eth0.100/arp_notify");
    // only the first IFNAME, as in Go
    assertThat(SysctlKeys.resolve("net.ipv6.conf.IFNAME.IFNAME", "e1"))
        .isEqualTo("net/ipv6/conf/e1/IFNAME");
    // slash form keeps dots (sysctl(8)'s convention): a dotted interface name written out
    assertThat(SysctlKeys.resolve("net/ipv4/conf/eth0.100/rp_filter", "eth0"))
        .isEqualTo("net/ipv4/conf/eth0.100/rp_filter");
  }

  private static String refused(String key, String ifname) {
    CniException e =
        catchThrowableOfType(CniException.class, () -> SysctlKeys.resolve(key, ifname));
    assertThat(e).as(key).isNotNull();
    assertThat(e.code()).isEqualTo(7);
    assertThat(e.msg()).startsWith("sysctl \"" + key + "\": ");
    return e.msg();
  }

  @Test
  void keysOutsideNetAndPathTricksAreRefused() {
    assertThat(refused("kernel.shmmax", "eth0")).contains("only keys under net. are allowed");
    assertThat(refused("vm.swappiness", "eth0")).contains("under net.");
    assertThat(refused("net/../kernel/shmmax", "eth0")).contains("plain name");
    assertThat(refused("net/ipv4/../../kernel/x", "eth0")).contains("plain name");
    assertThat(refused("net..ipv4.ip_forward", "eth0")).contains("plain name");
    assertThat(refused("/net/ipv4/ip_forward", "eth0")).contains("plain name");
    assertThat(refused("net/ipv4/ip_forward/", "eth0")).contains("plain name");
    assertThat(refused("net.ipv4.conf.eth0 .x", "eth0")).contains("only letters");
    assertThat(refused("net.ipv4.conf.*.x", "eth0")).contains("only letters");
    assertThat(refused("net\0.x.y", "eth0")).contains("only letters");
    assertThat(refused("", "eth0")).contains("empty");
    assertThat(refused("net", "eth0")).contains("not a sysctl");
    assertThat(refused("net.core", "eth0")).contains("not a sysctl");
    // the check runs after IFNAME is substituted: an interface name cannot carry a key out of net/
    assertThat(refused("IFNAME.ipv4.x", "kernel")).contains("under net.");
  }
}
