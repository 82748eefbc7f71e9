package dev.jcni.plugins.common.firewall;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@link CommandRunner} on {@link ProcessBuilder}. Binaries are looked up in a fixed system PATH
 * (not the caller's), so a hostile PATH in the CNI environment cannot substitute {@code nft} or
 * {@code iptables-restore}.
 */
public final class ProcessRunner implements CommandRunner {
  /** Where the firewall tools live on every distribution we know of. */
  public static final String SYSTEM_PATH =
      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final long timeoutMillis;

  public ProcessRunner() {
    this(60_000);
  }

  public ProcessRunner(long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public Output run(List<String> argv, byte[] stdin) {
    // The JDK resolves a bare program name with the *parent's* PATH, not the child's environment:
    // resolve it in
    // SYSTEM_PATH here, so the caller's PATH (empty or hostile) never decides which nft/iptables
    // runs.
    List<String> cmd = argv;
    String exe = argv.get(0);
    if (exe.indexOf('/') < 0) {
      for (String dir : SYSTEM_PATH.split(":")) {
        java.io.File f = new java.io.File(dir, exe);
        if (f.isFile() && f.canExecute()) {
          cmd = new java.util.ArrayList<>(argv);
          cmd.set(0, f.getPath());
          break;
        }
      }
    }
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Map<String, String> env = pb.environment();
    env.put("PATH", SYSTEM_PATH);
    // Stable, parseable messages from the tools regardless of the node's locale.
    env.put("LC_ALL", "C");
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return new Output(127, "", argv.get(0) + ": " + e.getMessage());
    }
    // stderr drains on its own thread so a chatty child can never block on a full pipe while we
    // read stdout.
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread drain = new Thread(new Drain(p.getErrorStream(), err), "fw-stderr");
    drain.setDaemon(true);
    drain.start();
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin);
      }
    } catch (IOException e) {
      // The child exited early (for instance a usage error); its exit code and stderr say why.
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    copy(p.getInputStream(), out);
    try {
      if (!p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return new Output(124, out.toString(StandardCharsets.UTF_8), argv.get(0) + ": timed out");
      }
      drain.join(timeoutMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      return new Output(130, out.toString(StandardCharsets.UTF_8), argv.get(0) + ": interrupted");
    }
    String errText;
    synchronized (err) {
      errText = err.toString(StandardCharsets.UTF_8);
    }
    return new Output(p.exitValue(), out.toString(StandardCharsets.UTF_8), errText);
  }

  /**
   * A named class rather than a lambda: no invokedynamic bootstrap in a JVM that lives for one
   * call.
   */
  private static final class Drain implements Runnable {
    private final InputStream in;
    private final ByteArrayOutputStream out;

    Drain(InputStream in, ByteArrayOutputStream out) {
      this.in = in;
      this.out = out;
    }

    @Override
    public void run() {
      copy(in, out);
    }
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    byte[] buf = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buf)) > 0) {
        synchronized (out) {
          out.write(buf, 0, n);
        }
      }
    } catch (IOException e) {
      // The pipe closed; what was read is all there is.
    }
  }
}
