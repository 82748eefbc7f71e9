package dev.jcni.system;

import dev.jcni.system.internal.nativ.Errno;
import dev.jcni.system.internal.nativ.Native;
import dev.jcni.system.internal.nativ.Syscalls;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A connected AF_UNIX stream socket over this module's libc binding, with what the JDK's NIO lacks:
 * file descriptors passed as {@code SCM_RIGHTS} ({@link #writeWithFds}, {@link #readWithFds}) and
 * the peer's credentials ({@link #peerCred}). Blocking; read and write timeouts are the kernel's
 * SO_RCVTIMEO/SO_SNDTIMEO ({@link SocketTimeoutException} when they expire). Writes use
 * MSG_NOSIGNAL: a vanished peer is an {@link IOException} (EPIPE), never a SIGPIPE. Writes and
 * {@link #close} exclude each other (one thread may answer while another finishes with the socket);
 * reads are for one thread at a time.
 *
 * <pre>{@code
 * try (UnixSocket s = UnixSocket.connect(Path.of("/run/jcni/jcni.sock"))) {
 *   s.writeWithFds(header, 0, 4, new int[] {netnsFd});
 *   s.write(body, 0, body.length);
 * }
 * }</pre>
 */
public final class UnixSocket implements AutoCloseable {
  private final Syscalls sys;
  private final int fd;
  private final String name;
  private ByteBuffer buf;
  private boolean closed;

  UnixSocket(Syscalls sys, int fd, String name) {
    this.sys = sys;
    this.fd = fd;
    this.name = name;
    this.buf = Buffers.take();
  }

  /** Connects to the socket at {@code path}. */
  public static UnixSocket connect(Path path) throws IOException {
    return connect(Native.syscalls(), path);
  }

  /** {@link #connect(Path)} through a given backend (tests drive each one). */
  static UnixSocket connect(Syscalls sys, Path path) throws IOException {
    int fd =
        sys.socket(Syscalls.AF_UNIX, Syscalls.SOCK_STREAM | Syscalls.SOCK_CLOEXEC, 0, "unixSocket");
    try {
      sys.connectUnix(fd, path.toString());
      return new UnixSocket(sys, fd, path.toString());
    } catch (ErrnoException e) {
      sys.close(fd);
      throw io(e);
    } catch (RuntimeException | Error e) {
      sys.close(fd);
      throw e;
    }
  }

  /** The kernel errno of a failed operation, when the IOException came from one (else 0). */
  public static int errnoOf(IOException e) {
    return e.getCause() instanceof ErrnoException ? ((ErrnoException) e.getCause()).errno() : 0;
  }

  static IOException io(ErrnoException e) {
    IOException x =
        e.errno() == Errno.EAGAIN
            ? new SocketTimeoutException(e.getMessage())
            : new IOException(e.getMessage());
    x.initCause(e);
    return x;
  }

  /** The file descriptor (valid until {@link #close}). */
  public int fd() {
    return fd;
  }

  /** The peer's pid, uid and gid at connect time. */
  public PeerCred peerCred() throws IOException {
    try {
      int[] c = sys.peerCred(fd);
      return new PeerCred(c[0], c[1], c[2]);
    } catch (ErrnoException e) {
      throw io(e);
    }
  }

  /**
   * SO_RCVTIMEO: each blocking read fails with {@link SocketTimeoutException} after this long
   * (zero: never).
   */
  public void setReadTimeout(Duration d) throws IOException {
    timeout(Syscalls.SO_RCVTIMEO, d);
  }

  /**
   * SO_SNDTIMEO: each blocking write fails with {@link SocketTimeoutException} after this long
   * (zero: never).
   */
  public void setWriteTimeout(Duration d) throws IOException {
    timeout(Syscalls.SO_SNDTIMEO, d);
  }

  private void timeout(int option, Duration d) throws IOException {
    long ms = Math.max(0, d.toMillis());
    if (ms == 0 && !d.isZero() && !d.isNegative()) ms = 1; // sub-millisecond: not "forever"
    try {
      sys.setTimeout(fd, option, ms);
    } catch (ErrnoException e) {
      throw io(e);
    }
  }

  /** One recv: up to {@code len} bytes; -1 at end of stream. */
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) return 0;
    int n;
    try {
      n = sys.recvAt(fd, buffer(), 0, Math.min(len, Buffers.SIZE), name);
    } catch (ErrnoException e) {
      throw io(e);
    }
    if (n == 0) return -1;
    buf.get(0, b, off, n);
    return n;
  }

  /** Reads exactly {@code len} bytes ({@link EOFException} if the stream ends first). */
  public void readFully(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      int n = read(b, off, len);
      if (n < 0) throw new EOFException("connection closed by the peer " + len + " bytes short");
      off += n;
      len -= n;
    }
  }

  /**
   * One recvmsg: up to {@code len} bytes plus any SCM_RIGHTS fds, which fill {@code fdsOut} (unused
   * entries -1; fds beyond its length are closed). The received fds are close-on-exec and belong to
   * the caller. Returns -1 at end of stream.
   */
  public int readWithFds(byte[] b, int off, int len, int[] fdsOut) throws IOException {
    int n;
    try {
      n = sys.recvmsgFds(fd, buffer(), 0, Math.min(len, Buffers.SIZE), fdsOut, name);
    } catch (ErrnoException e) {
      throw io(e);
    }
    if (n == 0 && len > 0) return -1;
    buf.get(0, b, off, n);
    return n;
  }

  /** Writes all {@code len} bytes. */
  public synchronized void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      int chunk = Math.min(len, Buffers.SIZE);
      buffer().put(0, b, off, chunk);
      int n;
      try {
        n = sys.sendAt(fd, buf, 0, chunk, name);
      } catch (ErrnoException e) {
        throw io(e);
      }
      off += n;
      len -= n;
    }
  }

  /**
   * Writes all {@code len} bytes; the fds travel as one SCM_RIGHTS message with the first sendmsg
   * (the receiver gets them with the first byte). The caller keeps its own fds open (the kernel
   * duplicates them).
   */
  public synchronized void writeWithFds(byte[] b, int off, int len, int[] fds) throws IOException {
    if (len <= 0)
      throw new IllegalArgumentException("fds need at least one data byte to travel with");
    int chunk = Math.min(len, Buffers.SIZE);
    buffer().put(0, b, off, chunk);
    int n;
    try {
      n = sys.sendmsgFds(fd, buf, 0, chunk, fds, name);
    } catch (ErrnoException e) {
      throw io(e);
    }
    write(b, off + n, len - n);
  }

  /** shutdown(SHUT_WR): the peer reads end of stream; reading still works. */
  public void shutdownOutput() throws IOException {
    shutdown(Syscalls.SHUT_WR);
  }

  /** shutdown(SHUT_RDWR): wakes a thread blocked in a read of this socket. */
  public void shutdownBoth() throws IOException {
    shutdown(Syscalls.SHUT_RDWR);
  }

  private void shutdown(int how) throws IOException {
    try {
      sys.shutdown(fd, how);
    } catch (ErrnoException e) {
      throw io(e);
    }
  }

  private ByteBuffer buffer() throws IOException {
    if (closed) throw new IOException("socket closed");
    return buf;
  }

  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    sys.close(fd);
    Buffers.give(buf);
    buf = null;
  }

  @Override
  public String toString() {
    return "UnixSocket[" + name + (closed ? ", closed" : ", fd=" + fd) + "]";
  }
}
