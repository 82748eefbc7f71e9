package dev.jcni.api;

import dev.jcni.spec.CniException;
import dev.jcni.spec.CniVersion;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.ErrorText;
import dev.jcni.spec.NetConf;
import dev.jcni.spec.Result;
import dev.jcni.spec.ResultCodec;
import dev.jcni.spec.Validation;
import dev.jcni.spec.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;

/**
 * Turns one process's environment and stdin into a call on a {@link CniPlugin}, as Go's skel does:
 * the per-verb environment table and validators, VERSION, exact version match, CHECK/GC/STATUS
 * gates, prevResult conversion, result conversion on the way out, and any failure as error JSON on
 * stdout with a non-zero exit.
 *
 * <p>Error codes: missing or invalid CNI_* variables and unknown verbs 4, unreadable stdin 5, stdin
 * that is not a JSON object 6, missing or invalid {@code name} 7, unsupported version or a verb the
 * version does not have 1, CNI_NETNS being the plugin's own namespace 8 (checked before the plugin
 * runs; a DEL then runs without the netns and succeeds), a plugin's {@link CniException} its own
 * code, any other exception 999 (its message only; the stack trace goes to the debug log when
 * {@code JCNI_LOG} is set).
 */
public final class Dispatcher {
  private Dispatcher() {}

  /** skel's environment table, in its order: the variables and the verbs that require each. */
  private static final String[] ENV_NAMES = {
    "CNI_COMMAND",
    "CNI_CONTAINERID",
    "CNI_NETNS",
    "CNI_IFNAME",
    "CNI_ARGS",
    "CNI_PATH",
    "CNI_NETNS_OVERRIDE"
  };

  private static boolean required(String name, String cmd) {
    switch (name) {
      case "CNI_COMMAND":
      case "CNI_PATH":
        return cmd.equals("ADD")
            || cmd.equals("CHECK")
            || cmd.equals("DEL")
            || cmd.equals("GC")
            || cmd.equals("STATUS");
      case "CNI_CONTAINERID":
      case "CNI_IFNAME":
        return cmd.equals("ADD") || cmd.equals("CHECK") || cmd.equals("DEL");
      case "CNI_NETNS":
        return cmd.equals("ADD") || cmd.equals("CHECK");
      default:
        return false;
    }
  }

  /** skel's validators, run on present variables that the verb requires. */
  private static void validate(String name, String value) {
    if (name.equals("CNI_CONTAINERID")) {
      Validation.containerId(value);
    } else if (name.equals("CNI_IFNAME")) {
      Validation.interfaceName(value);
    }
  }

  /**
   * Runs one call of {@code plugin}. Pure: uses only its arguments (no System.exit, no global
   * state).
   *
   * @return the process exit code (0 on success)
   */
  public static int run(
      CniPlugin plugin,
      Map<String, String> env,
      InputStream stdin,
      PrintStream stdout,
      PrintStream stderr) {
    return run(plugin, Delegate.standard(), env, stdin, stdout, stderr);
  }

  /**
   * As {@link #run(CniPlugin, Map, InputStream, PrintStream, PrintStream)} with {@code delegation}
   * for delegates.
   */
  public static int run(
      CniPlugin plugin,
      Delegate.Strategy delegation,
      Map<String, String> env,
      InputStream stdin,
      PrintStream stdout,
      PrintStream stderr) {
    long start = System.nanoTime();
    DebugLog log = DebugLog.from(env, stderr);
    String cmd = env.getOrDefault("CNI_COMMAND", "");
    String[] errVersion = {CniVersion.CURRENT.toString()};
    int code = -1;
    String msg = null;
    try {
      dispatch(
          plugin,
          StandardDelegation.bind(delegation, stderr),
          env,
          cmd,
          stdin,
          stdout,
          stderr,
          errVersion);
      return 0;
    } catch (CniException e) {
      code = e.code();
      msg = e.msg();
      WireOut.write(stdout, WireOut.errorJson(errVersion[0], e));
      return 1;
    } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
      CniException c = Calls.internal(e);
      code = c.code();
      msg = c.msg();
      if (log != null) {
        log.exception(e);
      }
      WireOut.write(stdout, WireOut.errorJson(errVersion[0], c));
      return 1;
    } finally {
      if (log != null) {
        log.invocation(Plugins.typeOf(plugin), cmd, env, code, msg, System.nanoTime() - start);
      }
    }
  }

  /**
   * Runs the plugin of {@code type} found on the class path; an unknown type is error 999 (see
   * {@link Main}).
   */
  public static int run(
      String type,
      Map<String, String> env,
      InputStream stdin,
      PrintStream stdout,
      PrintStream stderr) {
    Optional<CniPlugin> p;
    try {
      p = type == null || type.isEmpty() ? Optional.empty() : Plugins.find(type);
    } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
      // a provider that cannot be created: still one error object on stdout, not a JVM stack trace
      CniException c = Calls.internal(e);
      WireOut.write(
          stdout,
          WireOut.errorJson(
              CniVersion.CURRENT.toString(),
              c.code(),
              "cannot load plugin " + WireOut.goQuote(type) + ": " + c.msg(),
              null));
      return 1;
    }
    if (p.isEmpty()) {
      String m =
          type == null || type.isEmpty()
              ? "no plugin type given: set -Djcni.plugin=<type> or pass the type as the first argument"
              : "no plugin of type " + WireOut.goQuote(type) + " on the class path";
      WireOut.write(
          stdout,
          WireOut.errorJson(
              CniVersion.CURRENT.toString(),
              ErrorCodes.INTERNAL,
              m,
              "available: " + String.join(", ", Plugins.types())));
      return 1;
    }
    return run(p.get(), env, stdin, stdout, stderr);
  }

  private static void dispatch(
      CniPlugin plugin,
      Delegate.Strategy delegation,
      Map<String, String> env,
      String cmd,
      InputStream stdin,
      PrintStream stdout,
      PrintStream stderr,
      String[] errVersion) {
    // skel's table: collect every missing variable; validate present ones the verb requires,
    // failing at once.
    List<String> missing = new ArrayList<>();
    for (String name : ENV_NAMES) {
      String value = env.getOrDefault(name, "");
      boolean required = required(name, cmd);
      if (value.isEmpty()) {
        if (required || name.equals("CNI_COMMAND")) {
          missing.add(name);
        }
      } else if (required) {
        validate(name, value);
      }
    }
    if (!missing.isEmpty()) {
      if (cmd.isEmpty()) {
        StringBuilder b =
            new StringBuilder(plugin.about()).append("\nCNI protocol versions supported: ");
        List<CniVersion> versions = plugin.supportedVersions();
        for (int i = 0; i < versions.size(); i++) {
          b.append(i == 0 ? "" : ", ").append(versions.get(i));
        }
        WireOut.write(stderr, b.append('\n').toString());
        return;
      }
      throw new CniException(
          ErrorCodes.INVALID_ENVIRONMENT_VARIABLES,
          "required env variables [" + String.join(",", missing) + "] missing");
    }
    if (cmd.equals("VERSION")) {
      // skel never reads stdin for VERSION; the answer does not depend on it.
      WireOut.write(stdout, WireOut.versionJson(plugin.supportedVersions()));
      return;
    }

    byte[] data;
    try {
      data = stdin.readAllBytes();
    } catch (IOException e) {
      throw new CniException(ErrorCodes.IO_FAILURE, "error reading from stdin: " + ErrorText.of(e));
    }
    NetConf conf = validateConfig(data);
    String version = Calls.configVersion(conf);
    for (CniVersion known : CniVersion.ALL) {
      if (known.toString().equals(version)) {
        errVersion[0] = version;
      }
    }

    Command command;
    try {
      command = Command.valueOf(cmd);
    } catch (IllegalArgumentException e) {
      command = null;
    }
    if (command == null || command == Command.VERSION) {
      throw new CniException(
          ErrorCodes.INVALID_ENVIRONMENT_VARIABLES, "unknown CNI_COMMAND: " + cmd);
    }
    CniVersion v = Calls.reconcile(plugin, command, version);
    Map<String, String> callEnv = env;
    if (!NetnsCheck.overridden(env.get("CNI_NETNS_OVERRIDE"))) {
      // Go's skel checks after the plugin ran, when the host is already changed; here nothing runs
      // first. ADD and
      // CHECK aimed at the plugin's own namespace are refused. DEL still releases what IPAM and
      // firewall state
      // the container ID holds, but sees no netns, so nothing in the plugin's own namespace (where
      // an interface
      // named CNI_IFNAME may be the node's NIC) is touched, and it succeeds.
      String netns = env.getOrDefault("CNI_NETNS", "");
      if (command == Command.ADD || command == Command.CHECK) {
        NetnsCheck.check(netns);
      } else if (command == Command.DEL && NetnsCheck.isOwn(netns)) {
        callEnv = new java.util.HashMap<>(env);
        callEnv.remove("CNI_NETNS");
        WireOut.write(
            stderr,
            "CNI_NETNS "
                + WireOut.goQuote(netns)
                + " is the plugin's own network namespace: releasing IPAM and firewall state only\n");
      }
    }
    Invocation inv = Calls.invocation(command, callEnv, conf, v, delegation);
    Result result = Calls.call(plugin, inv);
    if (result != null) {
      WireOut.write(stdout, ResultCodec.toJson(result, v));
    }
  }

  /**
   * skel's validateConfig: a JSON object (else 6) with a valid, non-empty string {@code name} (else
   * 7).
   */
  private static NetConf validateConfig(byte[] data) {
    NetConf conf;
    try {
      conf = NetConf.parse(data);
    } catch (CniException e) {
      if (e.code() != ErrorCodes.DECODING_FAILURE) {
        throw e;
      }
      throw new CniException(
          ErrorCodes.DECODING_FAILURE,
          "error unmarshall network config: " + e.msg(),
          e.details(),
          e);
    }
    Object name = Json.get(conf.raw(), "name");
    if (name != null && !(name instanceof String)) {
      throw new CniException(
          ErrorCodes.DECODING_FAILURE, "error unmarshall network config: name must be a string");
    }
    if (name == null || ((String) name).isEmpty()) {
      throw new CniException(ErrorCodes.INVALID_NETWORK_CONFIG, "missing network name");
    }
    Validation.networkName((String) name);
    return conf;
  }
}
