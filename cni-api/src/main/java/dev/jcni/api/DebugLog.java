package dev.jcni.api;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * Per-call debug log an operator switches on without rebuilding: {@code JCNI_LOG} in the call's
 * environment (or the system property {@code jcni.log}) is a comma-separated list of targets, each
 * {@code stderr} or a file path to append to. One line per invocation; unexpected exceptions also
 * get their stack trace. Off (null) by default, and then nothing here is even loaded.
 */
final class DebugLog {
  static final String ENV = "JCNI_LOG";
  static final String PROPERTY = "jcni.log";

  private final String[] targets;
  private final PrintStream stderr;

  private DebugLog(String[] targets, PrintStream stderr) {
    this.targets = targets;
    this.stderr = stderr;
  }

  /** The log for this call, or null when logging is off. */
  static DebugLog from(Map<String, String> env, PrintStream stderr) {
    String[] t = targets(env);
    return t == null ? null : new DebugLog(t, stderr);
  }

  /** The {@code JCNI_LOG} (else {@code -Djcni.log}) targets, or null when logging is off. */
  static String[] targets(Map<String, String> env) {
    String spec = env.get(ENV);
    if (spec == null || spec.isBlank()) {
      spec = System.getProperty(PROPERTY);
    }
    if (spec == null || spec.isBlank()) {
      return null;
    }
    return spec.trim().split("\\s*,\\s*");
  }

  /**
   * One summary line: {@code <time> jcni <type> <VERB> containerid=.. netns=.. ifname=.. ->
   * ok|code=N msg=.. <ms> ms}.
   */
  void invocation(
      String type, String command, Map<String, String> env, int code, String msg, long nanos) {
    StringBuilder b = new StringBuilder(160);
    b.append(Instant.now())
        .append(" jcni ")
        .append(type)
        .append(' ')
        .append(command == null || command.isEmpty() ? "-" : command);
    field(b, "containerid", env.get("CNI_CONTAINERID"));
    field(b, "netns", env.get("CNI_NETNS"));
    field(b, "ifname", env.get("CNI_IFNAME"));
    b.append(" -> ");
    if (code < 0) {
      b.append("ok");
    } else {
      b.append("error code=")
          .append(code)
          .append(" msg=")
          .append(WireOut.goQuote(msg == null ? "" : msg));
    }
    b.append(' ').append(nanos / 1_000_000).append(" ms\n");
    emit(b.toString());
  }

  /** A stack trace of an unexpected exception (never written to stdout). */
  void exception(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    emit(w.toString());
  }

  private static void field(StringBuilder b, String key, String value) {
    if (value != null && !value.isEmpty()) {
      b.append(' ').append(key).append('=').append(value);
    }
  }

  private void emit(String text) {
    emit(targets, stderr, text);
  }

  /**
   * Writes {@code text} to each target ({@code stderr} or a file appended to with one write); never
   * stdout.
   */
  static void emit(String[] targets, PrintStream stderr, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    for (String t : targets) {
      if (t.isEmpty()) {
        continue;
      }
      if (t.equals("stderr")) {
        stderr.write(bytes, 0, bytes.length);
        stderr.flush();
        continue;
      }
      // One write per line on an O_APPEND file, so lines of concurrent plugin processes do not
      // interleave.
      try (FileOutputStream f = new FileOutputStream(t, true)) {
        f.write(bytes);
      } catch (IOException e) {
        String err =
            "jcni: cannot write "
                + ENV
                + " file "
                + t
                + ": "
                + dev.jcni.spec.ErrorText.of(e)
                + "\n";
        byte[] eb = err.getBytes(StandardCharsets.UTF_8);
        stderr.write(eb, 0, eb.length);
        stderr.flush();
      }
    }
  }
}
