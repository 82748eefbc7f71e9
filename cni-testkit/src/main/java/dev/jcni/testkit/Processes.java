package dev.jcni.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * External commands for tests ({@code ip}, {@code nft}, a packaged plugin, a Go reference plugin):
 * run one to the end with stdin, extra environment and a time limit, stdout and stderr captured
 * apart. Both streams are drained while the process runs, so a chatty command cannot block on a
 * full pipe.
 */
public final class Processes {
  /** The time limit of the short forms. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

  private Processes() {}

  /** A finished process. */
  public record Finished(int exit, String stdout, String stderr) {
    /** Exit status 0. */
    public boolean ok() {
      return exit == 0;
    }
  }

  /**
   * Runs {@code argv} to the end. {@code stdin} null means an empty stdin; {@code env} is added to
   * this process's environment. A process still running after {@code timeout} is killed and fails
   * the test (AssertionError).
   */
  public static Finished run(
      List<String> argv, String stdin, Map<String, String> env, Duration timeout)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().putAll(env);
    Process p = pb.start();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread drainErr = new Thread(() -> drain(p.getErrorStream(), err), "testkit-stderr");
    drainErr.start();
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException ignored) {
      // the command does not read its stdin
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    drain(p.getInputStream(), out);
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", argv));
    }
    drainErr.join();
    return new Finished(
        p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * {@link #run(List, String, Map, Duration)} with no stdin, no extra environment and the default
   * time limit.
   */
  public static Finished run(String... argv) throws IOException, InterruptedException {
    return run(List.of(argv), null, Map.of(), DEFAULT_TIMEOUT);
  }

  /** The same, unchecked: an I/O error or an interrupt fails the test. */
  public static Finished exec(String... argv) {
    try {
      return run(argv);
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", argv) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: " + String.join(" ", argv), e);
    }
  }

  /**
   * Runs a command that must succeed (AssertionError naming it, with its stderr, otherwise);
   * returns stdout.
   */
  public static String sh(String... argv) {
    Finished f = exec(argv);
    if (!f.ok()) {
      throw new AssertionError(
          String.join(" ", argv) + " exited " + f.exit() + ": " + f.stderr() + f.stdout());
    }
    return f.stdout();
  }

  /** {@code ip netns exec NS argv...}, which must succeed; returns stdout. */
  public static String inNetns(String ns, String... argv) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    cmd.addAll(List.of(argv));
    return sh(cmd.toArray(String[]::new));
  }

  private static void drain(InputStream in, ByteArrayOutputStream out) {
    try (in) {
      in.transferTo(out);
    } catch (IOException ignored) {
      // the process went away
    }
  }
}
