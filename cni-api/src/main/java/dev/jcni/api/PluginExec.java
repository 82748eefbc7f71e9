package dev.jcni.api;

import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.ErrorJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a plugin executable the way Go's libcni does ({@code pkg/invoke}: {@code FindInPath} +
 * {@code RawExec}). The one implementation behind exec'd IPAM delegates ({@link Delegations}) and
 * the runtime's chains ({@code dev.jcni.runtime.CniRuntime}).
 *
 * <ul>
 *   <li>{@link #find}: no '/' in the type; the first regular file {@code <dir>/<type>} in CNI_PATH
 *       order. Not found is code 999 (what Go's skel reports when a plugin's delegate is missing).
 *   <li>{@link #exec}: exactly the given environment (callers build it: the process env with the
 *       CNI_* variables overridden, so TRACEPARENT/TRACESTATE/BAGGAGE and the like pass through),
 *       the bytes on stdin, stdout returned. "text file busy" (a binary being replaced) is retried
 *       5 times; a plugin still running at the timeout is killed with its descendants (code 999).
 *       The plugin's stderr is copied to ours, also on failure.
 *   <li>A non-zero exit is read with libcni's {@code pluginErr} rules ({@link #pluginError}).
 * </ul>
 *
 * <p>Instances hold only configuration and may be shared between threads.
 */
public final class PluginExec {
  /** libcni retries "text file busy" this many times, 1 s apart. */
  public static final int TEXT_FILE_BUSY_RETRIES = 5;

  /**
   * A write of at most this many bytes into an empty pipe never blocks (POSIX PIPE_BUF; Linux pipes
   * hold more).
   */
  private static final int PIPE_BUF = 4096;

  private final PrintStream stderr;
  private final long textBusyDelayMillis;

  /** {@code stderr}: where the plugins' stderr is copied. */
  public PluginExec(PrintStream stderr) {
    this(stderr, 1000);
  }

  /** With another delay between "text file busy" retries (libcni: 1000 ms); for tests. */
  public PluginExec(PrintStream stderr, long textBusyDelayMillis) {
    this.stderr = stderr;
    this.textBusyDelayMillis = textBusyDelayMillis;
  }

  /**
   * libcni's {@code FindInPath}.
   *
   * @throws CniException code 999 with libcni's message when the type is invalid or not found
   */
  public static Path find(String type, List<String> cniPath) {
    String bad = invalidName(type, cniPath);
    if (bad == null) {
      for (int i = 0; i < cniPath.size(); i++) {
        Path p = Path.of(cniPath.get(i), type);
        if (Files.isRegularFile(p)) {
          return p;
        }
      }
      bad = notFound(type, cniPath);
    }
    throw new CniException(ErrorCodes.INTERNAL, bad);
  }

  /** {@link #find}'s error message, or null when the plugin is found. */
  public static String findError(String type, List<String> cniPath) {
    try {
      find(type, cniPath);
      return null;
    } catch (CniException e) {
      return e.msg();
    }
  }

  private static String invalidName(String type, List<String> cniPath) {
    if (type == null || type.isEmpty()) {
      return "no plugin name provided";
    }
    if (type.indexOf('/') >= 0) {
      return "invalid plugin name: " + type;
    }
    if (cniPath.isEmpty()) {
      return "no paths provided";
    }
    return null;
  }

  private static String notFound(String type, List<String> cniPath) {
    return "failed to find plugin "
        + WireOut.goQuote(type)
        + " in path ["
        + String.join(" ", cniPath)
        + "]";
  }

  /**
   * Runs {@code exe} with exactly {@code env} and {@code stdin}; returns its stdout.
   *
   * @throws CniException the plugin's error (non-zero exit), or 999 for a timeout or an interrupt;
   *     a failed start is libcni's code 0 "netplugin failed with no error message: ..."
   */
  public byte[] exec(Path exe, Map<String, String> env, byte[] stdin, Duration timeout) {
    if (!ProcessEnv.jvmIsUtf8()) {
      refuseLossyEnvironment(exe, env);
    }
    ProcessBuilder pb = new ProcessBuilder(exe.toString());
    Map<String, String> pe = pb.environment();
    pe.clear();
    pe.putAll(env);
    Process proc = start(pb);
    long deadline = System.nanoTime() + timeout.toNanos();
    Pump out = new Pump(proc.getInputStream(), "jcni-exec-stdout");
    Pump err = new Pump(proc.getErrorStream(), "jcni-exec-stderr");
    Feeder in = new Feeder(proc.getOutputStream(), stdin);
    if (stdin.length <= PIPE_BUF) {
      in.run(); // fits in an empty pipe, so it cannot block: no thread needed (the usual config)
    } else {
      in.start();
    }
    try {
      if (!proc.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        kill(proc);
        throw new CniException(
            ErrorCodes.INTERNAL,
            "netplugin " + exe + " timed out after " + describe(timeout) + " and was killed");
      }
      // bounded: a daemon the plugin left behind may hold the pipes open after the plugin itself
      // exited
      out.await(deadline);
      err.await(deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill(proc);
      throw new CniException(ErrorCodes.INTERNAL, "interrupted while running netplugin " + exe);
    }
    int status = proc.exitValue();
    return finish(status, out.bytes(), err.bytes());
  }

  /**
   * What a finished plugin call yields: its stderr copied to ours (informational), then stdout, or
   * on a non-zero exit its error read with {@link #pluginError}. Also used for plugins run
   * in-process with exec's semantics.
   */
  public byte[] finish(int exitStatus, byte[] stdout, byte[] stderrBytes) {
    if (stderrBytes.length > 0) {
      stderr.write(stderrBytes, 0, stderrBytes.length);
      stderr.flush();
    }
    if (exitStatus != 0) {
      throw pluginError(stdout, stderrBytes, "exit status " + exitStatus);
    }
    return stdout;
  }

  /**
   * libcni's {@code pluginErr}: stdout parsed as the CNI error; empty stdout gives {@code netplugin
   * failed: "<stderr>": <exitError>} or {@code netplugin failed with no error message: <exitError>}
   * (code 0); unparseable stdout gives "netplugin failed but error parsing its diagnostic message
   * ...".
   */
  public static CniException pluginError(byte[] stdout, byte[] stderr, String exitError) {
    if (stdout.length == 0) {
      if (stderr.length == 0) {
        return new CniException(
            ErrorCodes.UNKNOWN, "netplugin failed with no error message: " + exitError);
      }
      return new CniException(
          ErrorCodes.UNKNOWN,
          "netplugin failed: "
              + WireOut.goQuote(new String(stderr, StandardCharsets.UTF_8))
              + ": "
              + exitError);
    }
    String parseError;
    try {
      return ErrorJson.decode(stdout).toException();
    } catch (CniException e) {
      parseError = e.msg();
    }
    return new CniException(
        ErrorCodes.UNKNOWN,
        "netplugin failed but error parsing its diagnostic message "
            + WireOut.goQuote(new String(stdout, StandardCharsets.UTF_8))
            + ": "
            + parseError);
  }

  /**
   * A JVM under a non-UTF-8 locale encodes a child's environment in that charset: a non-ASCII
   * identifier would reach the plugin garbled (and be stored so by IPAM). Refuse a non-ASCII CNI_*
   * value instead, naming the fix.
   */
  static void refuseLossyEnvironment(Path exe, Map<String, String> env) {
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (e.getKey().startsWith("CNI_") && !isAscii(e.getValue())) {
        throw new CniException(
            ErrorCodes.INTERNAL,
            "cannot pass "
                + e.getKey()
                + " to netplugin "
                + exe
                + ": its value is not ASCII and this JVM encodes environment variables as "
                + System.getProperty("sun.jnu.encoding")
                + "; run the JVM under a UTF-8 locale (LC_ALL="
                + ProcessEnv.UTF8_LOCALE
                + ")");
      }
    }
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0x7f) {
        return false;
      }
    }
    return true;
  }

  /**
   * Starts the process, retrying ETXTBSY like libcni's {@code RawExec}; other failures as libcni
   * reports them.
   */
  private Process start(ProcessBuilder pb) {
    for (int attempt = 0; ; attempt++) {
      try {
        return pb.start();
      } catch (IOException e) {
        String m = String.valueOf(e.getMessage());
        if (attempt < TEXT_FILE_BUSY_RETRIES
            && m.toLowerCase(Locale.ROOT).contains("text file busy")) {
          try {
            Thread.sleep(textBusyDelayMillis);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new CniException(
                ErrorCodes.INTERNAL, "interrupted while waiting to retry " + pb.command().get(0));
          }
          continue;
        }
        throw new CniException(
            ErrorCodes.UNKNOWN, "netplugin failed with no error message: " + m, null, e);
      }
    }
  }

  // children first: once the plugin is gone they are re-parented and no longer its descendants
  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  /** Go-like duration text: "60s", "700ms". */
  static String describe(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }

  // Threads as named subclasses, not lambdas: a lambda's bootstrap costs milliseconds in a fresh
  // JVM.

  /** Writes stdin; the plugin may exit without reading it, its exit status then tells the story. */
  private static final class Feeder extends Thread {
    private final OutputStream os;
    private final byte[] data;

    Feeder(OutputStream os, byte[] data) {
      super("jcni-exec-stdin");
      this.os = os;
      this.data = data;
      setDaemon(true);
    }

    @Override
    public void run() {
      try (OutputStream o = os) {
        o.write(data);
      } catch (IOException ignored) {
        // broken pipe: the plugin did not read everything
      }
    }
  }

  /**
   * Drains one of the child's output streams on its own thread so that a chatty plugin never
   * blocks.
   */
  private static final class Pump extends Thread {
    private final InputStream in;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

    Pump(InputStream in, String name) {
      super(name);
      this.in = in;
      setDaemon(true);
      start();
    }

    @Override
    public void run() {
      try (InputStream i = in) {
        i.transferTo(buf);
      } catch (IOException ignored) {
        // the stream closed under us (process killed); what was read so far is all there is
      }
    }

    void await(long deadlineNanos) throws InterruptedException {
      long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
      join(Math.max(1, left));
    }

    byte[] bytes() {
      synchronized (buf) { // ByteArrayOutputStream's methods are synchronized on itself
        return buf.toByteArray();
      }
    }
  }
}
