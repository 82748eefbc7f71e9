package dev.jcni.plugins.meta.tuning;

import dev.jcni.spec.CniException;
import dev.jcni.system.ErrnoException;
import dev.jcni.system.NetNs;
import dev.jcni.system.Sysctl;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sysctl reads and writes in the pod's namespace, each batch on one fresh thread inside it ({@code
 * /proc/sys/net} is the view of the opening thread's namespace). Kernel refusals become code 7
 * naming the key as configured.
 */
final class PodSysctls {
  private PodSysctls() {}

  /** One key: as configured (for messages) and its path under /proc/sys. */
  record Key(String configured, String path) {}

  /** Current values by path; a key missing in the pod's namespace is code 7. */
  static Map<String, String> read(NetNs ns, List<Key> keys) {
    return ns.run(new Read(keys));
  }

  /**
   * Writes in order; returns the paths written before a failure is thrown (so the caller can undo
   * them), through {@code written}.
   */
  static void write(NetNs ns, List<Key> keys, Map<String, String> values, List<String> written) {
    ns.run(new Write(keys, values, written));
  }

  /** Best-effort restore of saved values: keys that vanished (their interface went) are skipped. */
  static List<String> restore(NetNs ns, Map<String, String> saved) {
    return ns.run(new Restore(saved));
  }

  static CniException refused(String key, String value, ErrnoException e) {
    if (e.isNotFound()) {
      return SysctlKeys.invalid(
          key,
          "no such sysctl in the pod's network namespace (unknown, or not a per-namespace"
              + " key)");
    }
    if (e.isPermission()) {
      return SysctlKeys.invalid(key, "not writable in the pod's network namespace");
    }
    String why =
        e.getCause() != null && e.getCause().getMessage() != null
            ? e.getCause().getMessage()
            : e.getMessage();
    int colon = why.lastIndexOf(": ");
    return SysctlKeys.invalid(
        key,
        "the kernel refused "
            + (value == null ? "it" : "value \"" + value + "\"")
            + " ("
            + (colon >= 0 ? why.substring(colon + 2) : why)
            + ")");
  }

  private static final class Read implements NetNs.Task<Map<String, String>, RuntimeException> {
    private final List<Key> keys;

    Read(List<Key> keys) {
      this.keys = keys;
    }

    @Override
    public Map<String, String> call() {
      Map<String, String> out = new LinkedHashMap<>();
      for (Key k : keys) {
        try {
          out.put(k.path(), Sysctl.get(k.path()));
        } catch (ErrnoException e) {
          throw refused(k.configured(), null, e);
        } catch (IllegalArgumentException e) {
          throw SysctlKeys.invalid(k.configured(), "not a sysctl path");
        }
      }
      return out;
    }
  }

  private static final class Write implements NetNs.Task<Void, RuntimeException> {
    private final List<Key> keys;
    private final Map<String, String> values;
    private final List<String> written;

    Write(List<Key> keys, Map<String, String> values, List<String> written) {
      this.keys = keys;
      this.values = values;
      this.written = written;
    }

    @Override
    public Void call() {
      for (Key k : keys) {
        String v = values.get(k.configured());
        try {
          Sysctl.set(k.path(), v);
        } catch (ErrnoException e) {
          throw refused(k.configured(), v, e);
        } catch (IllegalArgumentException e) {
          throw SysctlKeys.invalid(k.configured(), "not a sysctl path");
        }
        written.add(k.path());
      }
      return null;
    }
  }

  private static final class Restore implements NetNs.Task<List<String>, RuntimeException> {
    private final Map<String, String> saved;

    Restore(Map<String, String> saved) {
      this.saved = saved;
    }

    @Override
    public List<String> call() {
      List<String> errors = new ArrayList<>();
      for (Map.Entry<String, String> e : saved.entrySet()) {
        try {
          Sysctl.set(e.getKey(), e.getValue());
        } catch (ErrnoException x) {
          if (!x.isNotFound()) {
            errors.add("failed to restore sysctl " + e.getKey() + ": " + x.getMessage());
          }
        } catch (IllegalArgumentException x) {
          errors.add("failed to restore sysctl " + e.getKey() + ": not a sysctl path");
        }
      }
      return errors;
    }
  }
}
