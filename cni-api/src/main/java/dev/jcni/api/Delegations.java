package dev.jcni.api;

import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Objects;

/**
 * Standard delegation strategies. In-process delegates go through the same version checks and result conversion
 * as a separate process would, so both give identical results. Exec delegates follow libcni's invoke package:
 * FindInPath over CNI_PATH, the call's whole environment with CNI_COMMAND overridden, the full config on stdin, the
 * delegate's stderr copied to the caller's, "text file busy" retried 5 times 1 s apart, and a timeout (default
 * {@link #DEFAULT_TIMEOUT}, see {@link #withExecTimeout}).
 */
public final class Delegations {
  private Delegations() {}

  /** How long an exec'd delegate may run before it is killed (and the call fails with code 999). */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  enum Mode { STANDARD, EXEC, IN_PROCESS }

  /** The built-in strategies; {@code stderr} null means "the dispatcher's stderr", bound by {@link #bind}. */
  record Std(Mode mode, PrintStream stderr, Duration timeout) implements Delegation {
    @Override
    public Delegate delegate(Invocation inv, String type) {
      if (mode != Mode.EXEC) {
        CniPlugin p = type == null || type.isEmpty() ? null : Plugins.find(type).orElse(null);
        if (p != null) {
          return new InProcessDelegate(p, inv);
        }
        if (mode == Mode.IN_PROCESS) {
          throw new CniException(ErrorCodes.INTERNAL,
              "failed to find plugin " + WireOut.goQuote(String.valueOf(type)) + " on the class path");
        }
      }
      return new ExecDelegate(inv, type, stderr == null ? System.err : stderr, timeout);
    }
  }

  /** In-process when a plugin of that type is on the class path, else exec from CNI_PATH. */
  public static Delegation standard() {
    return new Std(Mode.STANDARD, null, DEFAULT_TIMEOUT);
  }

  /** Always exec the binary from CNI_PATH (what Go plugins do). */
  public static Delegation execOnly() {
    return new Std(Mode.EXEC, null, DEFAULT_TIMEOUT);
  }

  /** Only plugins on the class path; a missing one is an error (999). */
  public static Delegation inProcessOnly() {
    return new Std(Mode.IN_PROCESS, null, DEFAULT_TIMEOUT);
  }

  /** {@code d} (one of the standard strategies) with another exec timeout; other strategies are returned as is. */
  public static Delegation withExecTimeout(Delegation d, Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    return d instanceof Std s ? new Std(s.mode(), s.stderr(), timeout) : d;
  }

  /** {@code d} with exec'd delegates' stderr copied to {@code stderr} (the dispatcher binds its own). */
  public static Delegation withStderr(Delegation d, PrintStream stderr) {
    return d instanceof Std s ? new Std(s.mode(), stderr, s.timeout()) : d;
  }

  /** The stderr bound to {@code d} by the dispatcher, or {@code System.err} for other strategies. */
  static PrintStream stderrOf(Delegation d) {
    return d instanceof Std s && s.stderr() != null ? s.stderr() : System.err;
  }

  static Delegation bind(Delegation d, PrintStream stderr) {
    return d instanceof Std s && s.stderr() == null ? withStderr(d, stderr) : d;
  }
}
