package dev.jcni.shim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shim binary (target/jcni-shim) as a real process against fake daemons speaking wire protocol
 * v1: every fallback trigger, the exact request bytes, byte-for-byte relaying, a daemon that dies
 * mid-call, large payloads. The direct path is a stand-in launcher script in a throwaway {@code
 * bin/ + libexec/} layout that echoes its name, its arguments and its stdin, so a test sees which
 * path served the call.
 */
class ShimTest {
  static final Path SHIM =
      Path.of(System.getProperty("jcni.shim", "target/jcni-shim")).toAbsolutePath();
  static final String LAUNCHER =
      "#!/bin/sh\nprintf 'direct:%s:' \"${0##*/}\"; for a; do printf '%s,' \"$a\"; done; echo\n"
          + "exec cat\n";

  @TempDir Path tmp;
  Path bin;
  Path socket;

  record Proc(int exit, byte[] out, byte[] err, long millis) {
    String stdout() {
      return new String(out, StandardCharsets.UTF_8);
    }

    String stderr() {
      return new String(err, StandardCharsets.UTF_8);
    }
  }

  @BeforeEach
  void layout() throws IOException {
    assertThat(SHIM).as("mvn package builds the shim").isExecutable();
    bin = Files.createDirectories(tmp.resolve("bin"));
    Path libexec = Files.createDirectories(tmp.resolve("libexec"));
    Files.copy(SHIM, bin.resolve("debug"), StandardCopyOption.COPY_ATTRIBUTES);
    Path launcher = libexec.resolve("debug");
    Files.writeString(launcher, LAUNCHER);
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    socket = tmp.resolve("jsh.sock");
  }

  Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("CNI_COMMAND", "ADD");
    env.put("CNI_CONTAINERID", "jsh-c1");
    env.put("CNI_IFNAME", "eth0");
    env.put("JCNI_SOCKET", socket.toString());
    env.put("JCNI_SHIM_DEBUG", "1");
    return env;
  }

  static Proc run(List<String> cmd, Map<String, String> env, byte[] stdin) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().clear();
    pb.environment().putAll(env);
    long t0 = System.nanoTime();
    Process p = pb.start();
    CompletableFuture<Void> in =
        CompletableFuture.runAsync(
            () -> {
              try (OutputStream o = p.getOutputStream()) {
                o.write(stdin);
              } catch (IOException ignored) {
                // the process did not read everything (e.g. it failed early): its output tells
              }
            });
    CompletableFuture<byte[]> out = drain(p.getInputStream());
    CompletableFuture<byte[]> err = drain(p.getErrorStream());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("shim finished").isTrue();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    in.get(10, TimeUnit.SECONDS);
    return new Proc(
        p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS), ms);
  }

  static CompletableFuture<byte[]> drain(InputStream s) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (s) {
            return s.readAllBytes();
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  Proc shim(Map<String, String> env, String stdin, String... args) throws Exception {
    return shim(env, stdin.getBytes(StandardCharsets.UTF_8), args);
  }

  Proc shim(Map<String, String> env, byte[] stdin, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(bin.resolve("debug").toString()));
    cmd.addAll(List.of(args));
    return run(cmd, env, stdin);
  }

  static void assertDirect(Proc p, String stdin) {
    assertThat(p.exit()).as(p.stderr()).isZero();
    assertThat(p.stdout()).isEqualTo("direct:debug:\n" + stdin);
    assertThat(p.stderr()).startsWith("jcni-shim: debug ADD: direct (");
  }

  // ---- fallback triggers ----

  @Test
  void noSocketFileRunsTheLauncherWithArgsAndStdin() throws Exception {
    Proc p = shim(env(), "{\"cniVersion\":\"1.0.0\"}", "a b", "c");
    assertThat(p.exit()).isZero();
    assertThat(p.stdout()).isEqualTo("direct:debug:a b,c,\n{\"cniVersion\":\"1.0.0\"}");
    assertThat(p.stderr())
        .isEqualTo(
            "jcni-shim: debug ADD: direct (connect " + socket + ": No such file or directory)\n");
  }

  @Test
  void socketFileWithoutListenerIsConnectionRefused() throws Exception {
    ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    s.bind(UnixDomainSocketAddress.of(socket));
    s.close(); // the file stays, nobody listens: a crashed daemon's stale socket
    assertThat(socket).exists();
    Proc p = shim(env(), "{}");
    assertDirect(p, "{}");
    assertThat(p.stderr()).contains("Connection refused");
  }

  @Test
  void listenerThatNeverGreetsCostsOneSecondThenFallsBackWithStdinUntouched() throws Exception {
    CompletableFuture<Void> release = new CompletableFuture<>();
    try (FakeDaemon d =
        new FakeDaemon(
            socket,
            ch -> {
              try {
                release.get(30, TimeUnit.SECONDS); // hold the connection open, say nothing
              } catch (Exception ignored) {
                // test over
              }
            })) {
      Proc p = shim(env(), "{\"cniVersion\":\"0.4.0\"}");
      release.complete(null);
      assertDirect(p, "{\"cniVersion\":\"0.4.0\"}");
      assertThat(p.stderr()).contains("greeting");
      assertThat(p.millis()).isBetween(950L, 15_000L);
      assertThat(d.accepted).hasValue(1);
    }
  }

  @ParameterizedTest
  @CsvSource({"JCNX,1", "JCNI,2", "JCNI,0", "jcni,1"})
  void wrongMagicOrVersionFallsBack(String magic, int version) throws Exception {
    try (FakeDaemon d =
        new FakeDaemon(
            socket,
            ch -> {
              FakeDaemon.write(ch, FakeDaemon.greeting(magic, version));
              ch.read(ByteBuffer.allocate(1)); // wait for the shim to hang up
            })) {
      Proc p = shim(env(), "{\"x\":1}");
      assertDirect(p, "{\"x\":1}");
      assertThat(d.requests).isEmpty();
    }
  }

  @Test
  void shortGreetingThenCloseFallsBack() throws Exception {
    try (FakeDaemon d =
        new FakeDaemon(
            socket, ch -> FakeDaemon.write(ch, "JCNI".getBytes(StandardCharsets.US_ASCII)))) {
      assertDirect(shim(env(), "{}"), "{}");
    }
  }

  @Test
  void fallbackResponseRunsTheLauncherWithTheSameStdinBytes() throws Exception {
    byte[] stdin = new byte[300_000];
    new Random(13).nextBytes(stdin); // not even text: restored byte for byte
    BlockingQueue<FakeDaemon.Request> seen = new LinkedBlockingQueue<>();
    try (FakeDaemon d =
        new FakeDaemon(
            socket,
            FakeDaemon.answering(r -> FakeDaemon.response(2, 0, new byte[0], new byte[0]), seen))) {
      Proc p = shim(env(), stdin);
      assertThat(p.exit()).as(p.stderr()).isZero();
      byte[] head = "direct:debug:\n".getBytes(StandardCharsets.UTF_8);
      assertThat(java.util.Arrays.copyOfRange(p.out(), 0, head.length)).isEqualTo(head);
      assertThat(java.util.Arrays.copyOfRange(p.out(), head.length, p.out().length))
          .isEqualTo(stdin);
      assertThat(p.stderr()).contains("direct (the daemon does not serve this type)");
      assertThat(seen.poll(5, TimeUnit.SECONDS).stdin()).isEqualTo(stdin);
    }
  }

  @Test
  void jcniDirectNeverTouchesTheDaemon() throws Exception {
    BlockingQueue<FakeDaemon.Request> seen = new LinkedBlockingQueue<>();
    try (FakeDaemon d =
        new FakeDaemon(
            socket,
            FakeDaemon.answering(
                r ->
                    FakeDaemon.response(
                        1, 0, "resident".getBytes(StandardCharsets.UTF_8), new byte[0]),
                seen))) {
      Map<String, String> env = env();
      env.put("JCNI_DIRECT", "1");
      Proc p = shim(env, "{}");
      assertDirect(p, "{}");
      assertThat(p.stderr()).contains("JCNI_DIRECT=1");
      assertThat(d.accepted).hasValue(0);
      // any other value is not "1": the daemon serves
      env.put("JCNI_DIRECT", "0");
      assertThat(shim(env, "{}").stdout()).isEqualTo("resident");
    }
  }

  @Test
  void requestLargerThanTheDaemonAcceptsGoesDirectBeforeSending() throws Exception {
    String big = "{\"pad\":\"" + "x".repeat(9 << 20) + "\"}";
    try (FakeDaemon d =
        new FakeDaemon(
            socket,
            ch -> {
              FakeDaemon.greet(ch);
              ch.read(ByteBuffer.allocate(1));
            })) {
      Proc p = shim(env(), big);
      assertThat(p.exit()).isZero();
      assertThat(p.stdout().equals("direct:debug:\n" + big))
          .as("launcher got the whole stdin")
          .isTrue();
      assertThat(p.stderr()).contains("larger than the daemon accepts");
      assertThat(d.requests).isEmpty();
    }
  }

  @Test
  void noLauncherAnywhereIsACniErrorNamingBothPlaces() throws Exception {
    Path copy = Files.createDirectories(tmp.resolve("opt/cni/bin")).resolve("debug");
    Files.copy(SHIM, copy, StandardCopyOption.COPY_ATTRIBUTES);
    Proc p =
        run(
            List.of(copy.toString()),
            env(),
            "{\"cniVersion\":\"0.3.1\",\"name\":\"n\"}".getBytes());
    assertThat(p.exit()).isEqualTo(1);
    assertThat(p.stdout())
        .startsWith(
            "{\"cniVersion\":\"0.3.1\",\"code\":999,\"msg\":\"jcni: cannot run plugin debug")
        .contains(tmp.resolve("opt/cni/bin") + "/../libexec/debug", "JCNI_HOME is not set")
        .endsWith("\"}\n");
    // a copy outside the dist finds the launchers through JCNI_HOME
    Map<String, String> env = env();
    env.put("JCNI_HOME", tmp.toString());
    assertDirect(run(List.of(copy.toString()), env, "{}".getBytes()), "{}");
  }

  // ---- the resident path ----

  @Test
  void wellBehavedDaemonGetsTheExactRequestAndItsOutputIsRelayedByteForByte() throws Exception {
    byte[] out = new byte[256];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) i; // NULs, invalid UTF-8: all relayed
    }
    byte[] err = "warn\u00e9\n".getBytes(StandardCharsets.UTF_8);
    BlockingQueue<FakeDaemon.Request> seen = new LinkedBlockingQueue<>();
    try (FakeDaemon d =
        new FakeDaemon(
            socket, FakeDaemon.answering(r -> FakeDaemon.response(1, 7, out, err), seen))) {
      Map<String, String> env = env();
      env.put("CNI_NETNS", "/proc/self/ns/net");
      env.put("CNI_ARGS", "K8S_POD_NAME=p\u00e4d;IgnoreUnknown=1");
      env.put("CNI_PATH", "/opt/cni/bin:/x");
      env.put("JCNI_LOG", "stderr");
      env.put("MY_CNI_VAR", "not sent");
      env.put("CNIX", "not sent");
      env.put("JCNIX", "not sent");
      env.put("JCNI_EMPTY", "");
      String conf = "{\"cniVersion\":\"1.1.0\",\"name\":\"n\",\"type\":\"debug\"}";
      Proc p = shim(env, conf);
      assertThat(p.exit()).isEqualTo(7);
      assertThat(p.out()).isEqualTo(out);
      assertThat(p.stderr()).isEqualTo("jcni-shim: debug ADD: resident\nwarn\u00e9\n");

      FakeDaemon.Request r = seen.poll(5, TimeUnit.SECONDS);
      assertThat(r.kind()).isEqualTo(1);
      assertThat(r.flags()).as("CNI_NETNS opened and attached").isEqualTo(1);
      assertThat(r.type()).isEqualTo("debug");
      assertThat(r.envStrings())
          .containsExactlyInAnyOrder(
              "CNI_COMMAND=ADD",
              "CNI_CONTAINERID=jsh-c1",
              "CNI_IFNAME=eth0",
              "CNI_NETNS=/proc/self/ns/net",
              "CNI_ARGS=K8S_POD_NAME=p\u00e4d;IgnoreUnknown=1",
              "CNI_PATH=/opt/cni/bin:/x",
              "JCNI_LOG=stderr",
              "JCNI_SOCKET=" + socket,
              "JCNI_SHIM_DEBUG=1",
              "JCNI_EMPTY=");
      assertThat(r.stdin()).isEqualTo(conf.getBytes(StandardCharsets.UTF_8));
      assertThat(d.errors).isEmpty();
    }
  }

  @Test
  void netnsThatDoesNotOpenIsNotAttachedAndTheTypeIsTheNameNotTheLinkTarget() throws Exception {
    BlockingQueue<FakeDaemon.Request> seen = new LinkedBlockingQueue<>();
    Path link = bin.resolve("bridge");
    Files.createSymbolicLink(link, bin.resolve("debug"));
    try (FakeDaemon d =
        new FakeDaemon(
            socket,
            FakeDaemon.answering(r -> FakeDaemon.response(1, 0, new byte[0], new byte[0]), seen))) {
      Map<String, String> env = env();
      env.put("CNI_COMMAND", "DEL");
      env.put("CNI_NETNS", tmp.resolve("jsh-gone").toString());
      env.remove("JCNI_SHIM_DEBUG");
      Proc p = run(List.of(link.toString()), env, new byte[0]);
      assertThat(p.exit()).isZero();
      assertThat(p.out()).isEmpty();
      assertThat(p.err()).isEmpty();
      FakeDaemon.Request r = seen.poll(5, TimeUnit.SECONDS);
      assertThat(r.type()).isEqualTo("bridge");
      assertThat(r.flags()).isZero();
      assertThat(r.stdin()).isEmpty();
    }
  }

  @Test
  void rawEnvironmentBytesTravelUnchanged() throws Exception {
    BlockingQueue<FakeDaemon.Request> seen = new LinkedBlockingQueue<>();
    try (FakeDaemon d =
        new FakeDaemon(
            socket,
            FakeDaemon.answering(r -> FakeDaemon.response(1, 0, new byte[0], new byte[0]), seen))) {
      // not valid UTF-8: only a shell can put such bytes into an environment for us
      Proc p =
          run(
              List.of(
                  "sh",
                  "-c",
                  "CNI_ARGS=$(printf 'a\\377b') exec \"$0\"",
                  bin.resolve("debug").toString()),
              env(),
              new byte[0]);
      assertThat(p.exit()).as(p.stderr()).isZero();
      assertThat(seen.poll(5, TimeUnit.SECONDS).env())
          .anySatisfy(
              e ->
                  assertThat(e)
                      .isEqualTo(
                          new byte[] {
                            'C', 'N', 'I', '_', 'A', 'R', 'G', 'S', '=', 'a', (byte) 0xff, 'b'
                          }));
    }
  }

  @Test
  void largeStdinAndStdoutRoundTrip() throws Exception {
    Random rnd = new Random(42);
    byte[] stdin = new byte[3 << 20];
    rnd.nextBytes(stdin);
    byte[] out = new byte[5 << 20];
    rnd.nextBytes(out);
    byte[] err = new byte[1 << 20];
    rnd.nextBytes(err);
    BlockingQueue<FakeDaemon.Request> seen = new LinkedBlockingQueue<>();
    try (FakeDaemon d =
        new FakeDaemon(
            socket, FakeDaemon.answering(r -> FakeDaemon.response(1, 0, out, err), seen))) {
      Map<String, String> env = env();
      env.remove("JCNI_SHIM_DEBUG");
      Proc p = shim(env, stdin);
      assertThat(p.exit()).isZero();
      assertThat(p.out()).isEqualTo(out);
      assertThat(p.err()).isEqualTo(err);
      assertThat(seen.poll(5, TimeUnit.SECONDS).stdin()).isEqualTo(stdin);
    }
  }

  @ParameterizedTest
  @CsvSource({"0,0", "1,1", "11,11", "256,1", "300,44", "-1,255"})
  void exitCodesAreEightBitsAndAFailureNeverTruncatesToSuccess(int sent, int expected)
      throws Exception {
    BlockingQueue<FakeDaemon.Request> seen = new LinkedBlockingQueue<>();
    try (FakeDaemon d =
        new FakeDaemon(
            socket,
            FakeDaemon.answering(
                r -> FakeDaemon.response(1, sent, new byte[0], new byte[0]), seen))) {
      assertThat(shim(env(), "{}").exit()).isEqualTo(expected);
    }
  }

  @Test
  void daemonThatClosesAfterTheRequestIsCode999AndExitOne() throws Exception {
    try (FakeDaemon d =
        new FakeDaemon(
            socket,
            ch -> {
              FakeDaemon.greet(ch);
              FakeDaemon.readRequest(ch); // and hang up without an answer
            })) {
      Proc p =
          shim(
              env(),
              "{\"name\":\"n\",\"prevResult\":{\"cniVersion\":\"0.3.0\"},\"cniVersion\":\"0.4.0\"}");
      assertThat(p.exit()).isEqualTo(1);
      assertThat(p.stdout())
          .isEqualTo("{\"cniVersion\":\"0.4.0\",\"code\":999,\"msg\":\"jcni daemon went away\"}\n");
      // no fallback once the request is out: the call may have run
      assertThat(p.stdout()).doesNotContain("direct:");
    }
  }

  @Test
  void daemonThatDiesHalfWayThroughTheResponseIsCode999() throws Exception {
    try (FakeDaemon d =
        new FakeDaemon(
            socket,
            ch -> {
              FakeDaemon.greet(ch);
              FakeDaemon.readRequest(ch);
              byte[] full =
                  FakeDaemon.response(1, 0, "{\"cniVersion\":\"1.0.0\"}".getBytes(), new byte[0]);
              FakeDaemon.write(ch, java.util.Arrays.copyOf(full, full.length - 3));
            })) {
      Proc p = shim(env(), "no json at all");
      assertThat(p.exit()).isEqualTo(1);
      assertThat(p.stdout())
          .isEqualTo("{\"cniVersion\":\"1.0.0\",\"code\":999,\"msg\":\"jcni daemon went away\"}\n");
    }
  }

  @ParameterizedTest
  @CsvSource({"3,0", "1,9"})
  void malformedResponseIsACniErrorNotAnEmptySuccess(int kind, int trailing) throws Exception {
    try (FakeDaemon d =
        new FakeDaemon(
            socket,
            ch -> {
              FakeDaemon.greet(ch);
              FakeDaemon.readRequest(ch);
              byte[] r = FakeDaemon.response(kind, 0, new byte[0], new byte[0]);
              ByteBuffer b = ByteBuffer.allocate(r.length + trailing).put(r);
              b.putInt(
                  0, r.length - 4 + trailing); // frame length covers junk after the stderr blob
              FakeDaemon.write(ch, b.array());
            })) {
      Proc p = shim(env(), "{\"cniVersion\":\"1.1.0\"}");
      assertThat(p.exit()).isEqualTo(1);
      assertThat(p.stdout())
          .isEqualTo(
              "{\"cniVersion\":\"1.1.0\",\"code\":999,\"msg\":\"jcni daemon sent a malformed response\"}\n");
    }
  }

  // ---- the binary ----

  @Test
  void binaryIsStaticallyLinked() throws Exception {
    byte[] elf = Files.readAllBytes(SHIM);
    ByteBuffer b = ByteBuffer.wrap(elf).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    assertThat(java.util.Arrays.copyOf(elf, 4)).isEqualTo(new byte[] {0x7f, 'E', 'L', 'F'});
    assertThat(elf[4]).as("64-bit ELF").isEqualTo((byte) 2);
    long phoff = b.getLong(0x20);
    int phentsize = b.getShort(0x36) & 0xffff;
    int phnum = b.getShort(0x38) & 0xffff;
    List<Integer> types = new ArrayList<>();
    for (int i = 0; i < phnum; i++) {
      types.add(b.getInt((int) phoff + i * phentsize));
    }
    assertThat(types)
        .as("program headers: no PT_INTERP (3), no PT_DYNAMIC (2)")
        .doesNotContain(2, 3)
        .contains(1);
    assertThat(elf.length).as("small").isLessThan(1 << 20);
    if (Files.isExecutable(Path.of("/usr/bin/ldd"))) {
      Proc ldd =
          run(
              List.of("/usr/bin/ldd", SHIM.toString()),
              Map.of("PATH", "/usr/bin:/bin"),
              new byte[0]);
      assertThat(ldd.stdout() + ldd.stderr())
          .containsAnyOf("not a dynamic executable", "statically linked");
    }
  }
}
