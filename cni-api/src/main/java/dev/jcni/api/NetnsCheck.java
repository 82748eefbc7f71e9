package dev.jcni.api;

import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * skel's guard against a runtime passing the plugin's own network namespace as CNI_NETNS
 * (ns.CheckNetNS): the two are the same namespace when the nsfs device and inode match. Uses stat
 * only (no native code).
 */
final class NetnsCheck {
  private NetnsCheck() {}

  static boolean overridden(String override) {
    return override != null && (override.equalsIgnoreCase("true") || override.equals("1"));
  }

  /**
   * Throws code 8 when {@code netnsPath} is the calling thread's netns. A path that cannot be read
   * is not an error (DEL may name an already deleted netns, and an empty one), as in Go.
   */
  static void check(String netnsPath) {
    if (netnsPath == null || netnsPath.isEmpty()) {
      return;
    }
    Object[] target;
    try {
      target = devIno(Path.of(netnsPath));
    } catch (IOException | RuntimeException e) {
      return;
    }
    Object[] own;
    try {
      own = devIno(Path.of("/proc/thread-self/ns/net"));
    } catch (IOException | RuntimeException e) {
      throw new CniException(ErrorCodes.INVALID_NETNS, "get plugin's netns failed");
    }
    if (target[0].equals(own[0]) && target[1].equals(own[1])) {
      throw new CniException(
          ErrorCodes.INVALID_NETNS,
          "plugin's netns and netns from CNI_NETNS should not be the same");
    }
  }

  /** True when {@code netnsPath} names the calling thread's netns; false when it cannot be read. */
  static boolean isOwn(String netnsPath) {
    try {
      check(netnsPath);
      return false;
    } catch (CniException e) {
      return e.code() == ErrorCodes.INVALID_NETNS;
    }
  }

  private static Object[] devIno(Path p) throws IOException {
    return new Object[] {Files.getAttribute(p, "unix:dev"), Files.getAttribute(p, "unix:ino")};
  }
}
