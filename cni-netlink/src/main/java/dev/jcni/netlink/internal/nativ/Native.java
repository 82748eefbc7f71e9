package dev.jcni.netlink.internal.nativ;

import dev.jcni.netlink.NativeUnavailableException;

/**
 * Lazy access to the libc binding. Nothing native is touched until the first {@link #syscalls()} call (every CNI
 * call is a fresh JVM, so plugins that never reach the kernel must not pay for JNR), and a load failure is reported
 * as a {@link NativeUnavailableException} on each use instead of an error in a static initializer. The backend is
 * JNR-FFI unless {@code -Djcni.native=ffm} selects {@link FfmSyscalls} (JDK 22+).
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
        // -Djcni.native=ffm selects the JDK's foreign-function API (JDK 22+); JNR stays the default
        String backend = System.getProperty("jcni.native", "jnr");
        instance = "ffm".equals(backend) ? new FfmSyscalls() : new JnrSyscalls();
        return instance;
      } catch (Throwable t) { // LinkageError, UnsatisfiedLinkError, jffi stub errors...
        failure = t;
      }
    }
    throw new NativeUnavailableException("native libc binding unavailable: " + failure, failure);
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
