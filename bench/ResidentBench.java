import dev.jcni.runtime.CniRuntime;
import dev.jcni.spec.NetConfList;
import dev.jcni.runtime.RuntimeConf;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The runtime side of bench/resident.sh: a warm JVM that drives bridge + host-local + portmap per pod the way
 * containerd does through libcni — one exec'd process per plugin call, found on a CNI_PATH — for three plugin
 * sets in the same run, pod by pod interleaved so all see the same machine load:
 * <ul>
 *   <li>resident: dist/target/jcni/bin (the shims) with JCNI_SOCKET pointing at a running `jcni daemon`;
 *   <li>Go: /usr/lib/cni (v1.1.1);
 *   <li>direct: dist/target/jcni/bin with JCNI_DIRECT=1 (every call starts a JVM through libexec/<type>).
 * </ul>
 * Runs inside the node namespace (ip netns exec NODE java ...). Usage:
 * {@code ResidentBench TMP PODS WARM PAR RSS_PODS DAEMON_PID SOCKET DIST_BIN GO_DIR POD_NS_PREFIX POD_NS_COUNT}
 */
public class ResidentBench {
  static Path tmp;
  static String socket;
  static Path distBin;
  static Path goDir;
  static String podPrefix;
  static int podCount;

  record Impl(String name, Path cniPath, Map<String, String> env, int subnet, int portBase) {}

  public static void main(String[] a) throws Exception {
    tmp = Path.of(a[0]);
    int pods = Integer.parseInt(a[1]);
    int warm = Integer.parseInt(a[2]);
    int par = Integer.parseInt(a[3]);
    int rssPods = Integer.parseInt(a[4]);
    long daemonPid = Long.parseLong(a[5]);
    socket = a[6];
    distBin = Path.of(a[7]);
    goDir = Path.of(a[8]);
    podPrefix = a[9];
    podCount = Integer.parseInt(a[10]);

    Map<String, String> base = new HashMap<>();
    base.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    if (System.getenv("JAVA_HOME") != null) {
      base.put("JAVA_HOME", System.getenv("JAVA_HOME"));
    }
    Map<String, String> resEnv = new HashMap<>(base);
    resEnv.put("JCNI_SOCKET", socket);
    Map<String, String> dirEnv = new HashMap<>(base);
    dirEnv.put("JCNI_DIRECT", "1");
    Impl resident = new Impl("resident", distBin, resEnv, 201, 21000);
    Impl go = new Impl("go", goDir, base, 202, 22000);
    Impl direct = new Impl("direct", distBin, dirEnv, 203, 23000);
    List<Impl> impls = List.of(resident, go, direct);

    System.out.printf("chain bridge+host-local+portmap (one hostPort per pod), exec per plugin call from a warm "
        + "runtime JVM in the node namespace; %d pods (after %d warm-up pods), ms%n", pods, warm);
    Map<String, List<Double>> add = new LinkedHashMap<>();
    Map<String, List<Double>> del = new LinkedHashMap<>();
    for (Impl i : impls) {
      add.put(i.name, new ArrayList<>());
      del.put(i.name, new ArrayList<>());
    }
    for (int p = -warm; p < pods; p++) {
      for (Impl i : impls) {
        double[] t = pod(i, p < 0 ? "w" + -p : "p" + p, Math.floorMod(p, podCount), Math.floorMod(p, 200));
        if (p >= 0) {
          add.get(i.name).add(t[0]);
          del.get(i.name).add(t[1]);
        }
      }
    }
    System.out.printf("%-34s %9s %9s %9s %9s %9s %9s%n", "case", "ADD med", "ADD p90", "DEL med", "DEL p90",
        "ADD/Go", "DEL/Go");
    double goAdd = median(add.get("go"));
    double goDel = median(del.get("go"));
    for (Impl i : impls) {
      String label = switch (i.name) {
        case "resident" -> "resident (shims + jcni daemon)";
        case "go" -> "Go v1.1.1 (" + goDir + ")";
        default -> "direct (JCNI_DIRECT=1: JVM per call)";
      };
      double am = median(add.get(i.name));
      double dm = median(del.get(i.name));
      System.out.printf("%-34s %9.1f %9.1f %9.1f %9.1f %9.2f %9.2f%n", label, am, p90(add.get(i.name)), dm,
          p90(del.get(i.name)), am / goAdd, dm / goDel);
    }

    // a no-op call through each path: VERSION (answered by the plugin side's dispatcher, nothing else runs)
    System.out.println();
    int n = Math.max(pods, 20);
    double shimNoop = noop(distBin.resolve("loopback"), resEnv, n);
    double goNoop = noop(goDir.resolve("host-local"), base, n);
    double directNoop = noop(distBin.resolve("loopback"), dirEnv, Math.min(n, 10));
    double floor = noop(Path.of("/bin/true"), base, n);
    System.out.printf("no-op call (VERSION), median of %d, incl. the runtime's fork/exec:%n", n);
    System.out.printf("  resident: shim -> daemon (loopback) %7.2f ms  (%.2fx Go)%n", shimNoop, shimNoop / goNoop);
    System.out.printf("  Go host-local                      %7.2f ms%n", goNoop);
    System.out.printf("  direct: shim -> JVM (debug)        %7.2f ms  (%.1fx Go)%n", directNoop, directNoop / goNoop);
    System.out.printf("  floor: fork/exec of /bin/true      %7.2f ms  (what every row pays before the plugin runs)%n",
        floor);

    // 32 pods at once, as a node does when a deployment scales up
    if (par > 0) {
      System.out.println();
      System.out.printf("%d pods ADDed in parallel, then DELeted in parallel: wall ms%n", par);
      double goPar = -1;
      for (Impl i : List.of(go, resident, direct)) {
        double[] w = parallel(i, par);
        if (i == go) {
          goPar = w[0];
        }
        System.out.printf("  %-10s ADD %8.0f   DEL %8.0f   ADD/Go %.2f%n", i.name, w[0], w[1], w[0] / goPar);
      }
    }

    // the daemon's memory over a long run: RSS after rssPods pods (2 chain calls each), then after as many more
    if (rssPods > 0 && daemonPid > 0) {
      System.out.println();
      long before = rss(daemonPid);
      for (int p = 0; p < rssPods; p++) {
        pod(resident, "r" + p, p % podCount, p % 200);
      }
      long first = rss(daemonPid);
      for (int p = 0; p < rssPods; p++) {
        pod(resident, "s" + p, p % podCount, p % 200);
      }
      long second = rss(daemonPid);
      System.out.printf("daemon VmRSS: %d MiB before; %d MiB after %d chain calls (%d pods ADD+DEL); %d MiB after "
          + "%d more (growth %+d MiB); VmHWM %d MiB%n", before >> 10, first >> 10, 2 * rssPods, rssPods,
          second >> 10, 2 * rssPods, (second - first) >> 10, status(daemonPid, "VmHWM:") >> 10);
    }
  }

  static CniRuntime runtime(Impl i) {
    return CniRuntime.builder().cniPath(List.of(i.cniPath)).inProcess(false).environment(i.env)
        .cacheDir(tmp.resolve("cache-" + i.name)).stderr(new PrintStream(OutputStream.nullOutputStream())).build();
  }

  static NetConfList list(Impl i) {
    String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"rb-" + i.name + "\",\"plugins\":[{\"type\":\"bridge\","
        + "\"bridge\":\"jsh-br-" + i.name + "\",\"isGateway\":true,\"ipMasq\":true,\"ipam\":{\"type\":\"host-local\","
        + "\"ranges\":[[{\"subnet\":\"10." + i.subnet + ".0.0/16\"}]],\"routes\":[{\"dst\":\"0.0.0.0/0\"}],"
        + "\"dataDir\":\"" + tmp.resolve("ipam-" + i.name) + "\"}},{\"type\":\"portmap\","
        + "\"capabilities\":{\"portMappings\":true}}]}";
    return NetConfList.parse(conf.getBytes(StandardCharsets.UTF_8));
  }

  static RuntimeConf conf(Impl i, String id, int ns, int port) {
    Map<String, Object> pm = new LinkedHashMap<>();
    pm.put("hostPort", (long) (i.portBase + port));
    pm.put("containerPort", 80L);
    pm.put("protocol", "tcp");
    return RuntimeConf.of("rb-" + i.name + "-" + id, "/run/netns/" + podPrefix + ns, "eth0")
        .withCapabilityArgs(Map.of("portMappings", List.of(pm)));
  }

  /** One pod: chain ADD then chain DEL; {ADD ms, DEL ms}. */
  static double[] pod(Impl i, String id, int ns, int port) {
    CniRuntime rt = runtime(i);
    NetConfList l = list(i);
    RuntimeConf c = conf(i, id, ns, port);
    long t0 = System.nanoTime();
    rt.addNetworkList(l, c);
    long t1 = System.nanoTime();
    rt.delNetworkList(l, c);
    long t2 = System.nanoTime();
    return new double[] {(t1 - t0) / 1e6, (t2 - t1) / 1e6};
  }

  static double[] parallel(Impl i, int par) throws Exception {
    ExecutorService ex = Executors.newFixedThreadPool(par);
    try {
      NetConfList l = list(i);
      List<Callable<Void>> adds = new ArrayList<>();
      List<Callable<Void>> dels = new ArrayList<>();
      for (int k = 0; k < par; k++) {
        RuntimeConf c = conf(i, "par" + k, k % podCount, 100 + k);
        CniRuntime rt = runtime(i);
        adds.add(() -> {
          rt.addNetworkList(l, c);
          return null;
        });
        dels.add(() -> {
          rt.delNetworkList(l, c);
          return null;
        });
      }
      long t0 = System.nanoTime();
      for (Future<Void> f : ex.invokeAll(adds)) {
        f.get();
      }
      long t1 = System.nanoTime();
      for (Future<Void> f : ex.invokeAll(dels)) {
        f.get();
      }
      long t2 = System.nanoTime();
      return new double[] {(t1 - t0) / 1e6, (t2 - t1) / 1e6};
    } finally {
      ex.shutdown();
    }
  }

  static double noop(Path exe, Map<String, String> env, int n) throws Exception {
    List<Double> t = new ArrayList<>();
    byte[] stdin = "{\"cniVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);
    for (int k = -3; k < n; k++) {
      ProcessBuilder pb = new ProcessBuilder(exe.toString()).redirectError(ProcessBuilder.Redirect.DISCARD);
      pb.environment().clear();
      pb.environment().putAll(env);
      pb.environment().put("CNI_COMMAND", "VERSION");
      long t0 = System.nanoTime();
      Process p = pb.start();
      try (OutputStream o = p.getOutputStream()) {
        o.write(stdin);
      } catch (java.io.IOException notRead) {
        // /bin/true does not read its stdin
      }
      byte[] out = p.getInputStream().readAllBytes();
      int rc = p.waitFor();
      long t1 = System.nanoTime();
      if (rc != 0 || !exe.startsWith("/bin") && !new String(out, StandardCharsets.UTF_8).contains("supportedVersions")) {
        throw new IllegalStateException(exe + " VERSION failed: " + new String(out, StandardCharsets.UTF_8));
      }
      if (k >= 0) {
        t.add((t1 - t0) / 1e6);
      }
    }
    return median(t);
  }

  static long rss(long pid) throws Exception {
    return status(pid, "VmRSS:");
  }

  /** A kB field of /proc/PID/status. */
  static long status(long pid, String field) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
      }
    }
    return -1;
  }

  static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }

  static double p90(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    Collections.sort(s);
    return s.get(Math.min(s.size() - 1, (int) (s.size() * 0.9)));
  }
}
