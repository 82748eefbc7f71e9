package dev.jcni.plugins.common;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Compensating actions of a multi-step ADD, run newest first when a later step fails, so a failed
 * ADD leaves nothing behind (IPAM reservation, veth, firewall rules). Failures while undoing are
 * attached to the original error as suppressed exceptions, never replace it.
 */
public final class Undo {
  /** Nothing to undo yet. */
  public Undo() {}

  private final Deque<Runnable> steps = new ArrayDeque<>();

  public void push(Runnable step) {
    steps.push(step);
  }

  /** Forget everything (the ADD succeeded). */
  public void commit() {
    steps.clear();
  }

  /** Forget everything and hand back the ADD's result: {@code return undo.commit(result);}. */
  public <T> T commit(T result) {
    steps.clear();
    return result;
  }

  /** Runs every step newest first; returns {@code cause} with undo failures suppressed into it. */
  public <T extends Throwable> T rollback(T cause) {
    while (!steps.isEmpty()) {
      try {
        steps.pop().run();
      } catch (RuntimeException e) {
        if (cause != null && cause != e) {
          cause.addSuppressed(e);
        }
      }
    }
    return cause;
  }
}
