package dev.jcni.api.runtime;

import dev.jcni.api.CniPlugin;
import dev.jcni.api.Dispatcher;
import dev.jcni.api.Plugins;
import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.ErrorJson;
import dev.jcni.spec.VersionInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs one plugin call the way libcni's {@code pkg/invoke} does: in-process through the SPI and the
 * {@link Dispatcher} (same env, stdin and stdout bytes as an exec, so the behaviour is identical) when the type is
 * on the class path and in-process execution is on, otherwise the executable from CNI_PATH. A failure is turned
 * into a {@link CniException} with libcni's rules for reading a plugin's error output.
 */
final class PluginInvoker {
  /** libcni retries "text file busy" (a binary being replaced) this many times, 1 s apart. */
  private static final int TEXT_FILE_BUSY_RETRIES = 5;

  private final List<Path> cniPath;
  private final boolean inProcess;
  private final Duration timeout;
  private final Map<String, String> baseEnv;
  private final PrintStream stderr;
  private final long textBusyDelayMillis;
  // class-path lookups per type: the class path does not change, and plugins are stateless between calls
  private final ConcurrentHashMap<String, Optional<CniPlugin>> inProcessPlugins = new ConcurrentHashMap<>();

  PluginInvoker(List<Path> cniPath, boolean inProcess, Duration timeout, Map<String, String> baseEnv,
      PrintStream stderr, long textBusyDelayMillis) {
    this.cniPath = List.copyOf(cniPath);
    this.inProcess = inProcess;
    this.timeout = timeout;
    this.baseEnv = baseEnv;
    this.stderr = stderr;
    this.textBusyDelayMillis = textBusyDelayMillis;
  }

  /** CNI_PATH as plugins see it. */
  String cniPathString() {
    List<String> parts = new ArrayList<>();
    for (Path p : cniPath) {
      parts.add(p.toString());
    }
    return String.join(":", parts);
  }

  /**
   * The environment of one call: the base (process) environment plus the six CNI variables, always set even when
   * empty, ours winning (libcni's {@code Args.AsEnv}).
   */
  Map<String, String> env(String command, String containerId, String netns, String cniArgs, String ifname,
      String path) {
    Map<String, String> env = new LinkedHashMap<>(baseEnv);
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", containerId);
    env.put("CNI_NETNS", netns);
    env.put("CNI_ARGS", cniArgs);
    env.put("CNI_IFNAME", ifname);
    env.put("CNI_PATH", path);
    return env;
  }

  /** Runs the plugin and returns its stdout; a failure (non-zero exit) is thrown as the plugin's CNI error. */
  byte[] invoke(String type, Map<String, String> env, byte[] stdin) {
    Outcome o = run(type, env, stdin);
    if (o.stderr.length > 0) {
      // informational; libcni copies it to the runtime's stderr too
      stderr.write(o.stderr, 0, o.stderr.length);
      stderr.flush();
    }
    if (o.exit != 0) {
      throw pluginError(o);
    }
    return o.stdout;
  }

  /** libcni's {@code GetVersionInfo}: VERSION with dummy NETNS/IFNAME/PATH; a pre-VERSION plugin means 0.1.0. */
  VersionInfo versionInfo(String type) {
    Map<String, String> env = env("VERSION", "", "dummy", "", "dummy", "dummy");
    byte[] stdin = ("{\"cniVersion\":\"" + dev.jcni.spec.CniVersion.CURRENT + "\"}").getBytes(StandardCharsets.UTF_8);
    byte[] out;
    try {
      out = invoke(type, env, stdin);
    } catch (CniException e) {
      if (VersionInfo.UNKNOWN_VERSION_COMMAND.equals(e.msg()) && e.details() == null) {
        return VersionInfo.forLegacyPlugin();
      }
      throw e;
    }
    return VersionInfo.decode(out);
  }

  /** True when {@code type} would run in-process. */
  boolean runsInProcess(String type) {
    return inProcessPlugin(type).isPresent();
  }

  private Optional<CniPlugin> inProcessPlugin(String type) {
    if (!inProcess || !validName(type)) {
      return Optional.empty();
    }
    return inProcessPlugins.computeIfAbsent(type, Plugins::find);
  }

  private Outcome run(String type, Map<String, String> env, byte[] stdin) {
    Optional<CniPlugin> plugin = inProcessPlugin(type);
    if (plugin.isPresent()) {
      return runInProcess(type, plugin.get(), env, stdin);
    }
    return runExec(findInPath(type), env, stdin);
  }

  private static boolean validName(String type) {
    return !type.isEmpty() && type.indexOf('/') < 0;
  }

  /** libcni's {@code FindInPath}: a regular file named {@code type} in the first CNI_PATH entry that has one. */
  Path findInPath(String type) {
    if (type.isEmpty()) {
      throw notFound("no plugin name provided");
    }
    if (type.indexOf('/') >= 0) {
      throw notFound("invalid plugin name: " + type);
    }
    if (cniPath.isEmpty()) {
      throw notFound("no paths provided");
    }
    for (Path dir : cniPath) {
      Path p = dir.resolve(type);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    List<String> dirs = new ArrayList<>();
    for (Path p : cniPath) {
      dirs.add(p.toString());
    }
    return throwNotFound("failed to find plugin \"" + type + "\" in path [" + String.join(" ", dirs) + "]");
  }

  private static Path throwNotFound(String msg) {
    throw notFound(msg);
  }

  private static CniException notFound(String msg) {
    return new CniException(ErrorCodes.INVALID_NETWORK_CONFIG, msg);
  }

  // A fresh platform thread per call: a plugin that leaves its thread in another netns cannot affect the caller.
  private Outcome runInProcess(String type, CniPlugin plugin, Map<String, String> env, byte[] stdin) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int[] exit = {1};
    Throwable[] crash = {null};
    Thread t = new Thread(() -> {
      try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
          PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
        exit[0] = Dispatcher.run(plugin, env, new ByteArrayInputStream(stdin), o, e);
      } catch (Throwable x) {
        crash[0] = x;
      }
    }, "jcni-plugin-" + type);
    t.setDaemon(true);
    t.start();
    try {
      t.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      t.interrupt();
      throw new CniException(ErrorCodes.INTERNAL, "interrupted while running plugin " + type);
    }
    if (t.isAlive()) {
      t.interrupt();
      throw new CniException(ErrorCodes.INTERNAL,
          "netplugin " + type + " (in-process) timed out after " + timeout.toSeconds() + "s");
    }
    if (crash[0] != null) {
      throw new CniException(ErrorCodes.INTERNAL, "plugin " + type + " crashed: " + crash[0], null, crash[0]);
    }
    return new Outcome(exit[0], out.toByteArray(), err.toByteArray(), "exit status " + exit[0]);
  }

  private Outcome runExec(Path plugin, Map<String, String> env, byte[] stdin) {
    ProcessBuilder pb = new ProcessBuilder(plugin.toString());
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = null;
    for (int attempt = 0; p == null; attempt++) {
      try {
        p = pb.start();
      } catch (IOException e) {
        String m = String.valueOf(e.getMessage());
        if (m.toLowerCase(Locale.ROOT).contains("text file busy") && attempt < TEXT_FILE_BUSY_RETRIES) {
          sleep(textBusyDelayMillis);
          continue;
        }
        throw new CniException(ErrorCodes.INTERNAL, "netplugin failed to start: " + m, null, e);
      }
    }
    Pump out = new Pump(p.getInputStream(), "stdout", timeout.toMillis());
    Pump err = new Pump(p.getErrorStream(), "stderr", timeout.toMillis());
    Thread in = feeder(p.getOutputStream(), stdin);
    boolean done;
    try {
      done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill(p);
      throw new CniException(ErrorCodes.INTERNAL, "interrupted while running " + plugin);
    }
    if (!done) {
      kill(p);
      throw new CniException(ErrorCodes.INTERNAL,
          "netplugin " + plugin + " timed out after " + timeout.toSeconds() + "s and was killed");
    }
    join(in);
    int exit = p.exitValue();
    return new Outcome(exit, out.result(), err.result(), "exit status " + exit);
  }

  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  /** libcni's {@code pluginErr}: the error JSON from stdout, else stderr, else a generic message. */
  static CniException pluginError(Outcome o) {
    if (o.stdout.length == 0) {
      if (o.stderr.length == 0) {
        return new CniException(ErrorCodes.UNKNOWN, "netplugin failed with no error message: " + o.status);
      }
      return new CniException(ErrorCodes.UNKNOWN,
          "netplugin failed: " + goQuote(new String(o.stderr, StandardCharsets.UTF_8)) + ": " + o.status);
    }
    try {
      ErrorJson e = ErrorJson.decode(o.stdout);
      return new CniException((int) Math.min(e.code(), Integer.MAX_VALUE), e.msg(), e.details());
    } catch (CniException e) {
      return new CniException(ErrorCodes.UNKNOWN, "netplugin failed but error parsing its diagnostic message "
          + goQuote(new String(o.stdout, StandardCharsets.UTF_8)) + ": " + e.msg());
    }
  }

  /** Go's %q for the common cases: quotes, backslashes and control characters escaped. */
  static String goQuote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (ch < 0x20 || ch == 0x7f) {
            b.append(String.format("\\x%02x", (int) ch));
          } else {
            b.append(ch);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  private static Thread feeder(OutputStream os, byte[] data) {
    Thread t = new Thread(() -> {
      try (OutputStream o = os) {
        o.write(data);
      } catch (IOException e) {
        // the plugin exited without reading all of stdin; its exit status tells the rest
      }
    }, "jcni-exec-stdin");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void join(Thread t) {
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CniException(ErrorCodes.INTERNAL, "interrupted");
    }
  }

  /** Drains a stream on its own thread so that a chatty plugin never blocks on a full pipe. */
  private static final class Pump {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final Thread thread;
    private final long maxWaitMillis;

    Pump(InputStream in, String name, long maxWaitMillis) {
      this.maxWaitMillis = maxWaitMillis;
      thread = new Thread(() -> {
        try (InputStream i = in) {
          i.transferTo(buf);
        } catch (IOException e) {
          // stream closed when the process was killed
        }
      }, "jcni-exec-" + name);
      thread.setDaemon(true);
      thread.start();
    }

    // bounded: a daemon the plugin left behind may hold the pipe open after the plugin itself exited
    byte[] result() {
      try {
        thread.join(maxWaitMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (buf) {
        return buf.toByteArray();
      }
    }
  }

  /** What a plugin call produced. */
  record Outcome(int exit, byte[] stdout, byte[] stderr, String status) {}
}
