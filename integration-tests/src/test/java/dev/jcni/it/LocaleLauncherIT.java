package dev.jcni.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launchers under the C locale (runtimes often exec plugins with no locale): CNI identifiers
 * arrive as the runtime's UTF-8 bytes, and the JVM opens non-ASCII paths (it runs under C.UTF-8
 * whatever the caller's locale).
 */
class LocaleLauncherIT {
  @TempDir Path tmp;

  @BeforeAll
  static void locate() {
    DistIT.locate();
  }

  @Test
  void hostLocalUnderTheCLocaleRecordsTheIfnameBytesInANonAsciiDataDir() throws Exception {
    // the test hands the child UTF-8 bytes: it needs a JVM that encodes child environments as UTF-8
    org.junit.jupiter.api.Assumptions.assumeTrue(
        dev.jcni.api.ProcessEnv.jvmIsUtf8(),
        "the test JVM must run under a UTF-8 locale (LANG=C.UTF-8)");
    // the launcher itself puts the JVM under C.UTF-8 (no relaunch from Main needed)
    assertThat(DistIT.dist.resolve("libexec/host-local"))
        .content()
        .contains("LC_ALL=C.UTF-8; export LC_ALL");
    Path data = tmp.resolve("données-ipam");
    String conf =
        "{\"cniVersion\":\"1.0.0\",\"name\":\"jrlnet\",\"type\":\"host-local\",\"ipam\":{\"type\":"
            + "\"host-local\",\"subnet\":\"10.234.0.0/24\",\"dataDir\":\""
            + data
            + "\"}}";
    Map<String, String> env = DistIT.env("ADD");
    env.put("LC_ALL", "C");
    env.put("CNI_IFNAME", "éth0");
    env.put("CNI_CONTAINERID", "jrl-ctr");
    DistIT.Proc add = DistIT.run(DistIT.dist.resolve("bin/host-local"), env, conf);
    assertThat(add.exit()).as(add.stdout() + add.stderr()).isZero();
    assertThat(add.stdout()).contains("10.234.0.2/24");
    assertThat(Files.readAllBytes(data.resolve("jrlnet/10.234.0.2")))
        .isEqualTo("jrl-ctr\r\néth0".getBytes(StandardCharsets.UTF_8));

    env.put("CNI_COMMAND", "DEL");
    env.remove("LC_ALL");
    env.put("LANG", "C.UTF-8");
    DistIT.Proc del = DistIT.run(DistIT.dist.resolve("bin/host-local"), env, conf);
    assertThat(del.exit()).as(del.stdout() + del.stderr()).isZero();
    assertThat(data.resolve("jrlnet/10.234.0.2")).doesNotExist();
  }
}
