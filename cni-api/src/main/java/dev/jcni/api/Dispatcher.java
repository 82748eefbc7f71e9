package dev.jcni.api;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * Turns one process's environment and stdin into a call on a {@link CniPlugin}, as Go's skel does: the per-verb
 * environment table and validators, VERSION, exact version match, CHECK/GC/STATUS gates, prevResult conversion,
 * result conversion on the way out, and any failure as error JSON on stdout with a non-zero exit.
 */
public final class Dispatcher {
  private Dispatcher() {}

  /**
   * Runs one call of {@code plugin}. Pure: uses only its arguments (no System.exit, no global state).
   *
   * @return the process exit code (0 on success)
   */
  public static int run(CniPlugin plugin, Map<String, String> env, InputStream stdin, PrintStream stdout,
      PrintStream stderr) {
    throw new UnsupportedOperationException("TODO");
  }

  /** As {@link #run(CniPlugin, Map, InputStream, PrintStream, PrintStream)} with {@code delegation} for delegates. */
  public static int run(CniPlugin plugin, Delegation delegation, Map<String, String> env, InputStream stdin,
      PrintStream stdout, PrintStream stderr) {
    throw new UnsupportedOperationException("TODO");
  }
}
