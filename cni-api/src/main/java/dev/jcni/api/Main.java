package dev.jcni.api;

/**
 * The launcher: runs the plugin whose type is the system property {@code jcni.plugin} (set by the
 * dist scripts from their own file name, busybox style) or else the first argument. An unknown type
 * is CNI error 999 "no plugin of type X on the class path": it is a broken installation, not a bad
 * network config (so not 7).
 *
 * <p>CNI identifiers are bytes: under a non-UTF-8 locale (a runtime exec'ing with no locale) the
 * JVM would garble non-ASCII values and could not open non-ASCII paths, so such a JVM relaunches
 * itself under {@code C.UTF-8} (the dist launchers set it already, so this costs nothing there)
 * and, failing that, reads the environment's bytes itself ({@link ProcessEnv}).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (!ProcessEnv.jvmIsUtf8()) {
      int code = ProcessEnv.relaunchUnderUtf8();
      if (code >= 0) {
        System.exit(code);
      }
    }
    System.exit(
        Dispatcher.run(
            System.getProperty("jcni.plugin", args.length > 0 ? args[0] : ""),
            ProcessEnv.environment(),
            System.in,
            System.out,
            System.err));
  }
}
