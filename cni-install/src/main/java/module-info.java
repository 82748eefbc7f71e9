/** `jcni install` / `jcni uninstall`: subcommands of the jcni CLI. */
// auto-service-annotations is an automatic module, needed at compile time only (requires static)
@SuppressWarnings("requires-automatic")
module dev.jcni.install {
  // CliCommand is the supertype of the exported commands
  requires transitive dev.jcni.runtime;
  requires static com.google.auto.service;

  // ArchiveTrainer: the SPI that jcni-packager's InstallTraining implements (found with
  // ServiceLoader)
  exports dev.jcni.install;

  uses dev.jcni.install.ArchiveTrainer;

  provides dev.jcni.runtime.CliCommand with
      dev.jcni.install.InstallCommand,
      dev.jcni.install.UninstallCommand;
}
