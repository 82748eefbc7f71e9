package dev.jcni.shim;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon side of wire protocol v1 as a test double: accepts on a unix socket and hands each
 * connection to a {@link Handler}. NIO has no SCM_RIGHTS, so the namespace fds the shim attaches
 * are dropped by the kernel on a plain read; everything else of the request is parsed byte for
 * byte.
 */
final class FakeDaemon implements AutoCloseable {
  interface Handler {
    void serve(SocketChannel ch) throws IOException;
  }

  record Request(int kind, int flags, String type, List<byte[]> env, byte[] stdin) {
    List<String> envStrings() {
      List<String> l = new ArrayList<>();
      for (byte[] e : env) {
        l.add(new String(e, StandardCharsets.UTF_8));
      }
      return l;
    }
  }

  final Path path;
  final AtomicInteger accepted = new AtomicInteger();
  final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
  final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
  private final ServerSocketChannel server;
  private final Thread thread;

  FakeDaemon(Path path, Handler handler) throws IOException {
    this.path = path;
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    thread =
        new Thread(
            () -> {
              while (server.isOpen()) {
                SocketChannel ch;
                try {
                  ch = server.accept();
                } catch (IOException closed) {
                  return;
                }
                accepted.incrementAndGet();
                Thread t =
                    new Thread(
                        () -> {
                          try (ch) {
                            handler.serve(ch);
                          } catch (IOException | RuntimeException e) {
                            errors.add(e);
                          }
                        });
                t.setDaemon(true);
                t.start();
              }
            },
            "fake-jcni-daemon");
    thread.setDaemon(true);
    thread.start();
  }

  /** The well-behaved daemon: greeting, request, one response from {@code answer}. */
  static Handler answering(
      java.util.function.Function<Request, byte[]> answer, BlockingQueue<Request> seen) {
    return ch -> {
      greet(ch);
      Request r = readRequest(ch);
      seen.add(r);
      write(ch, answer.apply(r));
    };
  }

  static void greet(SocketChannel ch) throws IOException {
    write(ch, greeting("JCNI", 1));
  }

  static byte[] greeting(String magic, int version) {
    return ByteBuffer.allocate(8)
        .put(magic.getBytes(StandardCharsets.US_ASCII), 0, 4)
        .putInt(version)
        .array();
  }

  static void write(SocketChannel ch, byte[] b) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(b);
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }

  static byte[] readFully(SocketChannel ch, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n);
    while (b.hasRemaining()) {
      if (ch.read(b) < 0) {
        throw new EOFException("peer closed after " + b.position() + " of " + n + " bytes");
      }
    }
    return b.array();
  }

  static Request readRequest(SocketChannel ch) throws IOException {
    int n = ByteBuffer.wrap(readFully(ch, 4)).getInt();
    if (n < 1 || n > 8 << 20) {
      throw new IOException("bad request length " + n);
    }
    ByteBuffer b = ByteBuffer.wrap(readFully(ch, n));
    int kind = b.get() & 0xff;
    int flags = b.get() & 0xff;
    String type = new String(blob(b), StandardCharsets.UTF_8);
    int count = b.getInt();
    List<byte[]> env = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      env.add(blob(b));
    }
    byte[] stdin = blob(b);
    if (b.hasRemaining()) {
      throw new IOException(b.remaining() + " bytes after the stdin blob");
    }
    return new Request(kind, flags, type, env, stdin);
  }

  private static byte[] blob(ByteBuffer b) {
    byte[] a = new byte[b.getInt()];
    b.get(a);
    return a;
  }

  /** A response frame: u32 length, kind, i32 exit, stdout blob, stderr blob. */
  static byte[] response(int kind, int exit, byte[] out, byte[] err) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteBuffer head =
        ByteBuffer.allocate(4 + 1 + 4)
            .putInt(1 + 4 + 4 + out.length + 4 + err.length)
            .put((byte) kind)
            .putInt(exit);
    o.writeBytes(head.array());
    o.writeBytes(ByteBuffer.allocate(4).putInt(out.length).array());
    o.writeBytes(out);
    o.writeBytes(ByteBuffer.allocate(4).putInt(err.length).array());
    o.writeBytes(err);
    return o.toByteArray();
  }

  @Override
  public void close() throws Exception {
    server.close();
    thread.join(5000);
    Files.deleteIfExists(path);
  }
}
