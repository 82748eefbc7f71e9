package dev.jcni.daemon;

import dev.jcni.system.NetNs;
import dev.jcni.system.UnixSocket;
import dev.jcni.system.internal.nativ.Native;
import dev.jcni.system.internal.nativ.Syscalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A Java stand-in for the native shim: connects, waits for the greeting, sends the request with
 * fds[0] = the calling thread's netns and fds[1] = CNI_NETNS (when it opens), exactly as
 * PROTOCOL.md says, reads the response. Call it from a thread inside a node namespace ({@link
 * #callFrom}).
 */
final class TestClient {
  private TestClient() {}

  record Reply(int kind, int exit, String stdout, String stderr) {}

  /** The request as the shim would send it, from the calling thread's namespace. */
  static Reply call(Path socket, String type, Map<String, String> env, String stdin)
      throws IOException {
    return call(socket, type, env, stdin, false);
  }

  /**
   * With {@code disconnect}, closes the connection right after sending (a runtime that killed the
   * shim).
   */
  static Reply call(
      Path socket, String type, Map<String, String> env, String stdin, boolean disconnect)
      throws IOException {
    return call(socket, type, env, stdin, disconnect, env.get("CNI_NETNS"));
  }

  /**
   * As the shim, except that fds[1] is {@code openAsNetns} opened (tests: prove the fd wins over
   * the path).
   */
  static Reply call(
      Path socket,
      String type,
      Map<String, String> env,
      String stdin,
      boolean disconnect,
      String openAsNetns)
      throws IOException {
    Syscalls sys = Native.syscalls();
    int own =
        sys.open("/proc/thread-self/ns/net", Syscalls.O_RDONLY | Syscalls.O_CLOEXEC, 0, "test");
    int netns = -1;
    String p = openAsNetns;
    if (p != null && !p.isEmpty()) {
      try {
        netns = sys.open(p, Syscalls.O_RDONLY | Syscalls.O_CLOEXEC, 0, "test");
      } catch (RuntimeException e) {
        netns = -1; // the shim sends only what opens
      }
    }
    try (UnixSocket s = UnixSocket.connect(socket)) {
      s.setReadTimeout(Duration.ofSeconds(60));
      byte[] greeting = new byte[8];
      s.readFully(greeting, 0, 8);
      if (!Arrays.equals(greeting, Protocol.GREETING)) throw new IOException("bad greeting");
      List<String> entries = new ArrayList<>();
      env.forEach((k, v) -> entries.add(k + "=" + v));
      byte[] body =
          Protocol.encodeCall(type, entries, stdin.getBytes(StandardCharsets.UTF_8), netns >= 0);
      byte[] len = {
        (byte) (body.length >>> 24),
        (byte) (body.length >>> 16),
        (byte) (body.length >>> 8),
        (byte) body.length
      };
      s.writeWithFds(len, 0, 4, netns >= 0 ? new int[] {own, netns} : new int[] {own});
      s.write(body, 0, body.length);
      if (disconnect) return null;
      StatusClient.Response r = StatusClient.Response.read(s);
      return new Reply(
          r.kind(),
          r.exit(),
          new String(r.stdout(), StandardCharsets.UTF_8),
          new String(r.stderr(), StandardCharsets.UTF_8));
    } finally {
      sys.close(own);
      if (netns >= 0) sys.close(netns);
    }
  }

  /** Work from a thread inside {@code node}, started now on a separate thread. */
  static java.util.concurrent.CompletableFuture<Reply> async(
      NetNs node, NetNs.Task<Reply, IOException> work) {
    java.util.concurrent.CompletableFuture<Reply> f =
        new java.util.concurrent.CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                f.complete(node.run(work));
              } catch (Throwable e) {
                f.completeExceptionally(e);
              }
            });
    t.start();
    return f;
  }

  /** {@link #call} from a fresh thread inside {@code node}. */
  static Reply callFrom(NetNs node, Path socket, String type, Map<String, String> env, String stdin)
      throws IOException {
    return node.run(() -> call(socket, type, env, stdin));
  }

  /**
   * Raw bytes after the greeting; returns the response, or null if the daemon closed without one.
   */
  static StatusClient.Response raw(Path socket, byte[] bytes, boolean closeOutput)
      throws IOException {
    try (UnixSocket s = UnixSocket.connect(socket)) {
      s.setReadTimeout(Duration.ofSeconds(30));
      byte[] greeting = new byte[8];
      s.readFully(greeting, 0, 8);
      s.write(bytes, 0, bytes.length);
      if (closeOutput) s.shutdownOutput();
      try {
        return StatusClient.Response.read(s);
      } catch (java.io.EOFException e) {
        return null;
      }
    }
  }
}
