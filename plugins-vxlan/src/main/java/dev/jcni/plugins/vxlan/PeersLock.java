package dev.jcni.plugins.vxlan;

import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.system.Flock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Serializes "read the peers list, reconcile the VTEP" between the node agent and plugin calls with
 * an exclusive {@code flock(2)} on {@code <peersFile>.lock}. Without it, a plugin ADD that read the
 * list just before the agent wrote a new one would reconcile to the old list after the agent's
 * reconcile, removing the entries of the node that had just joined until the next resync.
 */
public final class PeersLock implements AutoCloseable {
  private final Flock lock;

  private PeersLock(Flock lock) {
    this.lock = lock;
  }

  /** The lock file for a peers file. */
  public static Path lockFileOf(Path peersFile) {
    return peersFile.resolveSibling(peersFile.getFileName() + ".lock");
  }

  /**
   * Takes the lock, polling up to {@code timeout}; a no-op lock when there is no peers file or its
   * directory does not exist (then nobody writes it). Code 11 (try again later) on timeout.
   */
  public static PeersLock acquire(Path peersFile, Duration timeout) {
    if (peersFile == null) {
      return new PeersLock(null);
    }
    Path lockFile = lockFileOf(peersFile.toAbsolutePath());
    if (!Files.isDirectory(lockFile.getParent())) {
      return new PeersLock(null);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Flock f = Flock.tryLock(lockFile);
      if (f != null) {
        return new PeersLock(f);
      }
      if (System.nanoTime() > deadline) {
        throw new CniException(
            ErrorCodes.TRY_AGAIN_LATER,
            "peersFile: "
                + lockFile
                + " is held by another "
                + "reconcile for more than "
                + timeout.toSeconds()
                + "s");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CniException(ErrorCodes.TRY_AGAIN_LATER, "interrupted waiting for " + lockFile);
      }
    }
  }

  public boolean held() {
    return lock != null;
  }

  @Override
  public void close() {
    if (lock != null) {
      lock.close();
    }
  }
}
