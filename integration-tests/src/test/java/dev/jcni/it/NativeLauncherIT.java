package dev.jcni.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native path of the launchers: jffi's JNI library comes from {@code lib/native/} (nothing
 * unpacked to a temp dir per call), host-local's flock and loopback's netlink work through the
 * default (jffi) backend, and every backend can still be chosen with {@code
 * JCNI_JAVA_OPTS=-Djcni.native=...}.
 */
class NativeLauncherIT {
  @TempDir Path tmp;

  @BeforeAll
  static void locate() {
    DistIT.locate();
  }

  private static boolean jffiLibShipped() {
    return Files.isRegularFile(DistIT.dist.resolve("lib/native/libjffi-1.2.so"));
  }

  @Test
  void jffiLibraryIsShippedForThisArchitecture() {
    String arch = System.getProperty("os.arch");
    Assumptions.assumeTrue(
        List.of("amd64", "x86_64", "aarch64").contains(arch), "jffi jar layout known for " + arch);
    assertThat(DistIT.dist.resolve("lib/native/libjffi-1.2.so")).isRegularFile();
    assertThat(DistIT.dist.resolve("libexec/host-local"))
        .content()
        .contains("-Djffi.boot.library.path=$lib/native");
  }

  @Test
  void hostLocalFlocksThroughJffiWithoutUnpackingAnything() throws Exception {
    Assumptions.assumeTrue(jffiLibShipped(), "no lib/native/libjffi-1.2.so");
    Path scratch = Files.createDirectories(tmp.resolve("tmpdir"));
    Path data = tmp.resolve("data");
    String conf =
        "{\"cniVersion\":\"1.0.0\",\"name\":\"nl\",\"type\":\"host-local\",\"ipam\":{\"type\":\"host-local\","
            + "\"subnet\":\"10.253.0.0/24\",\"dataDir\":\""
            + data
            + "\"}}";
    for (String backend : List.of("jffi", "jnr")) {
      Map<String, String> env = DistIT.env("ADD");
      // jffi unpacks its library into java.io.tmpdir when it is not on jffi.boot.library.path
      env.put("JCNI_JAVA_OPTS", "-Djcni.native=" + backend + " -Djava.io.tmpdir=" + scratch);
      DistIT.Proc add = DistIT.run(DistIT.dist.resolve("bin/host-local"), env, conf);
      assertThat(add.exit()).as(add.stderr() + add.stdout()).isZero();
      assertThat(add.stdout()).contains("10.253.0.");
      assertThat(add.stderr()).isEmpty();
      env.put("CNI_COMMAND", "DEL");
      DistIT.Proc del = DistIT.run(DistIT.dist.resolve("bin/host-local"), env, conf);
      assertThat(del.exit()).as(del.stderr()).isZero();
    }
    assertThat(data.resolve("nl/lock")).exists();
    try (var s = Files.list(scratch)) {
      assertThat(s.toList()).as("nothing unpacked into java.io.tmpdir").isEmpty();
    }
  }

  @Test
  void loopbackAddInAThrowawayNamespaceThroughEveryBackend() throws Exception {
    Assumptions.assumeTrue(
        dev.jcni.testkit.NetnsExtension.isRoot(), "needs root: creates a namespace");
    String ns = "jcni-dnl-" + ProcessHandle.current().pid();
    assertThat(new ProcessBuilder("ip", "netns", "add", ns).inheritIO().start().waitFor()).isZero();
    try {
      for (String backend : List.of("jffi", "jnr")) {
        Map<String, String> env = DistIT.env("ADD");
        env.put("CNI_NETNS", "/run/netns/" + ns);
        env.put("CNI_IFNAME", "lo");
        env.put("JCNI_JAVA_OPTS", "-Djcni.native=" + backend);
        DistIT.Proc p =
            DistIT.run(
                DistIT.dist.resolve("bin/loopback"),
                env,
                "{\"cniVersion\":\"0.3.1\",\"name\":\"lo\",\"type\":\"loopback\"}");
        assertThat(p.exit()).as(backend + ": " + p.stderr() + p.stdout()).isZero();
        assertThat(p.stdout()).contains("\"address\":\"127.0.0.1/8\"");
        String link =
            new String(
                new ProcessBuilder("ip", "-n", ns, "-o", "link", "show", "lo")
                    .start()
                    .getInputStream()
                    .readAllBytes());
        assertThat(link).contains("UP");
        assertThat(
                new ProcessBuilder("ip", "-n", ns, "link", "set", "lo", "down").start().waitFor())
            .isZero();
      }
    } finally {
      new ProcessBuilder("ip", "netns", "del", ns).start().waitFor();
    }
  }
}
