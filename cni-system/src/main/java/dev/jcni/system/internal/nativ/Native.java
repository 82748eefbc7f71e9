package dev.jcni.system.internal.nativ;

import dev.jcni.system.NativeUnavailableException;

/**
 * Lazy access to the libc binding. Nothing native is touched until the first {@link #syscalls()}
 * call (every CNI call is a fresh JVM, so plugins that never reach the kernel must not pay for
 * JNR), and a load failure is reported as a {@link NativeUnavailableException} on each use instead
 * of an error in a static initializer.
 *
 * <p>Backends ({@code -Djcni.native=...}): {@code jffi} (default, {@link JffiSyscalls}: libc
 * through jffi with no generated classes, the cheapest to start), {@code jnr} ({@link JnrSyscalls},
 * JNR-FFI, the original binding) and {@code ffm} ({@link FfmSyscalls}, the JDK's foreign-function
 * API, JDK 22+).
 */
public final class Native {
  private Native() {}

  private static volatile Syscalls instance;
  private static volatile Throwable failure;

  /** The process-wide binding, loaded on first use. */
  public static Syscalls syscalls() {
    Syscalls s = instance;
    if (s != null) return s;
    return load();
  }

  private static synchronized Syscalls load() {
    if (instance != null) return instance;
    if (failure == null) {
      try {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(java.util.Locale.ROOT).contains("linux")) {
          throw new UnsupportedOperationException("cni-netlink needs Linux, this is " + os);
        }
        instance = create(System.getProperty("jcni.native", DEFAULT_BACKEND));
        return instance;
      } catch (Throwable t) { // LinkageError, UnsatisfiedLinkError, jffi stub errors...
        failure = t;
      }
    }
    // the failure's own words (it may reach a CNI error message, which never names Java classes)
    String why =
        failure.getMessage() == null || failure.getMessage().isBlank()
            ? "could not load the native library"
            : failure.getMessage();
    throw new NativeUnavailableException("native libc binding unavailable: " + why, failure);
  }

  /** The backend used when {@code jcni.native} is not set. */
  public static final String DEFAULT_BACKEND = "jffi";

  /** The backends this module has, default first. */
  public static final java.util.List<String> BACKENDS = java.util.List.of("jffi", "jnr", "ffm");

  /**
   * A new, separate instance of the named backend (tests and benchmarks drive each one explicitly;
   * plugins use {@link #syscalls()}). Throws what loading throws (e.g.
   * UnsupportedOperationException for ffm before JDK 22).
   */
  public static Syscalls create(String backend) throws Exception {
    switch (backend) {
      case "jffi":
        return new JffiSyscalls();
      case "jnr":
        return new JnrSyscalls();
      case "ffm":
        return new FfmSyscalls();
      default:
        throw new IllegalArgumentException(
            "unknown jcni.native backend '" + backend + "' (jffi, jnr, ffm)");
    }
  }

  /** True when the binding loads (loads it if needed). */
  public static boolean isAvailable() {
    try {
      syscalls();
      return true;
    } catch (NativeUnavailableException e) {
      return false;
    }
  }

  /** Why the binding is unavailable, or null. */
  public static Throwable unavailabilityCause() {
    return isAvailable() ? null : failure;
  }
}
