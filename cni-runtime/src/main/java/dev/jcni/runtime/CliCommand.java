package dev.jcni.runtime;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * An extra {@code jcni} subcommand provided by another module and found with {@link
 * java.util.ServiceLoader} (register with {@code @AutoService(CliCommand.class)}). This keeps
 * cni-api free of optional dependencies: for example {@code jcni netns} lives next to the netlink
 * code, and the CLI offers it only when that module is on the class path.
 */
public interface CliCommand {
  /** The subcommand word, e.g. {@code netns}. */
  String name();

  /**
   * One or more help lines shown by {@code jcni --help}, e.g. {@code netns add|del|list [NAME]
   * ...}.
   */
  String usage();

  /**
   * Runs the subcommand.
   *
   * @param args the words after the subcommand
   * @param env the process environment
   * @return the exit code
   */
  int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err);
}
