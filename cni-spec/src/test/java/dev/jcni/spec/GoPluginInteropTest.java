package dev.jcni.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.spec.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Byte-for-byte comparison with what the Go reference plugins (Debian v1.1.1 in /usr/lib/cni,
 * libcni v1.0.1) print: host-local ADD results (MarshalIndent) and skel's error objects. host-local
 * only writes to its dataDir (a temp directory here) and never touches a network namespace, so no
 * root is needed.
 */
class GoPluginInteropTest {
  private static final Path HOST_LOCAL = Path.of("/usr/lib/cni/host-local");
  private Path dataDir;

  @BeforeEach
  void setUp() throws IOException {
    Assumptions.assumeTrue(
        Files.isExecutable(HOST_LOCAL), "needs the Go reference plugins in /usr/lib/cni");
    dataDir = Files.createTempDirectory("jcni-spec-interop");
  }

  @AfterEach
  void tearDown() throws IOException {
    if (dataDir != null) {
      try (Stream<Path> s = Files.walk(dataDir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static String run(String stdin, String containerId)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(HOST_LOCAL.toString());
    Map<String, String> env = pb.environment();
    env.put("CNI_COMMAND", "ADD");
    env.put("CNI_CONTAINERID", containerId);
    env.put("CNI_NETNS", "/nonexistent");
    env.put("CNI_IFNAME", "eth0");
    env.put("CNI_PATH", "/usr/lib/cni");
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  private String config(String version, String name) {
    return "{\"cniVersion\":\""
        + version
        + "\",\"name\":\""
        + name
        + "\",\"type\":\"host-local\",\"ipam\":{"
        + "\"type\":\"host-local\",\"dataDir\":\""
        + dataDir
        + "\",\"ranges\":[[{\"subnet\":\"10.22.0.0/24\"}],"
        + "[{\"subnet\":\"fd00:22::/64\"}]],\"routes\":[{\"dst\":\"0.0.0.0/0\"},{\"dst\":\"::/0\"}]}}";
  }

  @Test
  void ourEncodingOfTheirResultIsIdentical() throws Exception {
    int n = 0;
    for (String v : new String[] {"0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0"}) {
      String out = run(config(v, "specnet"), "c" + (n++));
      Map<String, Object> wire = Json.parseObject(out);
      assertThat(wire.get("cniVersion")).isEqualTo(v);
      // the indenter and escaping reproduce Go's MarshalIndent for their key order
      assertThat(new String(Json.writeIndented(wire), StandardCharsets.UTF_8)).isEqualTo(out);
      Result r = ResultCodec.decode(wire, null);
      assertThat(r.ips()).hasSize(2);
      String ours =
          new String(
              Json.writeIndented(ResultCodec.encode(r, CniVersion.parse(v))),
              StandardCharsets.UTF_8);
      if (v.equals("1.0.0")) {
        // libcni >= 1.2 (which we follow) omits the empty dns and sorts 1.x keys; libcni 1.0.1 did
        // neither
        assertThat(Json.parse(ours.getBytes(StandardCharsets.UTF_8))).isEqualTo(withoutDns(wire));
      } else {
        assertThat(ours).isEqualTo(out);
      }
    }
  }

  private static Map<String, Object> withoutDns(Map<String, Object> m) {
    Map<String, Object> copy = new java.util.LinkedHashMap<>(m);
    copy.remove("dns");
    return copy;
  }

  @Test
  void errorObjectsEscapeAsGo() throws Exception {
    String name = "a<b>&c\u00e9\u2028";
    String out = run("{\"cniVersion\":\"1.0.0\",\"name\":\"" + name + "\",\"type\":\"x\"}", "c1");
    ErrorJson e = ErrorJson.decode(out.getBytes(StandardCharsets.UTF_8));
    assertThat(e.code()).isEqualTo(7);
    assertThat(e.details()).isEqualTo(name);
    // libcni's types.Error has no cniVersion; without one our encoding is Go's byte for byte
    ErrorJson noVersion = new ErrorJson(null, e.code(), e.msg(), e.details());
    assertThat(new String(Json.writeIndented(noVersion.toMap()), StandardCharsets.UTF_8))
        .isEqualTo(out);
    // and our own validation reports the same code, message and details
    try {
      Validation.networkName(name);
    } catch (CniException ours) {
      assertThat(ours.code()).isEqualTo(e.toException().code());
      assertThat(ours.msg()).isEqualTo(e.msg());
      assertThat(ours.details()).isEqualTo(e.details());
    }
  }
}
