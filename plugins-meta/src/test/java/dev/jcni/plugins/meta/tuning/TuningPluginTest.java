package dev.jcni.plugins.meta.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.api.Dispatcher;
import dev.jcni.spec.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verbs through the real Dispatcher where no namespace is needed (no root): podman's bare
 * {@code {"type": "tuning"}} passes prevResult through without touching anything, refusals happen
 * before the namespace is opened (the CNI_NETNS given here does not exist), DEL without a saved
 * file is a no-op.
 */
class TuningPluginTest {
  @TempDir Path tmp;

  private Harness.Outcome call(TuningPlugin plugin, String command, String conf) {
    Map<String, String> env =
        new HashMap<>(
            Harness.env(
                command,
                "/nonexistent/jtu-netns",
                "jtu-c",
                "eth0",
                "/usr/lib/cni",
                "IgnoreUnknown=1;K8S_POD_NAME=p"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc =
        Dispatcher.run(
            plugin,
            env,
            new ByteArrayInputStream(conf.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true));
    return new Harness.Outcome(rc, out.toString(StandardCharsets.UTF_8), "");
  }

  private String conf(String body) {
    return "{\"cniVersion\":\"1.0.0\",\"name\":\"jtu-net\",\"type\":\"tuning\",\"dataDir\":"
        + Json.writeString(tmp.resolve("data").toString())
        + body
        + ",\"prevResult\":{\"cniVersion\":\"1.0.0\","
        + "\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\"/nonexistent/jtu-netns\"}],\"ips\":[{\"interface\":0,"
        + "\"address\":\"10.88.0.5/16\",\"gateway\":\"10.88.0.1\"}]}}";
  }

  @Test
  void podmansBareTuningPassesPrevResultThrough() {
    Harness.Outcome o = call(new TuningPlugin(null), "ADD", conf("")).ok();
    assertThat(o.json().get("ips"))
        .isEqualTo(
            Json.parse(
                "[{\"interface\":0,\"address\":\"10.88.0.5/16\"," + "\"gateway\":\"10.88.0.1\"}]"));
    assertThat(tmp.resolve("data")).doesNotExist();
    call(new TuningPlugin(null), "DEL", conf("")).ok();
  }

  @Test
  void refusalsComeBeforeTheNamespaceIsOpened() throws Exception {
    Path allow = tmp.resolve("allowlist.conf");
    Files.writeString(allow, "^net\\.ipv4\\.conf\\.IFNAME\\.[a-z_]*$\n");
    TuningPlugin plugin = new TuningPlugin(allow);
    call(plugin, "ADD", conf(",\"sysctl\":{\"net.core.somaxconn\":\"1\"}"))
        .failed(7, "sysctl \"net.core.somaxconn\": Sysctl net.core.somaxconn is not allowed.");
    call(plugin, "ADD", conf(",\"sysctl\":{\"kernel.shmmax\":\"1\"}"))
        .failed(7, "sysctl \"kernel.shmmax\": invalid net sysctl key");
    call(plugin, "ADD", conf(",\"txQLen\":-1")).failed(7, "txQLen: must not be negative");
    Map<String, String> env =
        Harness.env("ADD", "/nonexistent/jtu-netns", "jtu-c", "eth0", "/usr/lib/cni", "X=1");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Dispatcher.run(
        plugin,
        env,
        new ByteArrayInputStream(conf(",\"mtu\":1400").getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true),
        new PrintStream(new ByteArrayOutputStream(), true));
    new Harness.Outcome(1, out.toString(StandardCharsets.UTF_8), "")
        .failed(4, "CNI_ARGS: unknown args");
    // allowed key, but the namespace does not exist: a plain error, nothing saved
    call(plugin, "ADD", conf(",\"sysctl\":{\"net.ipv4.conf.IFNAME.arp_notify\":\"1\"}"))
        .failed(999, "failed to open netns \"/nonexistent/jtu-netns\"");
    assertThat(tmp.resolve("data")).doesNotExist();
  }

  @Test
  void delWithoutASavedFileOrNamespaceIsANoOpAndRemovesAStaleFile() throws Exception {
    TuningPlugin plugin = new TuningPlugin(null);
    call(plugin, "DEL", conf(",\"mtu\":1400")).ok();
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(data.resolve("jtu-c_eth0.json"), "{\n \"mtu\": 1500\n}");
    call(plugin, "DEL", conf(",\"mtu\":1400"))
        .ok(); // the netns is gone: nothing to restore, the file goes
    assertThat(data.resolve("jtu-c_eth0.json")).doesNotExist();
  }
}
