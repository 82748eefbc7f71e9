package dev.jcni.nodeagent;

import dev.jcni.plugins.vxlan.VxlanNode;
import dev.jcni.system.NetNs;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code jcni-node-agent [options]}: runs the agent until SIGTERM/SIGINT. Without {@code
 * --kubeconfig} the client configures itself as kubectl does ({@code KUBECONFIG}, {@code
 * ~/.kube/config}, or the in-cluster service account).
 */
public final class Main {
  private Main() {}

  static final String USAGE =
      """
      usage: jcni-node-agent [options]
        --kubeconfig PATH          kubeconfig file (default: KUBECONFIG, ~/.kube/config, or in-cluster)
        --node-name NAME           this node's Node name (default: $NODE_NAME, else the host name)
        --peers-file PATH          peers list written for the plugin (default /run/jcni/vxlan-peers.json)
        --ready-file PATH          readiness marker for the plugin's STATUS (default /run/jcni/vxlan-ready)
        --resync SECONDS           full resync period (default 60)
        --vni N                    VXLAN id (default 1; must match the plugin config)
        --port N                   VXLAN UDP port (default 4789; must match the plugin config)
        --vtep-name NAME           VTEP device (default jcni.vxlan<vni>; must match the plugin config)
        --underlay-interface DEV   underlay device (default: none, the kernel routes by localIP)
        --local-ip IP              underlay address (default: the Node's InternalIP)
        --mtu N                    VTEP MTU (default: underlay MTU - 50)
        --once                     sync once, then exit (0 when in sync)
        --netns NAME               program the VTEP in network namespace NAME (/run/netns/NAME) instead of the
                                   agent's own (simulated nodes, tests, benchmarks)
      """;

  public static void main(String[] args) throws Exception {
    System.setProperty(
        "java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %5$s%6$s%n");
    System.exit(run(args, System.err));
  }

  static int run(String[] args, PrintStream err) throws Exception {
    String kubeconfig = null;
    String node = System.getenv("NODE_NAME");
    AgentConfig cfg = AgentConfig.defaults("");
    Path peers = cfg.peersFile();
    Path ready = cfg.readyFile();
    Duration resync = cfg.resync();
    int vni = cfg.vni();
    int port = cfg.port();
    String vtepName = null;
    String underlay = null;
    String localIP = null;
    Integer mtu = null;
    boolean once = false;
    String netns = null;
    List<String> argv = new ArrayList<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        argv.add(a.substring(0, eq));
        argv.add(a.substring(eq + 1));
      } else {
        argv.add(a);
      }
    }
    args = argv.toArray(new String[0]);
    try {
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--kubeconfig" -> kubeconfig = args[++i];
          case "--node-name" -> node = args[++i];
          case "--peers-file" -> peers = Path.of(args[++i]);
          case "--ready-file" -> ready = Path.of(args[++i]);
          case "--resync" -> resync = Duration.ofSeconds(Long.parseLong(args[++i]));
          case "--vni" -> vni = Integer.parseInt(args[++i]);
          case "--port" -> port = Integer.parseInt(args[++i]);
          case "--vtep-name" -> vtepName = args[++i];
          case "--underlay-interface" -> underlay = args[++i];
          case "--local-ip" -> localIP = args[++i];
          case "--mtu" -> mtu = Integer.parseInt(args[++i]);
          case "--once" -> once = true;
          case "--netns" -> netns = args[++i];
          case "-h", "--help" -> {
            err.print(USAGE);
            return 0;
          }
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
    } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException e) {
      err.println(
          e instanceof ArrayIndexOutOfBoundsException ? "missing option value" : e.getMessage());
      err.print(USAGE);
      return 2;
    }
    if (node == null || node.isEmpty()) {
      node = InetAddress.getLocalHost().getHostName();
    }
    if (resync.isZero() || resync.isNegative()) {
      err.println("--resync must be positive");
      return 2;
    }
    cfg = new AgentConfig(node, peers, ready, resync, vni, port, underlay, localIP, mtu, vtepName);
    Config kc =
        kubeconfig == null
            ? Config.autoConfigure(null)
            : Config.fromKubeconfig(new java.io.File(kubeconfig));
    java.util.logging.Logger jul = java.util.logging.Logger.getLogger("dev.jcni.nodeagent");
    try (NetNs ns = netns == null ? null : NetNs.openNamed(netns);
        KubernetesClient client = new KubernetesClientBuilder().withConfig(kc).build()) {
      NodeAgent agent =
          new NodeAgent(client, cfg, (c, p, l) -> VxlanNode.sync(c, p, ns, l), jul::info);
      CountDownLatch stopped = new CountDownLatch(1);
      Thread hook =
          new Thread(
              () -> {
                agent.close();
                stopped.countDown();
              },
              "jcni-vxlan-agent-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      jul.info(
          "starting for node "
              + node
              + " at "
              + Instant.now()
              + " ("
              + client.getMasterUrl()
              + ")");
      agent.start();
      if (once) {
        var o = awaitFirstSync(agent, Duration.ofSeconds(60));
        agent.close();
        Runtime.getRuntime().removeShutdownHook(hook);
        return o != null && o.ok() ? 0 : 1;
      }
      stopped.await();
      return 0;
    }
  }

  private static dev.jcni.plugins.vxlan.Reconciler.Outcome awaitFirstSync(
      NodeAgent agent, Duration max) throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      var o = agent.syncNow(max);
      if (o != null) {
        return o;
      }
      Thread.sleep(500); // informer still listing
    }
    return null;
  }
}
