package dev.jcni.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code jcni netns}, found by the CLI through the CliCommand SPI; `ip netns` is the oracle. */
class NetnsCommandTest {
  final String name =
      "jcni-rtcli-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int jcni(String... args) {
    out.reset();
    err.reset();
    return Cli.run(
        args,
        Map.of(),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  static String ipNetnsList() throws Exception {
    Process p = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
    String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return s;
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (Files.exists(Path.of("/run/netns", name))) {
      new ProcessBuilder("ip", "netns", "del", name)
          .inheritIO()
          .start()
          .waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void helpListsTheNetnsCommand() {
    assertThat(jcni("--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("netns add NAME");
    assertThat(jcni("netns", "frob")).isEqualTo(2);
  }

  @Test
  void addListDel() throws Exception {
    Assumptions.assumeTrue(dev.jcni.testkit.NetnsExtension.isRoot(), "needs root: creates a netns");
    assertThat(jcni("netns", "add", name)).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8).trim()).isEqualTo("/run/netns/" + name);
    assertThat(ipNetnsList()).contains(name);
    assertThat(jcni("netns", "list")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8).lines()).contains(name);
    assertThat(jcni("netns", "add", name)).isEqualTo(1); // exists already
    assertThat(jcni("netns", "del", name)).isZero();
    assertThat(ipNetnsList()).doesNotContain(name);
    assertThat(jcni("netns", "del", name)).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("jcni netns del");
  }
}
