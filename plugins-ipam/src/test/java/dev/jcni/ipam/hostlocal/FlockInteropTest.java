package dev.jcni.ipam.hostlocal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.system.Flock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lock itself: our flock(2) on {@code <dataDir>/<net>/lock} excludes Go's host-local and
 * flock(1), both ways.
 */
class FlockInteropTest {
  @TempDir Path data;
  @TempDir Path work;

  private String conf() {
    return "{\"cniVersion\":\"1.0.0\",\"name\":\"fnet\",\"type\":\"bridge\",\"ipam\":{\"type\":\"host-local\","
        + "\"dataDir\":\""
        + data
        + "\",\"subnet\":\"10.70.0.0/24\"}}";
  }

  private Process start(List<String> cmd, String id) throws Exception {
    Path netns = work.resolve("netns");
    if (!Files.exists(netns)) {
      Files.createFile(netns);
    }
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment()
        .putAll(
            Map.of(
                "CNI_COMMAND",
                "ADD",
                "CNI_CONTAINERID",
                id,
                "CNI_NETNS",
                netns.toString(),
                "CNI_IFNAME",
                "eth0",
                "CNI_PATH",
                "/usr/lib/cni"));
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      in.write(conf().getBytes(StandardCharsets.UTF_8));
    }
    return p;
  }

  @Test
  void goWaitsWhileWeHoldTheLock() throws Exception {
    Assumptions.assumeTrue(Proc.goAvailable(), "Go host-local not installed at " + Proc.GO);
    Path dir = Files.createDirectories(data.resolve("fnet"));
    Process go;
    try (Flock lock = Flock.lock(dir.resolve("lock"))) {
      go = start(Proc.go(), "go1");
      assertThat(go.waitFor(1500, TimeUnit.MILLISECONDS))
          .as("Go host-local must block on our flock")
          .isFalse();
      assertThat(Files.exists(dir.resolve("10.70.0.2"))).isFalse();
    }
    assertThat(go.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(go.exitValue()).isZero();
    assertThat(Files.readString(dir.resolve("10.70.0.2"))).isEqualTo("go1\r\neth0");
  }

  @Test
  void weWaitWhileFlock1HoldsTheLock() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/flock")), "flock(1) not installed");
    Path dir = Files.createDirectories(data.resolve("fnet"));
    Process holder =
        new ProcessBuilder(
                "/usr/bin/flock", dir.resolve("lock").toString(), "-c", "echo held; sleep 4")
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader r =
          new BufferedReader(
              new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(r.readLine()).isEqualTo("held");
      long t0 = System.nanoTime();
      Process ours = start(Proc.ours(), "java1");
      assertThat(ours.waitFor(60, TimeUnit.SECONDS)).isTrue();
      long waitedMs = (System.nanoTime() - t0) / 1_000_000;
      assertThat(ours.exitValue()).isZero();
      assertThat(holder.waitFor(0, TimeUnit.SECONDS))
          .as("our ADD finished only after the holder let go")
          .isTrue();
      assertThat(waitedMs).isGreaterThanOrEqualTo(3000);
      assertThat(Files.readString(dir.resolve("10.70.0.2"))).isEqualTo("java1\r\neth0");
    } finally {
      holder.destroyForcibly();
    }
  }

  /** In one JVM (a future resident mode), flock on separate opens excludes threads too. */
  @Test
  void threadsInOneJvmExcludeEachOtherWithTheRealLock() throws Exception {
    HostLocal hl = new HostLocal(Flock::lock);
    Map<String, Object> ipam = ConfTrees.obj("dataDir", data.toString(), "subnet", "10.71.0.0/24");
    HostLocalConfig c = HostLocalConfig.parse(ConfTrees.conf("1.0.0", ipam), null, true);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    Set<String> got = ConcurrentHashMap.newKeySet();
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < 48; i++) {
        String id = "t" + i;
        fs.add(pool.submit(() -> got.add(hl.add(c, id, "eth0").ips().get(0).address().toString())));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(got).hasSize(48);
    try (var s = Files.list(data.resolve("testnet"))) {
      assertThat(s.map(p -> p.getFileName().toString()).collect(Collectors.toSet())).hasSize(50);
    }
  }
}
