package dev.jcni.runtime;

import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;

/**
 * No configuration in the directory defines the requested network (or the directory holds no
 * configuration at all). Code 7, with libcni's message; a runtime typically waits for the config to
 * appear and retries.
 */
public final class NetworkNotFoundException extends CniException {
  private static final long serialVersionUID = 1L;

  public NetworkNotFoundException(String msg) {
    super(ErrorCodes.INVALID_NETWORK_CONFIG, msg);
  }
}
