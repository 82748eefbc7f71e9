package dev.jcni.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's example as written, in a namespace of its own (prefix jse-), and checks what it
 * claims.
 */
class ReadmeExampleTest {
  @TempDir Path dir;

  @Test
  void readmeExample() throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")), "needs root: creates a network namespace");
    String name =
        "jse-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    Path lockFile = dir.resolve("lock");
    String forward;
    String inside;
    long inode;
    String rootForward = Sysctl.get("net.ipv4.ip_forward");
    try {
      // ---- README example, verbatim ----
      try (Flock lock = Flock.lock(lockFile); // flock(2): excludes other processes, Go's flock too
          NetNs pod = NetNs.create(name)) { // ip netns add NAME (returned open)
        Sysctl.set(pod, "net.ipv4.ip_forward", "1"); // lands in pod only
        forward = Sysctl.get(pod, "net.ipv4.ip_forward");
        inside =
            pod.run(() -> Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString());
        System.out.println(
            name + ": ip_forward=" + forward + ", " + inside + " = inode " + pod.inode());
        inode = pod.inode();
      } finally {
        NetNs.delete(name); // ip netns del NAME
      }
      // ---- end of example ----
    } finally {
      if (Files.exists(NetNs.RUN_DIR.resolve(name))) NetNs.delete(name);
    }
    assertThat(forward).isEqualTo("1");
    assertThat(inside).isEqualTo("net:[" + inode + "]"); // run() really ran inside the namespace
    assertThat(Sysctl.get("net.ipv4.ip_forward"))
        .isEqualTo(rootForward); // the root namespace is untouched
    assertThat(Files.exists(NetNs.RUN_DIR.resolve(name))).isFalse();
    try (Flock again = Flock.tryLock(lockFile)) { // released by the example's close
      assertThat(again).isNotNull();
    }
  }
}
