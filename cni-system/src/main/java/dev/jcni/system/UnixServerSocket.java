package dev.jcni.system;

import dev.jcni.system.internal.nativ.Native;
import dev.jcni.system.internal.nativ.Syscalls;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A listening AF_UNIX stream socket bound to a filesystem path. {@link #accept} hands out {@link
 * UnixSocket}s (close-on-exec). {@link #close} wakes a thread blocked in accept (shutdown first,
 * then close once no thread is inside accept, so the fd number cannot be reused under it); that
 * accept then throws {@link AsynchronousCloseException}. Binding does not remove an existing file
 * (EADDRINUSE): deciding whether a socket file is stale is the caller's business.
 */
public final class UnixServerSocket implements AutoCloseable {
  private final Syscalls sys;
  private final int fd;
  private final Path path;
  private boolean closed;
  private boolean fdClosed;
  private int inAccept;

  private UnixServerSocket(Syscalls sys, int fd, Path path) {
    this.sys = sys;
    this.fd = fd;
    this.path = path;
  }

  /** socket + bind + listen. The socket file gets the process umask's mode; chmod it as needed. */
  public static UnixServerSocket bind(Path path, int backlog) throws IOException {
    return bind(Native.syscalls(), path, backlog);
  }

  /** {@link #bind(Path, int)} through a given backend (tests drive each one). */
  static UnixServerSocket bind(Syscalls sys, Path path, int backlog) throws IOException {
    int fd =
        sys.socket(Syscalls.AF_UNIX, Syscalls.SOCK_STREAM | Syscalls.SOCK_CLOEXEC, 0, "unixSocket");
    try {
      sys.bindUnix(fd, path.toString());
      sys.listen(fd, backlog);
      return new UnixServerSocket(sys, fd, path);
    } catch (ErrnoException e) {
      sys.close(fd);
      throw UnixSocket.io(e);
    } catch (RuntimeException | Error e) {
      sys.close(fd);
      throw e;
    }
  }

  public Path path() {
    return path;
  }

  /**
   * SO_RCVTIMEO on the listening socket: accept throws {@link SocketTimeoutException} after this
   * long.
   */
  public void setAcceptTimeout(Duration d) throws IOException {
    try {
      sys.setTimeout(fd, Syscalls.SO_RCVTIMEO, Math.max(1, d.toMillis()));
    } catch (ErrnoException e) {
      throw UnixSocket.io(e);
    }
  }

  /** Waits for the next connection. */
  public UnixSocket accept() throws IOException {
    synchronized (this) {
      if (closed) throw new AsynchronousCloseException();
      inAccept++;
    }
    int c;
    try {
      c = sys.accept(fd);
    } catch (ErrnoException e) {
      synchronized (this) {
        if (closed) throw new AsynchronousCloseException();
      }
      throw UnixSocket.io(e);
    } finally {
      synchronized (this) {
        inAccept--;
        if (closed && inAccept == 0) closeFd();
      }
    }
    synchronized (this) {
      if (closed) { // a connection that raced with close: refuse it
        sys.close(c);
        throw new AsynchronousCloseException();
      }
    }
    return new UnixSocket(sys, c, path.toString());
  }

  private void closeFd() {
    if (!fdClosed) {
      fdClosed = true;
      sys.close(fd);
    }
  }

  /** Stops listening (pending connections are reset). Does not remove the socket file. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    try {
      sys.shutdown(fd, Syscalls.SHUT_RDWR);
    } catch (ErrnoException e) {
      // best effort: it only serves to wake a blocked accept
    }
    if (inAccept == 0) closeFd();
  }
}
