package dev.jcni.system;

import static dev.jcni.system.TestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * flock(2) semantics: threads exclude each other, and so do the flock(1) command (Go's go-filemutex
 * kind).
 */
class FlockTest {
  @TempDir Path dir;

  @Test
  void createsTheFileAndExcludesOtherHolders() throws Exception {
    Path f = dir.resolve("lock");
    try (Flock l = Flock.lock(f)) {
      assertThat(Files.exists(f)).isTrue();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).startsWith("rw-");
      // a second open file description cannot take it (flock locks belong to the open file, not the
      // process)
      assertThat(Flock.tryLock(f)).isNull();
    }
    try (Flock again = Flock.tryLock(f)) {
      assertThat(again).isNotNull();
    }
  }

  @Test
  void threadsSerialize() throws Exception {
    Path f = dir.resolve("lock");
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger maxInside = new AtomicInteger();
    Thread[] ts = new Thread[8];
    for (int i = 0; i < ts.length; i++) {
      ts[i] =
          new Thread(
              () -> {
                for (int k = 0; k < 20; k++) {
                  try (Flock l = Flock.lock(f)) {
                    int n = inside.incrementAndGet();
                    maxInside.accumulateAndGet(n, Math::max);
                    Thread.onSpinWait();
                    inside.decrementAndGet();
                  }
                }
              });
      ts[i].start();
    }
    for (Thread t : ts) t.join();
    assertThat(maxInside.get()).isEqualTo(1);
  }

  @Test
  void interoperatesWithFlockCommand() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/flock")), "flock(1) not installed");
    Path f = dir.resolve("lock");
    Path marker = dir.resolve("marker");
    // flock(1) holds the lock for a while and writes the marker just before releasing it
    Process holder =
        new ProcessBuilder(
                "flock", "-x", f.toString(), "sh", "-c", "sleep 2; echo done > " + marker)
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      boolean heldByCommand = false;
      while (System.nanoTime() < deadline && !Files.exists(marker)) {
        Flock probe = Flock.tryLock(f);
        if (probe == null) {
          heldByCommand = true;
          break;
        }
        probe.close();
        Thread.sleep(10);
      }
      assertThat(heldByCommand).as("flock(1) lock visible to Flock.tryLock").isTrue();
      try (Flock l = Flock.lock(f)) { // blocks until the command's critical section is over
        assertThat(Files.exists(marker))
            .as("lock granted only after flock(1) released it")
            .isTrue();
      }
    } finally {
      holder.destroy();
      holder.waitFor();
    }
    // and the other way round: while we hold it, flock -n fails
    try (Flock l = Flock.lock(f)) {
      assertThat(run("flock", "-n", "-x", f.toString(), "true").exit()).isEqualTo(1);
    }
    assertThat(run("flock", "-n", "-x", f.toString(), "true").exit()).isZero();
  }

  @Test
  void separateProcessesExclude() throws Exception {
    // a second JVM would be slow; flock(1) with a shell critical section stands in for "another
    // process"
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/flock")), "flock(1) not installed");
    Path f = dir.resolve("lock");
    Path log = dir.resolve("log");
    CountDownLatch started = new CountDownLatch(1);
    Process p;
    try (Flock l = Flock.lock(f)) {
      p =
          new ProcessBuilder("flock", "-x", f.toString(), "sh", "-c", "echo child >> " + log)
              .start();
      started.countDown();
      Thread.sleep(300);
      assertThat(Files.exists(log)).as("child must wait for our lock").isFalse();
      Files.writeString(log, "parent\n");
    }
    assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readAllLines(log)).containsExactly("parent", "child");
  }
}
