package dev.jcni.api;

import dev.jcni.spec.CniException;
import dev.jcni.spec.CniVersion;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.ErrorJson;
import dev.jcni.spec.Result;
import dev.jcni.spec.ResultCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A delegate run as a process found in CNI_PATH, with libcni's invoke semantics (see {@link Delegations}). */
final class ExecDelegate implements Delegate {
  private static final int TEXT_BUSY_RETRIES = 5;

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
    // libcni's fixupResultVersion: a result without cniVersion is taken to be at the config's version.
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

  /** libcni's FindInPath: no '/' in the name, first regular file named {@code plugin} in {@code paths}. */
  static Path findInPath(String plugin, List<String> paths) {
    String err = findInPathMessage(plugin, paths);
    if (err != null) {
      throw new CniException(ErrorCodes.INTERNAL, err);
    }
    for (String dir : paths) {
      Path p = Path.of(dir, plugin);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IllegalStateException("unreachable");
  }

  /** FindInPath's error message, or null when the plugin is found. */
  static String findInPathMessage(String plugin, List<String> paths) {
    if (plugin == null || plugin.isEmpty()) {
      return "no plugin name provided";
    }
    if (plugin.indexOf('/') >= 0) {
      return "invalid plugin name: " + plugin;
    }
    if (paths.isEmpty()) {
      return "no paths provided";
    }
    for (String dir : paths) {
      if (Files.isRegularFile(Path.of(dir, plugin))) {
        return null;
      }
    }
    return "failed to find plugin " + WireOut.goQuote(plugin) + " in path [" + String.join(" ", paths) + "]";
  }

  private byte[] exec(Command c) {
    Path exe = findInPath(type, inv.path());
    ProcessBuilder pb = new ProcessBuilder(exe.toString());
    Map<String, String> env = pb.environment();
    env.clear();
    env.putAll(inv.env());
    env.put("CNI_COMMAND", c.name());
    Process proc = start(pb);
    Pump out = new Pump(proc.getInputStream());
    Pump err = new Pump(proc.getErrorStream());
    byte[] config = inv.config().bytes();
    Thread in = new Thread(() -> {
      try (OutputStream o = proc.getOutputStream()) {
        o.write(config);
      } catch (IOException ignored) {
        // the plugin exited without reading stdin; its exit status tells the story
      }
    }, "jcni-delegate-stdin");
    in.setDaemon(true);
    in.start();
    int status;
    try {
      if (!proc.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        proc.descendants().forEach(ProcessHandle::destroyForcibly);
        proc.destroyForcibly();
        throw new CniException(ErrorCodes.INTERNAL,
            "netplugin " + type + " timed out after " + timeout.toMillis() + " ms and was killed");
      }
      status = proc.exitValue();
      out.join();
      err.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      proc.destroyForcibly();
      throw new CniException(ErrorCodes.INTERNAL, "interrupted while running netplugin " + type);
    }
    byte[] errBytes = err.bytes();
    if (errBytes.length > 0) {
      stderr.write(errBytes, 0, errBytes.length);
      stderr.flush();
    }
    if (status != 0) {
      throw pluginError(out.bytes(), errBytes, "exit status " + status);
    }
    return out.bytes();
  }

  /** Starts the process, retrying ETXTBSY (the binary is being written) like libcni's RawExec. */
  private static Process start(ProcessBuilder pb) {
    for (int attempt = 0; ; attempt++) {
      try {
        return pb.start();
      } catch (IOException e) {
        String m = String.valueOf(e.getMessage());
        if (attempt < TEXT_BUSY_RETRIES && m.toLowerCase().contains("text file busy")) {
          try {
            Thread.sleep(1000);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new CniException(ErrorCodes.UNKNOWN, "netplugin failed with no error message: " + m);
          }
          continue;
        }
        throw new CniException(ErrorCodes.UNKNOWN, "netplugin failed with no error message: " + m);
      }
    }
  }

  /** libcni's pluginErr: stdout as error JSON, else stderr as the message. */
  static CniException pluginError(byte[] stdout, byte[] stderr, String exitError) {
    if (stdout.length == 0) {
      if (stderr.length == 0) {
        return new CniException(ErrorCodes.UNKNOWN, "netplugin failed with no error message: " + exitError);
      }
      return new CniException(ErrorCodes.UNKNOWN, "netplugin failed: "
          + WireOut.goQuote(new String(stderr, StandardCharsets.UTF_8)) + ": " + exitError);
    }
    String parseError;
    try {
      return ErrorJson.decode(stdout).toException();
    } catch (CniException e) {
      parseError = e.msg();
    }
    return new CniException(ErrorCodes.UNKNOWN, "netplugin failed but error parsing its diagnostic message "
        + WireOut.goQuote(new String(stdout, StandardCharsets.UTF_8)) + ": " + parseError);
  }

  /** Drains one of the child's output streams on its own thread. */
  private static final class Pump extends Thread {
    private final InputStream in;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

    Pump(InputStream in) {
      super("jcni-delegate-pipe");
      this.in = in;
      setDaemon(true);
      start();
    }

    @Override
    public void run() {
      try (in) {
        in.transferTo(buf);
      } catch (IOException ignored) {
        // the child died; what was read so far is all there is
      }
    }

    byte[] bytes() {
      synchronized (buf) {
        return buf.toByteArray();
      }
    }
  }
}
