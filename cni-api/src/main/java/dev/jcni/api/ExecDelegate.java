package dev.jcni.api;

import dev.jcni.spec.CniVersion;
import dev.jcni.spec.Result;
import dev.jcni.spec.ResultCodec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A delegate run as a process found in CNI_PATH through {@link PluginExec} (libcni's invoke
 * semantics).
 */
final class ExecDelegate implements Delegate {
  private final Invocation inv;
  private final String type;
  private final PrintStream stderr;
  private final Duration timeout;

  ExecDelegate(Invocation inv, String type, PrintStream stderr, Duration timeout) {
    this.inv = inv;
    this.type = type;
    this.stderr = stderr;
    this.timeout = timeout;
  }

  @Override
  public Result add() {
    byte[] out = exec(Command.ADD);
    // libcni's fixupResultVersion: a result without cniVersion is taken to be at the config's
    // version.
    CniVersion v = CniVersion.parse(Calls.configVersion(inv.config()));
    Result r = ResultCodec.decode(out, v);
    return r.cniVersion().equals(v) ? r : Calls.atVersion(r, v);
  }

  @Override
  public void check() {
    exec(Command.CHECK);
  }

  @Override
  public void del() {
    exec(Command.DEL);
  }

  @Override
  public void gc() {
    exec(Command.GC);
  }

  @Override
  public void status() {
    exec(Command.STATUS);
  }

  private byte[] exec(Command c) {
    Path exe = PluginExec.find(type, inv.path());
    // DelegateArgs: the call's environment with only the verb overridden, as in-process delegates
    // see it
    return new PluginExec(stderr)
        .exec(exe, inv.withCommand(c).env(), inv.config().bytes(), timeout);
  }
}
