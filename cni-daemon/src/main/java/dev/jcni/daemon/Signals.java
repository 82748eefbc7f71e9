package dev.jcni.daemon;

/**
 * SIGTERM/SIGINT → {@link Daemon#stop}, SIGHUP → {@link Daemon#reload}: the JVM's default would run shutdown
 * hooks and exit (143, 129) at once; the daemon must instead finish its running calls and exit 0, or keep
 * serving. {@code sun.misc.Signal} (jdk.unsupported) is the only way to handle a signal on the JVM.
 */
@SuppressWarnings("restriction")
final class Signals {
  private Signals() {}

  static void onTermination(Daemon d) {
    sun.misc.SignalHandler h = new sun.misc.SignalHandler() {
      @Override
      public void handle(sun.misc.Signal sig) {
        d.log.println("jcni daemon: SIG" + sig.getName() + ", finishing running calls");
        d.stop();
      }
    };
    sun.misc.Signal.handle(new sun.misc.Signal("TERM"), h);
    sun.misc.Signal.handle(new sun.misc.Signal("INT"), h);
  }

  /** SIGHUP → {@link Daemon#reload}: rescan the plugin directories (the JVM's default would exit). */
  static void onHangup(Daemon d) {
    sun.misc.Signal.handle(new sun.misc.Signal("HUP"), new sun.misc.SignalHandler() {
      @Override
      public void handle(sun.misc.Signal sig) {
        d.log.println("jcni daemon: SIGHUP, reloading the plugin dirs " + d.opts.pluginDirs());
        d.reload();
      }
    });
  }
}
