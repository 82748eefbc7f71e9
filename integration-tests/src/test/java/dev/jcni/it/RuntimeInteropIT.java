package dev.jcni.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.runtime.CniRuntime;
import dev.jcni.runtime.RuntimeConf;
import dev.jcni.spec.NetConfList;
import dev.jcni.spec.Result;
import dev.jcni.spec.json.Json;
import dev.jcni.spec.net.Cidr;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime with the whole plugin set on its class path: jcni's host-local run in-process against
 * Go's host-local (v1.1.1) exec'd from /usr/lib/cni, for the same list. Same results, same on-disk
 * state, and an attachment made by one can be released by the other through the runtime's cache.
 */
class RuntimeInteropIT {
  static final Path GO = Path.of("/usr/lib/cni");

  @TempDir Path tmp;

  CniRuntime runtime(boolean inProcess) {
    return CniRuntime.builder()
        .cniPath(List.of(GO))
        .cacheDir(tmp.resolve("cache"))
        .inProcess(inProcess)
        .environment(Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")))
        .stderr(new PrintStream(OutputStream.nullOutputStream()))
        .build();
  }

  NetConfList list(Path dataDir) {
    return NetConfList.parse(
        ("{\"cniVersion\":\"1.0.0\",\"name\":\"interop\",\"plugins\":[{\"type\":\"host-local\","
                + "\"ipam\":{\"type\":\"host-local\",\"ranges\":[[{\"subnet\":\"10.230.4.0/24\"}],[{\"subnet\":"
                + "\"fd00:230:4::/64\"}]],\"routes\":[{\"dst\":\"0.0.0.0/0\"}],\"dataDir\":"
                + Json.writeString(dataDir.toString())
                + "}}]}")
            .getBytes(StandardCharsets.UTF_8));
  }

  static Map<String, String> files(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.isRegularFile(p) && !p.getFileName().toString().equals("lock")) {
          out.put(dir.relativize(p).toString(), Files.readString(p));
        }
      }
    }
    return out;
  }

  @Test
  void jcniHostLocalInProcessMatchesGoHostLocalExecd() throws IOException {
    Assumptions.assumeTrue(
        Files.isExecutable(GO.resolve("host-local")), "needs Go host-local in /usr/lib/cni");
    CniRuntime java = runtime(true);
    CniRuntime go = runtime(false);
    assertThat(java.runsInProcess("host-local")).isTrue();
    Path javaData = tmp.resolve("java-ipam");
    Path goData = tmp.resolve("go-ipam");
    for (String cid : List.of("pod-a", "pod-b", "pod-c")) {
      RuntimeConf att = RuntimeConf.of(cid, "/run/netns/jcni-interop-absent", "eth0");
      Result rj = java.addNetworkList(list(javaData), att);
      Result rg = go.addNetworkList(list(goData), att);
      assertThat(rj).isEqualTo(rg);
    }
    assertThat(files(javaData))
        .isEqualTo(files(goData))
        .containsKeys("interop/10.230.4.4", "interop/fd00:230:4::4");

    // hand over: Go allocated pod-a's addresses in goData; jcni's host-local releases them through
    // a DEL that
    // takes its prevResult from the cache the Go-backed ADD wrote
    RuntimeConf a = RuntimeConf.of("pod-a", "/run/netns/jcni-interop-absent", "eth0");
    assertThat(java.cachedResult(list(goData), a).ips()).hasSize(2);
    java.delNetworkList(list(goData), a);
    assertThat(files(goData))
        .doesNotContainKeys("interop/10.230.4.2", "interop/fd00:230:4::2")
        .containsKey("interop/10.230.4.3");
    // and the next Go allocation continues after the last reserved address, as with Go alone
    Result next =
        go.addNetworkList(
            list(goData), RuntimeConf.of("pod-d", "/run/netns/jcni-interop-absent", "eth0"));
    assertThat(next.ips())
        .extracting(Result.IpConfig::address)
        .containsExactly(Cidr.parse("10.230.4.5/24"), Cidr.parse("fd00:230:4::5/64"));
  }
}
