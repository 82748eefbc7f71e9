package dev.jcni.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jcni install} of the packaged tree into scratch directories (never /opt/cni/bin, /opt/jcni
 * or /etc/systemd), called for real: the installed plugins answer through the bin-dir links on the
 * direct path and through a daemon on a scratch socket, an upgrade leaves a call that started on
 * the old tree to finish there, a failed install leaves the running version alone, uninstall
 * removes exactly what was placed. The tree is the node distribution {@code dist/target/jcni} (with
 * {@code runtime/} and {@code VERSION}: {@link Packaged#nodeDist()}); placing examples only when
 * asked is checked on this module's own tree, which holds them.
 */
class InstallIT {
  static Path tree;

  @TempDir Path tmp;

  @BeforeAll
  static void locate() {
    tree = Packaged.nodeDist();
    assertThat(tree.resolve("bin/jcni")).as("run mvn package (dist) first").isExecutable();
    assertThat(tree.resolve("VERSION")).exists();
  }

  record Proc(int exit, String stdout, String stderr) {}

  static Proc run(List<String> cmd, Map<String, String> env, String stdin)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    pb.environment().putAll(env);
    pb.redirectError(ProcessBuilder.Redirect.PIPE);
    Process p = pb.start();
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    byte[] err = new byte[0];
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    return new Proc(p.exitValue(), out, new String(err, StandardCharsets.UTF_8));
  }

  Proc jcni(Path treeDir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(treeDir.resolve("bin/jcni").toString());
    cmd.addAll(List.of(args));
    return run(cmd, Map.of(), "");
  }

  static Proc version(Path exe, Map<String, String> extra) throws Exception {
    Map<String, String> env = new HashMap<>(extra);
    env.put("CNI_COMMAND", "VERSION");
    return run(List.of(exe.toString()), env, "{\"cniVersion\":\"1.0.0\"}");
  }

  /**
   * A second build of the tree: the same files (hard links kept by cp -a) under another VERSION.
   */
  Path copyAs(String version) throws Exception {
    Path t = Files.createDirectories(tmp.resolve("tree-" + version));
    List<String> cmd = new ArrayList<>(List.of("cp", "-a"));
    for (String e : List.of("bin", "libexec", "lib", "runtime")) {
      if (Files.exists(tree.resolve(e))) {
        cmd.add(tree.resolve(e).toString());
      }
    }
    cmd.add(t.toString());
    Proc cp = run(cmd, Map.of(), "");
    assertThat(cp.exit()).as(cp.stderr()).isZero();
    Files.writeString(t.resolve("VERSION"), version + "\n");
    return t;
  }

  static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  static String cmdline(long pid) throws IOException {
    return new String(
            Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8)
        .replace('\0', ' ');
  }

  String ipamConf() {
    return "{\"cniVersion\":\"1.0.0\",\"name\":\"jim2-install\",\"type\":\"jin\",\"ipam\":{\"type\":\"host-local\","
        + "\"subnet\":\"10.250.7.0/24\",\"dataDir\":\""
        + tmp.resolve("jim2-ipam")
        + "\"}}";
  }

  /**
   * A host-local ADD through the bin-dir link, JVM per call; it blocks reading its config from
   * stdin.
   */
  ProcessBuilder ipamAdd(Path exe, String containerId) {
    ProcessBuilder pb = new ProcessBuilder(exe.toString());
    Map<String, String> env = pb.environment();
    env.put("CNI_COMMAND", "ADD");
    env.put("CNI_CONTAINERID", containerId);
    env.put("CNI_NETNS", "/dev/null");
    env.put("CNI_IFNAME", "eth0");
    env.put("CNI_PATH", exe.getParent().toString());
    env.put("JCNI_DIRECT", "1");
    return pb;
  }

  @Test
  void installUpgradeWithARunningCallFailedInstallAndUninstall() throws Exception {
    Path prefix = tmp.resolve("jim2-opt-jcni");
    Path bin = Files.createDirectories(tmp.resolve("jim2-cni-bin"));
    Path units = tmp.resolve("jim2-units");
    Path go = bin.resolve("jim2-go-plugin");
    Files.writeString(go, "\u007fELF stand-in for a Go plugin");
    String v1 = Files.readString(tree.resolve("VERSION")).strip();

    long t0 = System.nanoTime();
    Proc r =
        jcni(
            tree,
            "install",
            "--prefix",
            prefix.toString(),
            "--bin-dir",
            bin.toString(),
            "--types",
            "host-local,loopback,bridge",
            "--no-systemd",
            "--unit-dir",
            units.toString());
    assertThat(r.exit()).as(r.stdout() + r.stderr()).isZero();
    Path b = bin.resolve("host-local");
    Proc first = version(b, Map.of("JCNI_DIRECT", "1"));
    long toFirstCall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    System.out.println("jcni install -> first served call (direct): " + toFirstCall + " ms");
    assertThat(first.exit()).as(first.stderr()).isZero();
    assertThat(first.stdout()).contains("\"supportedVersions\"");

    Path p = prefix.toRealPath();
    assertThat(Files.readSymbolicLink(p.resolve("current"))).isEqualTo(Path.of(v1));
    assertThat(names(bin)).containsExactly("bridge", "host-local", "jim2-go-plugin", "loopback");
    assertThat(Files.readString(go)).isEqualTo("\u007fELF stand-in for a Go plugin");
    assertThat(Files.readSymbolicLink(b)).isEqualTo(p.resolve("current/bin/host-local"));
    // archives re-made for the installed lib/ (the copied ones are for the build's path)
    if (Files.isDirectory(tree.resolve("runtime"))) {
      assertThat(p.resolve(v1 + "/runtime/bin/java")).isExecutable();
      try (Stream<Path> s = Files.list(p.resolve(v1 + "/lib"))) {
        assertThat(s.map(x -> x.getFileName().toString())).anyMatch(n -> n.endsWith(".jsa"));
      }
    }
    assertThat(units.resolve("jcni-daemon.service"))
        .content()
        .contains(
            "ExecStart=" + p.resolve("current/bin/jcni") + " daemon --socket /run/jcni/jcni.sock");

    // a call that started on v1 and waits for its stdin (its config) while v2 is installed: a
    // host-local ADD in a
    // scratch dataDir (it only writes files there)
    Process slow = ipamAdd(b, "jim2-slow").start();
    String slowCmd = "";
    for (int i = 0; i < 600 && !slowCmd.contains("dev.jcni.api.Main"); i++) {
      Thread.sleep(50);
      slowCmd = cmdline(slow.pid());
    }
    // the JVM the launcher picked is the installed tree's own runtime, and its jars are v1's
    if (Files.isDirectory(tree.resolve("runtime"))) {
      assertThat(slowCmd).startsWith(p.resolve(v1 + "/runtime/bin/java").toString());
    }
    assertThat(slowCmd).contains(p.resolve(v1 + "/lib/").toString());

    Path t2 = copyAs(v1 + "-jim22");
    r =
        jcni(
            t2,
            "install",
            "--prefix",
            prefix.toString(),
            "--bin-dir",
            bin.toString(),
            "--types",
            "host-local,loopback,bridge",
            "--no-systemd",
            "--unit-dir",
            units.toString(),
            "--no-archives");
    assertThat(r.exit()).as(r.stdout() + r.stderr()).isZero();
    assertThat(Files.readSymbolicLink(p.resolve("current"))).isEqualTo(Path.of(v1 + "-jim22"));
    try (OutputStream in = slow.getOutputStream()) {
      in.write(ipamConf().getBytes(StandardCharsets.UTF_8));
    }
    String slowOut = new String(slow.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(slow.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(slow.exitValue()).as(slowOut).isZero();
    assertThat(slowOut).contains("\"10.250.7.");
    assertThat(p.resolve(v1)).isDirectory(); // kept as the previous version

    // a new call runs v2
    Process after = ipamAdd(b, "jim2-after").start();
    String afterCmd = "";
    for (int i = 0; i < 600 && !afterCmd.contains("dev.jcni.api.Main"); i++) {
      Thread.sleep(50);
      afterCmd = cmdline(after.pid());
    }
    after.getOutputStream().write(ipamConf().getBytes(StandardCharsets.UTF_8));
    after.getOutputStream().close();
    String afterOut = new String(after.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(after.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(after.exitValue()).as(afterOut).isZero();
    assertThat(afterCmd).contains(p.resolve(v1 + "-jim22/lib/").toString());

    // a failed install (an I/O error half-way through the copy) leaves v2 current and working
    Path t3 = copyAs(v1 + "-jim23");
    List<String> cmd =
        List.of(
            t3.resolve("bin/jcni").toString(),
            "install",
            "--prefix",
            prefix.toString(),
            "--bin-dir",
            bin.toString(),
            "--types",
            "host-local,loopback,bridge",
            "--no-systemd",
            "--unit-dir",
            units.toString(),
            "--no-archives");
    r = run(cmd, Map.of("JCNI_JAVA_OPTS", "-Djcni.install.failAfterFiles=20"), "");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.stderr()).contains("injected fault after 20 files").doesNotContain("Exception");
    assertThat(Files.readSymbolicLink(p.resolve("current"))).isEqualTo(Path.of(v1 + "-jim22"));
    assertThat(names(p)).doesNotContain(v1 + "-jim23").noneMatch(n -> n.startsWith(".staging"));
    Proc still = version(b, Map.of("JCNI_DIRECT", "1"));
    assertThat(still.exit()).as(still.stderr()).isZero();

    // uninstall: exactly what was placed
    r = jcni(t2, "uninstall", "--prefix", prefix.toString(), "--no-systemd");
    assertThat(r.exit()).as(r.stdout() + r.stderr()).isZero();
    assertThat(names(bin)).containsExactly("jim2-go-plugin");
    assertThat(Files.readString(go)).isEqualTo("\u007fELF stand-in for a Go plugin");
    assertThat(prefix).doesNotExist();
    assertThat(names(units)).isEmpty();
  }

  @Test
  void installedPluginsAreServedByADaemonOnAScratchSocket() throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")), "needs root: jcni daemon serves root only");
    Path prefix = tmp.resolve("jim2-opt-jcni");
    Path bin = Files.createDirectories(tmp.resolve("jim2-cni-bin"));
    Proc r =
        jcni(
            tree,
            "install",
            "--prefix",
            prefix.toString(),
            "--bin-dir",
            bin.toString(),
            "--types",
            "host-local",
            "--no-systemd",
            "--no-daemon",
            "--no-archives");
    assertThat(r.exit()).as(r.stdout() + r.stderr()).isZero();
    Path socket = tmp.resolve("jim2-jcni.sock");
    ProcessBuilder pb =
        new ProcessBuilder(
            prefix.resolve("current/bin/jcni").toString(), "daemon", "--socket", socket.toString());
    pb.redirectErrorStream(true).redirectOutput(tmp.resolve("daemon.log").toFile());
    Process daemon = pb.start();
    try {
      long t0 = System.nanoTime();
      Proc v = null;
      while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(120)) {
        v =
            version(
                bin.resolve("host-local"),
                Map.of("JCNI_SOCKET", socket.toString(), "JCNI_SHIM_DEBUG", "1"));
        if (v.stderr().contains("resident")) {
          break;
        }
        Thread.sleep(200);
      }
      assertThat(v.stderr()).contains("jcni-shim: host-local VERSION: resident");
      assertThat(v.exit()).isZero();
      assertThat(v.stdout()).contains("\"supportedVersions\"");
    } finally {
      daemon.destroy();
      if (!daemon.waitFor(60, TimeUnit.SECONDS)) {
        daemon.destroyForcibly();
      }
    }
    r = jcni(tree, "uninstall", "--prefix", prefix.toString(), "--no-systemd");
    assertThat(r.exit()).as(r.stdout() + r.stderr()).isZero();
    assertThat(names(bin)).isEmpty();
  }

  @Test
  void examplesArePlacedOnlyWhenAsked() throws Exception {
    Path tree = Packaged.home(); // this module's tree: the node distribution holds no examples
    assertThat(tree.resolve("libexec/debug")).isExecutable();
    assertThat(tree.resolve("VERSION")).exists();
    Path prefix = tmp.resolve("jim2-opt-jcni");
    Path bin = Files.createDirectories(tmp.resolve("jim2-cni-bin"));
    Proc r =
        jcni(
            tree,
            "install",
            "--prefix",
            prefix.toString(),
            "--bin-dir",
            bin.toString(),
            "--no-systemd",
            "--no-daemon",
            "--no-archives");
    assertThat(r.exit()).as(r.stdout() + r.stderr()).isZero();
    assertThat(names(bin))
        .contains("bridge", "host-local", "loopback", "portmap", "ptp", "vxlan")
        .doesNotContain("debug", "mycni", "fixed-ip");
    r =
        jcni(
            tree,
            "install",
            "--prefix",
            prefix.toString(),
            "--bin-dir",
            bin.toString(),
            "--no-systemd",
            "--no-daemon",
            "--no-archives",
            "--examples");
    assertThat(r.exit()).as(r.stdout() + r.stderr()).isZero();
    assertThat(names(bin)).contains("debug", "mycni", "fixed-ip", "bridge");
    assertThat(jcni(tree, "uninstall", "--prefix", prefix.toString(), "--no-systemd").exit())
        .isZero();
    assertThat(names(bin)).isEmpty();
  }

  @Test
  void launcherPrefersTheTreesRuntimeUnlessJcniJavaHomeIsSet() throws Exception {
    assertThat(tree.resolve("runtime/bin/java")).isExecutable();
    Path launcher = tree.resolve("libexec/host-local");
    Proc own =
        version(
            launcher,
            Map.of(
                "JCNI_JAVA_OPTS",
                "-XshowSettings:properties",
                "JAVA_HOME",
                System.getProperty("java.home")));
    assertThat(own.exit()).isZero();
    assertThat(own.stderr()).contains("java.home = " + tree.resolve("runtime").toRealPath());
    Proc jdk =
        version(
            launcher,
            Map.of(
                "JCNI_JAVA_OPTS",
                "-XshowSettings:properties",
                "JCNI_JAVA_HOME",
                System.getProperty("java.home")));
    assertThat(jdk.exit()).isZero();
    assertThat(jdk.stderr())
        .contains("java.home = " + Path.of(System.getProperty("java.home")).toRealPath());
    assertThat(Files.readString(tree.resolve("runtime/release")))
        .contains("MODULES=\"java.base java.logging jdk.unsupported\"", "JAVA_RUNTIME_VERSION=");
  }

  @Test
  void runtimeHoldsEveryModuleTheJarsNeed() throws Exception {
    assertThat(tree.resolve("runtime/bin/java")).isExecutable();
    List<String> jars;
    try (Stream<Path> s = Files.list(tree.resolve("lib"))) {
      jars = s.filter(x -> x.toString().endsWith(".jar")).map(Path::toString).sorted().toList();
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin/jdeps").toString(),
                "--ignore-missing-deps",
                "--print-module-deps",
                "--multi-release",
                "17",
                // our jars are named modules that require jffi/jnr-ffi by their automatic names
                "--module-path",
                tree.resolve("lib").toString(),
                "--class-path",
                String.join(":", jars)));
    cmd.addAll(jars);
    Proc r = run(cmd, Map.of(), "");
    assertThat(r.exit()).as(r.stderr()).isZero();
    String need =
        r.stdout()
            .lines()
            .filter(l -> l.startsWith("java.") || l.startsWith("jdk."))
            .findFirst()
            .orElse("");
    assertThat(need).isNotEmpty();
    // what the image holds, as jlink recorded it
    String modules =
        Files.readString(tree.resolve("runtime/release"))
            .lines()
            .filter(l -> l.startsWith("MODULES="))
            .findFirst()
            .orElseThrow();
    assertThat(List.of(modules.substring(8).replace("\"", "").split(" ")))
        .containsAll(List.of(need.strip().split(",")));
  }
}
