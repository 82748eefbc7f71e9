package dev.jcni.packager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code runtime/}: a Java runtime image made with {@code jlink} from the packaging JDK ({@code
 * javaHome}), holding only the modules the jars need, so a node without a JDK (one the DaemonSet
 * installs us onto) still runs the direct path. The launchers prefer it (see Generate's script).
 * Its {@code release} file gets {@code JAVA_RUNTIME_VERSION=<that JDK's>-jlinked} (jlink writes
 * none): the launchers and {@link Archives} name class-data archives after that key, and the image
 * is a different JDK build for CDS (its own default CDS archive, which a dynamic archive is checked
 * against: one made with the full JDK is refused), so it needs an archive of its own, beside the
 * full JDK's.
 *
 * <p>Modules: a fixed list rather than a {@code jdeps} run per build (13 s on this machine);
 * integration-tests' {@code InstallIT} runs jdeps over the node tree's jars and fails when they
 * need a module missing here. Made only when asked (jcni-maven-plugin's {@code runtime} parameter).
 */
final class JlinkRuntime {
  /**
   * java.logging: jnr-ffi; jdk.unsupported: sun.misc.Unsafe (jffi, jnr) and sun.misc.Signal (jcni
   * daemon).
   */
  static final String MODULES = "java.base,java.logging,jdk.unsupported";

  static final String DIR = "runtime";

  private JlinkRuntime() {}

  /** Removes a {@code runtime/} an earlier package made; returns null (no runtime). */
  static Path remove(Path dist) throws IOException {
    deleteTree(dist.resolve(DIR));
    return null;
  }

  /**
   * Returns the image's home, or null when this JDK has no jlink (the launchers then use the node's
   * JDK).
   */
  static Path make(Path dist, Path javaHome, Consumer<String> log)
      throws IOException, InterruptedException {
    Path out = dist.resolve(DIR);
    deleteTree(out);
    Path jlink = javaHome.resolve("bin/jlink");
    if (!Files.isExecutable(jlink)) {
      log.accept(
          "no jlink in " + javaHome + " (a JRE?): no runtime/, the launchers use the node's JDK");
      return null;
    }
    String rt = Archives.release(javaHome).get("JAVA_RUNTIME_VERSION");
    if (rt == null) {
      throw new IOException("no JAVA_RUNTIME_VERSION in " + javaHome.resolve("release"));
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                jlink.toString(),
                "--add-modules",
                MODULES,
                "--strip-debug",
                "--no-header-files",
                "--no-man-pages",
                // the image's own default CDS archive: the base every AppCDS archive for it builds
                // on
                "--generate-cds-archive",
                "--release-info",
                "add:JAVA_RUNTIME_VERSION=" + rt + "-jlinked",
                "--output",
                out.toString()));
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(10, TimeUnit.MINUTES)
        || p.exitValue() != 0
        || !Files.isExecutable(out.resolve("bin/java"))) {
      p.destroyForcibly();
      deleteTree(out);
      throw new IOException("jlink failed: " + output);
    }
    // the base archive for heaps over 32 GB (no compressed oops): never a plugin's or the daemon's,
    // and 10 MB
    Files.deleteIfExists(out.resolve("lib/server/classes_nocoops.jsa"));
    log.accept(
        "runtime/ ("
            + MODULES
            + ") made with jlink in "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)
            + " ms");
    return out;
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (java.util.stream.Stream<Path> w = Files.walk(p)) {
      for (Path q : w.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }
}
