package dev.jcni.ipam.hostlocal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.spec.json.Json;
import dev.jcni.testkit.CniOutcome;
import dev.jcni.testkit.CniRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The plugin through the real Dispatcher (env + stdin in, JSON out), in-process, at every spec
 * version.
 */
class HostLocalDispatcherTest {
  @TempDir Path data;

  /**
   * One call through the real Dispatcher (cni-testkit's runner); a null id/ifname/netns is left
   * unset.
   */
  private CniOutcome call(String command, String id, String ifname, String netns, String stdin) {
    CniRunner run =
        CniRunner.of(new HostLocalPlugin())
            .containerId(id)
            .ifname(ifname)
            .netns(netns)
            .path("/usr/lib/cni");
    return run.call(command, stdin);
  }

  /**
   * host-local never enters CNI_NETNS; any existing path other than our own netns (skel's code 8
   * check) works.
   */
  private CniOutcome call(String command, String id, String stdin) {
    return call(command, id, "eth0", netnsStandIn().toString(), stdin);
  }

  private Path netnsStandIn() {
    Path p = data.resolveSibling(data.getFileName() + ".netns");
    try {
      if (!Files.exists(p)) {
        Files.createFile(p);
        p.toFile().deleteOnExit();
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return p;
  }

  private String conf(String version, String ipam) {
    return "{\"cniVersion\":\""
        + version
        + "\",\"name\":\"dnet\",\"type\":\"bridge\",\"ipam\":{\"type\":\"host-local\","
        + "\"dataDir\":\""
        + data
        + "\","
        + ipam
        + "}}";
  }

  private Set<String> reservations() throws IOException {
    Path d = data.resolve("dnet");
    if (!Files.isDirectory(d)) {
      return Set.of();
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> !n.equals("lock") && !n.startsWith("last_"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"})
  void lifecycleAtEveryVersion(String v) throws IOException {
    String c =
        conf(
            v,
            "\"ranges\":[[{\"subnet\":\"10.60.0.0/24\"}],[{\"subnet\":\"fd00:60::/64\"}]],"
                + "\"routes\":[{\"dst\":\"0.0.0.0/0\"}]");
    CniOutcome add = call("ADD", "ctr", c);
    assertThat(add.exit()).as(add.stdout() + add.stderr()).isZero();
    Map<String, Object> r = add.json();
    assertThat(r.get("cniVersion")).isEqualTo(v);
    assertThat(r).doesNotContainKey("interfaces");
    if (v.startsWith("0.1") || v.startsWith("0.2")) {
      assertThat(Json.writeString(r.get("ip4")))
          .contains(
              "\"ip\":\"10.60.0.2/24\"", "\"gateway\":\"10.60.0.1\"", "\"dst\":\"0.0.0.0/0\"");
      assertThat(Json.writeString(r.get("ip6"))).contains("\"ip\":\"fd00:60::2/64\"");
    } else {
      List<?> ips = (List<?>) r.get("ips");
      assertThat(ips).hasSize(2);
      @SuppressWarnings("unchecked")
      Map<String, Object> ip0 = (Map<String, Object>) ips.get(0);
      assertThat(ip0.get("address")).isEqualTo("10.60.0.2/24");
      assertThat(ip0.get("gateway")).isEqualTo("10.60.0.1");
      assertThat(ip0).doesNotContainKey("interface");
      if (v.startsWith("0.")) {
        assertThat(ip0.get("version")).isEqualTo("4");
      } else {
        assertThat(ip0).doesNotContainKey("version");
      }
      assertThat(Json.writeString(r.get("routes"))).isEqualTo("[{\"dst\":\"0.0.0.0/0\"}]");
    }
    assertThat(reservations()).containsExactly("10.60.0.2", "fd00:60::2");
    if (!v.startsWith("0.1") && !v.startsWith("0.2") && !v.startsWith("0.3")) {
      CniOutcome check =
          call("CHECK", "ctr", c.replace("}}", "},\"prevResult\":" + add.stdout().strip() + "}"));
      assertThat(check.exit()).as(check.stdout()).isZero();
      assertThat(call("CHECK", "other", c).exit()).isNotZero();
    }
    assertThat(call("ADD", "ctr", c).exit()).isNotZero(); // duplicate
    CniOutcome del = call("DEL", "ctr", c);
    assertThat(del.exit()).as(del.stdout()).isZero();
    assertThat(reservations()).isEmpty();
    // containerd's second DEL: no netns, no prevResult
    assertThat(call("DEL", "ctr", "eth0", "", c).exit()).isZero();
    assertThat(call("DEL", "ctr", "eth0", null, c).exit()).isZero();
  }

  @Test
  void gcAndStatusAt110() throws IOException {
    String c = conf("1.1.0", "\"subnet\":\"10.61.0.0/24\"");
    for (String id : List.of("a", "b", "c")) {
      assertThat(call("ADD", id, c).exit()).isZero();
    }
    // without the list GC refuses: it must not read "no list" as "nothing is valid"
    CniOutcome none = call("GC", null, null, null, c);
    assertThat(none.exit()).isNotZero();
    assertThat(none.json()).containsEntry("code", 7L);
    assertThat((String) none.json().get("msg"))
        .startsWith("cni.dev/valid-attachments: required for GC");
    assertThat(reservations()).hasSize(3);
    // libcni 1.2.0-1.2.2 sends only the old key
    String old =
        c.replace(
            "}}",
            "},\"cni.dev/attachments\":[{\"containerID\":\"a\",\"ifname\":\"eth0\"},"
                + "{\"containerID\":\"b\",\"ifname\":\"eth0\"}]}");
    assertThat(call("GC", null, null, null, old).exit()).isZero();
    assertThat(reservations()).containsExactly("10.61.0.2", "10.61.0.3");
    String gc =
        c.replace(
            "}}", "},\"cni.dev/valid-attachments\":[{\"containerID\":\"b\",\"ifname\":\"eth0\"}]}");
    CniOutcome r = call("GC", null, null, null, gc);
    assertThat(r.exit()).as(r.stdout() + r.stderr()).isZero();
    assertThat(reservations()).containsExactly("10.61.0.3");
    // null (what Go marshals for an empty list) means nothing is valid
    assertThat(
            call("GC", null, null, null, c.replace("}}", "},\"cni.dev/valid-attachments\":null}"))
                .exit())
        .isZero();
    assertThat(reservations()).isEmpty();
    assertThat(call("STATUS", null, null, null, c).exit()).isZero();
    Files.writeString(data.resolve("blocker"), "x");
    CniOutcome bad =
        call(
            "STATUS",
            null,
            null,
            null,
            c.replace(
                "\"dataDir\":\"" + data + "\"", "\"dataDir\":\"" + data.resolve("blocker") + "\""));
    assertThat(bad.exit()).isNotZero();
    assertThat(bad.json()).containsEntry("code", 50L);
  }

  @Test
  void anUnusableDataDirIsDescribedInWordsNamingThePath() throws Exception {
    String c = conf("1.1.0", "\"subnet\":\"10.62.0.0/24\"");
    Files.writeString(data.resolve("blocker"), "x");
    String blocked =
        c.replace(
            "\"dataDir\":\"" + data + "\"", "\"dataDir\":\"" + data.resolve("blocker") + "\"");
    CniOutcome status = call("STATUS", null, null, null, blocked);
    assertThat(status.json()).containsEntry("code", 50L);
    assertThat((String) status.json().get("details"))
        .isEqualTo(data.resolve("blocker/dnet") + ": not a directory")
        .doesNotContain("Exception");
    CniOutcome add = call("ADD", "a", blocked);
    assertThat(add.exit()).isNotZero();
    assertThat((String) add.json().get("msg"))
        .contains(data.resolve("blocker").toString())
        .doesNotContain("Exception")
        .doesNotContain("java.");
  }

  @Test
  void configErrorsAreCode7NamingTheKey() {
    CniOutcome r =
        call(
            "ADD",
            "a",
            conf(
                "1.0.0",
                "\"ranges\":[[{\"subnet\":\"10.62.0.0/24\"},{\"subnet\":\"fd00::/64\"}]]"));
    assertThat(r.exit()).isNotZero();
    assertThat(r.json()).containsEntry("code", 7L);
    assertThat((String) r.json().get("msg")).startsWith("ipam.ranges[0]: mixed address families");
    r = call("ADD", "a", "{\"cniVersion\":\"1.0.0\",\"name\":\"dnet\",\"type\":\"host-local\"}");
    assertThat(r.json()).containsEntry("code", 7L);
    assertThat((String) r.json().get("msg")).contains("ipam");
    r =
        call(
            "ADD", "a", conf("1.0.0", "\"subnet\":\"10.62.0.0/24\"").replace("\"dnet\"", "\"..\""));
    assertThat(r.exit()).isNotZero();
    assertThat(r.json()).containsEntry("code", 7L);
    assertThat(r.stdout()).doesNotContain("Exception");
  }
}
