import dev.jcni.netlink.Family;
import dev.jcni.system.NetNs;
import dev.jcni.netlink.Netlink;
import dev.jcni.netlink.Route;
import dev.jcni.spec.net.Cidr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Create + delete COUNT veth pairs and COUNT routes inside a throwaway namespace through jcni (one netlink
 * handle, in-process), and the same work through `ip -n NS -batch FILE` (one process per phase), REPS times;
 * prints per-phase medians and the ratio. Run by bench/netlink-bench.sh.
 */
public final class NetlinkBench {
  static final String[] PHASES = {"veth add", "route add", "route del", "veth del"};

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    String ns = "jnl-bench-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    long tl = System.nanoTime();
    try (NetNs self = NetNs.current()) { // first native call: loads JNR and generates the stubs
      self.inode();
    }
    long tLoad = System.nanoTime() - tl;
    long t0 = System.nanoTime();
    NetNs netns = NetNs.create(ns);
    long tCreate = System.nanoTime() - t0;
    Path dir = Files.createTempDirectory("jnl-bench");
    try (netns; Netlink nl = Netlink.openAt(netns)) {
      long tOpen = System.nanoTime() - t0 - tCreate;
      // a link the routes point at
      nl.linkAddVeth("rt0", "rt1", null, 0);
      nl.linkSetUp("rt0");
      nl.linkSetUp("rt1");
      nl.addrAdd("rt0", Cidr.parse("10.99.0.1/16"));
      int oif = nl.linkByName("rt0").index();
      writeBatches(dir, count);

      double[][] jc = new double[PHASES.length][reps];
      double[][] ip = new double[PHASES.length][reps];
      for (int r = 0; r < reps; r++) {
        // alternate who goes first: the kernel finishes tearing down deleted devices in the background, which
        // slows whatever runs next
        if (r % 2 == 0) {
          runJcni(nl, oif, count, jc, r);
          settle();
          runIp(ns, dir, ip, r);
        } else {
          runIp(ns, dir, ip, r);
          settle();
          runJcni(nl, oif, count, jc, r);
        }
        settle();
      }
      System.out.printf("JNR load + first call %.1f ms, netns create %.1f ms, netlink open (socket-at) %.1f ms%n",
          tLoad / 1e6, tCreate / 1e6, tOpen / 1e6);
      System.out.printf("%d objects per phase, median of %d runs (ms)%n", count, reps);
      System.out.printf("%-12s %10s %12s %8s%n", "phase", "jcni", "ip -batch", "ip/jcni");
      double jt = 0, it = 0;
      for (int p = 0; p < PHASES.length; p++) {
        double j = median(jc[p]), i = median(ip[p]);
        jt += j;
        it += i;
        System.out.printf("%-12s %10.1f %12.1f %8.2f%n", PHASES[p], j, i, i / j);
      }
      System.out.printf("%-12s %10.1f %12.1f %8.2f%n", "total", jt, it, it / jt);
      System.out.printf("per object   %10.3f %12.3f%n", jt / (4.0 * count), it / (4.0 * count));
    } finally {
      NetNs.delete(ns);
      for (Path p : Files.list(dir).toList()) Files.delete(p);
      Files.delete(dir);
    }
  }

  static void runJcni(Netlink nl, int oif, int count, double[][] jc, int r) {
    long s = System.nanoTime();
    for (int i = 0; i < count; i++) nl.linkAddVeth("bv" + i, "bp" + i, null, 0);
    jc[0][r] = ms(s);
    s = System.nanoTime();
    for (int i = 0; i < count; i++) nl.routeAdd(route(i, oif));
    jc[1][r] = ms(s);
    check(nl.routeList(Family.V4).size() >= count, "routes present");
    s = System.nanoTime();
    for (int i = 0; i < count; i++) nl.routeDel(route(i, oif));
    jc[2][r] = ms(s);
    s = System.nanoTime();
    for (int i = 0; i < count; i++) nl.linkDel("bv" + i);
    jc[3][r] = ms(s);
    check(nl.linkList().size() == 3, "links cleaned up");
  }

  static void runIp(String ns, Path dir, double[][] ip, int r) throws Exception {
    for (int p = 0; p < PHASES.length; p++) {
      long s = System.nanoTime();
      Process proc = new ProcessBuilder("ip", "-n", ns, "-batch", dir.resolve("p" + p).toString())
          .redirectErrorStream(true).start();
      String out = new String(proc.getInputStream().readAllBytes());
      int code = proc.waitFor();
      ip[p][r] = ms(s);
      check(code == 0, "ip -batch phase " + PHASES[p] + ": " + out);
    }
  }

  static void settle() throws InterruptedException {
    Thread.sleep(500);
  }

  static Route route(int i, int oif) {
    return Route.builder().dst("10." + (100 + i / 256) + "." + (i % 256) + ".0/24").gateway("10.99.0.2").oif(oif)
        .build();
  }

  static void writeBatches(Path dir, int count) throws IOException {
    List<List<String>> lines = new ArrayList<>();
    for (int p = 0; p < 4; p++) lines.add(new ArrayList<>());
    for (int i = 0; i < count; i++) {
      String dst = "10." + (100 + i / 256) + "." + (i % 256) + ".0/24";
      lines.get(0).add("link add bv" + i + " type veth peer name bp" + i);
      lines.get(1).add("route add " + dst + " via 10.99.0.2 dev rt0");
      lines.get(2).add("route del " + dst + " via 10.99.0.2 dev rt0");
      lines.get(3).add("link del bv" + i);
    }
    for (int p = 0; p < 4; p++) Files.write(dir.resolve("p" + p), lines.get(p));
  }

  static double ms(long start) {
    return (System.nanoTime() - start) / 1e6;
  }

  static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }

  static void check(boolean ok, String what) {
    if (!ok) throw new IllegalStateException("check failed: " + what);
  }
}
