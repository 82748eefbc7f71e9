package dev.jcni.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.spec.CniException;
import dev.jcni.spec.NetConfList;
import dev.jcni.spec.Result;
import dev.jcni.spec.json.Json;
import dev.jcni.spec.net.Cidr;
import dev.jcni.spec.net.InetAddresses;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executing plugins from CNI_PATH: identical to in-process, libcni's error rules, Go plugins,
 * retries, timeout.
 */
class ExecPathTest {
  static final Path GO_HOST_LOCAL = Path.of("/usr/lib/cni/host-local");
  static final String NETNS = CniRuntimeTest.NETNS;

  @TempDir Path tmp;
  Path bin;
  Path record;
  ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() throws IOException {
    bin = Files.createDirectories(tmp.resolve("bin"));
    record = tmp.resolve("calls.jsonl");
  }

  CniRuntime.Builder runtime(boolean inProcess, String cache) {
    return CniRuntime.builder()
        .cniPath(List.of(bin))
        .cacheDir(tmp.resolve(cache))
        .inProcess(inProcess)
        .environment(Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")))
        .stderr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
  }

  Path script(String name, String body) throws IOException {
    Path p = bin.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  /**
   * The recorder plugin as an executable: a JVM running the same class through the same dispatcher.
   */
  void installRecorderExecutable() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    script(
        CniRuntimeTest.REC,
        "exec '"
            + java
            + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp '"
            + System.getProperty("java.class.path")
            + "' "
            + RecorderPlugin.class.getName());
  }

  NetConfList recorderList(String version) {
    String r = Json.writeString(record.toString());
    return NetConfList.parse(
        ("{\"cniVersion\":\""
                + version
                + "\",\"name\":\"same\",\"plugins\":["
                + "{\"type\":\"jcni-test-recorder\",\"record\":"
                + r
                + ",\"tag\":\"a\",\"ip\":\"10.5.0.2/24\","
                + "\"capabilities\":{\"portMappings\":true}},"
                + "{\"type\":\"jcni-test-recorder\",\"record\":"
                + r
                + ",\"tag\":\"b\",\"ip\":\"fd00:5::2/64\"}]}")
            .getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void execAndInProcessAreIndistinguishable() throws IOException {
    installRecorderExecutable();
    NetConfList l = recorderList("1.0.0");
    RuntimeConf att =
        new RuntimeConf(
            "same1",
            NETNS,
            "eth0",
            List.of(Map.entry("K", "V")),
            Map.of(
                "portMappings",
                List.of(Map.of("hostPort", 80, "containerPort", 8080, "protocol", "tcp"))));

    CniRuntime in = runtime(true, "cache-in").build();
    CniRuntime ex = runtime(false, "cache-ex").build();
    assertThat(in.runsInProcess(CniRuntimeTest.REC)).isTrue();
    assertThat(ex.runsInProcess(CniRuntimeTest.REC)).isFalse();

    Result rIn = in.addNetworkList(l, att);
    in.checkNetworkList(l, att);
    byte[] cacheIn = Files.readAllBytes(tmp.resolve("cache-in/results/same-same1-eth0"));
    in.delNetworkList(l, att);
    List<Recorded> callsIn = Recorded.drain(record);

    Result rEx = ex.addNetworkList(l, att);
    ex.checkNetworkList(l, att);
    byte[] cacheEx = Files.readAllBytes(tmp.resolve("cache-ex/results/same-same1-eth0"));
    ex.delNetworkList(l, att);
    List<Recorded> callsEx = Recorded.drain(record);

    assertThat(rEx).isEqualTo(rIn);
    assertThat(rIn.ips())
        .extracting(Result.IpConfig::address)
        .containsExactly(Cidr.parse("10.5.0.2/24"), Cidr.parse("fd00:5::2/64"));
    assertThat(new String(cacheEx, StandardCharsets.UTF_8))
        .isEqualTo(new String(cacheIn, StandardCharsets.UTF_8));
    assertThat(callsIn).hasSize(6);
    assertThat(callsEx).isEqualTo(callsIn); // same verbs, order, CNI_* env and stdin bytes
  }

  @Test
  void pluginErrorsAreReadWithLibcniRules() throws IOException {
    script(
        "err-json",
        "cat >/dev/null; echo '{\"code\":117,\"msg\":\"bad thing\",\"details\":\"more\"}'; exit 1");
    script("err-stderr", "echo oops >&2; exit 3");
    script("err-none", "exit 2");
    script("err-garbage", "echo 'not json'; exit 1");
    CniRuntime rt = runtime(true, "cache").build();
    assertThatThrownBy(
            () ->
                rt.addNetworkList(single("err-json", "1.0.0"), RuntimeConf.of("c", NETNS, "eth0")))
        .isInstanceOfSatisfying(
            CniException.class,
            e -> {
              assertThat(e.code()).isEqualTo(117);
              assertThat(e.msg()).isEqualTo("plugin type=\"err-json\" failed (add): bad thing");
              assertThat(e.details()).isEqualTo("more");
            });
    assertThatThrownBy(
            () ->
                rt.delNetworkList(
                    single("err-stderr", "1.0.0"), RuntimeConf.of("c", NETNS, "eth0")))
        .isInstanceOfSatisfying(
            CniException.class,
            e -> {
              assertThat(e.code()).isZero();
              assertThat(e.msg()).endsWith("netplugin failed: \"oops\\n\": exit status 3");
            });
    assertThatThrownBy(() -> rt.statusNetworkList(single("err-none", "1.1.0")))
        .hasMessage("netplugin failed with no error message: exit status 2");
    assertThatThrownBy(() -> rt.statusNetworkList(single("err-garbage", "1.1.0")))
        .hasMessageStartingWith(
            "netplugin failed but error parsing its diagnostic message \"not json\\n\"");
    assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("oops");
  }

  @Test
  void aResultWithoutCniVersionIsTakenAtTheConfigVersion() throws IOException {
    script("noversion", "cat >/dev/null; echo '{\"ips\":[{\"address\":\"10.1.1.1/24\"}]}'");
    Result r =
        runtime(true, "cache")
            .build()
            .addNetworkList(single("noversion", "1.0.0"), RuntimeConf.of("c", NETNS, "eth0"));
    assertThat(r.cniVersion().toString()).isEqualTo("1.0.0");
    assertThat(r.ips())
        .extracting(Result.IpConfig::address)
        .containsExactly(Cidr.parse("10.1.1.1/24"));
    script("badversion", "cat >/dev/null; echo '{\"cniVersion\":\"0.5.0\",\"ips\":[]}'");
    assertThatThrownBy(
            () ->
                runtime(true, "cache")
                    .build()
                    .addNetworkList(
                        single("badversion", "1.0.0"), RuntimeConf.of("c", NETNS, "eth0")))
        .hasMessageContaining("unsupported CNI result version \"0.5.0\"");
  }

  @Test
  void versionProbeFollowsLibcni() throws IOException {
    script(
        "legacy",
        "cat >/dev/null; echo '{\"code\":4,\"msg\":\"unknown CNI_COMMAND: VERSION\"}'; exit 1");
    script("v020", "cat >/dev/null; echo '{\"cniVersion\":\"0.2.0\"}'");
    script(
        "probe",
        "cat >/dev/null; echo \"{\\\"cniVersion\\\":\\\"1.0.0\\\",\\\"supportedVersions\\\":"
            + "[\\\"$CNI_NETNS\\\",\\\"$CNI_IFNAME\\\",\\\"$CNI_PATH\\\",\\\"$CNI_COMMAND\\\"]}\"");
    CniRuntime rt = runtime(true, "cache").build();
    assertThat(rt.versionInfo("legacy").supportedVersions()).containsExactly("0.1.0");
    assertThat(rt.versionInfo("v020").supportedVersions()).containsExactly("0.1.0", "0.2.0");
    assertThat(rt.versionInfo("probe").supportedVersions())
        .containsExactly("dummy", "dummy", "dummy", "VERSION");
    assertThatThrownBy(() -> rt.validateNetworkList(single("legacy", "0.3.1")))
        .hasMessageContaining("plugin legacy does not support config version \"0.3.1\"");
    rt.validateNetworkList(single("legacy", "")); // "" means 0.1.0
  }

  @Test
  void textFileBusyIsRetried() throws Exception {
    Path p =
        script(
            "busy",
            "cat >/dev/null; echo '{\"cniVersion\":\"1.1.0\",\"supportedVersions\":[\"1.1.0\"]}'");
    CniRuntime rt = runtime(false, "cache").textBusyDelayMillis(250).build();
    try (FileOutputStream writer = new FileOutputStream(p.toFile(), true)) {
      Thread closer =
          new Thread(
              () -> {
                try {
                  Thread.sleep(300);
                  writer.close();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      long t0 = System.nanoTime();
      closer.start();
      assertThat(rt.versionInfo("busy").supportedVersions()).containsExactly("1.1.0");
      closer.join();
      // it could only succeed after the writer closed the file, i.e. after at least one retry
      assertThat(Duration.ofNanos(System.nanoTime() - t0))
          .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
  }

  @Test
  void aHungPluginIsKilledAtTheTimeout() throws IOException {
    script("hang", "exec sleep 60");
    CniRuntime rt = runtime(false, "cache").timeout(Duration.ofMillis(700)).build();
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> rt.statusNetworkList(single("hang", "1.1.0")))
        .hasMessageContaining("timed out");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void pluginsAreFoundInCniPathOrder() throws IOException {
    Path second = Files.createDirectories(tmp.resolve("bin2"));
    Files.writeString(
        second.resolve("only-second"),
        "#!/bin/sh\ncat >/dev/null; echo '{\"cniVersion\":\"1.0.0\","
            + "\"supportedVersions\":[\"9.9.9\"]}'\n");
    Files.setPosixFilePermissions(
        second.resolve("only-second"), PosixFilePermissions.fromString("rwxr-xr-x"));
    CniRuntime rt = runtime(false, "cache").cniPath(List.of(bin, second)).build();
    assertThat(rt.versionInfo("only-second").supportedVersions()).containsExactly("9.9.9");
    assertThatThrownBy(() -> rt.versionInfo("../bin2/only-second"))
        .hasMessageContaining("invalid plugin name");
    assertThatThrownBy(() -> rt.versionInfo("absent"))
        .satisfies(
            t ->
                assertThat(((CniException) t).code())
                    .isEqualTo(999)) // same code as a missing delegate
        .hasMessage("failed to find plugin \"absent\" in path [" + bin + " " + second + "]");
  }

  @Test
  void goHostLocalInAChainWithAnInProcessPlugin() throws IOException {
    Assumptions.assumeTrue(
        Files.isExecutable(GO_HOST_LOCAL), "needs Go host-local in /usr/lib/cni");
    Path dataDir = tmp.resolve("ipam");
    String list =
        "{\"cniVersion\":\"%s\",\"name\":\"gohl\",\"plugins\":[{\"type\":\"host-local\","
            + "\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.252.7.0/24\",\"dataDir\":"
            + Json.writeString(dataDir.toString())
            + "}},{\"type\":\"jcni-test-recorder\",\"record\":"
            + Json.writeString(record.toString())
            + ",\"ip\":\"fd00:7::5/64\"}]}";
    NetConfList l =
        NetConfList.parse(String.format(list, "1.0.0").getBytes(StandardCharsets.UTF_8));
    CniRuntime rt = runtime(true, "cache").cniPath(List.of(GO_HOST_LOCAL.getParent())).build();
    RuntimeConf att = RuntimeConf.of("gohl1", NETNS, "eth0");

    assertThat(rt.validateNetworkList(l)).isEmpty();
    assertThat(rt.versionInfo("host-local").supportedVersions())
        .contains("1.0.0")
        .doesNotContain("1.1.0");

    Result r = rt.addNetworkList(l, att);
    assertThat(r.ips())
        .extracting(Result.IpConfig::address)
        .containsExactly(Cidr.parse("10.252.7.2/24"), Cidr.parse("fd00:7::5/64"));
    assertThat(r.ips().get(0).gateway()).isEqualTo(InetAddresses.parse("10.252.7.1"));
    assertThat(Files.readString(dataDir.resolve("gohl/10.252.7.2"))).startsWith("gohl1");
    List<Recorded> add = Recorded.drain(record);
    assertThat(CniRuntimeTest.ips(CniRuntimeTest.prevResult(add.get(0))))
        .containsExactly("10.252.7.2/24");

    rt.checkNetworkList(l, att); // Go host-local verifies its reservation
    rt.delNetworkList(l, att);
    assertThat(dataDir.resolve("gohl/10.252.7.2")).doesNotExist();
    assertThat(Recorded.drain(record))
        .extracting(Recorded::command)
        .containsExactly("CHECK", "DEL");

    NetConfList newer =
        NetConfList.parse(String.format(list, "1.1.0").getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> rt.validateNetworkList(newer))
        .hasMessageContaining("plugin host-local does not support config version \"1.1.0\"");
    assertThatThrownBy(() -> rt.addNetworkList(newer, att))
        .isInstanceOfSatisfying(
            CniException.class,
            e -> {
              assertThat(e.code()).isEqualTo(1);
              assertThat(e.msg()).startsWith("plugin type=\"host-local\" failed (add): ");
            });
  }

  NetConfList single(String type, String version) {
    return NetConfList.parse(
        ("{\"cniVersion\":\""
                + version
                + "\",\"name\":\"one\",\"plugins\":[{\"type\":\""
                + type
                + "\"}]}")
            .getBytes(StandardCharsets.UTF_8));
  }
}
