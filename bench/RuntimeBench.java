import dev.jcni.runtime.CniRuntime;
import dev.jcni.spec.NetConfList;
import dev.jcni.runtime.RuntimeConf;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Warm-JVM cost of one ADD+DEL of a network list through CniRuntime (what a Java container runtime embedding
 * jcni pays per pod), for the same list run in-process and by exec. Run by bench/runtime.sh:
 *   java -cp 'dist/target/jcni/lib/*' bench/RuntimeBench.java N DIST_BIN GO_CNI_DIR
 */
public class RuntimeBench {
  public static void main(String[] a) throws Exception {
    int n = Integer.parseInt(a[0]);
    Path distBin = Path.of(a[1]);
    Path goDir = Path.of(a[2]);
    Path tmp = Files.createTempDirectory("jcni-rtbench");
    String hostLocal = "{\"cniVersion\":\"1.0.0\",\"name\":\"%s\",\"plugins\":[{\"type\":\"host-local\","
        + "\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.253.0.0/16\",\"dataDir\":\"" + tmp + "/ipam\"}}]}";
    String debug = "{\"cniVersion\":\"1.0.0\",\"name\":\"%s\",\"plugins\":[{\"type\":\"debug\",\"cniOutput\":\""
        + tmp + "/debug.log\"}]}";
    System.out.printf("%-62s %9s %9s%n", "case (one ADD + one DEL, warm JVM)", "median", "p90");
    Double goExec = null;
    Double inProcHostLocal = null;
    if (Files.isExecutable(goDir.resolve("host-local"))) {
      goExec = run("Go host-local, exec'd from CniRuntime (v1.1.1)", n, tmp, String.format(hostLocal, "goexec"),
          CniRuntime.builder().cniPath(List.of(goDir)).inProcess(false));
    }
    CniRuntime probe = CniRuntime.builder().cniPath(List.of(distBin)).build();
    if (probe.runsInProcess("host-local")) {
      inProcHostLocal = run("jcni host-local, in-process", n, tmp, String.format(hostLocal, "jinproc"),
          CniRuntime.builder().cniPath(List.of(distBin)).inProcess(true));
      run("jcni host-local, exec'd (dist/target/jcni/bin/host-local: JVM per call)", Math.min(n, 10), tmp,
          String.format(hostLocal, "jexec"), CniRuntime.builder().cniPath(List.of(distBin)).inProcess(false));
    } else {
      System.out.println("(jcni host-local is not on the class path: its cases are skipped)");
    }
    double dIn = run("jcni debug, in-process", n, tmp, String.format(debug, "dinproc"),
        CniRuntime.builder().cniPath(List.of(distBin)).inProcess(true));
    double dEx = run("jcni debug, exec'd (debug: JVM per call)", Math.min(n, 10), tmp,
        String.format(debug, "dexec"), CniRuntime.builder().cniPath(List.of(distBin)).inProcess(false));
    System.out.printf("ratio debug exec'd / in-process: %.0fx%n", dEx / dIn);
    if (goExec != null && inProcHostLocal != null) {
      System.out.printf("ratio Go host-local exec'd / jcni host-local in-process: %.1fx%n", goExec / inProcHostLocal);
    }
  }

  static double run(String label, int n, Path tmp, String list, CniRuntime.Builder b) throws Exception {
    CniRuntime rt = b.cacheDir(tmp.resolve("cache")).environment(Map.of("PATH", System.getenv("PATH")))
        .stderr(new java.io.PrintStream(java.io.OutputStream.nullOutputStream())).build();
    NetConfList l = NetConfList.parse(list.getBytes(StandardCharsets.UTF_8));
    // JIT warm-up, so the in-process figures are those of a long-running runtime (exec'd ones barely change)
    int warm = label.contains("JVM per call") ? 3 : Math.max(3, n);
    for (int i = 0; i < warm; i++) {
      once(rt, l, "warm" + i);
    }
    List<Long> t = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long s = System.nanoTime();
      once(rt, l, "c" + i);
      t.add(System.nanoTime() - s);
    }
    Collections.sort(t);
    double med = t.get(n / 2) / 1e6;
    System.out.printf("%-62s %9.2f %9.2f%n", label, med, t.get(Math.min(n - 1, (int) (n * 0.9))) / 1e6);
    return med;
  }

  static void once(CniRuntime rt, NetConfList l, String cid) {
    RuntimeConf c = RuntimeConf.of(cid, "/run/netns/jcni-bench-absent", "eth0");
    rt.addNetworkList(l, c);
    rt.delNetworkList(l, c);
  }
}
