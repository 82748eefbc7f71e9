package dev.jcni.api;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The process environment as the UTF-8 decoding of its raw bytes, whatever the locale. A runtime
 * often execs a plugin with no locale at all; the JVM then decodes the environment (and encodes
 * file names and child environments) as ASCII, so {@code CNI_IFNAME=éth0} would become {@code
 * \ufffd\ufffdth0}. The Go plugins treat the environment as bytes; CNI identifiers are UTF-8 text,
 * so decoding the bytes as UTF-8 is the same thing.
 *
 * <p>The launchers run the JVM under {@code C.UTF-8}; for a JVM started otherwise, {@link Main}
 * relaunches itself under {@code C.UTF-8} ({@link #relaunchUnderUtf8}) or, when that cannot work,
 * at least reads the environment bytes from {@code /proc/self/environ} ({@link #environment()}).
 */
public final class ProcessEnv {
  /** The locale the launchers and a relaunch use: built into glibc since 2.35, always UTF-8. */
  public static final String UTF8_LOCALE = "C.UTF-8";

  private ProcessEnv() {}

  /**
   * Whether this JVM decodes the environment and encodes file names as UTF-8 ({@code
   * sun.jnu.encoding}).
   */
  public static boolean jvmIsUtf8() {
    String jnu = System.getProperty("sun.jnu.encoding", "");
    return jnu.equalsIgnoreCase("UTF-8") || jnu.equalsIgnoreCase("UTF8");
  }

  /**
   * The environment: {@link System#getenv()} when the JVM decodes it as UTF-8 already, else the
   * initial environment's bytes from {@code /proc/self/environ}, decoded as UTF-8 (invalid bytes
   * become U+FFFD, which the identifier validators refuse).
   */
  public static Map<String, String> environment() {
    if (jvmIsUtf8()) {
      return System.getenv();
    }
    try (InputStream in = new FileInputStream("/proc/self/environ")) {
      return parseEnviron(in.readAllBytes());
    } catch (IOException e) {
      return System.getenv();
    }
  }

  /**
   * {@code NAME=VALUE\0...} as found in {@code /proc/PID/environ}; the first of duplicate names
   * wins (getenv).
   */
  static Map<String, String> parseEnviron(byte[] b) {
    Map<String, String> env = new HashMap<>();
    int start = 0;
    for (int i = 0; i <= b.length; i++) {
      if (i == b.length || b[i] == 0) {
        int eq = -1;
        for (int j = start; j < i; j++) {
          if (b[j] == '=') {
            eq = j;
            break;
          }
        }
        // an entry without '=' or with an empty name is not a variable (the JVM skips those too)
        if (eq > start) {
          env.putIfAbsent(
              new String(b, start, eq - start, StandardCharsets.UTF_8),
              new String(b, eq + 1, i - eq - 1, StandardCharsets.UTF_8));
        }
        start = i + 1;
      }
    }
    return Map.copyOf(env);
  }

  /**
   * Re-runs this very JVM command line under {@code LC_ALL=C.UTF-8} (every other variable passes
   * byte for byte: the JVM keeps the inherited bytes of variables it does not change), with stdin,
   * stdout and stderr inherited, and returns its exit code. Returns -1 when a relaunch is not
   * possible or not useful: the JVM is UTF-8 already, {@code LC_ALL} already names the UTF-8 locale
   * (the locale is missing: relaunching again would loop), the command line cannot be read, or it
   * holds non-ASCII bytes (they would not survive this JVM's encoding).
   */
  public static int relaunchUnderUtf8() {
    if (jvmIsUtf8() || UTF8_LOCALE.equals(System.getenv("LC_ALL"))) {
      return -1;
    }
    List<String> cmd = commandLine();
    if (cmd == null) {
      return -1;
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
    pb.environment().put("LC_ALL", UTF8_LOCALE);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return -1;
    }
    // a runtime that times out kills us: take the child along
    Runtime.getRuntime().addShutdownHook(new Thread(new Destroy(p), "jcni-relaunch-kill"));
    while (true) {
      try {
        return p.waitFor();
      } catch (InterruptedException e) {
        // keep waiting: the child owns the call now
      }
    }
  }

  /**
   * argv of this process ({@code /proc/self/cmdline}) with the executable as {@code
   * /proc/self/exe}'s target.
   */
  private static List<String> commandLine() {
    byte[] b;
    Path exe;
    try (InputStream in = new FileInputStream("/proc/self/cmdline")) {
      b = in.readAllBytes();
      exe = Files.readSymbolicLink(Path.of("/proc/self/exe"));
    } catch (IOException | RuntimeException e) {
      return null;
    }
    List<String> argv = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < b.length; i++) {
      if (b[i] < 0) {
        return null;
      }
      if (b[i] == 0) {
        argv.add(new String(b, start, i - start, StandardCharsets.US_ASCII));
        start = i + 1;
      }
    }
    if (argv.isEmpty()) {
      return null;
    }
    argv.set(0, exe.toString());
    return argv;
  }

  private static final class Destroy implements Runnable {
    private final Process p;

    Destroy(Process p) {
      this.p = p;
    }

    @Override
    public void run() {
      p.destroy();
    }
  }
}
