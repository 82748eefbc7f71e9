package dev.jcni.runtime;

import dev.jcni.api.Attachment;
import dev.jcni.spec.CniException;
import dev.jcni.spec.CniVersion;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.ErrorJson;
import dev.jcni.spec.ErrorText;
import dev.jcni.spec.NetConf;
import dev.jcni.spec.NetConfList;
import dev.jcni.spec.Result;
import dev.jcni.spec.ResultCodec;
import dev.jcni.spec.json.Json;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * {@code jcni}: run a CNI network list against a network namespace, like Go's {@code cnitool}, with
 * jcni's runtime ({@link CniRuntime}). Plugins on the class path run in-process, the others from
 * the CNI path. Results go to stdout as JSON; a failure prints the CNI error JSON on stdout and
 * exits non-zero.
 */
public final class Cli {
  static final String DEFAULT_CONF_DIR = "/etc/cni/net.d";
  static final String DEFAULT_CNI_PATH = "/opt/cni/bin";
  static final String DEFAULT_CACHE_DIR = "/var/lib/cni";
  private static final List<String> BUILT_IN =
      List.of("add", "check", "del", "gc", "status", "validate", "cached");

  private Cli() {}

  public static void main(String[] args) {
    // identifiers and paths are bytes: a JVM under a non-UTF-8 locale relaunches under C.UTF-8 (see
    // ProcessEnv)
    if (!dev.jcni.api.ProcessEnv.jvmIsUtf8()) {
      int code = dev.jcni.api.ProcessEnv.relaunchUnderUtf8();
      if (code >= 0) {
        System.exit(code);
      }
    }
    System.exit(run(args, dev.jcni.api.ProcessEnv.environment(), System.out, System.err));
  }

  static String usage() {
    StringBuilder b = new StringBuilder();
    b.append(
        """
        Usage: jcni COMMAND [ARGS] [OPTIONS]

        Runs a CNI network configuration list against a network namespace, as a container runtime
        (libcni) does: ADD runs the plugins in order, DEL in reverse, results are cached in libcni's format.

        Commands:
          add NETWORK NETNS         attach NETNS to NETWORK; prints the result JSON
          check NETWORK NETNS       verify the attachment against the cached result (cniVersion >= 0.4.0)
          del NETWORK NETNS         detach; removes the cached result (NETNS may be "" once it is gone;
                                    then give the --container-id the add used)
          gc NETWORK                DEL every cached attachment of NETWORK not named by --valid, then send GC
                                    to the plugins (cniVersion >= 1.1.0). Without --valid, ALL are removed.
          status NETWORK            ask every plugin whether it can take ADDs (cniVersion >= 1.1.0)
          validate NETWORK          check that every plugin exists and supports the list's cniVersion
          cached [CONTAINER_ID]     list the cached attachments (all, or one container's)
        """);
    for (CliCommand c : extensions()) {
      for (String line : c.usage().split("\n")) {
        b.append("  ").append(line).append('\n');
      }
    }
    b.append(
        """

        NETNS is a path such as /run/netns/blue, or just a name (blue means /run/netns/blue).
        NETWORK is the "name" inside a *.conflist (or deprecated *.conf) file in the config directory.

        Typical session (as root; the namespace must exist before add):
          ip netns add blue                 (or: jcni netns add blue, where available)
          jcni add mynet blue               prints the result, caches it under /var/lib/cni/results
          jcni check mynet blue
          jcni del mynet blue
          ip netns del blue

        Options:
          --conf-dir DIR        network configs (default $NETCONFPATH, else /etc/cni/net.d)
          --cni-path DIRS       ':'-separated plugin directories (default $CNI_PATH, else /opt/cni/bin)
          --cache-dir DIR       result cache (default /var/lib/cni, shared with Go runtimes)
          --ifname NAME         interface name in the namespace (default $CNI_IFNAME, else eth0)
          --container-id ID     default: cnitool-<20 hex digits of sha512(netns path)>, as cnitool
          --cap JSON            capability arguments, e.g. '{"portMappings":[{"hostPort":8080,
                                "containerPort":80,"protocol":"tcp"}]}' (default $CAP_ARGS)
          --args 'K=V;K2=V2'    CNI_ARGS for the plugins (default $CNI_ARGS)
          --valid CID/IF[,...]  gc: attachments to keep (repeatable)
          --exec-only           run every plugin as an executable, even those on the class path
          --timeout SECONDS     limit per plugin call (default 300)
          -h, --help            this help

        Example (an IPAM-only network: host-local does not enter the namespace, so none needs to exist):
          mkdir -p /tmp/jcni/net.d && cat > /tmp/jcni/net.d/10-demo.conflist <<'JSON'
          {"cniVersion":"1.0.0","name":"demo","plugins":[{"type":"host-local",
            "ipam":{"type":"host-local","subnet":"10.99.0.0/24","dataDir":"/tmp/jcni/ipam"}}]}
          JSON
          jcni add demo none --conf-dir /tmp/jcni/net.d --cache-dir /tmp/jcni/cache
          jcni del demo none --conf-dir /tmp/jcni/net.d --cache-dir /tmp/jcni/cache

        Exit status: 0 on success, 1 on a CNI error (its JSON is on stdout), 2 on a usage error.
        """);
    return b.toString();
  }

  /** The CLI as a function of its inputs (no System.exit, no process state). */
  public static int run(String[] argv, Map<String, String> env, PrintStream out, PrintStream err) {
    List<String> args = List.of(argv);
    if (args.isEmpty()
        || args.contains("-h")
        || args.contains("--help")
        || args.get(0).equals("help")) {
      (args.isEmpty() ? err : out).print(usage());
      return args.isEmpty() ? 2 : 0;
    }
    String command = args.get(0);
    if (!BUILT_IN.contains(command)) {
      // only now scan the class path for contributed subcommands: it costs start-up time
      for (CliCommand c : extensions()) {
        if (c.name().equals(command)) {
          return c.run(args.subList(1, args.size()), env, out, err);
        }
      }
    }
    Options o;
    try {
      o = Options.parse(args.subList(1, args.size()));
    } catch (UsageException e) {
      return usageError(err, e);
    }
    try {
      return execute(command, o, env, out);
    } catch (UsageException e) {
      return usageError(err, e);
    } catch (CniException e) {
      out.println(errorJson(e));
      out.flush();
      return 1;
    } catch (RuntimeException e) {
      // never a stack trace on stdout: anything unexpected is still a CNI error object (999, as
      // Go's skel)
      out.println(errorJson(new CniException(ErrorCodes.INTERNAL, ErrorText.of(e), null, e)));
      out.flush();
      return 1;
    }
  }

  private static int usageError(PrintStream err, UsageException e) {
    err.println("jcni: " + e.getMessage());
    err.println("Run 'jcni --help' for usage.");
    return 2;
  }

  private static int execute(String command, Options o, Map<String, String> env, PrintStream out) {
    switch (command) {
      case "add", "check", "del" -> {
        o.expectPositional(2, command + " NETWORK NETNS");
        o.rejectFlag("valid", command);
        CniRuntime rt = runtime(o, env);
        NetConfList list = rt.loadNetworkList(confDir(o, env), o.positional.get(0));
        RuntimeConf rc = runtimeConf(o, env);
        switch (command) {
          case "add" -> {
            Result r = rt.addNetworkList(list, rc);
            out.println(indent(ResultCodec.toJson(r, r.cniVersion())));
          }
          case "check" -> rt.checkNetworkList(list, rc);
          default -> rt.delNetworkList(list, rc);
        }
      }
      case "gc" -> {
        o.expectPositional(1, "gc NETWORK");
        CniRuntime rt = runtime(o, env);
        NetConfList list = rt.loadNetworkList(confDir(o, env), o.positional.get(0));
        rt.gcNetworkList(list, o.valid);
      }
      case "status" -> {
        o.expectPositional(1, "status NETWORK");
        CniRuntime rt = runtime(o, env);
        rt.statusNetworkList(rt.loadNetworkList(confDir(o, env), o.positional.get(0)));
      }
      case "validate" -> {
        o.expectPositional(1, "validate NETWORK");
        CniRuntime rt = runtime(o, env);
        NetConfList list = rt.loadNetworkList(confDir(o, env), o.positional.get(0));
        List<String> caps = rt.validateNetworkList(list);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("name", list.name());
        report.put("cniVersion", list.cniVersionString());
        List<Object> plugins = new ArrayList<>();
        for (NetConf p : list.plugins()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("type", p.type());
          m.put("inProcess", rt.runsInProcess(p.type()));
          plugins.add(m);
        }
        report.put("plugins", plugins);
        report.put("capabilities", caps);
        out.println(indent(Json.write(report)));
      }
      case "cached" -> {
        if (o.positional.size() > 1) {
          throw new UsageException("usage: jcni cached [CONTAINER_ID]");
        }
        CniRuntime rt = runtime(o, env);
        List<Object> rows = new ArrayList<>();
        for (CachedAttachment a :
            rt.cachedAttachments(o.positional.isEmpty() ? "" : o.positional.get(0))) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("containerId", a.containerId());
          m.put("network", a.network());
          m.put("ifname", a.ifname());
          m.put("netns", a.netns());
          rows.add(m);
        }
        out.println(indent(Json.write(rows)));
      }
      default -> throw new UsageException("unknown command \"" + command + "\"");
    }
    out.flush();
    return 0;
  }

  private static CniRuntime runtime(Options o, Map<String, String> env) {
    String cniPath = o.get("cni-path", env.getOrDefault("CNI_PATH", ""));
    CniRuntime.Builder b =
        CniRuntime.builder()
            .cniPath(cniPath.isEmpty() ? DEFAULT_CNI_PATH : cniPath)
            .cacheDir(Path.of(o.get("cache-dir", DEFAULT_CACHE_DIR)))
            .inProcess(!o.execOnly)
            .environment(env);
    if (o.flags.containsKey("timeout")) {
      try {
        b.timeout(Duration.ofSeconds(Long.parseLong(o.flags.get("timeout"))));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--timeout takes a positive number of seconds");
      }
    }
    return b.build();
  }

  private static Path confDir(Options o, Map<String, String> env) {
    String d = o.get("conf-dir", env.getOrDefault("NETCONFPATH", ""));
    return Path.of(d.isEmpty() ? DEFAULT_CONF_DIR : d);
  }

  private static RuntimeConf runtimeConf(Options o, Map<String, String> env) {
    String netns = netnsPath(o.positional.get(1));
    String ifname = o.get("ifname", env.getOrDefault("CNI_IFNAME", ""));
    if (ifname.isEmpty()) {
      ifname = "eth0";
    }
    String cid =
        o.flags.containsKey("container-id")
            ? o.flags.get("container-id")
            : defaultContainerId(netns);
    String caps = o.get("cap", env.getOrDefault("CAP_ARGS", ""));
    Map<String, Object> capArgs = caps.isEmpty() ? Map.of() : parseCaps(caps);
    String cniArgs = o.get("args", env.getOrDefault("CNI_ARGS", ""));
    return new RuntimeConf(cid, netns, ifname, parseArgs(cniArgs), capArgs);
  }

  /**
   * A bare name means {@code /run/netns/NAME}; a path is made absolute (cnitool does filepath.Abs).
   */
  static String netnsPath(String arg) {
    if (arg.isEmpty()) {
      return "";
    }
    if (arg.indexOf('/') < 0) {
      return "/run/netns/" + arg;
    }
    return Path.of(arg).toAbsolutePath().normalize().toString();
  }

  /**
   * cnitool's container ID: {@code cnitool-} and the first 10 bytes of sha512(netns path) in hex.
   */
  static String defaultContainerId(String netnsPath) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-512").digest(netnsPath.getBytes(StandardCharsets.UTF_8));
      return "cnitool-" + HexFormat.of().formatHex(d, 0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> parseCaps(String json) {
    try {
      return Json.parseObject(json.getBytes(StandardCharsets.UTF_8));
    } catch (CniException e) {
      throw new CniException(
          ErrorCodes.DECODING_FAILURE, "--cap: invalid JSON object: " + e.msg(), e.details());
    }
  }

  /** {@code K=V;K2=V2}; every pair needs a non-empty key and value (as cnitool). */
  static List<Map.Entry<String, String>> parseArgs(String s) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    if (s.isEmpty()) {
      return out;
    }
    for (String pair : s.split(";", -1)) {
      int eq = pair.indexOf('=');
      if (eq <= 0 || eq == pair.length() - 1) {
        throw new CniException(
            ErrorCodes.INVALID_ENVIRONMENT_VARIABLES,
            "invalid CNI_ARGS pair \"" + pair + "\"",
            "expected K=V pairs separated by ';'");
      }
      out.add(
          new AbstractMap.SimpleImmutableEntry<>(pair.substring(0, eq), pair.substring(eq + 1)));
    }
    return out;
  }

  /** The spec's error object: cniVersion, code, msg and details (omitted when empty). */
  static String errorJson(CniException e) {
    return new String(ErrorJson.toJson(e, CniVersion.CURRENT), StandardCharsets.UTF_8);
  }

  private static List<CliCommand> extensions() {
    List<CliCommand> list = new ArrayList<>();
    for (CliCommand c : ServiceLoader.load(CliCommand.class)) {
      list.add(c);
    }
    return list;
  }

  /** Re-indents compact JSON with four spaces, as Go's result.Print does. */
  static String indent(byte[] compact) {
    String s = new String(compact, StandardCharsets.UTF_8);
    StringBuilder b = new StringBuilder(s.length() * 2);
    int depth = 0;
    boolean inString = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (inString) {
        b.append(c);
        if (c == '\\') {
          b.append(s.charAt(++i));
        } else if (c == '"') {
          inString = false;
        }
        continue;
      }
      switch (c) {
        case '"' -> {
          inString = true;
          b.append(c);
        }
        case '{', '[' -> {
          char close = c == '{' ? '}' : ']';
          if (i + 1 < s.length() && s.charAt(i + 1) == close) {
            b.append(c).append(close);
            i++;
          } else {
            depth++;
            b.append(c).append('\n').append("    ".repeat(depth));
          }
        }
        case '}', ']' -> {
          depth--;
          b.append('\n').append("    ".repeat(depth)).append(c);
        }
        case ',' -> b.append(",\n").append("    ".repeat(depth));
        case ':' -> b.append(": ");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** A command-line mistake: usage on stderr, exit 2. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String msg) {
      super(msg);
    }
  }

  /** Parsed options: {@code --name value} or {@code --name=value}, anywhere after the command. */
  static final class Options {
    private static final List<String> WITH_VALUE =
        List.of(
            "conf-dir",
            "cni-path",
            "cache-dir",
            "ifname",
            "container-id",
            "cap",
            "args",
            "valid",
            "timeout");
    final Map<String, String> flags = new LinkedHashMap<>();
    final List<String> positional = new ArrayList<>();
    List<Attachment> valid;
    boolean execOnly;

    static Options parse(List<String> args) {
      Options o = new Options();
      boolean onlyPositional = false;
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        if (onlyPositional || !a.startsWith("--")) {
          o.positional.add(a);
          continue;
        }
        if (a.equals("--")) {
          onlyPositional = true;
          continue;
        }
        String name = a.substring(2);
        String value = null;
        int eq = name.indexOf('=');
        if (eq >= 0) {
          value = name.substring(eq + 1);
          name = name.substring(0, eq);
        }
        if (name.equals("exec-only")) {
          if (value != null) {
            throw new UsageException("--exec-only takes no value");
          }
          o.execOnly = true;
          continue;
        }
        if (!WITH_VALUE.contains(name)) {
          throw new UsageException("unknown option --" + name);
        }
        if (value == null) {
          if (i + 1 >= args.size()) {
            throw new UsageException("--" + name + " needs a value");
          }
          value = args.get(++i);
        }
        if (name.equals("valid")) {
          if (o.valid == null) {
            o.valid = new ArrayList<>();
          }
          for (String item : value.split(",")) {
            if (item.isEmpty()) {
              continue;
            }
            int slash = item.indexOf('/');
            if (slash <= 0 || slash == item.length() - 1) {
              throw new UsageException(
                  "--valid takes CONTAINER_ID/IFNAME items, got \"" + item + "\"");
            }
            o.valid.add(new Attachment(item.substring(0, slash), item.substring(slash + 1)));
          }
          continue;
        }
        if (o.flags.containsKey(name)) {
          throw new UsageException("--" + name + " given twice");
        }
        o.flags.put(name, value);
      }
      return o;
    }

    String get(String name, String fallback) {
      return flags.getOrDefault(name, fallback);
    }

    void expectPositional(int n, String synopsis) {
      if (positional.size() != n) {
        throw new UsageException("usage: jcni " + synopsis);
      }
    }

    void rejectFlag(String name, String command) {
      if (name.equals("valid") && valid != null || flags.containsKey(name)) {
        throw new UsageException("--" + name + " does not apply to " + command);
      }
    }
  }
}
