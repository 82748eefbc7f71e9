package dev.jcni.api;

/**
 * The launcher: runs the plugin whose type is the system property {@code jcni.plugin} (set by the dist scripts
 * from their own file name, busybox style) or else the first argument. An unknown type is CNI error 999 "no plugin
 * of type X on the class path": it is a broken installation, not a bad network config (so not 7).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(Dispatcher.run(System.getProperty("jcni.plugin", args.length > 0 ? args[0] : ""), System.getenv(),
        System.in, System.out, System.err));
  }
}
