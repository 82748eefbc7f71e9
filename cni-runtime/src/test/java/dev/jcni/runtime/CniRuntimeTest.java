package dev.jcni.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.api.Attachment;
import dev.jcni.spec.CniException;
import dev.jcni.spec.NetConfList;
import dev.jcni.spec.Result;
import dev.jcni.spec.json.Json;
import dev.jcni.spec.net.Cidr;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chain semantics of {@link CniRuntime} (libcni's AddNetworkList & co.) with in-process recorder
 * plugins.
 */
class CniRuntimeTest {
  // a path that does not exist, so the dispatcher's "CNI_NETNS is my own netns" guard has nothing
  // to compare
  static final String NETNS = "/run/netns/jcni-rtest-absent";
  static final String REC = "jcni-test-recorder";

  @TempDir Path tmp;
  Path record;
  Path cacheDir;
  Path bin;
  CniRuntime rt;
  ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() throws IOException {
    record = tmp.resolve("calls.jsonl");
    cacheDir = tmp.resolve("cache");
    bin = Files.createDirectories(tmp.resolve("bin"));
    rt =
        CniRuntime.builder()
            .cniPath(List.of(bin))
            .cacheDir(cacheDir)
            .environment(Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")))
            .stderr(new PrintStream(stderr, true, StandardCharsets.UTF_8))
            .build();
  }

  /** A list of recorder plugins; {@code extra[i]} is spliced into plugin i's object. */
  NetConfList list(String version, String flags, String... extra) {
    StringBuilder b =
        new StringBuilder(
            "{\"cniVersion\":\"" + version + "\",\"name\":\"chain\"" + flags + ",\"plugins\":[");
    char tag = 'a';
    for (int i = 0; i < extra.length; i++, tag++) {
      if (i > 0) {
        b.append(',');
      }
      b.append("{\"type\":\"")
          .append(REC)
          .append("\",\"record\":")
          .append(Json.writeString(record.toString()))
          .append(",\"tag\":\"")
          .append(tag)
          .append('"')
          .append(extra[i].isEmpty() ? "" : "," + extra[i])
          .append('}');
    }
    return NetConfList.parse(b.append("]}").toString().getBytes(StandardCharsets.UTF_8));
  }

  NetConfList threeStep(String version) {
    return threeStep(version, "");
  }

  NetConfList threeStep(String version, String flags) {
    return list(
        version,
        flags,
        "\"name\":\"own-name\",\"cniVersion\":\"0.3.1\",\"ip\":\"10.0.0.2/24\","
            + "\"capabilities\":{\"portMappings\":true,\"bandwidth\":false}",
        "\"ip\":\"10.0.0.3/24\"",
        "\"capabilities\":{\"bandwidth\":true,\"mac\":true}");
  }

  static RuntimeConf attachment(String cid) {
    return new RuntimeConf(
        cid,
        NETNS,
        "eth0",
        List.of(Map.entry("IgnoreUnknown", "1"), Map.entry("K8S_POD_NAME", "web-" + cid)),
        Json.parseObject(
            "{\"portMappings\":[{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"tcp\"}],"
                + "\"bandwidth\":{\"ingressRate\":1000},\"ips\":[\"10.0.0.9/24\"]}"));
  }

  List<Recorded> calls() throws IOException {
    return Recorded.drain(record);
  }

  Path cacheFile(String cid) {
    return cacheDir.resolve("results/chain-" + cid + "-eth0");
  }

  static List<String> ips(Map<String, Object> wireResult) {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> ips = (List<Map<String, Object>>) wireResult.get("ips");
    return ips.stream().map(m -> (String) m.get("address")).toList();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> prevResult(Recorded r) {
    return (Map<String, Object>) r.stdin().get("prevResult");
  }

  @Test
  void addRunsInOrderThreadingPrevResultAndInjectingKeys() throws IOException {
    Result r = rt.addNetworkList(threeStep("1.0.0"), attachment("c1"));

    assertThat(r.ips())
        .extracting(Result.IpConfig::address)
        .containsExactly(Cidr.parse("10.0.0.2/24"), Cidr.parse("10.0.0.3/24"));
    assertThat(r.cniVersion().toString()).isEqualTo("1.0.0");
    List<Recorded> calls = calls();
    assertThat(calls).extracting(Recorded::tag).containsExactly("a", "b", "c");
    assertThat(calls).extracting(Recorded::command).containsOnly("ADD");

    Map<String, Object> a = calls.get(0).stdin();
    assertThat(a)
        .containsEntry("name", "chain")
        .containsEntry("cniVersion", "1.0.0")
        .doesNotContainKey("prevResult");
    assertThat(Json.writeString(a.get("runtimeConfig")))
        .isEqualTo(
            "{\"portMappings\":[{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"tcp\"}]}");
    assertThat(a).containsKey("capabilities"); // libcni keeps it

    Map<String, Object> b = calls.get(1).stdin();
    assertThat(b).doesNotContainKey("runtimeConfig");
    assertThat(ips(prevResult(calls.get(1)))).containsExactly("10.0.0.2/24");

    Map<String, Object> c = calls.get(2).stdin();
    assertThat(Json.writeString(c.get("runtimeConfig")))
        .isEqualTo("{\"bandwidth\":{\"ingressRate\":1000}}");
    assertThat(ips(prevResult(calls.get(2)))).containsExactly("10.0.0.2/24", "10.0.0.3/24");

    Recorded first = calls.get(0);
    assertThat(first.env("CNI_COMMAND")).isEqualTo("ADD");
    assertThat(first.env("CNI_CONTAINERID")).isEqualTo("c1");
    assertThat(first.env("CNI_NETNS")).isEqualTo(NETNS);
    assertThat(first.env("CNI_IFNAME")).isEqualTo("eth0");
    assertThat(first.env("CNI_ARGS")).isEqualTo("IgnoreUnknown=1;K8S_POD_NAME=web-c1");
    assertThat(first.env("CNI_PATH")).isEqualTo(bin.toString());

    // cached only now, in libcni's format, with the final result
    Map<String, Object> cached = Json.parseObject(Files.readAllBytes(cacheFile("c1")));
    assertThat(cached)
        .containsEntry("kind", "cniCacheV1")
        .containsEntry("containerId", "c1")
        .containsEntry("networkName", "chain")
        .containsEntry("ifName", "eth0")
        .containsEntry("netns", NETNS);
    assertThat(ips(castMap(cached.get("result")))).containsExactly("10.0.0.2/24", "10.0.0.3/24");
    assertThat(rt.cachedResult(threeStep("1.0.0"), attachment("c1"))).isEqualTo(r);
  }

  @Test
  void capabilitiesCanBeStrippedAsTheSpecAsks() throws IOException {
    CniRuntime strict =
        CniRuntime.builder()
            .cniPath(List.of(bin))
            .cacheDir(cacheDir)
            .stripCapabilities(true)
            .environment(Map.of())
            .build();
    strict.addNetworkList(threeStep("1.0.0"), attachment("c1"));
    List<Recorded> calls = calls();
    assertThat(calls).allSatisfy(r -> assertThat(r.stdin()).doesNotContainKey("capabilities"));
    // runtimeConfig is still filtered by the declared capabilities
    assertThat(Json.writeString(calls.get(0).stdin().get("runtimeConfig")))
        .contains("portMappings");
  }

  @Test
  void failedAddStopsTheChainAndCachesNothing() throws IOException {
    NetConfList l =
        list(
            "1.0.0",
            "",
            "\"ip\":\"10.0.0.2/24\"",
            "\"fail\":{\"ADD\":{\"code\":117,\"msg\":\"no room\"}}",
            "");
    assertThatThrownBy(() -> rt.addNetworkList(l, attachment("c1")))
        .isInstanceOf(CniException.class)
        .satisfies(t -> assertThat(((CniException) t).code()).isEqualTo(117))
        .hasMessage("plugin type=\"" + REC + "\" failed (add): no room");
    assertThat(calls()).extracting(Recorded::tag).containsExactly("a", "b");
    assertThat(cacheFile("c1")).doesNotExist();
  }

  @Test
  void delRunsInReverseWithTheCachedResultThenRemovesIt() throws IOException {
    NetConfList l = threeStep("1.0.0");
    rt.addNetworkList(l, attachment("c1"));
    calls();
    rt.delNetworkList(l, attachment("c1"));
    List<Recorded> calls = calls();
    assertThat(calls).extracting(Recorded::tag).containsExactly("c", "b", "a");
    assertThat(calls).extracting(Recorded::command).containsOnly("DEL");
    for (Recorded r : calls) {
      assertThat(ips(prevResult(r))).containsExactly("10.0.0.2/24", "10.0.0.3/24");
      assertThat(r.stdin()).containsEntry("name", "chain").containsEntry("cniVersion", "1.0.0");
    }
    assertThat(Json.writeString(calls.get(2).stdin().get("runtimeConfig")))
        .contains("portMappings");
    assertThat(cacheFile("c1")).doesNotExist();

    // a repeated DEL still runs every plugin, now without prevResult
    rt.delNetworkList(l, attachment("c1"));
    assertThat(calls())
        .hasSize(3)
        .allSatisfy(r -> assertThat(r.stdin()).doesNotContainKey("prevResult"));
  }

  @Test
  void delBelow040SendsNoPrevResult() throws IOException {
    NetConfList l = threeStep("0.3.1");
    rt.addNetworkList(l, attachment("c1"));
    assertThat(cacheFile("c1")).exists();
    calls();
    rt.delNetworkList(l, attachment("c1"));
    assertThat(calls())
        .hasSize(3)
        .allSatisfy(r -> assertThat(r.stdin()).doesNotContainKey("prevResult"));
    assertThat(cacheFile("c1")).doesNotExist();
  }

  @Test
  void aCorruptOrUnconvertibleCacheNeverBlocksDel() throws IOException {
    NetConfList l = threeStep("1.0.0");
    for (String bad :
        List.of(
            "{\"kind\":\"cniCacheV1\",\"result\":{",
            "\u0000\u0001garbage",
            "{\"kind\":\"cniCacheV1\",\"containerId\":\"c1\",\"ifName\":\"eth0\",\"networkName\":\"chain\","
                + "\"result\":{\"cniVersion\":\"0.5.0\",\"ips\":[]}}")) {
      Files.createDirectories(cacheFile("c1").getParent());
      Files.writeString(cacheFile("c1"), bad);
      rt.delNetworkList(l, attachment("c1"));
      assertThat(calls()).extracting(Recorded::tag).containsExactly("c", "b", "a");
      assertThat(cacheFile("c1")).doesNotExist();
    }
    // CHECK, in contrast, reports it
    Files.writeString(cacheFile("c1"), "\u0000garbage");
    assertThatThrownBy(() -> rt.checkNetworkList(l, attachment("c1")))
        .hasMessageStartingWith("failed to get network \"chain\" cached result");
  }

  @Test
  void delStopsAtTheFirstErrorAndKeepsTheCache() throws IOException {
    NetConfList l = list("1.0.0", "", "", "\"fail\":{\"DEL\":{\"code\":11,\"msg\":\"busy\"}}", "");
    rt.addNetworkList(l, attachment("c1"));
    calls();
    assertThatThrownBy(() -> rt.delNetworkList(l, attachment("c1")))
        .hasMessage("plugin type=\"" + REC + "\" failed (delete): busy")
        .satisfies(t -> assertThat(((CniException) t).code()).isEqualTo(11));
    assertThat(calls()).extracting(Recorded::tag).containsExactly("c", "b");
    assertThat(cacheFile("c1")).exists();
  }

  @Test
  void checkRunsForwardWithTheCachedResult() throws IOException {
    NetConfList l = threeStep("1.1.0");
    rt.addNetworkList(l, attachment("c1"));
    calls();
    rt.checkNetworkList(l, attachment("c1"));
    List<Recorded> calls = calls();
    assertThat(calls).extracting(Recorded::tag).containsExactly("a", "b", "c");
    assertThat(calls).extracting(Recorded::command).containsOnly("CHECK");
    assertThat(calls)
        .allSatisfy(
            r -> assertThat(ips(prevResult(r))).containsExactly("10.0.0.2/24", "10.0.0.3/24"));
  }

  @Test
  void checkIsRefusedBelow040AndSkippedWhenDisabled() throws IOException {
    assertThatThrownBy(() -> rt.checkNetworkList(threeStep("0.3.1"), attachment("c1")))
        .hasMessage("configuration version \"0.3.1\" does not support the CHECK command")
        .satisfies(t -> assertThat(((CniException) t).code()).isEqualTo(1));
    rt.checkNetworkList(threeStep("1.0.0", ",\"disableCheck\":true"), attachment("c1"));
    assertThat(calls()).isEmpty();
  }

  @Test
  void gcDeletesStaleAttachmentsFromTheCacheThenSendsGc() throws IOException {
    NetConfList l = threeStep("1.1.0");
    rt.addNetworkList(l, attachment("keep"));
    RuntimeConf stale =
        new RuntimeConf(
            "stale",
            "/run/netns/jcni-rtest-other",
            "eth0",
            List.of(Map.entry("K8S_POD_NAME", "old")),
            Map.of("bandwidth", Map.of("egressRate", 5)));
    rt.addNetworkList(l, stale);
    calls();

    rt.gcNetworkList(l, List.of(new Attachment("keep", "eth0")));

    List<Recorded> calls = calls();
    assertThat(calls)
        .extracting(r -> r.command() + ":" + r.tag())
        .containsExactly("DEL:c", "DEL:b", "DEL:a", "GC:a", "GC:b", "GC:c");
    // the synthetic DEL is rebuilt from the cache
    Recorded del = calls.get(0);
    assertThat(del.env("CNI_CONTAINERID")).isEqualTo("stale");
    assertThat(del.env("CNI_NETNS")).isEqualTo("/run/netns/jcni-rtest-other");
    assertThat(del.env("CNI_ARGS")).isEqualTo("K8S_POD_NAME=old");
    assertThat(Json.writeString(del.stdin().get("runtimeConfig")))
        .isEqualTo("{\"bandwidth\":{\"egressRate\":5}}");
    assertThat(prevResult(del)).isNotNull();
    // GC: attachment env empty, both keys, no runtimeConfig/prevResult
    for (Recorded gc : calls.subList(3, 6)) {
      assertThat(gc.env("CNI_CONTAINERID")).isEmpty();
      assertThat(gc.env("CNI_NETNS")).isEmpty();
      assertThat(gc.env("CNI_IFNAME")).isEmpty();
      assertThat(gc.env("CNI_ARGS")).isEmpty();
      assertThat(gc.env("CNI_PATH")).isEqualTo(bin.toString());
      Map<String, Object> in = gc.stdin();
      assertThat(Json.writeString(in.get("cni.dev/valid-attachments")))
          .isEqualTo("[{\"containerID\":\"keep\",\"ifname\":\"eth0\"}]");
      assertThat(in.get("cni.dev/attachments")).isEqualTo(in.get("cni.dev/valid-attachments"));
      assertThat(in)
          .doesNotContainKeys("runtimeConfig", "prevResult")
          .containsEntry("name", "chain");
    }
    assertThat(cacheFile("stale")).doesNotExist();
    assertThat(cacheFile("keep")).exists();
  }

  @Test
  void gcWithoutValidListRemovesEveryAttachmentOfThisNetworkOnly() throws IOException {
    NetConfList l = threeStep("1.1.0");
    rt.addNetworkList(l, attachment("x1"));
    // an attachment of another network in the same cache is left alone
    NetConfList other =
        NetConfList.parse(
            ("{\"cniVersion\":\"1.1.0\",\"name\":\"other\",\"plugins\":[{\"type\":\""
                    + REC
                    + "\"}]}")
                .getBytes(StandardCharsets.UTF_8));
    rt.addNetworkList(other, attachment("x2"));
    calls();
    rt.gcNetworkList(l, null);
    List<Recorded> calls = calls();
    assertThat(calls)
        .extracting(r -> r.command() + ":" + r.tag())
        .containsExactly("DEL:c", "DEL:b", "DEL:a", "GC:a", "GC:b", "GC:c");
    assertThat(calls.get(3).stdin())
        .doesNotContainKeys("cni.dev/valid-attachments", "cni.dev/attachments");
    assertThat(rt.cachedAttachments(""))
        .extracting(CachedAttachment::network)
        .containsExactly("other");
  }

  @Test
  void gcBelow110OnlyDeletesStaleAttachments() throws IOException {
    NetConfList l = threeStep("1.0.0");
    rt.addNetworkList(l, attachment("x1"));
    calls();
    rt.gcNetworkList(l, List.of());
    assertThat(calls()).extracting(Recorded::command).containsExactly("DEL", "DEL", "DEL");
  }

  @Test
  void gcContinuesPastErrorsAndReportsThemAll() throws IOException {
    NetConfList l =
        list(
            "1.1.0",
            "",
            "\"fail\":{\"GC\":{\"code\":117,\"msg\":\"first\"}}",
            "\"fail\":{\"GC\":{\"code\":118,\"msg\":\"second\"}}",
            "");
    assertThatThrownBy(() -> rt.gcNetworkList(l, List.of()))
        .satisfies(
            t -> {
              CniException e = (CniException) t;
              assertThat(e.code()).isEqualTo(117);
              assertThat(e.msg())
                  .contains("failed to GC plugin " + REC + ": first")
                  .contains("failed to GC plugin " + REC + ": second");
              assertThat(e.getSuppressed()).hasSize(2);
            });
    assertThat(calls()).extracting(Recorded::tag).containsExactly("a", "b", "c");
  }

  @Test
  void disableGcMakesGcANoOp() throws IOException {
    NetConfList l = threeStep("1.1.0", ",\"disableGC\":true");
    rt.addNetworkList(l, attachment("x1"));
    calls();
    rt.gcNetworkList(l, List.of());
    assertThat(calls()).isEmpty();
    assertThat(cacheFile("x1")).exists();
  }

  @Test
  void statusIsReadyBelow110AndOtherwiseStopsAtTheFirstError() throws IOException {
    rt.statusNetworkList(threeStep("1.0.0"));
    assertThat(calls()).isEmpty();
    rt.statusNetworkList(threeStep("1.1.0"));
    List<Recorded> calls = calls();
    assertThat(calls)
        .extracting(r -> r.command() + ":" + r.tag())
        .containsExactly("STATUS:a", "STATUS:b", "STATUS:c");
    assertThat(calls.get(0).stdin())
        .containsEntry("name", "chain")
        .containsEntry("cniVersion", "1.1.0")
        .doesNotContainKey("runtimeConfig");
    assertThat(calls.get(0).env("CNI_CONTAINERID")).isEmpty();

    NetConfList l =
        list("1.1.0", "", "", "\"fail\":{\"STATUS\":{\"code\":50,\"msg\":\"no IPs left\"}}", "");
    assertThatThrownBy(() -> rt.statusNetworkList(l))
        .hasMessage("no IPs left")
        .satisfies(t -> assertThat(((CniException) t).code()).isEqualTo(50));
    assertThat(calls()).extracting(Recorded::tag).containsExactly("a", "b");
  }

  @Test
  void validateChecksEveryPluginAndItsVersions() {
    NetConfList ok =
        NetConfList.parse(
            ("{\"cniVersion\":\"1.0.0\",\"name\":\"v\",\"plugins\":[{\"type\":\""
                    + REC
                    + "\",\"capabilities\":{\"portMappings\":true,\"mac\":false}},{\"type\":\"jcni-test-old\","
                    + "\"capabilities\":{\"bandwidth\":true,\"portMappings\":true}}]}")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(rt.validateNetworkList(ok)).containsExactly("portMappings", "bandwidth");

    NetConfList bad =
        NetConfList.parse(
            ("{\"cniVersion\":\"1.1.0\",\"name\":\"v\",\"plugins\":[{\"type\":\""
                    + "jcni-test-old\"},{\"type\":\"no-such-plugin\"}]}")
                .getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> rt.validateNetworkList(bad))
        .hasMessageContaining("plugin jcni-test-old does not support config version \"1.1.0\"")
        .hasMessageContaining("failed to find plugin \"no-such-plugin\" in path [" + bin + "]");
    assertThat(rt.versionInfo(REC).supportedVersions()).contains("0.1.0", "1.1.0");
  }

  @Test
  void attachmentArgumentsAreValidatedBeforeAnythingRuns() throws IOException {
    NetConfList l = threeStep("1.0.0");
    assertThatThrownBy(() -> rt.addNetworkList(l, RuntimeConf.of("bad/id", NETNS, "eth0")))
        .satisfies(t -> assertThat(((CniException) t).code()).isEqualTo(4));
    assertThatThrownBy(() -> rt.addNetworkList(l, RuntimeConf.of("", NETNS, "eth0")))
        .satisfies(t -> assertThat(((CniException) t).code()).isEqualTo(3));
    assertThatThrownBy(
            () -> rt.delNetworkList(l, RuntimeConf.of("c1", NETNS, "much-too-long-ifname")))
        .satisfies(t -> assertThat(((CniException) t).code()).isEqualTo(4));
    NetConfList badName =
        NetConfList.parse(
            ("{\"cniVersion\":\"1.0.0\",\"name\":\"../x\",\"plugins\":[{\"type\":\""
                    + REC
                    + "\",\"record\":"
                    + Json.writeString(record.toString())
                    + "}]}")
                .getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> rt.addNetworkList(badName, attachment("c1")))
        .satisfies(t -> assertThat(((CniException) t).code()).isEqualTo(7));
    assertThat(calls()).isEmpty();
    assertThat(cacheDir).doesNotExist();
  }

  @Test
  void aCacheWrittenByLibcniDrivesDel() throws IOException {
    // the fixture's conflist uses recorder plugins; rewrite it so they record into our file
    String conf =
        new String(ResultCacheTest.resource("gonet.conflist"), StandardCharsets.UTF_8)
            .replace(
                "\"tag\": \"a\"",
                "\"tag\": \"a\", \"record\": " + Json.writeString(record.toString()))
            .replace(
                "\"tag\": \"b\"",
                "\"tag\": \"b\", \"record\": " + Json.writeString(record.toString()));
    NetConfList l = NetConfList.parse(conf.getBytes(StandardCharsets.UTF_8));
    ResultCacheTest.install(
        cacheDir, "libcni-main-cache.json", "gonet-" + ResultCacheTest.GO_CID + "-eth0");
    RuntimeConf go = rt.cachedAttachments(ResultCacheTest.GO_CID).get(0).runtimeConf();
    assertThat(rt.cachedResult(l, go).ips())
        .extracting(Result.IpConfig::address)
        .containsExactly(Cidr.parse("10.88.0.5/16"));
    rt.delNetworkList(l, go);
    List<Recorded> calls = calls();
    assertThat(calls).extracting(Recorded::tag).containsExactly("b", "a");
    assertThat(ips(prevResult(calls.get(0)))).containsExactly("10.88.0.5/16");
    assertThat(calls.get(0).env("CNI_ARGS"))
        .isEqualTo("IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-0");
    assertThat(Json.writeString(calls.get(0).stdin().get("runtimeConfig"))).contains("8080");
    assertThat(rt.cachedAttachments("")).isEmpty();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> castMap(Object o) {
    return (Map<String, Object>) o;
  }
}
