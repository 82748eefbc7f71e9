package dev.jcni.daemon;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The daemon's settings ({@code jcni daemon --help} lists the flags).
 *
 * @param socket the socket path ({@code $JCNI_SOCKET}, else /run/jcni/jcni.sock)
 * @param socketMode permission bits of the socket file (default 0600: root only)
 * @param allowUids uids served besides 0
 * @param callTimeout a call not answered after this long is answered with code 11
 * @param grace how much longer a timed-out call may run before the daemon gives up and exits
 *     non-zero
 * @param maxCalls calls running at once (more wait in arrival order)
 * @param shutdownTimeout on SIGTERM, how long running calls may take to finish
 * @param requestTimeout the whole request must arrive within this long of the greeting
 * @param pluginDirs directories of outside plugins (one class loader per entry; see {@link
 *     PluginDirs}); missing ones are fine
 */
public record DaemonOptions(
    Path socket,
    int socketMode,
    Set<Integer> allowUids,
    Duration callTimeout,
    Duration grace,
    int maxCalls,
    Duration shutdownTimeout,
    Duration requestTimeout,
    List<Path> pluginDirs) {

  public static final Path DEFAULT_SOCKET = Path.of("/run/jcni/jcni.sock");

  /** Where outside plugins are looked for when no {@code --plugin-dir} is given. */
  public static final Path DEFAULT_PLUGIN_DIR = Path.of("/opt/jcni/plugins");

  public DaemonOptions {
    allowUids = Set.copyOf(allowUids);
    pluginDirs = List.copyOf(pluginDirs);
    if (maxCalls < 1) throw new IllegalArgumentException("--max-calls must be at least 1");
    if ((socketMode & ~0777) != 0)
      throw new IllegalArgumentException("--socket-mode must be an octal mode like 0600");
  }

  /** Defaults, with the socket at {@code socket}. */
  public static DaemonOptions defaults(Path socket) {
    return new DaemonOptions(
        socket,
        0600,
        Set.of(),
        Duration.ofSeconds(60),
        Duration.ofSeconds(10),
        32,
        Duration.ofSeconds(30),
        Duration.ofSeconds(10),
        List.of(DEFAULT_PLUGIN_DIR));
  }

  public DaemonOptions withSocket(Path p) {
    return new DaemonOptions(
        p,
        socketMode,
        allowUids,
        callTimeout,
        grace,
        maxCalls,
        shutdownTimeout,
        requestTimeout,
        pluginDirs);
  }

  public DaemonOptions withSocketMode(int m) {
    return new DaemonOptions(
        socket,
        m,
        allowUids,
        callTimeout,
        grace,
        maxCalls,
        shutdownTimeout,
        requestTimeout,
        pluginDirs);
  }

  public DaemonOptions withAllowUids(Set<Integer> u) {
    return new DaemonOptions(
        socket,
        socketMode,
        u,
        callTimeout,
        grace,
        maxCalls,
        shutdownTimeout,
        requestTimeout,
        pluginDirs);
  }

  public DaemonOptions withCallTimeout(Duration d, Duration g) {
    return new DaemonOptions(
        socket, socketMode, allowUids, d, g, maxCalls, shutdownTimeout, requestTimeout, pluginDirs);
  }

  public DaemonOptions withMaxCalls(int n) {
    return new DaemonOptions(
        socket,
        socketMode,
        allowUids,
        callTimeout,
        grace,
        n,
        shutdownTimeout,
        requestTimeout,
        pluginDirs);
  }

  public DaemonOptions withShutdownTimeout(Duration d) {
    return new DaemonOptions(
        socket, socketMode, allowUids, callTimeout, grace, maxCalls, d, requestTimeout, pluginDirs);
  }

  public DaemonOptions withRequestTimeout(Duration d) {
    return new DaemonOptions(
        socket,
        socketMode,
        allowUids,
        callTimeout,
        grace,
        maxCalls,
        shutdownTimeout,
        d,
        pluginDirs);
  }

  public DaemonOptions withPluginDirs(List<Path> dirs) {
    return new DaemonOptions(
        socket,
        socketMode,
        allowUids,
        callTimeout,
        grace,
        maxCalls,
        shutdownTimeout,
        requestTimeout,
        dirs);
  }

  /** The lock file beside the socket. */
  public Path lockFile() {
    return socket.resolveSibling(socket.getFileName() + ".lock");
  }

  /**
   * The socket path when none is given: {@code $JCNI_SOCKET} if set and non-empty, else the
   * default.
   */
  static Path socketFrom(java.util.Map<String, String> env) {
    String s = env.get("JCNI_SOCKET");
    return s == null || s.isEmpty() ? DEFAULT_SOCKET : Path.of(s);
  }

  /** Parses {@code jcni daemon} flags ({@code --flag VALUE} or {@code --flag=VALUE}). */
  static DaemonOptions parse(List<String> args, java.util.Map<String, String> env) {
    DaemonOptions o = defaults(socketFrom(env));
    Set<Integer> uids = new TreeSet<>();
    List<Path> pluginDirs = null; // null: never given, the default applies
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String name = a;
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      }
      if (!List.of(
              "--socket",
              "--socket-mode",
              "--allow-uid",
              "--call-timeout",
              "--grace",
              "--max-calls",
              "--shutdown-timeout",
              "--plugin-dir")
          .contains(name)) {
        throw new IllegalArgumentException("unknown option " + a);
      }
      if (value == null) {
        if (i + 1 >= args.size()) throw new IllegalArgumentException(name + " needs a value");
        value = args.get(++i);
      }
      switch (name) {
        case "--socket" -> {
          if (value.isEmpty()) throw new IllegalArgumentException("--socket needs a path");
          o = o.withSocket(Path.of(value).toAbsolutePath());
        }
        case "--socket-mode" -> o = o.withSocketMode(parseMode(value));
        case "--allow-uid" -> uids.add(parseUid(value));
        case "--call-timeout" -> o = o.withCallTimeout(parseDuration(name, value), o.grace());
        case "--grace" -> o = o.withCallTimeout(o.callTimeout(), parseDuration(name, value));
        case "--max-calls" -> o = o.withMaxCalls(parseInt(name, value));
        case "--plugin-dir" -> {
          // repeatable, each a ':'-separated list; an empty value (--plugin-dir '') means no plugin
          // directory
          if (pluginDirs == null) pluginDirs = new java.util.ArrayList<>();
          for (String part : value.split(":")) {
            if (!part.isEmpty()) pluginDirs.add(Path.of(part).toAbsolutePath().normalize());
          }
        }
        default -> o = o.withShutdownTimeout(parseDuration(name, value));
      }
    }
    o = o.withAllowUids(uids);
    return pluginDirs == null ? o : o.withPluginDirs(pluginDirs);
  }

  static int parseMode(String v) {
    try {
      int m = Integer.parseInt(v, 8);
      if (m < 0 || m > 0777) throw new NumberFormatException();
      return m;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--socket-mode: '" + v + "' is not an octal mode like 0600");
    }
  }

  static int parseUid(String v) {
    try {
      int u = Integer.parseInt(v);
      if (u < 0) throw new NumberFormatException();
      return u;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--allow-uid: '" + v + "' is not a numeric uid");
    }
  }

  static int parseInt(String name, String v) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": '" + v + "' is not a number");
    }
  }

  /** {@code 60s}, {@code 500ms}, {@code 2m}, or plain seconds. */
  static Duration parseDuration(String name, String v) {
    try {
      Duration d;
      if (v.endsWith("ms")) d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      else if (v.endsWith("s"))
        d =
            Duration.ofMillis(
                Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
      else if (v.endsWith("m"))
        d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
      else d = Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
      if (d.isNegative() || d.isZero()) throw new NumberFormatException();
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + ": '" + v + "' is not a duration like 60s, 500ms or 2m");
    }
  }
}
