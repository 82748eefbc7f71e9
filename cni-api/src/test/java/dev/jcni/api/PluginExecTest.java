package dev.jcni.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jcni.spec.CniException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PluginExec} on its own: the parts both the delegates and the runtime rely on. */
class PluginExecTest {
  @TempDir Path bin;

  final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  final PluginExec exec = new PluginExec(new PrintStream(stderr, true, StandardCharsets.UTF_8));

  static final Map<String, String> ENV =
      Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));

  @Test
  void stdinInStdoutOutStderrCopied() throws IOException {
    Path p = DelegationTest.script(bin, "echo", "cat; echo \"$CNI_COMMAND $TRACEPARENT\" >&2");
    byte[] out =
        exec.exec(
            p,
            Map.of("CNI_COMMAND", "ADD", "TRACEPARENT", "00-abc-01"),
            "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
            Duration.ofSeconds(30));
    assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
    assertThat(stderr.toString(StandardCharsets.UTF_8)).isEqualTo("ADD 00-abc-01\n");
  }

  @Test
  void notFoundIsCode999WithLibcniMessages() throws IOException {
    DelegationTest.script(bin, "there", "exit 0");
    assertThat(PluginExec.find("there", List.of("/nonexistent", bin.toString())))
        .isEqualTo(bin.resolve("there"));
    CniException e =
        catchThrowableOfType(
            CniException.class, () -> PluginExec.find("gone", List.of(bin.toString())));
    assertThat(e.code()).isEqualTo(999);
    assertThat(e.msg()).isEqualTo("failed to find plugin \"gone\" in path [" + bin + "]");
    e =
        catchThrowableOfType(
            CniException.class, () -> PluginExec.find("../there", List.of(bin.toString())));
    assertThat(e.code()).isEqualTo(999);
    assertThat(e.msg()).isEqualTo("invalid plugin name: ../there");
    assertThat(PluginExec.findError("there", List.of(bin.toString()))).isNull();
  }

  @Test
  void aFailedStartIsReportedAsLibcniDoes() throws IOException {
    Path p = bin.resolve("not-executable");
    Files.writeString(p, "#!/bin/sh\nexit 0\n");
    CniException e =
        catchThrowableOfType(
            CniException.class, () -> exec.exec(p, ENV, new byte[0], Duration.ofSeconds(30)));
    assertThat(e.code()).isZero();
    assertThat(e.msg())
        .startsWith("netplugin failed with no error message: ")
        .contains("ermission denied");
  }

  @Test
  void theTimeoutKillsThePluginAndItsChildren() throws Exception {
    Path pid = bin.resolve("child.pid");
    Path p = DelegationTest.script(bin, "forker", "sleep 60 & echo $! > '" + pid + "'; wait");
    long t0 = System.nanoTime();
    CniException e =
        catchThrowableOfType(
            CniException.class, () -> exec.exec(p, ENV, new byte[0], Duration.ofMillis(700)));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    assertThat(e.code()).isEqualTo(999);
    assertThat(e.msg()).isEqualTo("netplugin " + p + " timed out after 700ms and was killed");
    long child = Long.parseLong(Files.readString(pid).trim());
    ProcessHandle h = ProcessHandle.of(child).orElse(null);
    if (h != null) {
      h.onExit().get(); // destroyForcibly is asynchronous
    }
    assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive))
        .isNotEqualTo(java.util.Optional.of(true));
  }
}
