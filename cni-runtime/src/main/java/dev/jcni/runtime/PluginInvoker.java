package dev.jcni.runtime;

import dev.jcni.api.CniPlugin;
import dev.jcni.api.Dispatcher;
import dev.jcni.api.PluginExec;
import dev.jcni.api.Plugins;
import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.VersionInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs one plugin call the way libcni's {@code pkg/invoke} does: in-process through the SPI and the
 * {@link Dispatcher} (same env, stdin and stdout bytes as an exec, so the behaviour is identical)
 * when the type is on the class path and in-process execution is on, otherwise the executable from
 * CNI_PATH through {@link PluginExec}. Both routes read a failure with libcni's rules ({@link
 * PluginExec#finish}).
 */
final class PluginInvoker {
  private final List<String> cniPath;
  private final boolean inProcess;
  private final Duration timeout;
  private final Map<String, String> baseEnv;
  private final PluginExec exec;
  // class-path lookups per type: the class path does not change, and plugins are stateless between
  // calls
  private final ConcurrentHashMap<String, Optional<CniPlugin>> inProcessPlugins =
      new ConcurrentHashMap<>();

  PluginInvoker(
      List<Path> cniPath,
      boolean inProcess,
      Duration timeout,
      Map<String, String> baseEnv,
      PrintStream stderr,
      long textBusyDelayMillis) {
    List<String> dirs = new ArrayList<>(cniPath.size());
    for (Path p : cniPath) {
      dirs.add(p.toString());
    }
    this.cniPath = List.copyOf(dirs);
    this.inProcess = inProcess;
    this.timeout = timeout;
    this.baseEnv = baseEnv;
    this.exec = new PluginExec(stderr, textBusyDelayMillis);
  }

  /** CNI_PATH as plugins see it. */
  String cniPathString() {
    return String.join(":", cniPath);
  }

  /**
   * The environment of one call: the base (process) environment plus the six CNI variables, always
   * set even when empty, ours winning (libcni's {@code Args.AsEnv}).
   */
  Map<String, String> env(
      String command,
      String containerId,
      String netns,
      String cniArgs,
      String ifname,
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

  /**
   * Runs the plugin and returns its stdout; a failure (non-zero exit) is thrown as the plugin's CNI
   * error.
   */
  byte[] invoke(String type, Map<String, String> env, byte[] stdin) {
    Optional<CniPlugin> plugin = inProcessPlugin(type);
    if (plugin.isPresent()) {
      return runInProcess(type, plugin.get(), env, stdin);
    }
    return exec.exec(PluginExec.find(type, cniPath), env, stdin, timeout);
  }

  /**
   * libcni's {@code GetVersionInfo}: VERSION with dummy NETNS/IFNAME/PATH; a pre-VERSION plugin
   * means 0.1.0.
   */
  VersionInfo versionInfo(String type) {
    Map<String, String> env = env("VERSION", "", "dummy", "", "dummy", "dummy");
    byte[] stdin =
        ("{\"cniVersion\":\"" + dev.jcni.spec.CniVersion.CURRENT + "\"}")
            .getBytes(StandardCharsets.UTF_8);
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

  private static boolean validName(String type) {
    return !type.isEmpty() && type.indexOf('/') < 0;
  }

  // A fresh platform thread per call: a plugin that leaves its thread in another netns cannot
  // affect the caller.
  private byte[] runInProcess(
      String type, CniPlugin plugin, Map<String, String> env, byte[] stdin) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int[] exit = {1};
    Throwable[] crash = {null};
    Thread t =
        new Thread(
            () -> {
              try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                  PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                exit[0] = Dispatcher.run(plugin, env, new ByteArrayInputStream(stdin), o, e);
              } catch (Throwable x) {
                crash[0] = x;
              }
            },
            "jcni-plugin-" + type);
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
      throw new CniException(
          ErrorCodes.INTERNAL,
          "netplugin " + type + " (in-process) timed out after " + timeout.toMillis() + "ms");
    }
    if (crash[0] != null) {
      throw new CniException(
          ErrorCodes.INTERNAL, "plugin " + type + " crashed: " + crash[0], null, crash[0]);
    }
    return exec.finish(exit[0], out.toByteArray(), err.toByteArray());
  }
}
