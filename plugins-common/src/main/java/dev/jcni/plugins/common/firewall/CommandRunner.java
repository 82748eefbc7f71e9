package dev.jcni.plugins.common.firewall;

import java.util.List;

/**
 * Runs one external command with bytes on stdin and collects its output. The child runs in the
 * network namespace of the calling thread (the JVM forks from the calling thread), so a caller that
 * entered a namespace on a platform thread gets its firewall commands applied there. Injectable so
 * the script generators and the {@link Firewall} error handling can be unit-tested without root.
 */
@FunctionalInterface
public interface CommandRunner {

  /** Output of one finished command. */
  record Output(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /**
   * Runs {@code argv} to completion.
   *
   * @param stdin bytes written to the child's stdin (then closed); null for none
   * @return the exit code and output; a command that cannot be started returns exit code 127 and
   *     the reason in stderr (like a shell), never throws for that
   */
  Output run(List<String> argv, byte[] stdin);
}
