package dev.jcni.daemon;

import static dev.jcni.daemon.Fixture.env;
import static dev.jcni.daemon.Fixture.name;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcni.system.NetNs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real processes on either side: a client process under another uid ({@code setpriv}), and the
 * daemon as a child JVM ({@code jcni daemon}) receiving SIGTERM.
 */
class DaemonProcessTest {

  @BeforeEach
  void needRoot() {
    assumeTrue(Fixture.ROOT, "needs root: creates network namespaces and switches uids");
  }

  record Run(int exit, String out, String err) {}

  private static Run run(List<String> cmd, Map<String, String> env, String stdin) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("CNI_") || k.startsWith("JCNI_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    CompletableFuture<byte[]> err =
        CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err.get(), StandardCharsets.UTF_8));
  }

  private static byte[] readAll(InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private static Path shimClient(Path dir) throws IOException {
    Path py = dir.resolve("shim_client.py");
    try (InputStream in = DaemonProcessTest.class.getResourceAsStream("/shim_client.py")) {
      Files.copy(in, py, StandardCopyOption.REPLACE_EXISTING);
    }
    Files.setPosixFilePermissions(py, PosixFilePermissions.fromString("rwxr-xr-x"));
    return py;
  }

  /** The system's python3 (a per-user one under /root is not executable by uid 65534). */
  static final Path PYTHON = Path.of("/usr/bin/python3");

  @Test
  void aPeerThatIsNotRootNorAllowedGetsAnErrorAndNothingRuns() throws Exception {
    assumeTrue(
        Files.isExecutable(PYTHON), "needs /usr/bin/python3 (3.9+) for the stand-in shim process");
    try (Fixture f = new Fixture()) {
      Files.setPosixFilePermissions(f.dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      NetNs node = f.ns("uid");
      NetNs pod = f.ns("uidp");
      Path py = shimClient(f.dir);
      Path allowedSocket = f.dir.resolve("allowed.sock");
      Daemon strict = f.start(f.options().withSocketMode(0666));
      f.start(
          f.options()
              .withSocket(allowedSocket)
              .withSocketMode(0666)
              .withAllowUids(java.util.Set.of(65534)));
      Path log = f.dir.resolve("uid.log");
      String conf =
          "{\"cniVersion\":\"1.0.0\",\"name\":\"jdmnet\",\"type\":\"jdm-sleep\",\"log\":\""
              + log
              + "\"}";
      Map<String, String> env = env("ADD", "cid", pod.path().toString(), "eth0");
      List<String> asNobody =
          List.of(
              "ip",
              "netns",
              "exec",
              name(node),
              "setpriv",
              "--reuid=65534",
              "--regid=65534",
              "--clear-groups",
              PYTHON.toString(),
              py.toString());

      List<String> cmd = new ArrayList<>(asNobody);
      cmd.addAll(List.of(f.socket.toString(), "jdm-sleep"));
      Run refused = run(cmd, env, conf);
      assertThat(refused.exit()).as(refused.err()).isEqualTo(1);
      assertThat(refused.out())
          .isEqualTo(
              "{\"cniVersion\":\"1.0.0\",\"code\":999,\"msg\":\"jcni daemon: uid 65534 may"
                  + " not use this socket (only root and --allow-uid uids are served)\"}");
      assertThat(log).doesNotExist();
      assertThat(strict.stats.refused.get()).isEqualTo(1);
      assertThat(strict.callsServed()).isZero();

      // the same peer on a daemon that allows its uid is served
      cmd = new ArrayList<>(asNobody);
      cmd.addAll(List.of(allowedSocket.toString(), "jdm-sleep"));
      Run served = run(cmd, env, conf);
      assertThat(served.exit()).as(served.out() + served.err()).isZero();
      assertThat(served.out()).isEqualTo("{\"cniVersion\":\"1.0.0\"}");
      assertThat(Files.readAllLines(log)).containsExactly("ADD-start cid", "ADD-end cid");

      // and root through the same client process works on the strict one
      cmd =
          new ArrayList<>(
              List.of(
                  "ip",
                  "netns",
                  "exec",
                  name(node),
                  PYTHON.toString(),
                  py.toString(),
                  f.socket.toString(),
                  "jdm-sleep"));
      assertThat(run(cmd, env, conf).exit()).isZero();
      // a type the daemon does not serve: the fallback answer
      cmd.set(cmd.size() - 1, "jdm-absent");
      Run fallback = run(cmd, env, conf);
      assertThat(fallback.exit()).isEqualTo(86);
      assertThat(fallback.err()).isEqualTo("fallback\n");
    }
  }

  /**
   * {@code jcni daemon} as a child JVM inside {@code dmn}, serving {@code f.socket}; waits for the
   * socket.
   */
  private static Process daemonProcess(Fixture f, NetNs dmn, String xmx) throws Exception {
    Path err = f.dir.resolve("daemon.err");
    ProcessBuilder pb =
        new ProcessBuilder(
            "ip",
            "netns",
            "exec",
            name(dmn),
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:+UseSerialGC",
            xmx,
            "-cp",
            System.getProperty("java.class.path"),
            "dev.jcni.runtime.Cli",
            "daemon",
            "--socket",
            f.socket.toString());
    pb.redirectOutput(f.dir.resolve("daemon.out").toFile()).redirectError(err.toFile());
    Process p = pb.start();
    for (int i = 0; i < 300 && !Files.exists(f.socket) && p.isAlive(); i++) Thread.sleep(100);
    assertThat(f.socket).as(Files.exists(err) ? Files.readString(err) : "").exists();
    return p;
  }

  @Test
  void outOfMemoryAnswersTheCallAndExitsSeventyForARestart() throws Exception {
    try (Fixture f = new Fixture()) {
      NetNs dmn = f.ns("oom");
      NetNs node = f.ns("oomn");
      NetNs pod = f.ns("oomp");
      Process p = daemonProcess(f, dmn, "-Xmx48m");
      try {
        TestClient.Reply r =
            TestClient.callFrom(
                node,
                f.socket,
                "jdm-oom",
                env("ADD", "cid", pod.path().toString(), "eth0"),
                "{\"cniVersion\":\"1.0.0\",\"name\":\"n\"}");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stdout())
            .isEqualTo(
                "{\"cniVersion\":\"1.0.0\",\"code\":999,\"msg\":\"jcni daemon ran out of memory\"}");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(Daemon.EXIT_GAVE_UP);
        assertThat(f.socket).doesNotExist();
        assertThat(Files.readString(f.dir.resolve("daemon.err")))
            .contains("out of memory")
            .contains("code 70");
      } finally {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void sigtermLetsTheRunningCallFinishRemovesTheSocketAndExitsZero() throws Exception {
    try (Fixture f = new Fixture()) {
      NetNs dmn = f.ns("sig");
      NetNs node = f.ns("sign");
      NetNs pod = f.ns("sigp");
      Path err = f.dir.resolve("daemon.err");
      Process p = daemonProcess(f, dmn, "-Xmx96m");
      try {
        Path log = f.dir.resolve("sig.log");
        String slow =
            "{\"cniVersion\":\"1.0.0\",\"name\":\"jdmnet\",\"type\":\"jdm-sleep\",\"log\":\""
                + log
                + "\",\"sleepMs\":1500}";
        CompletableFuture<TestClient.Reply> call =
            TestClient.async(
                node,
                () ->
                    TestClient.call(
                        f.socket,
                        "jdm-sleep",
                        env("ADD", "cid", pod.path().toString(), "eth0"),
                        slow));
        for (int i = 0; i < 100 && !Files.exists(log); i++) Thread.sleep(20);
        p.destroy(); // SIGTERM (ip netns exec has exec'ed the JVM: same pid)
        TestClient.Reply r = call.get(30, TimeUnit.SECONDS);
        assertThat(r.exit()).as(r.stdout()).isZero();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(err)).isZero();
        assertThat(Files.readAllLines(log)).containsExactly("ADD-start cid", "ADD-end cid");
        assertThat(f.socket).doesNotExist();
        assertThat(Files.readString(err)).contains("SIGTERM").contains("stopped (1 calls served)");
      } finally {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
