package dev.jcni.install;

import com.google.auto.service.AutoService;
import dev.jcni.runtime.CliCommand;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code jcni uninstall}: removes exactly what {@code jcni install} placed (its manifest under the
 * prefix), and nothing it did not place or that changed since.
 */
@AutoService(CliCommand.class)
// @AutoService is compile-time only (CLASS retention): readers of this exported class never need
// its module
@SuppressWarnings("exports")
public final class UninstallCommand implements CliCommand {
  /** For ServiceLoader. */
  public UninstallCommand() {}

  @Override
  public String name() {
    return "uninstall";
  }

  @Override
  public String usage() {
    return """
        uninstall [--prefix /opt/jcni] [--no-systemd]
                                  remove what `jcni install` placed (bin-dir links, unit, versions) unless
                                  changed since; stops and disables jcni-daemon.service under systemd""";
  }

  @Override
  public int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    Path prefix = Path.of("/opt/jcni");
    boolean systemd = true;
    Path systemctl = null;
    try {
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        switch (a) {
          case "-h", "--help" -> {
            out.println("usage: jcni " + usage().strip());
            return 0;
          }
          case "--prefix" -> prefix = Path.of(InstallCommand.value(args, ++i, a));
          case "--no-systemd" -> systemd = false;
          case "--systemctl" -> systemctl = Path.of(InstallCommand.value(args, ++i, a));
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
    } catch (IllegalArgumentException e) {
      err.println("jcni uninstall: " + e.getMessage());
      err.println("usage: jcni " + usage().strip());
      return 2;
    }
    try {
      int kept = new Installer(out).uninstall(prefix, systemd, systemctl);
      if (kept > 0) {
        err.println(
            "jcni uninstall: "
                + kept
                + " entries changed since install were left alone (see above)");
        return 1;
      }
      return 0;
    } catch (IOException | RuntimeException e) {
      err.println("jcni uninstall: " + InstallCommand.message(e));
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }
}
