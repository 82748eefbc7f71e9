package dev.jcni.plugins.meta.portmap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs plugins as real processes inside the NODE namespace ({@code ip netns exec NODE ...}): ours
 * as {@code java -cp <test class path> -Djcni.plugin=portmap dev.jcni.api.Main}, Go's from
 * /usr/lib/cni.
 */
final class Plugins {
  private Plugins() {}

  static final Path GO_DIR = Path.of("/usr/lib/cni");

  static boolean goInstalled(String type) {
    return Files.isExecutable(GO_DIR.resolve(type));
  }

  static Map<String, String> env(String cmd, String containerId, String netns, String ifname) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CNI_COMMAND", cmd);
    env.put("CNI_CONTAINERID", containerId);
    env.put("CNI_NETNS", netns);
    env.put("CNI_IFNAME", ifname);
    env.put("CNI_PATH", GO_DIR.toString());
    env.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAME=p");
    return env;
  }

  /** Our portmap, a fresh JVM inside {@code node}. */
  static Topology.Result ours(String node, Map<String, String> env, String stdin) throws Exception {
    return jcni(node, "portmap", List.of(), env, stdin);
  }

  /**
   * A jcni plugin of {@code type} from the test class path (portmap, and the bridge and host-local
   * of the other modules), a fresh JVM inside {@code node}, optionally behind a wrapper command
   * ({@code wrap}, e.g. setpriv).
   */
  static Topology.Result jcni(
      String node, String type, List<String> wrap, Map<String, String> env, String stdin)
      throws Exception {
    String cp = System.getProperty("java.class.path");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", node));
    argv.addAll(wrap);
    argv.addAll(
        List.of(
            java,
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xshare:auto",
            "-Xlog:disable",
            "-Xlog:all=warning:stderr",
            "-cp",
            cp,
            "-Djcni.plugin=" + type,
            "dev.jcni.api.Main"));
    return Topology.run(stdin, env, argv.toArray(new String[0]));
  }

  /** A Go plugin from /usr/lib/cni inside {@code node}. */
  static Topology.Result go(String node, String type, Map<String, String> env, String stdin)
      throws Exception {
    return Topology.run(stdin, env, "ip", "netns", "exec", node, GO_DIR.resolve(type).toString());
  }
}
