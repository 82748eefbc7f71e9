/** The resident plugin daemon behind `jcni daemon`; no API of its own (reached through the CLI). */
// auto-service-annotations is an automatic module, needed at compile time only (requires static)
@SuppressWarnings("requires-automatic")
module dev.jcni.daemon {
  requires dev.jcni.runtime;
  requires dev.jcni.system;
  requires static com.google.auto.service;
  // sun.misc.Signal (reached reflectively by Signals): SIGTERM/SIGINT drain the running calls
  requires jdk.unsupported;

  provides dev.jcni.runtime.CliCommand with
      dev.jcni.daemon.DaemonCommand;

  // the daemon finds the plugins it serves
  uses dev.jcni.api.CniPlugin;
}
