package dev.jcni.api;

import dev.jcni.spec.Result;
import java.io.PrintStream;
import java.time.Duration;

/**
 * A delegated plugin (usually IPAM) bound to one invocation: the same environment with CNI_COMMAND
 * overridden and the full config on stdin. Runs in-process when the type is a plugin on the class
 * path, otherwise the executable is found in CNI_PATH; both give identical results ({@link
 * Invocation#ipam()}, {@link Invocation#delegate}).
 *
 * <p>How an invocation finds its delegates is a {@link Strategy}; the standard ones come from the
 * factories here. In-process delegates go through the same version checks and result conversion as
 * a separate process would. Exec'd delegates follow libcni's invoke package: FindInPath over
 * CNI_PATH, the call's whole environment with CNI_COMMAND overridden, the full config on stdin, the
 * delegate's stderr copied to the caller's, "text file busy" retried 5 times 1 s apart, and a
 * timeout ({@link #DEFAULT_TIMEOUT}, see {@link #withExecTimeout}).
 */
public interface Delegate {
  /** ADD; the result is at the config's version. */
  Result add();

  void check();

  void del();

  void gc();

  void status();

  /** Turns (invocation, type) into a {@link Delegate}. */
  @FunctionalInterface
  interface Strategy {
    Delegate delegate(Invocation inv, String type);
  }

  /** How long an exec'd delegate may run before it is killed (and the call fails with code 999). */
  Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  /**
   * In-process when a plugin of that type is on the class path, else exec from CNI_PATH (the
   * default).
   */
  static Strategy standard() {
    return StandardDelegation.standard();
  }

  /** Always exec the binary from CNI_PATH (what Go plugins do). */
  static Strategy execOnly() {
    return StandardDelegation.execOnly();
  }

  /** Only plugins on the class path; a missing one is an error (999). */
  static Strategy inProcessOnly() {
    return StandardDelegation.inProcessOnly();
  }

  /**
   * {@code s} (one of the standard strategies) with another exec timeout; other strategies are
   * returned as is.
   */
  static Strategy withExecTimeout(Strategy s, Duration timeout) {
    return StandardDelegation.withExecTimeout(s, timeout);
  }

  /**
   * {@code s} with exec'd delegates' stderr copied to {@code stderr} (the dispatcher binds its
   * own).
   */
  static Strategy withStderr(Strategy s, PrintStream stderr) {
    return StandardDelegation.withStderr(s, stderr);
  }
}
