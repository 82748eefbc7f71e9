package dev.jcni.plugins.meta.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.api.CniPlugin;
import dev.jcni.api.Delegate;
import dev.jcni.api.Dispatcher;
import dev.jcni.spec.json.Json;
import dev.jcni.system.NetNs;
import dev.jcni.testkit.CniOutcome;
import dev.jcni.testkit.CniRunner;
import dev.jcni.testkit.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Throwaway namespaces for tuning/static root tests, all named {@code jtu-...}: a NODE namespace
 * that plays the host (plugins run there: in-process through the real {@link Dispatcher} on a
 * thread inside it, or as processes with {@code ip netns exec}) and pod namespaces. {@link #binDir}
 * holds launchers for our plugins from the test class path ({@code static}, {@code tuning}, {@code
 * bridge}, {@code host-local}) so Go plugins can exec them through CNI_PATH. {@link #close()}
 * removes every namespace and file.
 */
final class Harness implements AutoCloseable {
  static final boolean ROOT = dev.jcni.testkit.NetnsExtension.isRoot();
  static final Path GO = Path.of("/usr/lib/cni");

  final String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
  final String node = "jtu-n" + tag;
  final Path tmp;
  final Path dataDir;
  final Path binDir;
  private final List<String> pods = new ArrayList<>();
  private final NetNs nodeNs;

  Harness() throws IOException {
    tmp = Files.createTempDirectory("jtu-");
    dataDir = tmp.resolve("tuning");
    binDir = tmp.resolve("bin");
    Files.createDirectories(binDir);
    for (String type : List.of("static", "tuning", "bridge", "host-local")) {
      launcher(type);
    }
    nodeNs = NetNs.create(node);
    sh("ip", "-n", node, "link", "set", "lo", "up");
  }

  static boolean go(String type) {
    return Files.isExecutable(GO.resolve(type));
  }

  private void launcher(String type) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String script =
        "#!/bin/sh\nexec '"
            + java
            + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xlog:disable"
            + " -Xlog:all=warning:stderr -cp '"
            + System.getProperty("java.class.path")
            + "' -Djcni.plugin="
            + type
            + " dev.jcni.api.Main\n";
    Path p = binDir.resolve(type);
    Files.writeString(p, script);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** A new pod namespace (lo up); returns its path. */
  String pod(String name) {
    String n = "jtu-p" + tag + "-" + name;
    NetNs.create(n).close();
    pods.add(n);
    sh("ip", "-n", n, "link", "set", "lo", "up");
    return "/run/netns/" + n;
  }

  /**
   * A veth pair inside the pod ({@code ifname} + {@code peer}): an interface that outlives any
   * plugin call.
   */
  void podVeth(String podPath, String ifname, String peer) {
    sh("ip", "-n", ns(podPath), "link", "add", ifname, "type", "veth", "peer", "name", peer);
    sh("ip", "-n", ns(podPath), "link", "set", ifname, "up");
    sh("ip", "-n", ns(podPath), "link", "set", peer, "up");
  }

  static String ns(String path) {
    return Path.of(path).getFileName().toString();
  }

  String nodePath() {
    return "/run/netns/" + node;
  }

  /** One plugin call's outcome. */
  record Outcome(int exit, String stdout, String stderr) {
    Map<String, Object> json() {
      return Json.parseObject(stdout.getBytes(StandardCharsets.UTF_8));
    }

    Outcome ok() {
      assertThat(exit).as("stdout=%s stderr=%s", stdout, stderr).isZero();
      return this;
    }

    Outcome failed(int code, String msgStart) {
      assertThat(exit).as(stdout).isNotZero();
      assertThat(((Number) json().get("code")).intValue()).as(stdout).isEqualTo(code);
      assertThat((String) json().get("msg")).as(stdout).startsWith(msgStart);
      assertThat(stdout).doesNotContain("Exception").doesNotContain("\tat ");
      return this;
    }

    String msg() {
      return (String) json().get("msg");
    }
  }

  static Map<String, String> env(
      String command, String netns, String cid, String ifname, String cniPath, String cniArgs) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", cid);
    env.put("CNI_NETNS", netns);
    env.put("CNI_IFNAME", ifname);
    env.put("CNI_PATH", cniPath);
    env.put("CNI_ARGS", cniArgs);
    return env;
  }

  /** Our plugin in-process through the Dispatcher, on a thread inside the node namespace. */
  Outcome call(
      CniPlugin plugin, String command, String conf, String netns, String cid, String ifname) {
    return call(
        plugin,
        Delegate.standard(),
        env(command, netns, cid, ifname, binDir.toString(), "IgnoreUnknown=1;K8S_POD_NAME=p"),
        conf);
  }

  Outcome call(
      CniPlugin plugin, Delegate.Strategy delegation, Map<String, String> env, String conf) {
    CniOutcome o =
        CniRunner.of(plugin).delegation(delegation).inNamespace(nodeNs).callWithEnv(env, conf);
    return new Outcome(o.exit(), o.stdout(), o.stderr());
  }

  /**
   * A plugin process (Go's from /usr/lib/cni, or ours from {@link #binDir}) inside the node
   * namespace.
   */
  Outcome exec(Path exe, Map<String, String> env, String conf) {
    List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", node, "env", "-i"));
    for (Map.Entry<String, String> e : env.entrySet()) {
      argv.add(e.getKey() + "=" + e.getValue());
    }
    argv.add(exe.toString());
    return run(argv, conf);
  }

  Outcome exec(
      Path exe,
      String command,
      String conf,
      String netns,
      String cid,
      String ifname,
      String cniPath) {
    return exec(
        exe, env(command, netns, cid, ifname, cniPath, "IgnoreUnknown=1;K8S_POD_NAME=p"), conf);
  }

  /** A command inside a namespace (by path or name); fails the test on a non-zero exit. */
  static String in(String nsPathOrName, String... argv) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "ip",
                "netns",
                "exec",
                nsPathOrName.startsWith("/") ? ns(nsPathOrName) : nsPathOrName));
    cmd.addAll(List.of(argv));
    return sh(cmd.toArray(String[]::new));
  }

  static String sysctl(String nsPath, String key) {
    return in(nsPath, "sysctl", "-n", key).trim();
  }

  /** {@code ip -j -d link show dev} in a namespace, as a tree. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> link(String nsPath, String dev) {
    List<Object> l =
        (List<Object>)
            Json.parse(sh("ip", "-n", ns(nsPath), "-j", "-d", "link", "show", "dev", dev));
    return (Map<String, Object>) l.get(0);
  }

  static String sh(String... argv) {
    Outcome o = run(List.of(argv), null);
    if (o.exit != 0) {
      throw new IllegalStateException(
          String.join(" ", argv) + " -> " + o.exit + ": " + o.stdout + o.stderr);
    }
    return o.stdout;
  }

  static Outcome run(List<String> argv, String stdin) {
    try {
      Processes.Finished f = Processes.run(argv, stdin, Map.of(), Processes.DEFAULT_TIMEOUT);
      return new Outcome(f.exit(), f.stdout(), f.stderr());
    } catch (IOException e) {
      return new Outcome(-1, "", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(-1, "", e.toString());
    }
  }

  /** Files in the tuning data directory. */
  List<String> saved() {
    if (!Files.isDirectory(dataDir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dataDir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    for (String p : pods) {
      try {
        NetNs.delete(p);
      } catch (RuntimeException ignored) {
        // already gone
      }
    }
    nodeNs.close();
    try {
      NetNs.delete(node);
    } catch (RuntimeException ignored) {
      // already gone
    }
    try (Stream<Path> s = Files.walk(tmp)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort
    }
  }
}
