package dev.jcni.api;

import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Objects;

/** The built-in delegation strategies behind {@link Delegate}'s factories. */
final class StandardDelegation {
  private StandardDelegation() {}

  enum Mode {
    STANDARD,
    EXEC,
    IN_PROCESS
  }

  /**
   * The built-in strategies; {@code stderr} null means "the dispatcher's stderr", bound by {@link
   * #bind}.
   */
  record Std(Mode mode, PrintStream stderr, Duration timeout) implements Delegate.Strategy {
    @Override
    public Delegate delegate(Invocation inv, String type) {
      if (mode != Mode.EXEC) {
        CniPlugin p = type == null || type.isEmpty() ? null : Plugins.find(type).orElse(null);
        if (p != null) {
          return new InProcessDelegate(p, inv);
        }
        if (mode == Mode.IN_PROCESS) {
          throw new CniException(
              ErrorCodes.INTERNAL,
              "failed to find plugin "
                  + WireOut.goQuote(String.valueOf(type))
                  + " on the class path");
        }
      }
      return new ExecDelegate(inv, type, stderr == null ? System.err : stderr, timeout);
    }
  }

  /** In-process when a plugin of that type is on the class path, else exec from CNI_PATH. */
  static Delegate.Strategy standard() {
    return new Std(Mode.STANDARD, null, Delegate.DEFAULT_TIMEOUT);
  }

  /** Always exec the binary from CNI_PATH (what Go plugins do). */
  static Delegate.Strategy execOnly() {
    return new Std(Mode.EXEC, null, Delegate.DEFAULT_TIMEOUT);
  }

  /** Only plugins on the class path; a missing one is an error (999). */
  static Delegate.Strategy inProcessOnly() {
    return new Std(Mode.IN_PROCESS, null, Delegate.DEFAULT_TIMEOUT);
  }

  /**
   * {@code d} (one of the standard strategies) with another exec timeout; other strategies are
   * returned as is.
   */
  static Delegate.Strategy withExecTimeout(Delegate.Strategy d, Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    return d instanceof Std s ? new Std(s.mode(), s.stderr(), timeout) : d;
  }

  /**
   * {@code d} with exec'd delegates' stderr copied to {@code stderr} (the dispatcher binds its
   * own).
   */
  static Delegate.Strategy withStderr(Delegate.Strategy d, PrintStream stderr) {
    return d instanceof Std s ? new Std(s.mode(), stderr, s.timeout()) : d;
  }

  /**
   * The stderr bound to {@code d} by the dispatcher, or {@code System.err} for other strategies.
   */
  static PrintStream stderrOf(Delegate.Strategy d) {
    return d instanceof Std s && s.stderr() != null ? s.stderr() : System.err;
  }

  static Delegate.Strategy bind(Delegate.Strategy d, PrintStream stderr) {
    return d instanceof Std s && s.stderr() == null ? withStderr(d, stderr) : d;
  }
}
