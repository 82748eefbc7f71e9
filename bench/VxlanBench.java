import dev.jcni.system.NetNs;
import dev.jcni.netlink.Netlink;
import dev.jcni.netlink.VethOptions;
import dev.jcni.plugins.vxlan.Peer;
import dev.jcni.plugins.vxlan.Reconciler;
import dev.jcni.plugins.vxlan.VxlanConfig;
import dev.jcni.plugins.vxlan.VxlanNode;
import dev.jcni.spec.net.Cidr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The node agent's reconcile (VxlanNode.sync: read the VTEP's entries, diff, apply) against 1, 100 and 1000
 * simulated remote nodes, in a throwaway namespace, in a warmed-up JVM as the long-running agent would be.
 * Run by bench/vxlan.sh: java -cp 'dist/target/jcni/lib/*' bench/VxlanBench.java [sizes...]
 */
public class VxlanBench {
  static final int REPS = 5;

  public static void main(String[] args) throws Exception {
    int[] sizes = args.length == 0 ? new int[] {1, 100, 1000}
        : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    String name = "jvx-bench-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    NetNs.create(name).close();
    try (NetNs ns = NetNs.openNamed(name)) {
      try (Netlink nl = Netlink.openAt(ns)) {
        nl.linkAddVeth(VethOptions.builder("ul0", "ul1").build());
        nl.addrAdd("ul0", Cidr.parse("192.168.250.1/16"));
        nl.linkSetUp("ul0");
        nl.linkSetUp("ul1");
        nl.linkSetUp("lo");
      }
      Map<String, Object> raw = new LinkedHashMap<>();
      raw.put("localIP", "192.168.250.1");
      raw.put("nodeSubnet", "10.255.0.0/24");
      VxlanConfig cfg = VxlanConfig.from(raw);

      // warm-up: JIT the read/diff/apply paths, create the VTEP
      for (int i = 0; i < 3; i++) {
        sync(cfg, peers(300), ns);
        sync(cfg, List.of(), ns);
      }

      System.out.printf("%-7s %-22s %10s %9s %14s%n", "remote", "reconcile", "median", "entries", "entries/s");
      for (int n : sizes) {
        List<Peer> p = peers(n);
        List<Peer> plusOne = peers(n + 1);
        long[] add = new long[REPS];
        long[] noop = new long[REPS];
        long[] join = new long[REPS];
        long[] del = new long[REPS];
        for (int r = 0; r < REPS; r++) {
          add[r] = sync(cfg, p, ns);
          noop[r] = sync(cfg, p, ns);
          join[r] = sync(cfg, plusOne, ns);
          sync(cfg, p, ns);
          del[r] = sync(cfg, List.of(), ns);
        }
        row(n, "all added (empty VTEP)", add, 3L * n);
        row(n, "in sync (no change)", noop, 3L * n);
        row(n, "one node joins", join, 3);
        row(n, "all removed", del, 3L * n);
      }
    } finally {
      NetNs.delete(name);
    }
  }

  static void row(int n, String what, long[] nanos, long entries) {
    long[] s = nanos.clone();
    java.util.Arrays.sort(s);
    double ms = s[s.length / 2] / 1e6;
    System.out.printf("%-7d %-22s %8.2fms %9d %14.0f%n", n, what, ms, entries, entries / (ms / 1000));
  }

  static long sync(VxlanConfig cfg, List<Peer> peers, NetNs ns) {
    long t0 = System.nanoTime();
    Reconciler.Outcome o = VxlanNode.sync(cfg, peers, ns, s -> {});
    long t = System.nanoTime() - t0;
    if (!o.ok()) {
      throw new IllegalStateException("reconcile failed: " + o.failures());
    }
    return t;
  }

  /** n remote nodes: underlay 172.16.x.y, pod subnets 10.a.b.0/24 (never 10.255.0.0/24, this node's). */
  static List<Peer> peers(int n) {
    List<Peer> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(Peer.of("172.16." + (i / 250) + "." + (i % 250 + 1), "10." + (1 + i / 256) + "." + (i % 256) + ".0/24"));
    }
    return out;
  }
}
