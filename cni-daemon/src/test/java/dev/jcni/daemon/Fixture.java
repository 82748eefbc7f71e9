package dev.jcni.daemon;

import dev.jcni.system.NetNs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Throwaway namespaces (all {@code jdm-...}), a temp directory for the socket, and a daemon started
 * from a thread inside its own "daemon" namespace, so that the daemon's own namespace is never the
 * machine's and a call that wrongly ran there would be visible. {@link #close} removes everything.
 */
final class Fixture implements AutoCloseable {
  static final boolean ROOT = dev.jcni.testkit.NetnsExtension.isRoot();

  final String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
  final Path dir;
  final Path socket;
  private final List<String> namespaces = new ArrayList<>();
  private final List<Daemon> daemons = new ArrayList<>();
  final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
  NetNs daemonNs;

  Fixture() throws IOException {
    dir = Files.createTempDirectory("jdm-");
    socket = dir.resolve("jcni.sock");
  }

  /** Creates namespace {@code jdm-<name>-<tag>} with lo up; returns it opened. */
  NetNs ns(String name) {
    String n = "jdm-" + name + "-" + tag;
    NetNs ns = NetNs.create(n);
    namespaces.add(n);
    sh("ip", "-n", n, "link", "set", "lo", "up");
    return ns;
  }

  static String name(NetNs ns) {
    return ns.path().getFileName().toString();
  }

  DaemonOptions options() {
    return DaemonOptions.defaults(socket);
  }

  /**
   * Starts a daemon (from a thread inside the fixture's daemon namespace) and returns it serving.
   */
  Daemon start(DaemonOptions o) throws Exception {
    if (daemonNs == null) daemonNs = ns("dmn");
    Daemon d =
        new Daemon(
            o,
            Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")),
            log);
    daemonNs.run(
        () -> {
          d.start();
          return null;
        });
    daemons.add(d);
    return d;
  }

  String log() {
    return logBytes.toString(StandardCharsets.UTF_8);
  }

  static Map<String, String> env(String cmd, String cid, String netns, String ifname) {
    Map<String, String> env = new HashMap<>();
    env.put("CNI_COMMAND", cmd);
    env.put("CNI_CONTAINERID", cid);
    if (netns != null) env.put("CNI_NETNS", netns);
    env.put("CNI_IFNAME", ifname);
    env.put("CNI_PATH", "/usr/lib/cni");
    return env;
  }

  static String sh(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
      return out;
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  static int rc(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor();
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws Exception {
    for (Daemon d : daemons) {
      d.stop();
      d.await();
    }
    if (daemonNs != null) daemonNs.close();
    for (String n : namespaces) {
      try {
        NetNs.delete(n);
      } catch (RuntimeException ignored) {
        // already gone
      }
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
