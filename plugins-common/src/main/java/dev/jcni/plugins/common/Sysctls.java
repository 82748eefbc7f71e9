package dev.jcni.plugins.common;

import dev.jcni.system.NetNs;
import dev.jcni.system.Sysctl;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Several sysctl writes in one namespace visit (one thread entering the namespace, instead of one
 * per key). Keys use the slash form so interface names may contain dots.
 */
public final class Sysctls {
  /** No sysctls yet. */
  public Sysctls() {}

  private final Map<String, String> required = new LinkedHashMap<>();
  private final Map<String, String> bestEffort = new LinkedHashMap<>();

  /** A write whose failure fails the call. */
  public Sysctls set(String key, String value) {
    required.put(key, value);
    return this;
  }

  /** A write whose failure is ignored (Go ignores these: {@code _, _ = sysctl.Sysctl(...)}). */
  public Sysctls trySet(String key, String value) {
    bestEffort.put(key, value);
    return this;
  }

  /** Applies in {@code ns}, or in the calling thread's namespace when {@code ns} is null. */
  public void apply(NetNs ns) {
    if (required.isEmpty() && bestEffort.isEmpty()) {
      return;
    }
    if (ns == null) {
      applyHere();
    } else {
      ns.exec(
          new NetNs.VoidTask<RuntimeException>() {
            @Override
            public void run() {
              applyHere();
            }
          });
    }
  }

  private void applyHere() {
    for (Map.Entry<String, String> e : bestEffort.entrySet()) {
      try {
        Sysctl.set(e.getKey(), e.getValue());
      } catch (RuntimeException ignored) {
        // best effort, as in Go
      }
    }
    for (Map.Entry<String, String> e : required.entrySet()) {
      if (!e.getValue().equals(readOrNull(e.getKey()))) {
        Sysctl.set(e.getKey(), e.getValue());
      }
    }
  }

  private static String readOrNull(String key) {
    try {
      return Sysctl.get(key);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
