package dev.jcni.api;

import dev.jcni.spec.CniException;
import dev.jcni.spec.CniVersion;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.Result;
import java.util.List;

/**
 * A CNI plugin. Implementations are annotated with {@link CniType} and registered for {@link
 * java.util.ServiceLoader} with {@code @AutoService(CniPlugin.class)}. The dispatcher has already
 * validated the environment, the version and the config's name, and parsed and converted
 * prevResult; a returned {@link Result} is converted to the config's version on the way out. Throw
 * {@link CniException} for CNI errors; anything else becomes code 999.
 *
 * <p>Implementations must be stateless between calls: everything a call needs comes from its {@link
 * Invocation}.
 */
public interface CniPlugin {

  /** ADD: returns the result (prevResult with this plugin's changes, for a chained plugin). */
  Result add(Invocation inv);

  /** DEL: best effort and idempotent; a missing netns, interface or reservation is not an error. */
  void del(Invocation inv);

  /** CHECK (config version ≥ 0.4.0). Default: nothing to verify. */
  default void check(Invocation inv) {}

  /** STATUS (≥ 1.1.0). Default: available. */
  default void status(Invocation inv) {}

  /**
   * GC (≥ 1.1.0); {@link Invocation#validAttachments()} lists what to keep. Default: nothing to
   * collect.
   */
  default void gc(Invocation inv) {}

  /** The versions this plugin accepts; the dispatcher enforces an exact match. */
  default List<CniVersion> supportedVersions() {
    return CniVersion.ALL;
  }

  /** One line printed when CNI_COMMAND is empty. */
  default String about() {
    CniType t = getClass().getAnnotation(CniType.class);
    return "jcni " + (t == null ? getClass().getSimpleName() : t.value()) + " plugin";
  }

  /** Helper for plugins: code 7 with a message naming the key. */
  static CniException invalidConfig(String msg) {
    return new CniException(ErrorCodes.INVALID_NETWORK_CONFIG, msg);
  }
}
