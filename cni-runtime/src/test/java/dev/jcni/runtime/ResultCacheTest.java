package dev.jcni.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.spec.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The result cache in libcni's format: golden bytes, reading Go-written entries, enumeration rules.
 */
class ResultCacheTest {
  static final String GO_CID = "5f1e6f3c0d2a";

  @TempDir Path cacheDir;

  static byte[] resource(String name) throws IOException {
    try (InputStream in = ResultCacheTest.class.getResourceAsStream("/runtime/" + name)) {
      if (in == null) {
        throw new IOException("missing test resource " + name);
      }
      return in.readAllBytes();
    }
  }

  /** The attachment described by the fixtures. */
  static RuntimeConf goAttachment() {
    return new RuntimeConf(
        GO_CID,
        "/var/run/netns/cni-5f1e6f3c",
        "eth0",
        List.of(
            Map.entry("IgnoreUnknown", "1"),
            Map.entry("K8S_POD_NAMESPACE", "default"),
            Map.entry("K8S_POD_NAME", "web-0")),
        Json.parseObject(
            "{\"portMappings\":[{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"tcp\"}]}"));
  }

  static Map<String, Object> goResult() {
    // deliberately not in sorted key order: the writer must sort like Go
    return Json.parseObject(
        "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"cni0\",\"mac\":\"0a:58:0a:58:00:01\"},"
            + "{\"name\":\"veth9a3b1c2d\",\"mac\":\"6e:4f:2b:9c:11:07\"},{\"name\":\"eth0\",\"mac\":\"0a:58:0a:58:00:05\","
            + "\"sandbox\":\"/var/run/netns/cni-5f1e6f3c\"}],\"ips\":[{\"interface\":2,\"address\":\"10.88.0.5/16\","
            + "\"gateway\":\"10.88.0.1\"}],\"routes\":[{\"dst\":\"0.0.0.0/0\"}],\"dns\":{}}");
  }

  static void install(Path cacheDir, String fixture, String fileName) throws IOException {
    Files.createDirectories(cacheDir.resolve("results"));
    Files.write(cacheDir.resolve("results").resolve(fileName), resource(fixture));
  }

  @Test
  void writesExactlyWhatLibcniWrites() throws IOException {
    ResultCache cache = new ResultCache(cacheDir);
    cache.write("gonet", goAttachment(), resource("gonet.conflist"), goResult());
    Path file = cacheDir.resolve("results/gonet-" + GO_CID + "-eth0");
    assertThat(new String(Files.readAllBytes(file), StandardCharsets.UTF_8))
        .isEqualTo(new String(resource("libcni-main-cache.json"), StandardCharsets.UTF_8));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(cacheDir.resolve("results"))))
        .isEqualTo("rwx------");
    // no temp file left behind anywhere
    try (var s = Files.list(cacheDir)) {
      assertThat(s).containsExactly(cacheDir.resolve("results"));
    }
  }

  @Test
  void omitsEmptyOptionalFieldsLikeGo() {
    byte[] b =
        ResultCache.encode(
            "n",
            RuntimeConf.of("c", "", "eth0"),
            "{}".getBytes(StandardCharsets.UTF_8),
            Map.of("cniVersion", "1.0.0"));
    assertThat(new String(b, StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"kind\":\"cniCacheV1\",\"containerId\":\"c\",\"config\":\"e30=\",\"ifName\":\"eth0\","
                + "\"networkName\":\"n\",\"result\":{\"cniVersion\":\"1.0.0\"}}");
  }

  @Test
  void enumeratesALibcniWrittenEntry() throws IOException {
    install(cacheDir, "libcni-main-cache.json", "gonet-" + GO_CID + "-eth0");
    List<CachedAttachment> all = new ResultCache(cacheDir).attachments("");
    assertThat(all).hasSize(1);
    CachedAttachment a = all.get(0);
    assertThat(a.containerId()).isEqualTo(GO_CID);
    assertThat(a.network()).isEqualTo("gonet");
    assertThat(a.ifname()).isEqualTo("eth0");
    assertThat(a.netns()).isEqualTo("/var/run/netns/cni-5f1e6f3c");
    assertThat(a.config()).isEqualTo(resource("gonet.conflist"));
    assertThat(a.cniArgs())
        .containsExactly(
            new AbstractMap.SimpleImmutableEntry<>("IgnoreUnknown", "1"),
            new AbstractMap.SimpleImmutableEntry<>("K8S_POD_NAMESPACE", "default"),
            new AbstractMap.SimpleImmutableEntry<>("K8S_POD_NAME", "web-0"));
    assertThat(Json.writeString(a.capabilityArgs()))
        .isEqualTo(
            "{\"portMappings\":[{\"containerPort\":80,\"hostPort\":8080,\"protocol\":\"tcp\"}]}");
    assertThat(a.runtimeConf()).isEqualTo(goAttachment().withCapabilityArgs(a.capabilityArgs()));
  }

  @Test
  void readsALibcni112EntryWithoutNetns() throws IOException {
    install(cacheDir, "libcni-1.1.2-cache.json", "gonet-" + GO_CID + "-eth0");
    List<CachedAttachment> all = new ResultCache(cacheDir).attachments(GO_CID);
    assertThat(all).singleElement().satisfies(a -> assertThat(a.netns()).isEmpty());
  }

  @Test
  void enumerationFiltersLikeLibcni() throws IOException {
    ResultCache cache = new ResultCache(cacheDir);
    Map<String, Object> r = Map.of("cniVersion", "1.0.0");
    cache.write("net", RuntimeConf.of("abc", "/x", "eth0"), new byte[0], r);
    cache.write("net", RuntimeConf.of("abc", "/x", "eth1"), new byte[0], r);
    cache.write("net", RuntimeConf.of("ab", "/x", "eth0"), new byte[0], r);
    cache.write("other", RuntimeConf.of("abc", "/x", "eth0"), new byte[0], r);
    // legacy entries, garbage and entries without ifName/networkName are skipped
    Files.writeString(
        cacheDir.resolve("results/net-abc-eth9"), "{\"cniVersion\":\"0.4.0\",\"ips\":[]}");
    Files.writeString(cacheDir.resolve("results/net-abc-eth8"), "{not json");
    Files.writeString(
        cacheDir.resolve("results/net-abc-eth7"),
        "{\"kind\":\"cniCacheV1\",\"containerId\":\"abc\",\"networkName\":\"net\"}");
    // a file whose content names another container is skipped when filtering
    Files.writeString(
        cacheDir.resolve("results/net-abc-eth6"),
        "{\"kind\":\"cniCacheV1\",\"containerId\":\"zzz\",\"ifName\":\"eth6\",\"networkName\":\"net\"}");
    assertThat(cache.attachments("abc"))
        .extracting(a -> a.network() + "/" + a.containerId() + "/" + a.ifname())
        .containsExactly("net/abc/eth0", "net/abc/eth1", "other/abc/eth0");
    assertThat(cache.attachments("ab"))
        .extracting(a -> a.network() + "/" + a.containerId() + "/" + a.ifname())
        .containsExactly("net/ab/eth0");
    assertThat(cache.attachments("")).hasSize(5);
    assertThat(new ResultCache(cacheDir.resolve("nope")).attachments("")).isEmpty();
  }

  @Test
  void pathNeedsAllThreeParts() {
    ResultCache cache = new ResultCache(cacheDir);
    assertThat(cache.path("n", "c", "eth0")).isEqualTo(cacheDir.resolve("results/n-c-eth0"));
    assertThatThrownBy(() -> cache.path("n", "", "eth0"))
        .hasMessageContaining("cache file path requires");
    cache.delete("n", RuntimeConf.of("", "", "eth0")); // no error
  }

  @Test
  void readsResultsAtTheListVersion() throws IOException {
    install(cacheDir, "libcni-main-cache.json", "gonet-" + GO_CID + "-eth0");
    ResultCache cache = new ResultCache(cacheDir);
    Map<String, Object> at100 = cache.readResult("gonet", "1.0.0", goAttachment());
    assertThat(at100).containsEntry("cniVersion", "1.0.0");
    assertThat(Json.writeString(at100.get("ips")))
        .contains("10.88.0.5/16")
        .doesNotContain("\"version\"");
    Map<String, Object> at040 = cache.readResult("gonet", "0.4.0", goAttachment());
    assertThat(at040).containsEntry("cniVersion", "0.4.0");
    assertThat(Json.writeString(at040.get("ips"))).contains("\"version\":\"4\"");
    assertThat(cache.readResult("gonet", "1.0.0", RuntimeConf.of("other", "", "eth0"))).isNull();
    assertThatThrownBy(() -> cache.readResult("gonet", "7.0.0", goAttachment()))
        .hasMessageContaining("failed to convert cached result to config version \"7.0.0\"");
  }

  @Test
  void readsALegacyRawResultEntry() throws IOException {
    install(cacheDir, "legacy-raw-result.json", "old-c1-eth0");
    Map<String, Object> r =
        new ResultCache(cacheDir).readResult("old", "1.0.0", RuntimeConf.of("c1", "", "eth0"));
    assertThat(r).containsEntry("cniVersion", "1.0.0");
    assertThat(Json.writeString(r.get("ips"))).contains("10.1.2.3/24");
    assertThat(new ResultCache(cacheDir).attachments("")).isEmpty();
  }

  @Test
  void corruptEntryIsAnErrorForReaders() throws IOException {
    Files.createDirectories(cacheDir.resolve("results"));
    Files.writeString(cacheDir.resolve("results/n-c-eth0"), "{\"kind\":\"cniCacheV1\",\"result\":");
    assertThatThrownBy(
            () ->
                new ResultCache(cacheDir).readResult("n", "1.0.0", RuntimeConf.of("c", "", "eth0")))
        .hasMessageContaining("cached");
  }

  @Test
  void cachedConfigGivesBackBytesAndRuntimeArgs() throws IOException {
    install(cacheDir, "libcni-main-cache.json", "gonet-" + GO_CID + "-eth0");
    ResultCache.CachedConfig c =
        new ResultCache(cacheDir).readConfig("gonet", RuntimeConf.of(GO_CID, "", "eth0"));
    assertThat(c.config()).isEqualTo(resource("gonet.conflist"));
    assertThat(c.runtimeConf().args()).hasSize(3);
    assertThat(c.runtimeConf().capabilityArgs()).containsKey("portMappings");
  }
}
