package dev.jcni.plugins.meta.tuning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jcni.spec.CniException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's sysctl allowlist (later Go releases): absent means no restriction; present means match
 * one line.
 */
class AllowlistTest {
  @TempDir Path dir;

  @Test
  void absentFileAllowsEverything() {
    assertThatCode(() -> Allowlist.check(dir.resolve("none.conf"), List.of("net.core.somaxconn")))
        .doesNotThrowAnyException();
  }

  @Test
  void keysMustMatchALine() throws Exception {
    Path f = dir.resolve("allowlist.conf");
    Files.writeString(
        f, "^net\\.ipv4\\.conf\\.IFNAME\\.[a-z_]*$\n\n  ^net\\.core\\.somaxconn$  \n");
    assertThatCode(
            () ->
                Allowlist.check(
                    f, List.of("net.core.somaxconn", "net.ipv4.conf.IFNAME.arp_notify")))
        .doesNotThrowAnyException();
    CniException e =
        catchThrowableOfType(
            CniException.class,
            () -> Allowlist.check(f, List.of("net.core.somaxconn", "net.ipv4.ip_forward")));
    assertThat(e.code()).isEqualTo(7);
    assertThat(e.msg())
        .startsWith("sysctl \"net.ipv4.ip_forward\": Sysctl net.ipv4.ip_forward is not allowed.");
  }
}
