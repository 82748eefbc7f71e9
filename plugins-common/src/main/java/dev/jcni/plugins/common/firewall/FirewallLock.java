package dev.jcni.plugins.common.firewall;

import dev.jcni.spec.ErrorText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises read-modify-write firewall sequences of one kind across processes and threads, for the
 * iptables cases where a transaction depends on what was read just before (for instance declaring a
 * shared chain only when it is missing, since declaring flushes it). A lock file under {@code
 * /run/jcni/locks} plus a JVM-wide lock per name (file locks do not exclude threads of one JVM).
 */
public final class FirewallLock implements AutoCloseable {
  /** Default directory of the lock files. */
  public static final Path DEFAULT_DIR = Path.of("/run/jcni/locks");

  private static final ConcurrentHashMap<String, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

  private final ReentrantLock local;
  private final FileChannel channel;
  private final FileLock lock;

  private FirewallLock(ReentrantLock local, FileChannel channel, FileLock lock) {
    this.local = local;
    this.channel = channel;
    this.lock = lock;
  }

  /** Blocks until the lock {@code name} (letters, digits, {@code _-.}) is held. */
  public static FirewallLock acquire(String name) {
    return acquire(DEFAULT_DIR, name);
  }

  public static FirewallLock acquire(Path dir, String name) {
    if (!name.matches("[A-Za-z0-9_.\\-]{1,64}")) {
      throw new IllegalArgumentException("bad lock name");
    }
    Path file = dir.resolve(name + ".lock");
    ReentrantLock local = LOCAL.get(file.toString());
    if (local == null) {
      ReentrantLock fresh = new ReentrantLock();
      local = LOCAL.putIfAbsent(file.toString(), fresh);
      if (local == null) {
        local = fresh;
      }
    }
    local.lock();
    FileChannel ch = null;
    try {
      try {
        Files.createDirectories(dir);
      } catch (java.nio.file.AccessDeniedException e) {
        // Not root: no firewall change can succeed anyway; lock under the temp dir so callers still
        // serialise.
        file = Path.of(System.getProperty("java.io.tmpdir"), "jcni-locks-" + name + ".lock");
      }
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      return new FirewallLock(local, ch, ch.lock());
    } catch (IOException | RuntimeException e) {
      try {
        if (ch != null) {
          ch.close();
        }
      } catch (IOException ignored) {
        // already failing
      }
      local.unlock();
      if (e instanceof IOException io) {
        throw new UncheckedIOException("cannot lock " + file + ": " + ErrorText.of(io), io);
      }
      throw (RuntimeException) e;
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // closing the channel drops the lock anyway
    } finally {
      local.unlock();
    }
  }
}
