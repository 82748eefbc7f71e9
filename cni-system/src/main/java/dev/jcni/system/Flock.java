package dev.jcni.system;

import dev.jcni.system.internal.nativ.Native;
import dev.jcni.system.internal.nativ.Syscalls;
import java.nio.file.Path;

/**
 * An exclusive {@code flock(2)} lock on a file, the kind Go's host-local (go-filemutex) takes on
 * {@code <dataDir>/<network>/lock}. Java's {@code FileChannel.lock()} takes fcntl record locks,
 * which do not exclude flock holders on Linux, so it cannot interoperate; this class calls flock(2)
 * directly.
 *
 * <pre>{@code
 * try (Flock lock = Flock.lock(dir.resolve("lock"))) {
 *   ... allocate ...
 * }
 * }</pre>
 */
public final class Flock implements AutoCloseable {
  private final Syscalls sys;
  private final int fd;
  private final Path path;
  private boolean released;

  private Flock(Syscalls sys, int fd, Path path) {
    this.sys = sys;
    this.fd = fd;
    this.path = path;
  }

  /**
   * Blocks until an exclusive lock on the file is held; creates the file (mode 0644) if missing.
   * The parent directory must exist.
   */
  public static Flock lock(Path file) {
    return acquire(file, Syscalls.LOCK_EX);
  }

  /** Like {@link #lock} but returns null at once when another holder has the lock. */
  public static Flock tryLock(Path file) {
    return acquire(file, Syscalls.LOCK_EX | Syscalls.LOCK_NB);
  }

  private static Flock acquire(Path file, int op) {
    Syscalls sys = Native.syscalls();
    String p = file.toString();
    int fd =
        sys.open(p, Syscalls.O_RDONLY | Syscalls.O_CREAT | Syscalls.O_CLOEXEC, 0644, "flockOpen");
    try {
      if (!sys.flock(fd, op, p)) {
        sys.close(fd);
        return null;
      }
      return new Flock(sys, fd, file);
    } catch (RuntimeException e) {
      sys.close(fd);
      throw e;
    }
  }

  public Path path() {
    return path;
  }

  /** Unlocks and closes the file. */
  @Override
  public synchronized void close() {
    if (released) return;
    released = true;
    try {
      sys.flock(fd, Syscalls.LOCK_UN, path.toString());
    } finally {
      sys.close(fd);
    }
  }
}
