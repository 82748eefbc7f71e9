/** The libcni-like runtime (CniRuntime, result cache) and the jcni CLI. */
module dev.jcni.runtime {
  requires transitive dev.jcni.api;
  requires dev.jcni.system;

  exports dev.jcni.runtime;

  // extra jcni subcommands from other modules (jcni daemon)
  uses dev.jcni.runtime.CliCommand;

  provides dev.jcni.runtime.CliCommand with
      dev.jcni.runtime.NetnsCommand;

  // conflist/config records bound by cni-spec's binder
  opens dev.jcni.runtime to
      dev.jcni.spec;
}
