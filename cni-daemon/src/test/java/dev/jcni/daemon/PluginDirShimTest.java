package dev.jcni.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.spec.json.Json;
import dev.jcni.testkit.NetnsExtension;
import dev.jcni.testkit.TestNetns;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outside plugins end to end: {@code jcni daemon --plugin-dir} as a child JVM in its own namespace,
 * serving a scratch plugin directory (two entries bundling two versions of the same helper class, a
 * colliding entry, a corrupt jar), called through the real shim ({@code cni-shim/target/jcni-shim},
 * hard-linked as {@code <type>} into a scratch CNI bin dir that has no {@code libexec/}) from a
 * node namespace. Namespaces are {@code jpd-...}.
 */
class PluginDirShimTest {
  @RegisterExtension static final NetnsExtension NETNS = NetnsExtension.withPrefix("jpd-");

  @TempDir Path work;

  static final Path SHIM =
      Path.of(System.getProperty("user.dir")).resolve("../cni-shim/target/jcni-shim").normalize();

  record Proc(int exit, String stdout, String stderr) {
    String all() {
      return "exit " + exit + "\nstdout: " + stdout + "\nstderr: " + stderr;
    }
  }

  private static Proc run(List<String> cmd, Map<String, String> env, String stdin)
      throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("CNI_") || k.startsWith("JCNI_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    CompletableFuture<byte[]> err =
        CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(cmd + " did not finish within 60 s");
    }
    return new Proc(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err.get(), StandardCharsets.UTF_8));
  }

  private static byte[] readAll(InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      return new byte[0];
    }
  }

  /**
   * The shim as {@code <bin>/<type>}: a hard link (a copy across file systems: argv[0] is what
   * counts).
   */
  private static Path shimAs(Path bin, String type) throws IOException {
    Path p = bin.resolve(type);
    try {
      Files.createLink(p, SHIM);
    } catch (IOException | UnsupportedOperationException e) {
      Files.copy(SHIM, p, StandardCopyOption.COPY_ATTRIBUTES);
    }
    return p;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String readLog(Path p) throws IOException {
    return Files.exists(p) ? Files.readString(p) : "";
  }

  private static void await(Path log, String text) throws Exception {
    for (int i = 0; i < 300 && !readLog(log).contains(text); i++) Thread.sleep(50);
    assertThat(readLog(log)).contains(text);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> dns(String resultJson) {
    return (Map<String, Object>) Json.parseObject(resultJson).get("dns");
  }

  @Test
  void outsidePluginsAreServedInTheirOwnLoadersThroughTheShim(TestNetns ns) throws Exception {
    assertThat(SHIM)
        .as(
            "the shim binary (built by the reactor: mvn -pl cni-daemon -am verify builds cni-shim first)")
        .isExecutable();
    Path plugins = PluginJars.standardLayout(work);
    Path missing = work.resolve("jpd-nothing-here");
    Path bin = Files.createDirectories(work.resolve("cnibin"));
    for (String t :
        List.of(
            "jpd-one",
            "jpd-two",
            "jpd-delegating",
            "jpd-zclash",
            "jpd-broken",
            "jpd-three",
            "bridge")) shimAs(bin, t);
    Path socket = work.resolve("jcni.sock");
    Path err = work.resolve("daemon.err");
    String dmn = Path.of(ns.pod("dmn")).getFileName().toString();
    String pod = ns.pod("pod");

    Path tmp =
        Files.createDirectories(
            work.resolve("daemon-tmp")); // where the daemon copies the entries' jars
    Process daemon =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                dmn,
                java(),
                "-XX:+UseSerialGC",
                "-Xmx96m",
                "-Djava.io.tmpdir=" + tmp,
                "-cp",
                System.getProperty("java.class.path"),
                "dev.jcni.runtime.Cli",
                "daemon",
                "--socket",
                socket.toString(),
                "--plugin-dir",
                plugins + ":" + missing)
            .redirectOutput(work.resolve("daemon.out").toFile())
            .redirectError(err.toFile())
            .start();
    try {
      for (int i = 0; i < 300 && !Files.exists(socket) && daemon.isAlive(); i++) Thread.sleep(100);
      assertThat(socket).as(readLog(err)).exists();

      Map<String, String> env =
          new HashMap<>(
              Map.of(
                  "CNI_COMMAND",
                  "ADD",
                  "CNI_CONTAINERID",
                  "jpd-c1",
                  "CNI_NETNS",
                  pod,
                  "CNI_IFNAME",
                  "eth0",
                  "CNI_PATH",
                  bin.toString(),
                  "JCNI_SOCKET",
                  socket.toString(),
                  "JCNI_SHIM_DEBUG",
                  "1"));
      List<String> inNode = List.of("ip", "netns", "exec", ns.nodeName());

      // both entries answer with their own version of jpd.helper.Helper, under their own context
      // loader
      for (String[] c :
          new String[][] {
            {"jpd-one", "helper-1"}, {"jpd-two", "helper-2"}, {"jpd-zclash", "clash"}
          }) {
        String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"jpdnet\",\"type\":\"" + c[0] + "\"}";
        List<String> cmd = new ArrayList<>(inNode);
        cmd.add(bin.resolve(c[0]).toString());
        Proc p = run(cmd, env, conf);
        assertThat(p.exit()).as(p.all()).isZero();
        assertThat(p.stderr()).as(p.all()).contains("jcni-shim: " + c[0] + " ADD: resident");
        assertThat(dns(p.stdout()))
            .as(p.all())
            .containsEntry("domain", c[1])
            .containsEntry("search", List.of("tccl=own", "jackson=hidden"));
      }

      // an entry's plugin delegating to a built-in (jdm-sleep, not in CNI_PATH): in-process, in the
      // daemon
      Path sleepLog = work.resolve("sleep.log");
      List<String> cmd = new ArrayList<>(inNode);
      cmd.add(bin.resolve("jpd-delegating").toString());
      Proc deleg =
          run(
              cmd,
              env,
              "{\"cniVersion\":\"1.0.0\",\"name\":\"jpdnet\",\"type\":\"jpd-delegating\","
                  + "\"log\":\""
                  + sleepLog
                  + "\"}");
      assertThat(deleg.exit()).as(deleg.all()).isZero();
      assertThat(dns(deleg.stdout())).as(deleg.all()).containsEntry("domain", "delegated helper-2");
      assertThat(Files.readAllLines(sleepLog))
          .containsExactly("ADD-start jpd-c1", "ADD-end jpd-c1");

      // bridge is the built-in one (all versions), not the colliding entry's (0.4.0 only)
      cmd = new ArrayList<>(inNode);
      cmd.add(bin.resolve("bridge").toString());
      Map<String, String> version = new HashMap<>(env);
      version.put("CNI_COMMAND", "VERSION");
      Proc v = run(cmd, version, "{\"cniVersion\":\"1.0.0\"}");
      assertThat(v.exit()).as(v.all()).isZero();
      assertThat(v.stderr()).contains("jcni-shim: bridge VERSION: resident");
      assertThat(v.stdout()).contains("\"1.1.0\"", "\"0.1.0\"");

      // the corrupt jar's type is not served: the shim goes direct, finds no launcher, says so
      // (999), exit 1
      cmd = new ArrayList<>(inNode);
      cmd.add(bin.resolve("jpd-broken").toString());
      Proc broken =
          run(cmd, env, "{\"cniVersion\":\"1.0.0\",\"name\":\"jpdnet\",\"type\":\"jpd-broken\"}");
      assertThat(broken.exit()).as(broken.all()).isEqualTo(1);
      assertThat(broken.stderr())
          .contains("jcni-shim: jpd-broken ADD: direct (the daemon does not serve this type)");
      assertThat(broken.stdout())
          .contains("\"code\":999", "cannot run plugin jpd-broken: the daemon did not serve it");

      String log = readLog(err);
      assertThat(log)
          .contains(
              "jpd-zclash ("
                  + plugins.resolve("jpd-zclash.jar")
                  + "): type bridge refused: a built-in plugin serves it"
                  + " (built-in wins)",
              "jpd-zclash ("
                  + plugins.resolve("jpd-zclash.jar")
                  + "): type jpd-one refused: plugin entry jpd-one already"
                  + " serves it",
              "jpd-broken ("
                  + plugins.resolve("jpd-broken.jar")
                  + "): skipped: jpd-broken.jar is not a readable jar",
              "serving jpd-one",
              "serving jpd-delegating, jpd-two",
              "serving jpd-zclash");
      assertThat(log).doesNotContain("Exception");

      // status lists the entries and their types
      Proc status =
          run(
              List.of(
                  java(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  "dev.jcni.runtime.Cli",
                  "daemon",
                  "status",
                  "--socket",
                  socket.toString()),
              Map.of(),
              "");
      assertThat(status.exit()).as(status.all()).isZero();
      assertThat(status.stdout())
          .contains(
              "plugin dirs: " + plugins + ", " + missing + " (missing)\n",
              "  jpd-one  " + plugins.resolve("jpd-one.jar") + ": types jpd-one\n",
              "  jpd-two  "
                  + plugins.resolve("jpd-two")
                  + "/ (2 jars): types jpd-delegating, jpd-two\n",
              "  jpd-zclash  "
                  + plugins.resolve("jpd-zclash.jar")
                  + ": types jpd-zclash (type bridge refused",
              "  jpd-broken  "
                  + plugins.resolve("jpd-broken.jar")
                  + ": skipped: jpd-broken.jar is not a readable jar",
              "jpd-one ADD",
              "jpd-two ADD",
              "bridge VERSION");

      // SIGHUP: a new entry moved into place is served, the others still are
      Path three =
          PluginJars.jar(
              work.resolve("jpd-three.jar"),
              List.of("jpd.three.Three"),
              PluginJars.compile(
                  work,
                  "three",
                  PluginJars.plugin(
                      "jpd.three",
                      "Three",
                      "jpd-three",
                      "\"three\"",
                      "dev.jcni.spec.CniVersion.ALL")));
      Files.move(three, plugins.resolve("jpd-three.jar"), StandardCopyOption.ATOMIC_MOVE);
      assertThat(run(List.of("kill", "-HUP", Long.toString(daemon.pid())), Map.of(), "").exit())
          .isZero();
      await(err, "serving jpd-three");
      for (String[] c : new String[][] {{"jpd-three", "three"}, {"jpd-one", "helper-1"}}) {
        cmd = new ArrayList<>(inNode);
        cmd.add(bin.resolve(c[0]).toString());
        Proc p =
            run(
                cmd,
                env,
                "{\"cniVersion\":\"1.0.0\",\"name\":\"jpdnet\",\"type\":\"" + c[0] + "\"}");
        assertThat(p.stderr()).as(p.all()).contains("jcni-shim: " + c[0] + " ADD: resident");
        assertThat(dns(p.stdout())).as(p.all()).containsEntry("domain", c[1]);
      }
      assertThat(daemon.isAlive()).isTrue();

      // SIGTERM still exits 0 and removes the socket and the copies
      try (var l = Files.list(tmp)) {
        assertThat(l.map(p -> p.getFileName().toString()).toList())
            .singleElement()
            .asString()
            .startsWith("jcni-daemon-plugins-");
      }
      daemon.destroy();
      assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(daemon.exitValue()).as(readLog(err)).isZero();
      assertThat(socket).doesNotExist();
      assertThat(readLog(err)).contains("SIGTERM", "stopped (7 calls served)");
      try (var l = Files.list(tmp)) {
        assertThat(l.toList()).isEmpty();
      }
    } finally {
      daemon.destroyForcibly();
      daemon.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
