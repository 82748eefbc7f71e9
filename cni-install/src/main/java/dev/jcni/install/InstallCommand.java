package dev.jcni.install;

import com.google.auto.service.AutoService;
import dev.jcni.runtime.CliCommand;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code jcni install}: installs the tree this {@code jcni} runs from onto the node (see {@link
 * Installer} and cni-install/README.md). Joins the CLI through the {@link CliCommand} SPI.
 */
@AutoService(CliCommand.class)
// @AutoService is compile-time only (CLASS retention): readers of this exported class never need
// its module
@SuppressWarnings("exports")
public final class InstallCommand implements CliCommand {
  /** For ServiceLoader. */
  public InstallCommand() {}

  @Override
  public String name() {
    return "install";
  }

  @Override
  public String usage() {
    return """
        install [--prefix /opt/jcni] [--bin-dir /opt/cni/bin] [--types bridge,ptp,...] [--examples]
                [--overwrite] [--force] [--no-archives] [--no-daemon] [--no-systemd] [--unit-dir DIR]
                [--socket /run/jcni/jcni.sock] [--from DIR]
                                  install this tree as <prefix>/<version>, flip <prefix>/current, link the
                                  plugins into the CNI bin directory, write jcni-daemon.service (root)""";
  }

  @Override
  public int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    Installer.Options o = new Installer.Options();
    o.env = env;
    try {
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        switch (a) {
          case "-h", "--help" -> {
            out.println("usage: jcni " + usage().strip());
            return 0;
          }
          case "--prefix" -> o.prefix = Path.of(value(args, ++i, a));
          case "--bin-dir" -> o.binDir = Path.of(value(args, ++i, a));
          case "--types" -> {
            Set<String> t = new LinkedHashSet<>();
            for (String s : value(args, ++i, a).split(",")) {
              if (!s.isBlank()) {
                t.add(s.strip());
              }
            }
            if (t.isEmpty()) {
              throw new IllegalArgumentException("--types needs at least one plugin type");
            }
            o.types = t;
          }
          case "--examples" -> o.examples = true;
          case "--overwrite" -> o.overwrite = true;
          case "--force" -> o.force = true;
          case "--no-archives" -> o.archives = false;
          case "--no-daemon" -> o.daemonUnit = false;
          case "--no-systemd" -> o.systemd = false;
          case "--unit-dir" -> o.unitDir = Path.of(value(args, ++i, a));
          case "--socket" -> o.socket = value(args, ++i, a);
          case "--systemctl" ->
              o.systemctl = Path.of(value(args, ++i, a)); // tests: a stand-in systemctl
          case "--from" -> o.source = Path.of(value(args, ++i, a));
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
      if (o.source == null) {
        o.source = home(env);
      }
    } catch (IllegalArgumentException e) {
      err.println("jcni install: " + e.getMessage());
      err.println("usage: jcni " + usage().strip());
      return 2;
    }
    try {
      new Installer(out).install(o);
      return 0;
    } catch (IOException | RuntimeException e) {
      err.println("jcni install: failed, nothing changed for the running version: " + message(e));
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("jcni install: interrupted");
      return 1;
    }
  }

  static String value(List<String> args, int i, String option) {
    if (i >= args.size() || args.get(i).isEmpty()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args.get(i);
  }

  /**
   * The tree this CLI runs from: {@code JCNI_HOME} when set, else the directory above the {@code
   * lib/} holding this class's jar (the launcher runs us from {@code <tree>/lib/*.jar}).
   */
  static Path home(Map<String, String> env) {
    String h = env.get("JCNI_HOME");
    if (h != null && !h.isEmpty()) {
      return Path.of(h);
    }
    try {
      Path jar =
          Path.of(InstallCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path lib = jar.getParent();
      if (Files.isRegularFile(jar) && lib != null && lib.getFileName().toString().equals("lib")) {
        return lib.getParent();
      }
    } catch (java.net.URISyntaxException | RuntimeException e) {
      // fall through
    }
    throw new IllegalArgumentException(
        "not run from a packaged tree: give --from DIR or JCNI_HOME");
  }

  /** A message in words, never an exception class name. */
  static String message(Exception e) {
    String m = e.getMessage();
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file: " + m;
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied: " + m;
    }
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return f.getReason() + ": " + f.getFile();
    }
    return m == null ? "unexpected error" : m;
  }
}
