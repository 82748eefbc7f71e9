package dev.jcni.ipam.hostlocal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.spec.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * host-local as real processes (fresh JVMs, real flock(2)), alone and side by side with Go's
 * binary.
 */
class HostLocalProcessTest {
  @TempDir Path data;
  @TempDir Path work;

  private String conf(String version, String ipamExtra) {
    return "{\"cniVersion\":\""
        + version
        + "\",\"name\":\"pnet\",\"type\":\"bridge\",\"ipam\":{\"type\":\"host-local\","
        + "\"dataDir\":\""
        + data
        + "\""
        + (ipamExtra.isEmpty() ? "" : "," + ipamExtra)
        + "}}";
  }

  private static final String DUAL =
      "\"ranges\":[[{\"subnet\":\"10.44.0.0/24\"}],[{\"subnet\":\"fd00:44::/64\"}]],"
          + "\"routes\":[{\"dst\":\"0.0.0.0/0\"},{\"dst\":\"::/0\"}]";

  private Set<String> files() throws IOException {
    try (Stream<Path> s = Files.list(data.resolve("pnet"))) {
      return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private Set<String> reservations() throws IOException {
    Set<String> f = files();
    f.removeIf(n -> n.equals("lock") || n.startsWith("last_reserved_ip."));
    return f;
  }

  private static void assumeGo() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Proc.goAvailable(), "Go host-local not installed at " + Proc.GO + ": interop test skipped");
  }

  /** Our result equals Go's for the same call at every version Go supports (1.1.0 only ours). */
  @ParameterizedTest
  @ValueSource(strings = {"0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"})
  void addAtEveryVersionMatchesGo(String version) throws Exception {
    String ipam =
        version.compareTo("0.3.0") < 0
            ? "\"ranges\":[[{\"subnet\":\"10.44.0.0/24\"}],[{\"subnet\":\"fd00:44::/64\"}]],\"routes\":[{\"dst\":\"0.0.0.0/0\"}]"
            : DUAL;
    Proc.Out ours =
        Proc.run(Proc.ours(), "ADD", "j" + version.replace('.', '_'), conf(version, ipam), work);
    assertThat(ours.exit()).as(ours.toString()).isZero();
    Map<String, Object> j = ours.json();
    assertThat(j).containsEntry("cniVersion", version).doesNotContainKey("interfaces");
    if (version.compareTo("0.3.0") < 0) {
      assertThat(j).containsKeys("ip4", "ip6");
      assertThat(Json.writeString(j.get("ip4")))
          .contains("\"ip\":\"10.44.0.2/24\"", "\"gateway\":\"10.44.0.1\"");
    } else {
      assertThat(Json.writeString(j.get("ips")))
          .contains("\"address\":\"10.44.0.2/24\"", "\"address\":\"fd00:44::2/64\"");
    }
    if (!Proc.goAvailable() || version.equals("1.1.0")) {
      return; // Go v1.1.1 stops at 1.0.0
    }
    Proc.Out go =
        Proc.run(Proc.go(), "ADD", "g" + version.replace('.', '_'), conf(version, ipam), work);
    assertThat(go.exit()).as(go.toString()).isZero();
    Map<String, Object> g = go.json();
    // the same shape; Go took the next addresses of the shared directory
    String expected =
        Json.writeString(g).replace("10.44.0.3", "10.44.0.2").replace("fd00:44::3", "fd00:44::2");
    Map<String, Object> jj = new java.util.LinkedHashMap<>(j);
    Map<String, Object> gg = Json.parseObject(expected.getBytes());
    if (gg.get("dns") instanceof Map && ((Map<?, ?>) gg.get("dns")).isEmpty()) {
      gg.remove("dns"); // v1.1.x always prints "dns":{}; newer libcni omits it
      jj.remove("dns");
    }
    assertThat(jj).isEqualTo(gg);
  }

  /**
   * Reservation files are named by Go's net.IP.String(); ours must produce the same names for any
   * IPv6 address.
   */
  @Test
  void ipv6FileNamesAreGosTextForm() throws Exception {
    assumeGo();
    String c = conf("1.0.0", "\"ranges\":[[{\"subnet\":\"2000::/3\"}]]");
    java.util.Random rnd = new java.util.Random(42);
    for (int i = 0; i < 24; i++) {
      int[] g = new int[8];
      g[0] = 0x2000 | rnd.nextInt(0x2000);
      for (int k = 1; k < 8; k++) {
        g[k] = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(1 << (4 * (1 + rnd.nextInt(4))));
      }
      // written uncompressed, upper case, with leading zeros: Go and we must both canonicalize it
      StringBuilder sb = new StringBuilder();
      for (int k = 0; k < 8; k++) {
        sb.append(k == 0 ? "" : ":").append(String.format("%04X", g[k]));
      }
      String requested = sb.toString();
      Proc.Out go =
          Proc.run(
              Proc.go(), "ADD", "v6-" + i, "eth0", Map.of("CNI_ARGS", "IP=" + requested), c, work);
      assertThat(go.exit()).as(go.toString()).isZero();
      String name = Addrs.text(Addrs.parseOrNull(requested));
      assertThat(Files.readString(data.resolve("pnet").resolve(name)))
          .as(requested)
          .isEqualTo("v6-" + i + "\r\neth0");
    }
    assertThat(reservations()).hasSize(24);
  }

  @Test
  void thirtyTwoConcurrentProcessesGetDistinctAddresses() throws Exception {
    String c = conf("1.0.0", "\"subnet\":\"10.45.0.0/24\"");
    ExecutorService pool = Executors.newFixedThreadPool(32);
    List<Future<Proc.Out>> fs = new ArrayList<>();
    try {
      for (int i = 0; i < 32; i++) {
        String id = "c" + i;
        fs.add(pool.submit(() -> Proc.run(Proc.ours(), "ADD", id, c, work)));
      }
      Set<String> addrs = new TreeSet<>();
      for (Future<Proc.Out> f : fs) {
        Proc.Out o = f.get();
        assertThat(o.exit()).as(o.toString()).isZero();
        addrs.add(Json.writeString(o.json().get("ips")));
      }
      assertThat(addrs).hasSize(32);
    } finally {
      pool.shutdownNow();
    }
    assertThat(reservations()).hasSize(32);
    assertThat(files()).hasSize(34); // + lock + last_reserved_ip.0: no stray files
    for (int i = 0; i < 32; i++) {
      assertThat(Files.readString(data.resolve("pnet").resolve(ipOf(i))))
          .startsWith("c")
          .endsWith("\r\neth0");
    }
  }

  private String ipOf(int i) throws IOException {
    return reservations().stream().sorted().collect(Collectors.toList()).get(i);
  }

  @Test
  void exhaustionIsAClearError() throws Exception {
    String c = conf("1.0.0", "\"ranges\":[[{\"subnet\":\"10.46.0.0/30\"}]]");
    assertThat(Proc.run(Proc.ours(), "ADD", "a", c, work).exit()).isZero();
    Proc.Out o = Proc.run(Proc.ours(), "ADD", "b", c, work);
    assertThat(o.exit()).isNotZero();
    assertThat(o.json())
        .containsEntry("code", 999L)
        .containsEntry(
            "msg",
            "failed to allocate for range 0: no IP addresses available in range set: 10.46.0.1-10.46.0.2");
    assertThat(reservations()).containsExactly("10.46.0.2");
  }

  @Test
  void requestedIpsAndConfigErrors() throws Exception {
    String c = conf("1.0.0", DUAL);
    Proc.Out o =
        Proc.run(
            Proc.ours(),
            "ADD",
            "a",
            "eth0",
            Map.of("CNI_ARGS", "IgnoreUnknown=1;IP=10.44.0.50"),
            c.replace("}}", "},\"runtimeConfig\":{\"ips\":[\"fd00:44::50/64\"]}}"),
            work);
    assertThat(o.exit()).as(o.toString()).isZero();
    assertThat(Json.writeString(o.json().get("ips"))).contains("10.44.0.50/24", "fd00:44::50/64");
    o = Proc.run(Proc.ours(), "ADD", "b", "eth0", Map.of("CNI_ARGS", "IP=10.99.0.1"), c, work);
    assertThat(o.json()).containsEntry("msg", "failed to allocate all requested IPs: 10.99.0.1");
    o = Proc.run(Proc.ours(), "ADD", "b", conf("1.0.0", "\"subnet\":\"10.44.0.5/24\""), work);
    assertThat(o.exit()).isNotZero();
    assertThat(o.json()).containsEntry("code", 7L);
    assertThat((String) o.json().get("msg"))
        .startsWith("ipam.subnet: 10.44.0.5/24 has host bits set");
    assertThat(reservations()).containsExactly("10.44.0.50", "fd00:44::50");
  }

  @Test
  void delTwiceAsContainerdDoesAndGc() throws Exception {
    String c = conf("1.1.0", "\"subnet\":\"10.47.0.0/24\"");
    for (String id : List.of("a", "b", "c")) {
      assertThat(Proc.run(Proc.ours(), "ADD", id, c, work).exit()).isZero();
    }
    assertThat(Proc.run(Proc.ours(), "DEL", "a", c, work).exit()).isZero();
    // the second DEL: CNI_NETNS empty, no prevResult
    Proc.Out o = Proc.run(Proc.ours(), "DEL", "a", "eth0", Map.of("CNI_NETNS", ""), c, work);
    assertThat(o.exit()).as(o.toString()).isZero();
    assertThat(o.stdout()).isEmpty();
    assertThat(reservations()).containsExactly("10.47.0.3", "10.47.0.4");
    String gc =
        c.replace(
            "}}",
            "},\"cni.dev/valid-attachments\":[{\"containerID\":\"c\",\"ifname\":\"eth0\"}],"
                + "\"cni.dev/attachments\":[{\"containerID\":\"c\",\"ifname\":\"eth0\"}]}");
    o = Proc.run(Proc.ours(), "GC", "", "", Map.of("CNI_NETNS", ""), gc, work);
    assertThat(o.exit()).as(o.toString()).isZero();
    assertThat(reservations()).containsExactly("10.47.0.4");
    assertThat(Proc.run(Proc.ours(), "STATUS", "", "", Map.of("CNI_NETNS", ""), c, work).exit())
        .isZero();
  }

  @Test
  void corruptFilesDoNotBreakAllocationOrDel() throws Exception {
    String c = conf("1.0.0", "\"subnet\":\"10.48.0.0/29\"");
    Path d = Files.createDirectories(data.resolve("pnet"));
    Files.write(d.resolve("10.48.0.2"), new byte[0]);
    Files.writeString(d.resolve("10.48.0.3"), "\u0001\u0002junk");
    Files.writeString(d.resolve("last_reserved_ip.0"), "");
    Proc.Out o = Proc.run(Proc.ours(), "ADD", "a", c, work);
    assertThat(o.exit()).as(o.toString()).isZero();
    assertThat(Json.writeString(o.json().get("ips"))).contains("10.48.0.2/29");
    assertThat(Proc.run(Proc.ours(), "DEL", "a", c, work).exit()).isZero();
    assertThat(Proc.run(Proc.ours(), "DEL", "nobody", c, work).exit()).isZero();
    assertThat(reservations()).containsExactly("10.48.0.3");
  }

  @Test
  void goAndJavaInterleavedShareTheDirectory() throws Exception {
    assumeGo();
    String c = conf("1.0.0", DUAL);
    List<String> v4 = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      boolean java = i % 2 == 0;
      Proc.Out o =
          Proc.run(java ? Proc.ours() : Proc.go(), "ADD", (java ? "java" : "go") + i, c, work);
      assertThat(o.exit()).as(o.toString()).isZero();
      v4.add((String) ((Map<?, ?>) ((List<?>) o.json().get("ips")).get(0)).get("address"));
    }
    // one round-robin sequence across both implementations
    assertThat(v4)
        .containsExactly(
            "10.44.0.2/24",
            "10.44.0.3/24",
            "10.44.0.4/24",
            "10.44.0.5/24",
            "10.44.0.6/24",
            "10.44.0.7/24");
    // each sees the other's reservations: CHECK and duplicate detection
    assertThat(Proc.run(Proc.go(), "CHECK", "java0", c, work).exit()).isZero();
    assertThat(Proc.run(Proc.ours(), "CHECK", "go1", c, work).exit()).isZero();
    Proc.Out dup = Proc.run(Proc.ours(), "ADD", "go1", c, work);
    assertThat(dup.json())
        .containsEntry(
            "msg",
            "failed to allocate for range 0: 10.44.0.3 has been allocated to go1, duplicate allocation is not allowed");
    // and releases them
    assertThat(Proc.run(Proc.ours(), "DEL", "go1", c, work).exit()).isZero();
    assertThat(Proc.run(Proc.go(), "DEL", "java2", c, work).exit()).isZero();
    assertThat(Proc.run(Proc.go(), "CHECK", "go1", c, work).exit()).isNotZero();
    assertThat(Proc.run(Proc.ours(), "CHECK", "java2", c, work).exit()).isNotZero();
    assertThat(reservations())
        .containsExactly(
            "10.44.0.2",
            "10.44.0.5",
            "10.44.0.6",
            "10.44.0.7",
            "fd00:44::2",
            "fd00:44::5",
            "fd00:44::6",
            "fd00:44::7");
  }

  @Test
  void goAndJavaConcurrentlyNeverHandOutOneAddressTwice() throws Exception {
    assumeGo();
    String c = conf("1.0.0", "\"ranges\":[[{\"subnet\":\"10.49.0.0/24\"}]]");
    ExecutorService pool = Executors.newFixedThreadPool(40);
    List<Future<Proc.Out>> fs = new ArrayList<>();
    try {
      for (int i = 0; i < 40; i++) {
        boolean java = i % 2 == 0;
        String id = (java ? "java" : "go") + i;
        fs.add(pool.submit(() -> Proc.run(java ? Proc.ours() : Proc.go(), "ADD", id, c, work)));
      }
      Set<String> addrs = new TreeSet<>();
      for (Future<Proc.Out> f : fs) {
        Proc.Out o = f.get();
        assertThat(o.exit()).as(o.toString()).isZero();
        addrs.add(Json.writeString(o.json().get("ips")));
      }
      assertThat(addrs).hasSize(40);
    } finally {
      pool.shutdownNow();
    }
    assertThat(reservations()).hasSize(40);
    assertThat(files()).hasSize(42);
  }
}
