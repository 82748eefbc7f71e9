package dev.jcni.ipam.staticip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcni.api.Dispatcher;
import dev.jcni.spec.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * static through the real Dispatcher, side by side with Go's static v1.1.1 ({@code
 * /usr/lib/cni/static}): the same config, CNI_ARGS and verb give the same result JSON at every
 * version Go supports (Go's empty {@code "dns":{}} aside), and the same inputs fail in both (ours
 * with code 7/4 and Go's words after the key). static never enters CNI_NETNS, so an empty file
 * stands in for it.
 */
class StaticDispatcherTest {
  static final Path GO = Path.of("/usr/lib/cni/static");

  @TempDir Path tmp;

  record Call(int exit, String stdout, String stderr) {
    Map<String, Object> json() {
      return Json.parseObject(stdout.getBytes(StandardCharsets.UTF_8));
    }

    int code() {
      return ((Number) json().get("code")).intValue();
    }

    String msg() {
      return (String) json().get("msg");
    }
  }

  private Map<String, String> env(String command, String cniArgs) throws IOException {
    Path netns = tmp.resolve("netns");
    if (!Files.exists(netns)) {
      Files.createFile(netns);
    }
    Map<String, String> env = new HashMap<>();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", "jtu-ctr");
    env.put("CNI_NETNS", netns.toString());
    env.put("CNI_IFNAME", "eth0");
    env.put("CNI_PATH", "/usr/lib/cni");
    env.put("CNI_ARGS", cniArgs);
    return env;
  }

  private Call ours(String command, String conf, String cniArgs) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc =
        Dispatcher.run(
            new StaticPlugin(),
            env(command, cniArgs),
            new ByteArrayInputStream(conf.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true),
            new PrintStream(err, true));
    return new Call(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Call go(String command, String conf, String cniArgs) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(GO.toString());
    pb.environment().clear();
    pb.environment().putAll(env(command, cniArgs));
    Process p = pb.start();
    p.getOutputStream().write(conf.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Call(p.waitFor(), out, err);
  }

  /** Go prints an empty {@code "dns":{}} (a non-pointer struct); we leave an empty DNS out. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> normalized(Map<String, Object> m) {
    Object dns = m.get("dns");
    if (dns instanceof Map && ((Map<String, Object>) dns).isEmpty()) {
      m.remove("dns");
    }
    return m;
  }

  private static String conf(String version, String extra, String ipam) {
    return "{\"cniVersion\":\""
        + version
        + "\",\"name\":\"jtu-net\",\"type\":\"bridge\""
        + extra
        + ",\"ipam\":{\"type\":\"static\""
        + ipam
        + "}}";
  }

  private static final String DUAL =
      ",\"addresses\":[{\"address\":\"10.0.0.5/24\",\"gateway\":\"10.0.0.1\"},"
          + "{\"address\":\"FD00::5/64\",\"gateway\":\"fd00::1\"}],\"routes\":[{\"dst\":\"0.0.0.0/0\"},"
          + "{\"dst\":\"fd00:1::/64\",\"gw\":\"fd00::1\"},{\"dst\":\"192.168.7.0/24\",\"gw\":\"10.0.0.254\"}],"
          + "\"dns\":{\"nameservers\":[\"10.0.0.53\",\"fd00::53\"],\"domain\":\"ex\",\"search\":[\"ex\"],"
          + "\"options\":[\"ndots:3\"]}";

  @ParameterizedTest
  @ValueSource(strings = {"0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0"})
  void addEqualsGoAtEveryVersion(String version) throws Exception {
    assumeTrue(Files.isExecutable(GO), "needs Go's static in /usr/lib/cni");
    String c = conf(version, "", DUAL);
    Call ours = ours("ADD", c, "");
    Call go = go("ADD", c, "");
    assertThat(ours.exit()).as(ours.stdout()).isZero();
    assertThat(go.exit()).as(go.stdout()).isZero();
    assertThat(normalized(ours.json())).isEqualTo(normalized(go.json()));
  }

  static List<String[]> precedenceCases() {
    List<String[]> cases = new ArrayList<>();
    String a =
        ",\"addresses\":[{\"address\":\"10.0.0.5/24\",\"gateway\":\"10.0.0.1\"},{\"address\":\"10.1.0.9/16\"}]";
    cases.add(new String[] {"", a, "IP=10.1.0.5/16,10.2.0.5/16;GATEWAY=10.1.0.1"});
    cases.add(
        new String[] {",\"args\":{\"cni\":{\"ips\":[\"10.3.0.5/24\"]}}", a, "IP=10.1.0.5/16"});
    cases.add(
        new String[] {
          ",\"args\":{\"cni\":{\"ips\":[\"10.3.0.5/24\"]}},\"runtimeConfig\":{\"ips\":"
              + "[\"10.4.0.5/24\",\"fd00:4::5/64\"]}",
          a,
          "IP=10.1.0.5/16;GATEWAY=10.1.0.1"
        });
    cases.add(
        new String[] {
          ",\"runtimeConfig\":{\"ips\":[]},\"args\":{\"cni\":{\"ips\":[]}}",
          a,
          "IgnoreUnknown=1;K8S_POD_NAME=p;GATEWAY=10.1.0.254"
        });
    cases.add(new String[] {"", "", "IP=fd00::7/64;GATEWAY=fd00::1"});
    return cases;
  }

  @Test
  void precedenceEqualsGo() throws Exception {
    assumeTrue(Files.isExecutable(GO), "needs Go's static in /usr/lib/cni");
    for (String[] k : precedenceCases()) {
      String c = conf("1.0.0", k[0], k[1]);
      Call ours = ours("ADD", c, k[2]);
      Call go = go("ADD", c, k[2]);
      assertThat(ours.exit()).as(c + " " + k[2] + ": " + ours.stdout()).isZero();
      assertThat(go.exit()).as(c + " " + k[2] + ": " + go.stdout()).isZero();
      assertThat(normalized(ours.json()))
          .as(c + " CNI_ARGS=" + k[2])
          .isEqualTo(normalized(go.json()));
    }
  }

  @Test
  void badInputFailsInBothOursWithTheKeyAndGoWords() throws Exception {
    assumeTrue(Files.isExecutable(GO), "needs Go's static in /usr/lib/cni");
    String[][] cases = {
      {
        conf("1.0.0", "", ",\"addresses\":[{\"address\":\"10.0.0.5\"}]"),
        "",
        "7",
        "ipam.addresses[0].address: "
      },
      {
        conf("1.0.0", "", ",\"addresses\":[{\"address\":\"10.0.0.5/24\",\"gateway\":\"x\"}]"),
        "",
        "7",
        "ipam.addresses[0].gateway: "
      },
      {conf("1.0.0", "", ",\"routes\":[{\"dst\":\"10.0.0.0\"}]"), "", "7", "ipam.routes[0].dst: "},
      {
        conf("1.0.0", ",\"args\":{\"cni\":{\"ips\":[\"10.3.0.5\"]}}", ""),
        "",
        "7",
        "args.cni.ips[0]: "
      },
      {
        conf("1.0.0", ",\"runtimeConfig\":{\"ips\":[\"10.3.0.5\"]}", ""),
        "",
        "7",
        "runtimeConfig.ips[0]: "
      },
      {conf("1.0.0", "", ""), "IP=10.1.0.5", "4", "CNI_ARGS IP: "},
      {conf("1.0.0", "", ""), "IP=10.1.0.5/24;GATEWAY=nope", "4", "CNI_ARGS GATEWAY: "},
      {
        conf(
            "0.2.0",
            "",
            ",\"addresses\":[{\"address\":\"10.0.0.5/24\"},{\"address\":\"10.0.0.6/24\"}]"),
        "",
        "7",
        "ipam.addresses: "
      },
      {"{\"cniVersion\":\"1.0.0\",\"name\":\"jtu-net\",\"type\":\"bridge\"}", "", "7", "ipam: "},
    };
    for (String[] k : cases) {
      Call go = go("ADD", k[0], k[1]);
      Call ours = ours("ADD", k[0], k[1]);
      assertThat(go.exit()).as("Go accepts " + k[0]).isNotZero();
      assertThat(ours.exit()).as(k[0]).isNotZero();
      assertThat(ours.code()).as(ours.stdout()).isEqualTo(Integer.parseInt(k[2]));
      assertThat(ours.msg()).startsWith(k[3]).endsWith(go.msg());
      assertThat(ours.stdout()).doesNotContain("Exception");
    }
  }

  @Test
  void unknownCniArgsFailAsInGo() throws Exception {
    assumeTrue(Files.isExecutable(GO), "needs Go's static in /usr/lib/cni");
    Call go = go("ADD", conf("1.0.0", "", ""), "FOO=1");
    Call ours = ours("ADD", conf("1.0.0", "", ""), "FOO=1");
    assertThat(go.exit()).isNotZero();
    assertThat(go.msg()).contains("FOO=1");
    assertThat(ours.code()).isEqualTo(4);
    assertThat(ours.msg()).contains("FOO=1");
  }

  @Test
  void version110KeepsTheNewRouteFields() throws Exception {
    Call ours =
        ours(
            "ADD",
            conf(
                "1.1.0",
                "",
                ",\"addresses\":[{\"address\":\"10.0.0.5/24\"}],\"routes\":"
                    + "[{\"dst\":\"10.9.0.0/16\",\"gw\":\"10.0.0.1\",\"mtu\":1400,\"advmss\":1360,\"priority\":5,\"table\":100,"
                    + "\"scope\":0}]"),
            "");
    assertThat(ours.exit()).as(ours.stdout()).isZero();
    assertThat(ours.json().get("cniVersion")).isEqualTo("1.1.0");
    assertThat(ours.json().get("routes"))
        .isEqualTo(
            Json.parse(
                "[{\"dst\":\"10.9.0.0/16\",\"gw\":\"10.0.0.1\","
                    + "\"mtu\":1400,\"advmss\":1360,\"priority\":5,\"table\":100,\"scope\":0}]"));
    assertThat(Json.writeString(ours.json().get("ips")))
        .isEqualTo("[{\"address\":\"10.0.0.5/24\"}]");
  }

  @Test
  void delCheckGcStatus() throws Exception {
    String c = conf("1.1.0", "", DUAL);
    // DEL needs nothing, not even a valid config; repeated DEL is fine
    assertThat(ours("DEL", conf("1.0.0", "", ",\"addresses\":[{\"address\":\"bad\"}]"), "").exit())
        .isZero();
    assertThat(ours("DEL", c, "").exit()).isZero();
    Call add = ours("ADD", c, "");
    String prev = add.stdout().trim();
    String head = c.substring(0, c.length() - 1) + ",\"prevResult\":";
    Call check = ours("CHECK", head + prev + "}", "");
    assertThat(check.exit()).as(check.stdout()).isZero();
    // a prevResult without the configured address, or with another gateway, fails CHECK
    Call missing = ours("CHECK", head + prev.replace("10.0.0.5/24", "10.0.0.6/24") + "}", "");
    assertThat(missing.exit()).isNotZero();
    assertThat(missing.msg())
        .isEqualTo("static: address 10.0.0.5/24 not found in prevResult for interface eth0");
    assertThat(prev).contains("\"gateway\":\"10.0.0.1\"");
    Call gw =
        ours(
            "CHECK",
            head + prev.replace("\"gateway\":\"10.0.0.1\"", "\"gateway\":\"10.0.0.2\"") + "}",
            "");
    assertThat(gw.exit()).as(prev).isNotZero();
    assertThat(gw.msg()).isEqualTo("static: Failed to match addr 10.0.0.5 on interface eth0");
    Call noPrev = ours("CHECK", c, "");
    assertThat(noPrev.code()).isEqualTo(7);
    assertThat(noPrev.msg()).startsWith("prevResult: ");
    // GC and STATUS (1.1.0): nothing held, always available
    assertThat(ours("STATUS", c, "").exit()).isZero();
    String gc = c.substring(0, c.length() - 1) + ",\"cni.dev/valid-attachments\":[]}";
    assertThat(ours("GC", gc, "").exit()).isZero();
  }
}
