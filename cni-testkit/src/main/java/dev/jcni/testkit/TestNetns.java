package dev.jcni.testkit;

import dev.jcni.api.CniPlugin;
import dev.jcni.netlink.Netlink;
import dev.jcni.system.NetNs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The namespaces of one test (see {@link NetnsExtension}): a node namespace, created up front with
 * {@code lo} up, and pod namespaces created by {@link #pod(String)}. {@link #close()} deletes them
 * all (the extension calls it after each test). Commands run through {@code ip netns exec}, so
 * iproute2 and ping can serve as oracles.
 */
public final class TestNetns implements AutoCloseable {
  private final String base;
  private final String tag;
  private final String nodeName;
  private final NetNs node;
  private final List<String> created = new ArrayList<>();

  /**
   * Creates the node namespace now; names are {@code <prefix><6 hex>-node} and {@code <prefix><6
   * hex>-<pod>}.
   */
  public TestNetns(String prefix) {
    tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0x1000000));
    base = prefix + tag;
    nodeName = base + "-node";
    node = create(nodeName);
  }

  private NetNs create(String name) {
    NetNs ns = NetNs.create(name);
    try (Netlink nl = Netlink.openAt(ns)) {
      nl.linkSetUp("lo");
    } catch (RuntimeException e) {
      ns.close();
      try {
        NetNs.delete(name); // not handed out: the caller cannot clean it up
      } catch (RuntimeException d) {
        e.addSuppressed(d);
      }
      throw e;
    }
    created.add(name);
    return ns;
  }

  /** The node namespace (the plugin's host side), open for the whole test. */
  public NetNs node() {
    return node;
  }

  /** Its name under /run/netns. */
  public String nodeName() {
    return nodeName;
  }

  /**
   * A new pod namespace named {@code <prefix><tag>-<name>}; returns its path, for {@code
   * CNI_NETNS}.
   */
  public String pod(String name) {
    String n = base + "-" + name;
    create(n).close();
    return NetNs.pathOf(n).toString();
  }

  /**
   * Deletes a pod namespace before the end of the test (e.g. to test DEL after the runtime removed
   * it).
   */
  public void deletePod(String podPath) {
    String n = Path.of(podPath).getFileName().toString();
    NetNs.delete(n);
    created.remove(n);
  }

  /**
   * A name for a link of this test: {@code <prefix without '-'><tag><suffix>}, at most 15
   * characters (the kernel's limit), e.g. a per-test bridge name.
   */
  public String linkName(String suffix) {
    String n = base.replace("-", "") + suffix;
    if (n.length() > 15) {
      throw new IllegalArgumentException("link name \"" + n + "\" is longer than 15 characters");
    }
    return n;
  }

  /** A runner whose calls execute inside the node namespace. */
  public CniRunner runner(CniPlugin plugin) {
    return CniRunner.of(plugin).inNamespace(node);
  }

  /**
   * Runs a command in the node namespace; fails (AssertionError) on a non-zero exit; returns its
   * output.
   */
  public String inNode(String... argv) {
    return exec(nodeName, argv);
  }

  /** Runs a command in a pod namespace (given by path or name); fails on a non-zero exit. */
  public String inPod(String pod, String... argv) {
    return exec(Path.of(pod).getFileName().toString(), argv);
  }

  /** One ping (2 s timeout) from a pod (path or name; null for the node); true when answered. */
  public boolean ping(String fromPod, String address) {
    String ns = fromPod == null ? nodeName : Path.of(fromPod).getFileName().toString();
    return run(List.of("ip", "netns", "exec", ns, "ping", "-c", "1", "-W", "2", address)).exit()
        == 0;
  }

  private static String exec(String ns, String... argv) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    cmd.addAll(List.of(argv));
    CniOutcome o = run(cmd);
    if (o.exit() != 0) {
      throw new AssertionError(String.join(" ", cmd) + " exited " + o.exit() + ": " + o.stdout());
    }
    return o.stdout();
  }

  private static CniOutcome run(List<String> argv) {
    Processes.Finished f = Processes.exec(argv.toArray(String[]::new));
    return new CniOutcome(f.exit(), f.stdout() + f.stderr(), "");
  }

  /**
   * Deletes every namespace this test created (errors are collected and thrown after trying all).
   */
  @Override
  public void close() {
    node.close();
    RuntimeException failure = null;
    for (String n : new ArrayList<>(created)) {
      try {
        NetNs.delete(n);
        created.remove(n);
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = new IllegalStateException("cannot delete test namespace(s)");
        }
        failure.addSuppressed(e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
