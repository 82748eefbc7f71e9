package dev.jcni.plugins.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcni.plugins.bridge.NodeHarness;
import dev.jcni.spec.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A runtime that execs plugins with {@code LC_ALL=C} (or no locale) and a non-ASCII CNI_IFNAME: the
 * plugin runs as a real process ({@code java ... dev.jcni.api.Main}, as the launchers run it) in a
 * node namespace of ours. Before the fix the JVM decoded the environment as ASCII: bridge made
 * {@code \ufffd\ufffdth0}, answered exit 0, and host-local recorded the garbled name, so a DEL
 * under a UTF-8 locale leaked the address.
 */
class NonAsciiIfnameProcessTest {
  static final String IFNAME = "éth0";

  NodeHarness h;

  @BeforeEach
  void setUp() {
    assumeTrue(NodeHarness.ROOT, "needs root: creates network namespaces");
    // the test hands the child UTF-8 bytes: it needs a JVM that encodes child environments and argv
    // as UTF-8
    assumeTrue(
        dev.jcni.api.ProcessEnv.jvmIsUtf8(),
        "the test JVM must run under a UTF-8 locale (LANG=C.UTF-8)");
    h = new NodeHarness("jrl");
  }

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  record Out(int exit, String stdout, String stderr) {
    @SuppressWarnings("unchecked")
    Map<String, Object> json() {
      return (Map<String, Object>) Json.parse(stdout.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * The plugin as a process in the node namespace, with exactly these locale variables and CNI_*.
   */
  Out exec(String locale, String command, String netns, String ifname, String conf)
      throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "ip",
                "netns",
                "exec",
                h.node,
                "env",
                "-i",
                "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                locale,
                "CNI_COMMAND=" + command,
                "CNI_CONTAINERID=jrl-ctr",
                "CNI_NETNS=" + netns,
                "CNI_IFNAME=" + ifname,
                "CNI_PATH=" + NodeHarness.GO_CNI,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xlog:disable",
                "-Xlog:all=warning:stderr",
                "-cp",
                System.getProperty("java.class.path"),
                "-Djcni.plugin=bridge",
                "dev.jcni.api.Main"));
    Process p = new ProcessBuilder(cmd).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(conf.getBytes(StandardCharsets.UTF_8));
    }
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread t = new Thread(() -> drain(p.getErrorStream(), err));
    t.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = p.waitFor();
    t.join();
    return new Out(rc, out, err.toString(StandardCharsets.UTF_8));
  }

  private static void drain(InputStream in, ByteArrayOutputStream to) {
    try {
      in.transferTo(to);
    } catch (IOException e) {
      // process gone
    }
  }

  String conf() {
    return "{\"cniVersion\":\"1.0.0\",\"name\":\"jrlnet\",\"type\":\"bridge\",\"bridge\":\"jrl0\",\"isGateway\":true,"
        + "\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.233.0.0/24\",\"dataDir\":\""
        + h.dataDir
        + "\"}}";
  }

  @Test
  @SuppressWarnings("unchecked")
  void
      nonAsciiIfnameUnderTheCLocaleIsTheRuntimesBytesInTheKernelAndInIpamAndDelUnderUtf8ReleasesIt()
          throws Exception {
    String pod = h.pod("a");
    Out add = exec("LC_ALL=C", "ADD", pod, IFNAME, conf());
    assertThat(add.exit()).as(add.stdout() + add.stderr()).isZero();
    List<Map<String, Object>> ifs = (List<Map<String, Object>>) add.json().get("interfaces");
    assertThat(ifs.get(2)).containsEntry("name", IFNAME).containsEntry("sandbox", pod);
    // the kernel's name, as bytes: ip prints it raw
    assertThat(h.inPod(pod, "ip", "-o", "link", "show", "dev", IFNAME))
        .contains(": " + IFNAME + "@");
    assertThat(h.inPod(pod, "ip", "-o", "addr", "show", "dev", IFNAME)).contains("10.233.0.");
    // host-local's reservation names the same bytes
    List<String> held = h.reservations("jrlnet");
    assertThat(held).hasSize(1);
    assertThat(Files.readAllBytes(h.dataDir.resolve("jrlnet").resolve(held.get(0))))
        .isEqualTo(("jrl-ctr\r\n" + IFNAME).getBytes(StandardCharsets.UTF_8));

    Out del = exec("LC_ALL=C.UTF-8", "DEL", pod, IFNAME, conf());
    assertThat(del.exit()).as(del.stdout() + del.stderr()).isZero();
    assertThat(h.reservations("jrlnet")).isEmpty();
    assertThat(h.inPod(pod, "ip", "-o", "link", "show")).doesNotContain(IFNAME);
  }

  @Test
  void theKernelsLimitIsFifteenBytesNotCharacters() throws Exception {
    String pod = h.pod("b");
    // 8 characters, 16 bytes: Go's skel refuses it (len() counts bytes) with code 4, so do we,
    // before anything
    Out add = exec("LC_ALL=C", "ADD", pod, "éééééééé", conf());
    assertThat(add.exit()).isEqualTo(1);
    assertThat(add.json())
        .containsEntry("code", 4L)
        .containsEntry("msg", "interface name is too long");
    assertThat(h.inNode("ip", "-o", "link", "show")).doesNotContain("jrl0");
    // exactly 15 bytes is fine
    Out ok = exec("LANG=", "ADD", pod, "ééééééé0", conf());
    assertThat(ok.exit()).as(ok.stdout() + ok.stderr()).isZero();
    assertThat(h.inPod(pod, "ip", "-o", "link", "show")).contains(": ééééééé0@");
    assertThat(exec("LANG=", "DEL", pod, "ééééééé0", conf()).exit()).isZero();
    assertThat(h.reservations("jrlnet")).isEmpty();
  }
}
