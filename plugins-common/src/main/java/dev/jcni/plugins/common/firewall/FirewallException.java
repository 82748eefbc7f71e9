package dev.jcni.plugins.common.firewall;

import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;

/**
 * A firewall command failed: the message names the tool and carries its stderr, the details carry
 * the script that was refused (a transaction that fails changes nothing). Code 999 by default, as
 * Go's plugins report such errors; a plugin may choose its own code (≥ 100) through {@link
 * Firewall#withFailureCode}.
 */
public final class FirewallException extends CniException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  public FirewallException(int code, String msg, String details, int exitCode) {
    super(code, msg, details);
    this.exitCode = exitCode;
  }

  public FirewallException(String msg, String details, int exitCode) {
    this(ErrorCodes.INTERNAL, msg, details, exitCode);
  }

  /** The tool's exit code (127 when it could not be started). */
  public int exitCode() {
    return exitCode;
  }
}
