package dev.jcni.plugins.meta.bandwidth;

import dev.jcni.api.Dispatcher;
import dev.jcni.netlink.Link;
import dev.jcni.netlink.Netlink;
import dev.jcni.netlink.TcHandle;
import dev.jcni.system.NetNs;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * bandwidth's call path for class-data training (its training hook): config parsing and Go's
 * numbers always; as root, a real ADD, CHECK and DEL through the dispatcher in two throwaway
 * namespaces ({@code jcni-train-bw*}, deleted again), so the tc codec and operations come from the
 * archive. Touches nothing outside those namespaces.
 */
public final class BandwidthTraining {
  private BandwidthTraining() {}

  private static final PrintStream NUL = new PrintStream(OutputStream.nullOutputStream());

  public static void run() {
    String limits =
        "\"runtimeConfig\":{\"bandwidth\":{\"ingressRate\":8000000,\"ingressBurst\":80000,"
            + "\"egressRate\":8000000,\"egressBurst\":80000}}";
    Shaping.tbf(8000000, 80000);
    Shaping.ifbName("train", "t1");
    Shaping.redirectFilter(1, 2).toString();
    String node = "jcni-train-bwn" + ProcessHandle.current().pid();
    String pod = "jcni-train-bwp" + ProcessHandle.current().pid();
    NetNs nodeNs;
    try {
      nodeNs = NetNs.create(node);
    } catch (RuntimeException notRoot) {
      return;
    }
    try (NetNs podNs = NetNs.create(pod);
        Netlink nl = Netlink.openAt(nodeNs)) {
      nl.linkAddVeth("trainh0", "eth0", podNs, 0);
      nl.linkSetUp("trainh0");
      Link h = nl.linkByName("trainh0");
      nl.qdiscList(h.index());
      nl.filterList(h.index(), TcHandle.INGRESS_HANDLE);
      String prev =
          "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"trainh0\"},{\"name\":\"eth0\","
              + "\"sandbox\":\"/run/netns/"
              + pod
              + "\"}],\"ips\":[{\"interface\":1,\"address\":\"10.250.0.2/24\"}]}";
      String conf =
          "{\"cniVersion\":\"1.0.0\",\"name\":\"train\",\"type\":\"bandwidth\",\"capabilities\":"
              + "{\"bandwidth\":true},"
              + limits
              + ",\"prevResult\":"
              + prev
              + "}";
      for (String cmd : new String[] {"ADD", "CHECK", "DEL"}) {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", cmd);
        env.put("CNI_CONTAINERID", "train");
        env.put("CNI_NETNS", "/run/netns/" + pod);
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", "/nonexistent/bin");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int rc =
            nodeNs.run(
                () ->
                    Dispatcher.run(
                        "bandwidth",
                        env,
                        new ByteArrayInputStream(conf.getBytes(StandardCharsets.UTF_8)),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        NUL));
        if (rc != 0) {
          throw new IllegalStateException(
              "bandwidth " + cmd + " failed: " + out.toString(StandardCharsets.UTF_8));
        }
      }
    } finally {
      nodeNs.close();
      try {
        NetNs.delete(node);
      } finally {
        if (NetNs.exists(pod)) {
          NetNs.delete(pod);
        }
      }
    }
  }
}
