package dev.jcni.api;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;

/**
 * A small log for plugin code, never on stdout (stdout carries the CNI result). It writes where the
 * operator's {@code JCNI_LOG} points (a comma-separated list of {@code stderr} and/or files, see
 * the module README; the same switch as the dispatcher's per-call line) and, with {@link
 * #alsoTo(Path)}, to a file of the plugin's own choice, e.g. from a config key. Each line is one
 * append, so lines of concurrent plugin processes do not interleave:
 *
 * <pre>
 * 2026-12-03T09:40:01.123Z mycni ADD c1/eth0 INFO allocated 10.40.0.2/16
 * </pre>
 *
 * With no target it does nothing and costs next to nothing. Get one per call: {@code PluginLog log
 * = PluginLog.of(inv)}.
 */
public final class PluginLog {
  private final String[] targets;
  private final PrintStream stderr;
  private final String prefix;

  private PluginLog(String[] targets, PrintStream stderr, String prefix) {
    this.targets = targets;
    this.stderr = stderr;
    this.prefix = prefix;
  }

  /**
   * The log of this call: {@code JCNI_LOG}'s targets, lines tagged with type, verb, container ID
   * and ifname.
   */
  public static PluginLog of(Invocation inv) {
    String[] t = DebugLog.targets(inv.env());
    String type = inv.config().type();
    StringBuilder p =
        new StringBuilder(" ")
            .append(type == null || type.isEmpty() ? "jcni" : type)
            .append(' ')
            .append(inv.command());
    if (!inv.containerId().isEmpty()) {
      p.append(' ').append(inv.containerId());
      if (!inv.ifname().isEmpty()) {
        p.append('/').append(inv.ifname());
      }
    }
    return new PluginLog(
        t == null ? new String[0] : t, StandardDelegation.stderrOf(inv.delegation()), p.toString());
  }

  /**
   * This log plus {@code file} (appended to; its directory must exist). Null leaves it unchanged.
   */
  public PluginLog alsoTo(Path file) {
    if (file == null) {
      return this;
    }
    String[] t = Arrays.copyOf(targets, targets.length + 1);
    t[targets.length] = file.toString();
    return new PluginLog(t, stderr, prefix);
  }

  /** Whether any line would be written (to skip building expensive messages). */
  public boolean enabled() {
    return targets.length > 0;
  }

  public void debug(String msg) {
    line("DEBUG", msg);
  }

  public void info(String msg) {
    line("INFO", msg);
  }

  public void warn(String msg) {
    line("WARN", msg);
  }

  /** An error, with {@code t}'s stack trace when not null (never on stdout). */
  public void error(String msg, Throwable t) {
    if (!enabled()) {
      return;
    }
    if (t == null) {
      line("ERROR", msg);
      return;
    }
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    DebugLog.emit(targets, stderr, Instant.now() + prefix + " ERROR " + msg + "\n" + w);
  }

  private void line(String level, String msg) {
    if (targets.length == 0) {
      return;
    }
    DebugLog.emit(targets, stderr, Instant.now() + prefix + ' ' + level + ' ' + msg + '\n');
  }
}
