package dev.jcni.plugins.common;

import dev.jcni.spec.CniException;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects failures of best-effort steps (DEL, GC) so every step runs, then reports them together: a single
 * CNI error is rethrown as is (keeping a delegate's code), several are joined into one message.
 */
public final class Failures {
  private final String what;
  private final List<RuntimeException> errors = new ArrayList<>();

  public Failures(String what) {
    this.what = what;
  }

  /** Runs a step, recording its failure. */
  public void run(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      errors.add(e);
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
    errors.forEach(e::addSuppressed);
    throw e;
  }
}
