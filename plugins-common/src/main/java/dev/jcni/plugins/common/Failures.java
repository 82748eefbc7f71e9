package dev.jcni.plugins.common;

import dev.jcni.spec.CniException;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects failures of best-effort steps (DEL, GC) so every step runs, then reports them together:
 * a single CNI error is rethrown as is (keeping a delegate's code), several are joined into one
 * message.
 */
public final class Failures {
  private final String what;
  private final List<RuntimeException> errors = new ArrayList<>();

  public Failures(String what) {
    this.what = what;
  }

  /** Records a step's failure (callers catch around each step; no lambdas on the per-call path). */
  public void add(RuntimeException e) {
    errors.add(e);
  }

  /**
   * Runs one best-effort step and records its failure instead of stopping: DEL and GC run every
   * step, then call {@link #throwIfAny()}.
   *
   * @return whether the step succeeded
   */
  public boolean run(Runnable step) {
    try {
      step.run();
      return true;
    } catch (RuntimeException e) {
      errors.add(e);
      return false;
    }
  }

  public void throwIfAny() {
    if (errors.isEmpty()) {
      return;
    }
    if (errors.size() == 1 && errors.get(0) instanceof CniException c) {
      throw c;
    }
    StringBuilder sb = new StringBuilder(what).append(": ");
    for (int i = 0; i < errors.size(); i++) {
      sb.append(i == 0 ? "" : "; ").append(errors.get(i).getMessage());
    }
    IllegalStateException e = new IllegalStateException(sb.toString());
    for (RuntimeException x : errors) {
      e.addSuppressed(x);
    }
    throw e;
  }
}
