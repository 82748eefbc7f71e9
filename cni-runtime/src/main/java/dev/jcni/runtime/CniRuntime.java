package dev.jcni.runtime;

import dev.jcni.api.Attachment;
import dev.jcni.spec.CniException;
import dev.jcni.spec.CniVersion;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.GoVersions;
import dev.jcni.spec.NetConf;
import dev.jcni.spec.NetConfList;
import dev.jcni.spec.Result;
import dev.jcni.spec.ResultCodec;
import dev.jcni.spec.Validation;
import dev.jcni.spec.VersionInfo;
import dev.jcni.spec.json.Json;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The runtime side of CNI: runs a network configuration list the way Go's libcni does (ADD in order
 * with prevResult threaded, DEL in reverse with the cached result, CHECK, GC, STATUS, validation),
 * keeping libcni's result cache so a Go runtime and jcni can take over each other's attachments.
 *
 * <pre>{@code
 * CniRuntime rt = CniRuntime.builder().cniPath(List.of(Path.of("/opt/cni/bin"))).build();
 * NetConfList net = rt.loadNetworkList(Path.of("/etc/cni/net.d"), "mynet");
 * Result r = rt.addNetworkList(net, RuntimeConf.of("ctr1", "/run/netns/ctr1", "eth0"));
 * rt.delNetworkList(net, RuntimeConf.of("ctr1", "/run/netns/ctr1", "eth0"));
 * }</pre>
 *
 * <p>Plugins whose type is on the class path run in-process through the plugin SPI and the
 * dispatcher, with the same environment and stdin bytes an executable would get (switch off with
 * {@link Builder#inProcess}); all others are executed from the CNI path. Every failure is a {@link
 * CniException}. Instances are immutable and hold no per-call state; do not run two operations on
 * the same attachment at once, nor GC concurrently with ADD or DEL (the spec's rule, not enforced
 * here).
 */
public final class CniRuntime {
  /** libcni's default cache directory. */
  public static final Path DEFAULT_CACHE_DIR = Path.of("/var/lib/cni");

  /** Default upper bound for one plugin call. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  private final List<Path> cniPath;
  private final boolean inProcess;
  private final ResultCache cache;
  private final PluginInvoker invoker;
  private final boolean stripCapabilities;

  private CniRuntime(Builder b) {
    this.cniPath = List.copyOf(b.cniPath);
    this.inProcess = b.inProcess;
    this.cache = new ResultCache(b.cacheDir);
    this.stripCapabilities = b.stripCapabilities;
    this.invoker =
        new PluginInvoker(
            cniPath,
            b.inProcess,
            b.timeout,
            b.environment == null
                ? dev.jcni.api.ProcessEnv.environment()
                : Map.copyOf(b.environment),
            b.stderr == null ? System.err : b.stderr,
            b.textBusyDelayMillis);
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<Path> cniPath() {
    return cniPath;
  }

  public Path cacheDir() {
    return cache.cacheDir();
  }

  public boolean inProcess() {
    return inProcess;
  }

  /** The result cache this runtime reads and writes. */
  public ResultCache cache() {
    return cache;
  }

  /** {@link ConfFiles#load}: the network named {@code name} in {@code confDir}. */
  public NetConfList loadNetworkList(Path confDir, String name) {
    return ConfFiles.load(confDir, name);
  }

  /**
   * ADD: each plugin in order, with the list's {@code name} and {@code cniVersion} injected, {@code
   * runtimeConfig} from the capability arguments it declares, and the previous plugin's result as
   * {@code prevResult} (none for the first). The final result is cached only after the whole chain
   * succeeded. Nothing is undone on failure: the caller must still DEL (the spec's rule).
   *
   * @return the last plugin's result, at the version it was returned in
   */
  public Result addNetworkList(NetConfList list, RuntimeConf rt) {
    validateAttachment(list, rt);
    if (list.plugins().isEmpty()) {
      throw CniException.invalidConfig("network \"" + list.name() + "\" has no plugins");
    }
    Map<String, Object> result = null;
    for (NetConf plugin : list.plugins()) {
      try {
        byte[] conf = buildConfig(list, plugin, result, rt);
        byte[] out = invoker.invoke(plugin.type(), env("ADD", rt), conf);
        result = readResult(out, list.cniVersionString());
      } catch (CniException e) {
        throw wrap("plugin " + describe(plugin) + " failed (add): ", e);
      }
    }
    try {
      cache.write(list.name(), rt, list.bytes(), result);
    } catch (CniException e) {
      throw wrap("", e);
    }
    return ResultCodec.decode(result, null);
  }

  /**
   * DEL: each plugin in reverse order, all with the cached ADD result as {@code prevResult} (from
   * 0.4.0 on). An unreadable or unconvertible cache entry is deleted and ignored, so it never
   * blocks DEL. Stops at the first error; the cache entry is removed after success.
   */
  public void delNetworkList(NetConfList list, RuntimeConf rt) {
    validateAttachment(list, rt);
    Map<String, Object> cached = null;
    if (GoVersions.atLeast(list.cniVersionString(), "0.4.0")) {
      try {
        cached = cache.readResult(list.name(), list.cniVersionString(), rt);
      } catch (CniException e) {
        cache.delete(list.name(), rt);
        cached = null;
      }
    }
    List<NetConf> plugins = list.plugins();
    for (int i = plugins.size() - 1; i >= 0; i--) {
      NetConf plugin = plugins.get(i);
      try {
        invoker.invoke(plugin.type(), env("DEL", rt), buildConfig(list, plugin, cached, rt));
      } catch (CniException e) {
        throw wrap("plugin " + describe(plugin) + " failed (delete): ", e);
      }
    }
    cache.delete(list.name(), rt);
  }

  /**
   * CHECK: each plugin in order with the cached ADD result; stops at the first error. Lists below
   * 0.4.0 get libcni's "does not support the CHECK command" (code 1); {@code disableCheck} makes it
   * a no-op.
   */
  public void checkNetworkList(NetConfList list, RuntimeConf rt) {
    if (!GoVersions.atLeast(list.cniVersionString(), "0.4.0")) {
      throw new CniException(
          ErrorCodes.INCOMPATIBLE_CNI_VERSION,
          "configuration version \""
              + list.cniVersionString()
              + "\" does not support the CHECK command");
    }
    if (list.disableCheck()) {
      return;
    }
    validateAttachment(list, rt);
    Map<String, Object> cached;
    try {
      cached = cache.readResult(list.name(), list.cniVersionString(), rt);
    } catch (CniException e) {
      throw wrap("failed to get network \"" + list.name() + "\" cached result: ", e);
    }
    for (NetConf plugin : list.plugins()) {
      invoker.invoke(plugin.type(), env("CHECK", rt), buildConfig(list, plugin, cached, rt));
    }
  }

  /**
   * GC as libcni does it: first a DEL (rebuilt from the cache: netns, CNI_ARGS, capability
   * arguments, with the <em>current</em> list) for every cached attachment of this network that is
   * not in {@code validAttachments}; then, from 1.1.0 on, GC to every plugin with {@code
   * cni.dev/valid-attachments} and {@code cni.dev/attachments}. Continues past errors and reports
   * them together. {@code disableGC} makes it a no-op.
   *
   * @param validAttachments the attachments to keep; null means "none given" (every cached
   *     attachment of this network is deleted and plugins receive no attachment list), as libcni
   *     with nil GCArgs
   */
  public void gcNetworkList(NetConfList list, List<Attachment> validAttachments) {
    if (list.disableGC()) {
      return;
    }
    Validation.networkName(list.name());
    List<CniException> errors = new ArrayList<>();
    List<CachedAttachment> cached;
    try {
      cached = cache.attachments("");
    } catch (CniException e) {
      cached = List.of(); // libcni silently skips GC when the cache cannot be listed
    }
    Set<Attachment> valid = validAttachments == null ? Set.of() : new HashSet<>(validAttachments);
    for (CachedAttachment a : cached) {
      if (!a.network().equals(list.name())
          || valid.contains(new Attachment(a.containerId(), a.ifname()))) {
        continue;
      }
      try {
        delNetworkList(list, a.runtimeConf());
      } catch (CniException e) {
        errors.add(
            wrap(
                "failed to delete stale attachment " + a.containerId() + " " + a.ifname() + ": ",
                e));
      }
    }
    if (GoVersions.atLeastQuiet(list.cniVersionString(), "1.1.0")) {
      Map<String, Object> inject = new LinkedHashMap<>();
      inject.put("name", list.name());
      inject.put("cniVersion", list.cniVersionString());
      if (validAttachments != null) {
        List<Object> wire = new ArrayList<>();
        for (Attachment a : validAttachments) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("containerID", a.containerId());
          m.put("ifname", a.ifname());
          wire.add(m);
        }
        inject.put("cni.dev/valid-attachments", wire);
        inject.put(
            "cni.dev/attachments", wire); // the 1.1.0 tag's spelling (libcni #1101): send both
      }
      for (NetConf plugin : list.plugins()) {
        try {
          invoker.invoke(plugin.type(), verbOnlyEnv("GC"), inject(plugin, inject));
        } catch (CniException e) {
          errors.add(wrap("failed to GC plugin " + plugin.type() + ": ", e));
        }
      }
    }
    throwAll(errors);
  }

  /**
   * STATUS: below 1.1.0 the network is ready; otherwise each plugin in order, the first error is
   * returned as the plugin reported it (50: cannot service ADD, 51: and existing containers may
   * have limited connectivity).
   */
  public void statusNetworkList(NetConfList list) {
    if (!GoVersions.atLeastQuiet(list.cniVersionString(), "1.1.0")) {
      return;
    }
    Validation.networkName(list.name());
    Map<String, Object> inject = new LinkedHashMap<>();
    inject.put("name", list.name());
    inject.put("cniVersion", list.cniVersionString());
    for (NetConf plugin : list.plugins()) {
      invoker.invoke(plugin.type(), verbOnlyEnv("STATUS"), inject(plugin, inject));
    }
  }

  /**
   * libcni's {@code ValidateNetworkList}: every plugin exists (in-process or in the CNI path) and
   * reports, through VERSION, that it supports the list's version. All failures are reported
   * together.
   *
   * @return the capabilities the list's plugins declare true, without duplicates
   */
  public List<String> validateNetworkList(NetConfList list) {
    String version = list.cniVersionString().isEmpty() ? "0.1.0" : list.cniVersionString();
    Set<String> caps = new LinkedHashSet<>();
    List<CniException> errors = new ArrayList<>();
    for (NetConf plugin : list.plugins()) {
      try {
        VersionInfo info = versionInfo(plugin.type());
        if (!info.supportedVersions().contains(version)) {
          throw new CniException(
              ErrorCodes.INCOMPATIBLE_CNI_VERSION,
              "plugin " + plugin.type() + " does not support config version \"" + version + "\"",
              "plugin supports " + info.supportedVersions());
        }
      } catch (CniException e) {
        errors.add(e);
      }
      plugin
          .capabilities()
          .forEach(
              (c, on) -> {
                if (on) {
                  caps.add(c);
                }
              });
    }
    throwAll(errors);
    return List.copyOf(caps);
  }

  /** The plugin's VERSION answer (libcni's {@code GetVersionInfo}). */
  public VersionInfo versionInfo(String type) {
    return invoker.versionInfo(type);
  }

  /**
   * True when plugins of {@code type} run in-process (on the class path and in-process execution
   * on).
   */
  public boolean runsInProcess(String type) {
    return invoker.runsInProcess(type);
  }

  /**
   * The cached ADD result of this attachment converted to the list's version, or null when none is
   * cached.
   *
   * @throws CniException when the entry is corrupt or cannot be converted
   */
  public Result cachedResult(NetConfList list, RuntimeConf rt) {
    validateAttachment(list, rt);
    Map<String, Object> wire = cache.readResult(list.name(), list.cniVersionString(), rt);
    return wire == null ? null : ResultCodec.decode(wire, null);
  }

  /**
   * The conflist bytes and runtime arguments cached at ADD (libcni's {@code
   * GetNetworkListCachedConfig}).
   */
  public ResultCache.CachedConfig cachedConfig(NetConfList list, RuntimeConf rt) {
    validateAttachment(list, rt);
    return cache.readConfig(list.name(), rt);
  }

  /** Cached attachments, all or one container's (libcni's {@code GetCachedAttachments}). */
  public List<CachedAttachment> cachedAttachments(String containerId) {
    return cache.attachments(containerId);
  }

  // ---- internals

  // checked before anything runs: they end up in file names (cache, host-local) and in every
  // plugin's env
  private static void validateAttachment(NetConfList list, RuntimeConf rt) {
    Validation.containerId(rt.containerId());
    Validation.networkName(list.name());
    Validation.interfaceName(rt.ifname());
  }

  private Map<String, String> env(String command, RuntimeConf rt) {
    return invoker.env(
        command,
        rt.containerId(),
        rt.netns(),
        rt.cniArgsString(),
        rt.ifname(),
        invoker.cniPathString());
  }

  private Map<String, String> verbOnlyEnv(String command) {
    return invoker.env(command, "", "", "", "", invoker.cniPathString());
  }

  /**
   * libcni's {@code buildOneConfig}: name/cniVersion (overriding), prevResult, runtimeConfig when
   * non-empty.
   */
  byte[] buildConfig(
      NetConfList list, NetConf plugin, Map<String, Object> prevResult, RuntimeConf rt) {
    Map<String, Object> inject = new LinkedHashMap<>();
    inject.put("name", list.name());
    inject.put("cniVersion", list.cniVersionString());
    if (prevResult != null) {
      inject.put("prevResult", prevResult);
    }
    Map<String, Object> rc = new LinkedHashMap<>();
    plugin
        .capabilities()
        .forEach(
            (cap, on) -> {
              if (on && rt.capabilityArgs().containsKey(cap)) {
                rc.put(cap, rt.capabilityArgs().get(cap));
              }
            });
    if (!rc.isEmpty()) {
      inject.put("runtimeConfig", rc);
    }
    return inject(plugin, inject);
  }

  private byte[] inject(NetConf plugin, Map<String, Object> values) {
    Map<String, Object> conf = new LinkedHashMap<>(plugin.raw());
    if (stripCapabilities) {
      conf.keySet().removeIf(k -> k.equalsIgnoreCase("capabilities"));
    }
    values.forEach(
        (k, v) -> {
          // Go's decoding is case-insensitive: drop a differently-cased twin so the injected value
          // is the one seen
          conf.keySet().removeIf(existing -> !existing.equals(k) && existing.equalsIgnoreCase(k));
          conf.put(k, v);
        });
    return Json.write(conf);
  }

  /**
   * libcni's {@code fixupResultVersion} + {@code create.Create}: a result without {@code
   * cniVersion} is taken to be at the config's version; the result is then read at its own version
   * and written back in canonical form (what Go's typed result would marshal to).
   */
  static Map<String, Object> readResult(byte[] stdout, String configVersion) {
    Object tree;
    try {
      tree = Json.parse(stdout);
    } catch (CniException e) {
      throw new CniException(
          ErrorCodes.DECODING_FAILURE, "failed to unmarshal raw result: " + e.msg(), null, e);
    }
    Map<String, Object> raw;
    if (tree == null) {
      raw = new LinkedHashMap<>();
    } else if (tree instanceof Map<?, ?> m) {
      @SuppressWarnings("unchecked")
      Map<String, Object> mm = (Map<String, Object>) m;
      raw = new LinkedHashMap<>(mm);
    } else {
      throw new CniException(
          ErrorCodes.DECODING_FAILURE, "failed to unmarshal raw result: not a JSON object");
    }
    String version;
    if (raw.get("cniVersion") instanceof String s && !s.isEmpty()) {
      version = s;
    } else {
      version = configVersion.isEmpty() ? "0.1.0" : configVersion;
      raw.put("cniVersion", version);
    }
    CniVersion v;
    try {
      v = CniVersion.parse(version);
    } catch (CniException e) {
      v = null;
    }
    if (v == null || !v.isKnown()) {
      throw new CniException(
          ErrorCodes.INCOMPATIBLE_CNI_VERSION,
          "unsupported CNI result version \"" + version + "\"");
    }
    Result r = ResultCodec.decode(raw, v);
    return ResultCodec.encode(r, r.cniVersion());
  }

  private static CniException wrap(String prefix, CniException e) {
    if (prefix.isEmpty()) {
      return e;
    }
    return new CniException(e.code(), prefix + e.msg(), e.details(), e);
  }

  /**
   * One error as is; several as one (the first one's code, every message), like Go's errors.Join.
   */
  private static void throwAll(List<CniException> errors) {
    if (errors.isEmpty()) {
      return;
    }
    if (errors.size() == 1) {
      throw errors.get(0);
    }
    StringBuilder msg = new StringBuilder();
    for (CniException e : errors) {
      if (msg.length() > 0) {
        msg.append("; ");
      }
      msg.append(e.msg());
      if (e.details() != null) {
        msg.append(" (").append(e.details()).append(')');
      }
    }
    CniException all = new CniException(errors.get(0).code(), msg.toString());
    errors.forEach(all::addSuppressed);
    throw all;
  }

  /** Configures a {@link CniRuntime}. */
  public static final class Builder {
    private List<Path> cniPath = List.of();
    private Path cacheDir = DEFAULT_CACHE_DIR;
    private boolean inProcess = true;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Map<String, String> environment;
    private PrintStream stderr;
    private long textBusyDelayMillis = 1000;
    private boolean stripCapabilities;

    private Builder() {}

    /** Directories searched for plugin executables, in order (CNI_PATH). */
    public Builder cniPath(List<Path> dirs) {
      this.cniPath = List.copyOf(dirs);
      return this;
    }

    /** CNI_PATH given as a ':'-separated string; empty entries are skipped. */
    public Builder cniPath(String colonSeparated) {
      List<Path> dirs = new ArrayList<>();
      for (String s : colonSeparated.split(":")) {
        if (!s.isEmpty()) {
          dirs.add(Path.of(s));
        }
      }
      return cniPath(dirs);
    }

    /** Where {@code results/} lives; default {@code /var/lib/cni}, libcni's. */
    public Builder cacheDir(Path dir) {
      this.cacheDir = Objects.requireNonNull(dir);
      return this;
    }

    /**
     * Run plugins found on the class path in-process (default true); false executes every plugin.
     */
    public Builder inProcess(boolean on) {
      this.inProcess = on;
      return this;
    }

    /** Upper bound for one plugin call; an executable still running then is killed. */
    public Builder timeout(Duration t) {
      if (t.isNegative() || t.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      this.timeout = t;
      return this;
    }

    /**
     * The environment plugins inherit (the CNI_* variables are added per call); default the
     * process's.
     */
    public Builder environment(Map<String, String> env) {
      this.environment = Map.copyOf(env);
      return this;
    }

    /** Where plugins' stderr goes; default System.err. */
    public Builder stderr(PrintStream s) {
      this.stderr = Objects.requireNonNull(s);
      return this;
    }

    /**
     * Remove {@code capabilities} from the configs sent to plugins, as the spec (1.0.0 on) asks of
     * runtimes. Default false: libcni leaves it in, and real plugins see it (portmap was observed
     * receiving it).
     */
    public Builder stripCapabilities(boolean on) {
      this.stripCapabilities = on;
      return this;
    }

    /** Delay between "text file busy" retries (libcni: 1 s); for tests. */
    Builder textBusyDelayMillis(long millis) {
      this.textBusyDelayMillis = millis;
      return this;
    }

    public CniRuntime build() {
      return new CniRuntime(this);
    }
  }

  /** libcni's description of a plugin in error messages: {@code type="bridge" name="x"}. */
  static String describe(NetConf plugin) {
    String name = plugin.name();
    return "type=\""
        + plugin.type()
        + "\""
        + (name == null || name.isEmpty() ? "" : " name=\"" + name + "\"");
  }
}
