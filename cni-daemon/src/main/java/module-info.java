/** The resident plugin daemon behind `jcni daemon`; no API of its own (reached through the CLI). */
module dev.jcni.daemon {
  requires dev.jcni.runtime;
  requires dev.jcni.system;
  requires static com.google.auto.service;
  // sun.misc.Signal: SIGTERM/SIGINT drain and SIGHUP reload (Signals)
  requires jdk.unsupported;

  provides dev.jcni.runtime.CliCommand with dev.jcni.daemon.DaemonCommand;
  // the daemon finds the plugins it serves
  uses dev.jcni.api.CniPlugin;
}
