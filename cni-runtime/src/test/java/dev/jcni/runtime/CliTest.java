package dev.jcni.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.spec.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code jcni} command line, run as a function. */
class CliTest {
  @TempDir Path tmp;
  Path confDir;
  Path cacheDir;
  Path record;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() throws IOException {
    confDir = Files.createDirectories(tmp.resolve("net.d"));
    cacheDir = tmp.resolve("cache");
    record = tmp.resolve("calls.jsonl");
    Files.writeString(
        confDir.resolve("10-demo.conflist"),
        "{\"cniVersion\":\"1.1.0\",\"name\":\"demo\",\"plugins\":["
            + "{\"type\":\"jcni-test-recorder\",\"record\":"
            + Json.writeString(record.toString())
            + ",\"ip\":\"10.77.0.2/24\",\"capabilities\":{\"portMappings\":true}}]}");
  }

  int jcni(String... args) {
    out.reset();
    err.reset();
    List<String> all = new ArrayList<>(List.of(args));
    if (args.length > 0 && !args[0].startsWith("-")) {
      all.addAll(
          List.of(
              "--conf-dir",
              confDir.toString(),
              "--cache-dir",
              cacheDir.toString(),
              "--cni-path",
              tmp.resolve("bin").toString()));
    }
    return Cli.run(
        all.toArray(String[]::new),
        Map.of(),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpAndUsageErrors() {
    assertThat(jcni("--help")).isZero();
    assertThat(stdout())
        .contains("Usage: jcni COMMAND", "add NETWORK NETNS", "--cni-path", "Exit status");
    assertThat(jcni()).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("Usage: jcni");
    assertThat(jcni("frobnicate")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command \"frobnicate\"");
    assertThat(jcni("add", "demo")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: jcni add NETWORK NETNS");
    assertThat(jcni("add", "demo", "x", "--bogus", "1")).isEqualTo(2);
    assertThat(jcni("del", "demo", "x", "--valid", "a/eth0")).isEqualTo(2);
    assertThat(stdout()).isEmpty();
  }

  @Test
  void addCheckDelRoundTrip() throws IOException {
    assertThat(
            jcni(
                "add",
                "demo",
                "/run/netns/jcni-cli-absent",
                "--ifname",
                "net1",
                "--container-id",
                "ctr1",
                "--args",
                "IgnoreUnknown=1;K8S_POD_NAME=p",
                "--cap",
                "{\"portMappings\":[{\"hostPort\":1}]}"))
        .isZero();
    Map<String, Object> result = Json.parseObject(out.toByteArray());
    assertThat(result).containsEntry("cniVersion", "1.1.0");
    assertThat(Json.writeString(result.get("ips"))).contains("10.77.0.2/24");
    assertThat(stdout()).contains("\n    \"ips\": ["); // indented like cnitool
    Recorded add = Recorded.drain(record).get(0);
    assertThat(add.env("CNI_CONTAINERID")).isEqualTo("ctr1");
    assertThat(add.env("CNI_IFNAME")).isEqualTo("net1");
    assertThat(add.env("CNI_ARGS")).isEqualTo("IgnoreUnknown=1;K8S_POD_NAME=p");
    assertThat(Json.writeString(add.stdin().get("runtimeConfig")))
        .isEqualTo("{\"portMappings\":[{\"hostPort\":1}]}");
    assertThat(cacheDir.resolve("results/demo-ctr1-net1")).exists();

    assertThat(jcni("cached", "ctr1")).isZero();
    assertThat(stdout()).contains("\"network\": \"demo\"", "\"ifname\": \"net1\"");

    assertThat(
            jcni(
                "check",
                "demo",
                "/run/netns/jcni-cli-absent",
                "--ifname=net1",
                "--container-id=ctr1"))
        .isZero();
    assertThat(
            jcni(
                "del",
                "demo",
                "/run/netns/jcni-cli-absent",
                "--ifname",
                "net1",
                "--container-id",
                "ctr1"))
        .isZero();
    assertThat(stdout()).isEmpty();
    assertThat(Recorded.drain(record))
        .extracting(Recorded::command)
        .containsExactly("CHECK", "DEL");
    assertThat(cacheDir.resolve("results/demo-ctr1-net1")).doesNotExist();
  }

  @Test
  void defaultsFollowCnitool() throws IOException {
    assertThat(Cli.defaultContainerId("/run/netns/blue")).isEqualTo("cnitool-df26705e2e4ffd095eb1");
    assertThat(Cli.netnsPath("blue")).isEqualTo("/run/netns/blue");
    assertThat(Cli.netnsPath("/var/run/netns/x")).isEqualTo("/var/run/netns/x");
    assertThat(Cli.netnsPath("")).isEmpty();
    assertThat(jcni("add", "demo", "jcni-cli-absent")).isZero();
    Recorded add = Recorded.drain(record).get(0);
    assertThat(add.env("CNI_NETNS")).isEqualTo("/run/netns/jcni-cli-absent");
    assertThat(add.env("CNI_IFNAME")).isEqualTo("eth0");
    assertThat(add.env("CNI_CONTAINERID"))
        .isEqualTo(Cli.defaultContainerId("/run/netns/jcni-cli-absent"));
  }

  @Test
  void environmentFallbacksLikeCnitool() throws IOException {
    out.reset();
    int rc =
        Cli.run(
            new String[] {"add", "demo", "jcni-cli-absent", "--cache-dir", cacheDir.toString()},
            Map.of(
                "NETCONFPATH",
                confDir.toString(),
                "CNI_PATH",
                tmp.toString(),
                "CNI_IFNAME",
                "eth7",
                "CAP_ARGS",
                "{\"portMappings\":[]}",
                "CNI_ARGS",
                "A=B"),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(rc).isZero();
    Recorded add = Recorded.drain(record).get(0);
    assertThat(add.env("CNI_IFNAME")).isEqualTo("eth7");
    assertThat(add.env("CNI_ARGS")).isEqualTo("A=B");
    assertThat(add.env("CNI_PATH")).isEqualTo(tmp.toString());
    assertThat(add.stdin()).containsKey("runtimeConfig");
  }

  @Test
  void failuresPrintCniErrorJson() {
    assertThat(jcni("add", "nonet", "x")).isEqualTo(1);
    Map<String, Object> e = Json.parseObject(out.toByteArray());
    assertThat(e).containsEntry("code", 7L).containsEntry("cniVersion", "1.1.0");
    assertThat((String) e.get("msg")).startsWith("no net configuration with name \"nonet\"");

    assertThat(jcni("add", "demo", "x", "--cap", "{nope")).isEqualTo(1);
    assertThat(Json.parseObject(out.toByteArray())).containsEntry("code", 6L);
    assertThat(jcni("add", "demo", "x", "--args", "novalue")).isEqualTo(1);
    assertThat(Json.parseObject(out.toByteArray())).containsEntry("code", 4L);
    assertThat(jcni("add", "demo", "x", "--container-id", "no/slashes")).isEqualTo(1);
    assertThat(Json.parseObject(out.toByteArray())).containsEntry("code", 4L);
    assertThat(stdout()).doesNotContain("Exception", "\tat ");
    assertThat(jcni("add", "demo", "/bad\u0000path")).isEqualTo(1);
    assertThat(Json.parseObject(out.toByteArray())).containsEntry("code", 999L);
  }

  @Test
  void gcStatusValidate() throws IOException {
    assertThat(jcni("add", "demo", "a", "--container-id", "keep")).isZero();
    assertThat(jcni("add", "demo", "b", "--container-id", "drop")).isZero();
    Recorded.drain(record);
    assertThat(jcni("gc", "demo", "--valid", "keep/eth0")).isZero();
    assertThat(Recorded.drain(record))
        .extracting(r -> r.command() + ":" + r.env("CNI_CONTAINERID"))
        .containsExactly("DEL:drop", "GC:");
    assertThat(cacheDir.resolve("results/demo-keep-eth0")).exists();
    assertThat(jcni("gc", "demo", "--valid", "oops")).isEqualTo(2);

    assertThat(jcni("status", "demo")).isZero();
    assertThat(Recorded.drain(record)).extracting(Recorded::command).containsExactly("STATUS");

    assertThat(jcni("validate", "demo")).isZero();
    Map<String, Object> v = Json.parseObject(out.toByteArray());
    assertThat(v).containsEntry("name", "demo").containsEntry("cniVersion", "1.1.0");
    assertThat(Json.writeString(v.get("plugins")))
        .isEqualTo("[{\"type\":\"jcni-test-recorder\",\"inProcess\":true}]");
    assertThat(Json.writeString(v.get("capabilities"))).isEqualTo("[\"portMappings\"]");
  }

  @Test
  void indentMatchesGoMarshalIndent() {
    assertThat(
            Cli.indent(
                "{\"a\":[1,{\"b\":\"x,y:{\\\"\"}],\"c\":{},\"d\":[]}"
                    .getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(
            "{\n    \"a\": [\n        1,\n        {\n            \"b\": \"x,y:{\\\"\"\n        }\n    ],\n"
                + "    \"c\": {},\n    \"d\": []\n}");
  }
}
