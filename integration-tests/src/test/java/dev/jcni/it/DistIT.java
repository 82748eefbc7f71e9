package dev.jcni.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.api.Command;
import dev.jcni.api.Delegate;
import dev.jcni.api.Invocation;
import dev.jcni.spec.NetConf;
import dev.jcni.spec.Result;
import dev.jcni.spec.json.Json;
import dev.jcni.spec.net.Cidr;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the generated executables as real processes (after package: see this module's pom). */
class DistIT {
  static Path dist;

  @TempDir Path tmp;

  record Proc(int exit, String stdout, String stderr) {
    Map<String, Object> json() {
      return Json.parseObject(stdout.getBytes(StandardCharsets.UTF_8));
    }
  }

  @BeforeAll
  static void locate() {
    dist = Packaged.home();
    assertThat(dist.resolve("bin/debug")).as("run mvn package first").isExecutable();
  }

  static Proc run(Path exe, Map<String, String> env, String stdin)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(exe.toString());
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Proc(p.waitFor(), out, err);
  }

  static Map<String, String> env(String command) {
    Map<String, String> env = new HashMap<>();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", "dist-test");
    env.put("CNI_NETNS", "/dev/null");
    env.put("CNI_IFNAME", "eth0");
    env.put("CNI_PATH", dist.resolve("bin").toString());
    return env;
  }

  @Test
  void binHasEveryPluginTypeAndTheCliAndLibHasTheJars() throws IOException {
    assertThat(dist.resolve("bin/mycni")).isExecutable();
    assertThat(dist.resolve("bin/jcni")).isExecutable();
    assertThat(dist.resolve("libexec/mycni")).isExecutable();
    try (var s = Files.list(dist.resolve("lib"))) {
      assertThat(s.map(p -> p.getFileName().toString()).toList())
          .anyMatch(n -> n.startsWith("cni-api-") && n.endsWith(".jar"))
          .anyMatch(n -> n.startsWith("jackson-core-"));
    }
  }

  @Test
  void pluginExecutablesAreTheOneShimAndTheLaunchersLiveInLibexec() throws IOException {
    Path shim = dist.resolve("libexec/jcni-shim");
    assertThat(shim).isExecutable();
    for (String type :
        List.of("debug", "bridge", "host-local", "portmap", "ptp", "loopback", "mycni")) {
      Path exe = dist.resolve("bin").resolve(type);
      assertThat(Files.readAllBytes(exe)).as(type).startsWith(0x7f, 'E', 'L', 'F');
      assertThat(Files.mismatch(exe, shim)).as(type + " is the shim").isEqualTo(-1L);
      assertThat(dist.resolve("libexec").resolve(type))
          .content()
          .as(type)
          .startsWith("#!/bin/sh\n" + Packaged.MARKER);
    }
    // the CLI stays a JVM launcher
    assertThat(dist.resolve("bin/jcni"))
        .content()
        .contains(Packaged.MARKER, "dev.jcni.runtime.Cli");
  }

  @Test
  void theLauncherInLibexecUsesTheClassDataArchiveOfThisJdk() throws Exception {
    String rt =
        System.getProperty("java.runtime.version"); // the release file's JAVA_RUNTIME_VERSION
    org.junit.jupiter.api.Assumptions.assumeTrue(
        rt != null && Files.isRegularFile(dist.resolve("lib/jcni-" + rt + ".jsa")),
        "no AppCDS archive for this JDK in lib/ (built with -Djcni.dist.skipArchives?)");
    Map<String, String> env = new HashMap<>(Map.of("CNI_COMMAND", "VERSION", "JCNI_DIRECT", "1"));
    env.put("JCNI_JAVA_OPTS", "-Xlog:class+load=info:stderr");
    Proc p = run(dist.resolve("bin/debug"), env, "{\"cniVersion\":\"1.0.0\"}");
    assertThat(p.exit()).isZero();
    assertThat(p.stderr()).contains("dev.jcni.api.Dispatcher source: shared objects file");
  }

  @Test
  void versionIsByteForByteWhatLibcniSkelPrints() throws Exception {
    Proc p =
        run(
            dist.resolve("bin/debug"),
            Map.of("CNI_COMMAND", "VERSION"),
            "{\"cniVersion\":\"0.4.0\"}");
    assertThat(p.exit()).isZero();
    assertThat(p.stdout())
        .isEqualTo(
            "{\"cniVersion\":\"1.1.0\",\"supportedVersions\":"
                + "[\"0.1.0\",\"0.2.0\",\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]}\n");
    assertThat(p.stderr()).isEmpty();
  }

  @Test
  void addThroughTheRealExecutableRecordsTheCall() throws Exception {
    Path out = tmp.resolve("calls.jsonl");
    String conf =
        "{\"cniVersion\":\"1.0.0\",\"name\":\"dist\",\"type\":\"debug\",\"cniOutput\":\""
            + out
            + "\"}";
    Proc p = run(dist.resolve("bin/debug"), env("ADD"), conf);
    assertThat(p.exit()).as(p.stdout() + p.stderr()).isZero();
    assertThat(p.json()).containsEntry("cniVersion", "1.0.0");
    assertThat(Files.readAllLines(out)).hasSize(1).allMatch(l -> l.contains("\"command\":\"ADD\""));
  }

  @Test
  void errorsAreOneJsonObjectOnStdoutAndExitOne() throws Exception {
    Proc bad = run(dist.resolve("bin/debug"), env("ADD"), "{not json");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.json()).containsEntry("code", 6L).containsKey("cniVersion");
    Proc missing = run(dist.resolve("bin/mycni"), Map.of("CNI_COMMAND", "ADD"), "{}");
    assertThat(missing.json()).containsEntry("code", 4L);
    Proc version =
        run(dist.resolve("bin/debug"), env("ADD"), "{\"cniVersion\":\"0.9.0\",\"name\":\"n\"}");
    assertThat(version.json()).containsEntry("code", 1L);
    Proc check =
        run(dist.resolve("bin/debug"), env("CHECK"), "{\"cniVersion\":\"0.3.1\",\"name\":\"n\"}");
    assertThat(check.json()).containsEntry("code", 1L);
  }

  @Test
  void worksSymlinkedOrCopiedElsewhereAndTheNamePicksThePlugin() throws Exception {
    Path link = tmp.resolve("debug");
    Files.createSymbolicLink(link, dist.resolve("bin/debug"));
    Path copy = Files.createDirectories(tmp.resolve("copy/bin")).resolve("mycni");
    Files.copy(dist.resolve("bin/debug"), copy, StandardCopyOption.COPY_ATTRIBUTES);
    Path unknown = tmp.resolve("nosuch");
    Files.copy(dist.resolve("bin/debug"), unknown, StandardCopyOption.COPY_ATTRIBUTES);
    Map<String, String> version = Map.of("CNI_COMMAND", "VERSION");
    // a symlink: the shim finds ../libexec/<type> beside its real path
    assertThat(run(link, version, "").exit()).isZero();
    // a copy elsewhere finds the launchers through JCNI_HOME, and says where it looked when it is
    // not set
    assertThat(run(copy, Map.of("JCNI_HOME", dist.toString()), "").stderr())
        .startsWith("jcni mycni plugin");
    Proc lost = run(copy, Map.of("CNI_COMMAND", "VERSION"), "");
    assertThat(lost.exit()).isEqualTo(1);
    assertThat(lost.json()).containsEntry("code", 999L);
    assertThat((String) lost.json().get("msg"))
        .contains(copy.getParent() + "/../libexec/mycni", "JCNI_HOME");
    // the shim's name picks the type: one the dist does not have has no launcher either
    Proc u = run(unknown, version, "");
    assertThat(u.exit()).isEqualTo(1);
    assertThat(u.json()).containsEntry("code", 999L);
    assertThat((String) u.json().get("msg")).contains("nosuch");
    Files.delete(link); // not left for @TempDir to warn about
  }

  @Test
  void debugLogGoesToStderrWhenAsked() throws Exception {
    Map<String, String> env = env("DEL");
    env.put("JCNI_LOG", "stderr");
    Proc p = run(dist.resolve("bin/debug"), env, "{\"cniVersion\":\"1.0.0\",\"name\":\"n\"}");
    assertThat(p.exit()).isZero();
    assertThat(p.stdout()).isEmpty();
    assertThat(p.stderr()).contains(" jcni debug DEL containerid=dist-test", "-> ok");
    assertThat(List.of(p.stderr().split("\n"))).hasSize(1);
  }

  @Test
  void delegatingToTheExecutableGivesWhatTheInProcessPluginGives() {
    for (String v : List.of("0.3.1", "0.4.0", "1.0.0", "1.1.0")) {
      String conf =
          "{\"cniVersion\":\""
              + v
              + "\",\"name\":\"d\",\"type\":\"x\",\"ipam\":{\"type\":\"fixed-ip\","
              + "\"address\":\"10.5.0.9/24\",\"gateway\":\"10.5.0.1\"}}";
      Map<String, String> env = env("ADD");
      env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
      env.put("JAVA_HOME", System.getProperty("java.home"));
      java.util.function.Function<Delegate.Strategy, Result> add =
          d ->
              Invocation.builder()
                  .command(Command.ADD)
                  .containerId("dist-test")
                  .netns("/dev/null")
                  .ifname("eth0")
                  .path(List.of(dist.resolve("bin").toString()))
                  .env(env)
                  .config(NetConf.parse(conf.getBytes(StandardCharsets.UTF_8)))
                  .delegation(d)
                  .build()
                  .ipam()
                  .add();
      Result viaExec = add.apply(Delegate.execOnly());
      assertThat(add.apply(Delegate.inProcessOnly())).as(v).isEqualTo(viaExec);
      assertThat(viaExec.ips())
          .extracting(Result.IpConfig::address)
          .containsExactly(Cidr.parse("10.5.0.9/24"));
    }
  }
}
