package dev.jcni.api;

import dev.jcni.spec.CniException;
import dev.jcni.spec.CniVersion;
import dev.jcni.spec.Result;

/**
 * A delegate on the class path, called directly with the caller's invocation (config unchanged,
 * verb replaced). It gets what it would get as a process: skel's version checks, exceptions mapped
 * to 999, and its result converted to the config's version (the round trip through the wire form a
 * process's stdout would take).
 */
final class InProcessDelegate implements Delegate {
  private final CniPlugin plugin;
  private final Invocation inv;

  InProcessDelegate(CniPlugin plugin, Invocation inv) {
    this.plugin = plugin;
    this.inv = inv;
  }

  @Override
  public Result add() {
    return run(Command.ADD);
  }

  @Override
  public void check() {
    run(Command.CHECK);
  }

  @Override
  public void del() {
    run(Command.DEL);
  }

  @Override
  public void gc() {
    run(Command.GC);
  }

  @Override
  public void status() {
    run(Command.STATUS);
  }

  private Result run(Command c) {
    CniVersion v = Calls.reconcile(plugin, c, Calls.configVersion(inv.config()));
    try {
      Result r = Calls.call(plugin, inv.withCommand(c));
      return r == null ? null : Calls.atVersion(r, v);
    } catch (CniException e) {
      throw e;
    } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
      throw Calls.internal(e);
    }
  }
}
