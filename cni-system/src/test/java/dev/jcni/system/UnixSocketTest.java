package dev.jcni.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.system.internal.nativ.Native;
import dev.jcni.system.internal.nativ.Syscalls;
import java.io.File;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * AF_UNIX sockets through each libc backend that has them (jffi, jnr), over real sockets in a temp
 * directory: SCM_RIGHTS passing of network namespace fds (same nsfs inode on both ends), surplus
 * fds closed, SO_PEERCRED, timeouts, end of stream, large transfers, close waking a blocked accept.
 */
class UnixSocketTest {
  private Path dir;

  @BeforeEach
  void setUp() throws IOException {
    dir = Files.createTempDirectory("jdm-sock");
  }

  @AfterEach
  void tearDown() throws IOException {
    try (var s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) Files.deleteIfExists(p);
    }
    Files.deleteIfExists(dir);
  }

  private static Syscalls backend(String name) throws Exception {
    return Native.create(name);
  }

  /** A connected pair: [client, server side]. */
  private UnixSocket[] pair(Syscalls sys, UnixServerSocket server) throws Exception {
    CompletableFuture<UnixSocket> accepted =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return server.accept();
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    UnixSocket client = UnixSocket.connect(sys, server.path());
    return new UnixSocket[] {client, accepted.get(10, TimeUnit.SECONDS)};
  }

  private static String link(int fd) throws IOException {
    return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
  }

  private static int openFds() {
    return new File("/proc/self/fd").list().length;
  }

  @ParameterizedTest
  @ValueSource(strings = {"jffi", "jnr"})
  void passesNetnsFdsAndPeerCredentials(String name) throws Exception {
    Syscalls sys = backend(name);
    String nsName =
        "jdm-us"
            + name.charAt(1)
            + "-"
            + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20));
    boolean root = "root".equals(System.getProperty("user.name"));
    try (UnixServerSocket server = UnixServerSocket.bind(sys, dir.resolve("s.sock"), 8);
        NetNs own = NetNs.current();
        NetNs other = root ? NetNs.create(nsName) : NetNs.current()) {
      UnixSocket[] p = pair(sys, server);
      try (UnixSocket client = p[0];
          UnixSocket srv = p[1]) {
        PeerCred cred = srv.peerCred();
        assertThat((long) cred.pid()).isEqualTo(ProcessHandle.current().pid());
        if (root) assertThat(cred.uid()).isZero();
        assertThat(client.peerCred().pid()).isEqualTo(cred.pid());

        byte[] msg = {0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o'};
        client.writeWithFds(msg, 0, 4, new int[] {own.fd(), other.fd()});
        client.write(msg, 4, 5);
        byte[] got = new byte[9];
        int[] fds = new int[2];
        int n = srv.readWithFds(got, 0, 4, fds);
        assertThat(n).isEqualTo(4);
        srv.readFully(got, 4, 5);
        assertThat(got).isEqualTo(msg);
        try {
          assertThat(fds).doesNotContain(-1);
          assertThat(fds[0]).isNotEqualTo(own.fd());
          assertThat(link(fds[0])).isEqualTo(link(own.fd())).startsWith("net:[");
          assertThat(link(fds[1])).isEqualTo(link(other.fd()));
          if (root) assertThat(link(fds[1])).isNotEqualTo(link(fds[0]));
          // the received fd is a real nsfs fd: NetNs re-opens it through /proc/self/fd
          try (NetNs viaFd = NetNs.open(Path.of("/proc/self/fd/" + fds[1]))) {
            assertThat(viaFd.inode()).isEqualTo(other.inode());
          }
        } finally {
          for (int fd : fds) if (fd >= 0) sys.close(fd);
        }
      }
    } finally {
      if (root && NetNs.exists(nsName)) NetNs.delete(nsName);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"jffi", "jnr"})
  void surplusFdsAreClosedAndMissingOnesAreMinusOne(String name) throws Exception {
    Syscalls sys = backend(name);
    try (UnixServerSocket server = UnixServerSocket.bind(sys, dir.resolve("s.sock"), 8);
        NetNs own = NetNs.current()) {
      UnixSocket[] p = pair(sys, server);
      try (UnixSocket client = p[0];
          UnixSocket srv = p[1]) {
        int before = openFds();
        client.writeWithFds(
            new byte[] {1}, 0, 1, new int[] {own.fd(), own.fd(), own.fd(), own.fd()});
        int[] fds = new int[1];
        assertThat(srv.readWithFds(new byte[1], 0, 1, fds)).isEqualTo(1);
        assertThat(fds[0]).isNotNegative();
        assertThat(openFds()).isEqualTo(before + 1); // only the one kept
        sys.close(fds[0]);

        client.write(new byte[] {2}, 0, 1);
        int[] none = new int[2];
        assertThat(srv.readWithFds(new byte[1], 0, 1, none)).isEqualTo(1);
        assertThat(none).containsExactly(-1, -1);
        assertThat(openFds()).isEqualTo(before);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"jffi", "jnr"})
  void timeoutsEndOfStreamAndLargeTransfers(String name) throws Exception {
    Syscalls sys = backend(name);
    try (UnixServerSocket server = UnixServerSocket.bind(sys, dir.resolve("s.sock"), 8)) {
      UnixSocket[] p = pair(sys, server);
      try (UnixSocket client = p[0];
          UnixSocket srv = p[1]) {
        srv.setReadTimeout(Duration.ofMillis(100));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> srv.read(new byte[4], 0, 4))
            .isInstanceOf(SocketTimeoutException.class);
        assertThat(System.nanoTime() - t0).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(80));
        srv.setReadTimeout(Duration.ZERO);

        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(big);
        CompletableFuture<Void> w =
            CompletableFuture.runAsync(
                () -> {
                  try {
                    client.write(big, 0, big.length);
                    client.shutdownOutput();
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                });
        byte[] got = new byte[big.length];
        srv.readFully(got, 0, got.length);
        w.get(10, TimeUnit.SECONDS);
        assertThat(Arrays.equals(got, big)).isTrue();
        assertThat(srv.read(new byte[1], 0, 1)).isEqualTo(-1);
        assertThat(srv.readWithFds(new byte[1], 0, 1, new int[1])).isEqualTo(-1);
      }
      // writing to a vanished peer is an IOException (EPIPE), not a SIGPIPE
      UnixSocket[] q = pair(sys, server);
      try (UnixSocket client = q[0]) {
        q[1].close();
        assertThatThrownBy(
                () -> {
                  for (int i = 0; i < 100; i++) client.write(new byte[65536], 0, 65536);
                })
            .isInstanceOf(IOException.class);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"jffi", "jnr"})
  void closeWakesBlockedAcceptAndConnectToMissingFails(String name) throws Exception {
    Syscalls sys = backend(name);
    UnixServerSocket server = UnixServerSocket.bind(sys, dir.resolve("s.sock"), 8);
    CompletableFuture<Throwable> blocked =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                server.accept().close();
                return null;
              } catch (IOException e) {
                return e;
              }
            });
    Thread.sleep(200);
    server.close();
    assertThat(blocked.get(5, TimeUnit.SECONDS)).isInstanceOf(AsynchronousCloseException.class);
    assertThatThrownBy(() -> UnixSocket.connect(sys, dir.resolve("s.sock")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("ECONNREFUSED");
    assertThatThrownBy(() -> UnixSocket.connect(sys, dir.resolve("missing.sock")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("ENOENT");
    assertThatThrownBy(() -> UnixServerSocket.bind(sys, dir.resolve("x".repeat(120)), 1))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("ENAMETOOLONG");
  }
}
