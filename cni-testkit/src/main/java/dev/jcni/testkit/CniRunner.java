package dev.jcni.testkit;

import dev.jcni.api.CniPlugin;
import dev.jcni.api.Delegate;
import dev.jcni.api.Dispatcher;
import dev.jcni.system.NetNs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs a plugin in memory exactly as a process would be run: the {@code CNI_*} environment and
 * stdin go through the real {@link Dispatcher} (environment checks, version negotiation, result
 * conversion, error JSON) and the outcome is what the process would print and its exit code. No JVM
 * is started and no global state is touched.
 *
 * <pre>{@code
 * CniRunner run = CniRunner.of(new MyPlugin()).containerId("c1").netns("/run/netns/pod").ifname("eth0");
 * CniOutcome add = run.add(conf);
 * assertThat(add).succeeded().result().hasIp("10.40.0.2/16");
 * assertThat(run.del(conf)).succeeded();
 * }</pre>
 *
 * Defaults: container ID {@code ctr-1}, netns {@code /dev/null} (fine for plugins that never enter
 * it), ifname {@code eth0}, {@code CNI_PATH} {@code /opt/cni/bin}. {@link #inNamespace(NetNs)} runs
 * the call on a thread inside a namespace (the "node" of a {@link NetnsExtension} test), so the
 * plugin's host side is that namespace and never the machine's own. A runner is a mutable builder:
 * configure it once, call it many times.
 */
public final class CniRunner {
  private final CniPlugin plugin;
  private final Map<String, String> env = new LinkedHashMap<>();
  private Delegate.Strategy delegation = Delegate.standard();
  private NetNs namespace;

  private CniRunner(CniPlugin plugin) {
    this.plugin = plugin;
    env.put("CNI_CONTAINERID", "ctr-1");
    env.put("CNI_NETNS", "/dev/null");
    env.put("CNI_IFNAME", "eth0");
    env.put("CNI_PATH", "/opt/cni/bin");
  }

  /** A runner for {@code plugin} with the defaults above. */
  public static CniRunner of(CniPlugin plugin) {
    return new CniRunner(plugin);
  }

  public CniRunner containerId(String v) {
    return env("CNI_CONTAINERID", v);
  }

  public CniRunner netns(String v) {
    return env("CNI_NETNS", v);
  }

  public CniRunner ifname(String v) {
    return env("CNI_IFNAME", v);
  }

  public CniRunner path(String v) {
    return env("CNI_PATH", v);
  }

  /** {@code CNI_ARGS}, e.g. {@code "IgnoreUnknown=1;K8S_POD_NAME=p"}. */
  public CniRunner args(String v) {
    return env("CNI_ARGS", v);
  }

  /** Sets (or, with null, removes) one environment variable of every following call. */
  public CniRunner env(String name, String value) {
    if (value == null) {
      env.remove(name);
    } else {
      env.put(name, value);
    }
    return this;
  }

  /** How delegates (IPAM) are run; default {@link Delegate#standard()}. */
  public CniRunner delegation(Delegate.Strategy d) {
    delegation = d;
    return this;
  }

  /**
   * Runs every following call on a fresh thread inside {@code ns} (null: the caller's namespace).
   */
  public CniRunner inNamespace(NetNs ns) {
    namespace = ns;
    return this;
  }

  /** The environment the next call gets (without CNI_COMMAND). */
  public Map<String, String> env() {
    return Map.copyOf(env);
  }

  public CniOutcome add(String config) {
    return call("ADD", config);
  }

  public CniOutcome del(String config) {
    return call("DEL", config);
  }

  public CniOutcome check(String config) {
    return call("CHECK", config);
  }

  /**
   * GC: only {@code CNI_PATH} is sent, as a runtime does; put {@code cni.dev/valid-attachments} in
   * the config.
   */
  public CniOutcome gc(String config) {
    return callWith("GC", config, onlyPath());
  }

  /** STATUS: only {@code CNI_PATH} is sent, as a runtime does. */
  public CniOutcome status(String config) {
    return callWith("STATUS", config, onlyPath());
  }

  public CniOutcome version() {
    return callWith("VERSION", "", onlyPath());
  }

  /**
   * One call with {@code CNI_COMMAND=command} (any string, so unknown verbs can be tested) and
   * stdin.
   */
  public CniOutcome call(String command, String stdin) {
    return callWith(command, stdin, new LinkedHashMap<>(env));
  }

  /**
   * One call with exactly {@code env} (CNI_COMMAND included; this runner's own environment is not
   * used), for harnesses that build a runtime's environment themselves.
   */
  public CniOutcome callWithEnv(Map<String, String> env, String stdin) {
    byte[] in = stdin.getBytes(StandardCharsets.UTF_8);
    Map<String, String> e = new LinkedHashMap<>(env);
    return namespace == null ? dispatch(e, in) : namespace.run(new InNamespace(this, e, in));
  }

  private Map<String, String> onlyPath() {
    Map<String, String> e = new LinkedHashMap<>(env);
    e.remove("CNI_CONTAINERID");
    e.remove("CNI_NETNS");
    e.remove("CNI_IFNAME");
    return e;
  }

  private CniOutcome callWith(String command, String stdin, Map<String, String> e) {
    e.put("CNI_COMMAND", command);
    return callWithEnv(e, stdin);
  }

  private CniOutcome dispatch(Map<String, String> e, byte[] in) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Dispatcher.run(
            plugin,
            delegation,
            e,
            new ByteArrayInputStream(in),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new CniOutcome(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The dispatch, as a task for {@link NetNs#run}. */
  private static final class InNamespace implements NetNs.Task<CniOutcome, RuntimeException> {
    private final CniRunner runner;
    private final Map<String, String> env;
    private final byte[] stdin;

    InNamespace(CniRunner runner, Map<String, String> env, byte[] stdin) {
      this.runner = runner;
      this.env = env;
      this.stdin = stdin;
    }

    @Override
    public CniOutcome call() {
      return runner.dispatch(env, stdin);
    }
  }
}
