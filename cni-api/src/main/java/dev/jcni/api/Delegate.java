package dev.jcni.api;

import dev.jcni.spec.Result;

/**
 * A delegated plugin (usually IPAM) bound to one invocation: the same environment with CNI_COMMAND overridden and
 * the full config on stdin. Runs in-process when the type is a plugin on the class path, otherwise the executable
 * is found in CNI_PATH; both give identical results.
 */
public interface Delegate {
  /** ADD; the result is at the config's version. */
  Result add();

  void check();

  void del();

  void gc();

  void status();
}
