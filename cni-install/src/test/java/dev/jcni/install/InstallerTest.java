package dev.jcni.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jcni install} / {@code uninstall} on scratch directories with a stand-in tree (shell
 * scripts in place of the shim and the launchers, so no JVM is started): layout, the current link,
 * the bin-dir symlinks, foreign files, upgrade and pruning, a failed copy, the manifest-driven
 * uninstall and the systemd unit. The packaged tree itself is installed and called for real by
 * integration-tests' InstallIT.
 */
class InstallerTest {
  @TempDir Path tmp;
  Path prefix;
  Path binDir;
  Path units;

  @BeforeEach
  void setUp() throws IOException {
    prefix = tmp.resolve("opt-jcni");
    binDir = Files.createDirectories(tmp.resolve("cni-bin"));
    units = tmp.resolve("units");
    // a Go plugin that must survive everything
    Files.writeString(binDir.resolve("jin-go-plugin"), "\u007fELF go plugin stand-in");
  }

  /**
   * A tree like dist's: bin/<type> hard links of libexec/jcni-shim, launchers, lib/ with an
   * archive.
   */
  Path tree(String version, String... types) throws IOException {
    Path t = Files.createDirectories(tmp.resolve("src-" + version));
    Path bin = Files.createDirectories(t.resolve("bin"));
    Path libexec = Files.createDirectories(t.resolve("libexec"));
    Path lib = Files.createDirectories(t.resolve("lib"));
    Files.writeString(t.resolve("VERSION"), version + "\n");
    Files.writeString(lib.resolve("a.jar"), "jar");
    Files.writeString(lib.resolve("jcni-17.0.15.jsa"), "archive for the build location");
    Path shim = libexec.resolve("jcni-shim");
    // answers VERSION like a plugin, naming the tree it runs from
    exec(
        shim,
        "#!/bin/sh\ncat >/dev/null\necho '{\"cniVersion\":\"1.0.0\",\"supportedVersions\":[\"1.0.0\"],\"tree\":\""
            + version
            + "\"}'\n");
    exec(
        bin.resolve("jcni"),
        "#!/bin/sh\nexec java -cp \"$lib/a.jar:$lib/b.jar\" dev.jcni.runtime.Cli \"$@\"\n");
    for (String ty : types) {
      exec(libexec.resolve(ty), "#!/bin/sh\n# launcher\n");
      Files.createLink(bin.resolve(ty), shim);
    }
    return t;
  }

  static void exec(Path p, String text) throws IOException {
    Files.writeString(p, text);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  record Run(int code, String out, String err) {}

  Run jcni(CliCommandish c, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        c.run(
            List.of(args),
            Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  interface CliCommandish {
    int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err);
  }

  Run install(Path src, String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "--from",
                src.toString(),
                "--prefix",
                prefix.toString(),
                "--bin-dir",
                binDir.toString(),
                "--no-archives",
                "--no-systemd",
                "--unit-dir",
                units.toString()));
    a.addAll(Arrays.asList(extra));
    return jcni(new InstallCommand()::run, a.toArray(String[]::new));
  }

  Run uninstall(String... extra) {
    List<String> a = new ArrayList<>(List.of("--prefix", prefix.toString(), "--no-systemd"));
    a.addAll(Arrays.asList(extra));
    return jcni(new UninstallCommand()::run, a.toArray(String[]::new));
  }

  List<String> binNames() throws IOException {
    try (Stream<Path> s = Files.list(binDir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  static String call(Path exe) throws Exception {
    Process p = new ProcessBuilder(exe.toString()).start();
    p.getOutputStream().close();
    String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isZero();
    return s;
  }

  @Test
  void installsVersionedTreeCurrentLinkAndBinDirSymlinks() throws Exception {
    Path src = tree("1.0.0", "bridge", "ptp", "host-local");
    Run r = install(src);
    assertThat(r.code()).as(r.err()).isZero();
    Path v = prefix.toRealPath().resolve("1.0.0");
    assertThat(Files.readSymbolicLink(prefix.resolve("current"))).isEqualTo(Path.of("1.0.0"));
    assertThat(v.resolve(Installer.COMPLETE)).exists();
    // hard links stay hard links, modes are kept, the build's archive is not copied
    assertThat(Files.getAttribute(v.resolve("bin/bridge"), "unix:ino"))
        .isEqualTo(Files.getAttribute(v.resolve("libexec/jcni-shim"), "unix:ino"));
    assertThat(Files.isExecutable(v.resolve("libexec/bridge"))).isTrue();
    assertThat(v.resolve("lib/a.jar")).exists();
    assertThat(v.resolve("lib/jcni-17.0.15.jsa")).doesNotExist();
    assertThat(binNames()).containsExactly("bridge", "host-local", "jin-go-plugin", "ptp");
    for (String t : List.of("bridge", "ptp", "host-local")) {
      Path l = binDir.resolve(t);
      assertThat(Files.isSymbolicLink(l)).isTrue();
      assertThat(Files.readSymbolicLink(l))
          .isEqualTo(prefix.toRealPath().resolve("current/bin/" + t));
      assertThat(call(l)).contains("\"tree\":\"1.0.0\"");
    }
    assertThat(Files.readString(binDir.resolve("jin-go-plugin")))
        .isEqualTo("\u007fELF go plugin stand-in");
    String manifest = Files.readString(prefix.resolve("manifest"));
    assertThat(manifest)
        .contains("current\t1.0.0", "link\t" + binDir.toRealPath().resolve("bridge"))
        .doesNotContain("jin-go-plugin");
  }

  @Test
  void typesSelectsPluginsAndRejectsUnknownOnes() throws Exception {
    Path src = tree("1.0.0", "bridge", "ptp");
    Run bad = install(src, "--types", "bridge,nope");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("no plugin [nope]").doesNotContain("Exception");
    assertThat(prefix.resolve("current")).doesNotExist();
    assertThat(install(src, "--types", "ptp").code()).isZero();
    assertThat(binNames()).containsExactly("jin-go-plugin", "ptp");
  }

  @Test
  void upgradeFlipsCurrentKeepsPreviousAndPrunesOlder() throws Exception {
    assertThat(install(tree("1.0.0", "bridge", "ptp")).code()).isZero();
    assertThat(install(tree("1.1.0", "bridge", "ptp")).code()).isZero();
    Path p = prefix.toRealPath();
    assertThat(Files.readSymbolicLink(p.resolve("current"))).isEqualTo(Path.of("1.1.0"));
    assertThat(p.resolve("1.0.0")).isDirectory(); // calls started on it may still run
    assertThat(call(binDir.resolve("bridge"))).contains("\"tree\":\"1.1.0\"");
    // a type the new version lacks is unplaced instead of left dangling
    Run r = install(tree("1.2.0", "bridge"));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(p.resolve("1.0.0")).doesNotExist();
    assertThat(p.resolve("1.1.0")).isDirectory();
    assertThat(binNames()).containsExactly("bridge", "jin-go-plugin");
    assertThat(Files.readString(p.resolve("manifest")))
        .contains("current\t1.2.0", "previous\t1.1.0");
    // the same version again only re-places; --force installs the tree again beside it
    tree("1.2.0-again", "bridge");
    Files.writeString(tmp.resolve("src-1.2.0-again/VERSION"), "1.2.0\n");
    Run same = install(tmp.resolve("src-1.2.0-again"));
    assertThat(same.out()).contains("already the current version");
    assertThat(install(tmp.resolve("src-1.2.0-again"), "--force").code()).isZero();
    assertThat(Files.readSymbolicLink(p.resolve("current"))).isEqualTo(Path.of("1.2.0-1"));
  }

  @Test
  void installingThePreviousVersionAgainRollsBackToItsDirectory() throws Exception {
    assertThat(install(tree("1.0.0", "bridge")).code()).isZero();
    assertThat(install(tree("2.0.0", "bridge")).code()).isZero();
    Path p = prefix.toRealPath();
    Path v1 = p.resolve("1.0.0");
    Object inode = Files.getAttribute(v1.resolve("libexec/jcni-shim"), "unix:ino");
    // the previous version's own tree installs itself: reused as it is (it may be serving calls),
    // made current
    Run r = install(v1);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("1.0.0 is already installed: making it current again");
    assertThat(Files.readSymbolicLink(p.resolve("current"))).isEqualTo(Path.of("1.0.0"));
    assertThat(Files.getAttribute(v1.resolve("libexec/jcni-shim"), "unix:ino")).isEqualTo(inode);
    assertThat(p.resolve("2.0.0")).isDirectory();
    assertThat(Files.readString(p.resolve("manifest")))
        .contains("current\t1.0.0", "previous\t2.0.0");
    assertThat(call(binDir.resolve("bridge"))).contains("\"tree\":\"1.0.0\"");
  }

  @Test
  void failedCopyLeavesThePreviousVersionWorking() throws Exception {
    assertThat(install(tree("1.0.0", "bridge", "ptp")).code()).isZero();
    Path src2 = tree("2.0.0", "bridge", "ptp");
    System.setProperty("jcni.install.failAfterFiles", "3");
    Run r;
    try {
      r = install(src2);
    } finally {
      System.clearProperty("jcni.install.failAfterFiles");
    }
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("injected fault after 3 files").doesNotContain("Exception");
    Path p = prefix.toRealPath();
    assertThat(Files.readSymbolicLink(p.resolve("current"))).isEqualTo(Path.of("1.0.0"));
    try (Stream<Path> s = Files.list(p)) {
      assertThat(s.map(x -> x.getFileName().toString()).sorted().toList())
          .containsExactly(".lock", "1.0.0", "current", "manifest");
    }
    assertThat(call(binDir.resolve("bridge"))).contains("\"tree\":\"1.0.0\"");
    assertThat(binNames()).containsExactly("bridge", "jin-go-plugin", "ptp");
  }

  @Test
  void aBrokenNewTreeIsNotMadeCurrent() throws Exception {
    assertThat(install(tree("1.0.0", "bridge")).code()).isZero();
    Path src2 = tree("2.0.0", "bridge");
    exec(
        src2.resolve("libexec/jcni-shim"),
        "#!/bin/sh\necho broken >&2\nexit 3\n"); // bin/bridge is the same inode
    Run r = install(src2);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("failed VERSION (exit 3)");
    assertThat(Files.readSymbolicLink(prefix.resolve("current"))).isEqualTo(Path.of("1.0.0"));
    assertThat(prefix.resolve("2.0.0")).doesNotExist();
  }

  @Test
  void foreignFileOfTheSameNameIsRefusedOrDisplacedAndPutBack() throws Exception {
    Files.writeString(binDir.resolve("bridge"), "go bridge");
    Path src = tree("1.0.0", "bridge", "ptp");
    Run r = install(src);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains(
            "not placed by jcni install, left alone: " + binDir.toRealPath().resolve("bridge"));
    assertThat(Files.readString(binDir.resolve("bridge"))).isEqualTo("go bridge");
    assertThat(prefix.resolve("current")).doesNotExist();

    assertThat(install(src, "--overwrite").code()).isZero();
    assertThat(Files.isSymbolicLink(binDir.resolve("bridge"))).isTrue();
    assertThat(Files.readString(prefix.resolve("displaced/bridge"))).isEqualTo("go bridge");
    Run u = uninstall();
    assertThat(u.code()).as(u.err()).isZero();
    assertThat(Files.readString(binDir.resolve("bridge"))).isEqualTo("go bridge");
    assertThat(binNames()).containsExactly("bridge", "jin-go-plugin");
  }

  @Test
  void uninstallRemovesExactlyWhatWasPlacedAndNothingChanged() throws Exception {
    assertThat(install(tree("1.0.0", "bridge", "ptp", "vxlan")).code()).isZero();
    assertThat(install(tree("1.1.0", "bridge", "ptp", "vxlan")).code()).isZero();
    // someone replaced ptp with their own file since: not ours any more
    Files.delete(binDir.resolve("ptp"));
    Files.writeString(binDir.resolve("ptp"), "someone else's ptp");
    Files.writeString(binDir.resolve("other"), "unrelated");
    Run u = uninstall();
    assertThat(u.code()).isEqualTo(1);
    assertThat(u.out()).contains("ptp changed since install: left alone");
    assertThat(binNames()).containsExactly("jin-go-plugin", "other", "ptp");
    assertThat(Files.readString(binDir.resolve("ptp"))).isEqualTo("someone else's ptp");
    assertThat(prefix.resolve("manifest")).exists(); // still says what is ours
    Files.delete(binDir.resolve("ptp"));
    u = uninstall();
    assertThat(u.code()).as(u.out() + u.err()).isZero();
    assertThat(prefix).doesNotExist();
    assertThat(binNames()).containsExactly("jin-go-plugin", "other");
    assertThat(units.resolve(Installer.UNIT_NAME)).doesNotExist();
  }

  @Test
  void unitFileGoesToUnitDirAndSystemctlIsDrivenWhenPresent() throws Exception {
    Path src = tree("1.0.0", "bridge");
    Run r = install(src, "--socket", "/run/jin/jcni.sock");
    assertThat(r.code()).as(r.err()).isZero();
    Path unit = units.resolve(Installer.UNIT_NAME);
    String text = Files.readString(unit);
    assertThat(text)
        .contains(
            "[Unit]",
            "[Service]",
            "[Install]",
            "WantedBy=multi-user.target",
            "Restart=always",
            "ExecStart="
                + prefix.toRealPath().resolve("current/bin/jcni")
                + " daemon --socket /run/jin/jcni.sock");
    assertThat(Files.readString(prefix.resolve("manifest")))
        .contains(
            "file\t"
                + unit.toRealPath()
                + "\t"
                + Manifest.sha256(text.getBytes(StandardCharsets.UTF_8)));
    assertThat(r.out()).doesNotContain("systemctl");

    // a stand-in systemctl records what install and uninstall ask of it
    Path log = tmp.resolve("systemctl.log");
    Path systemctl = tmp.resolve("systemctl");
    exec(systemctl, "#!/bin/sh\necho \"$*\" >> " + log + "\n");
    List<String> a =
        new ArrayList<>(
            List.of(
                "--from",
                src.toString(),
                "--prefix",
                prefix.toString(),
                "--bin-dir",
                binDir.toString(),
                "--no-archives",
                "--unit-dir",
                units.toString(),
                "--systemctl",
                systemctl.toString()));
    assertThat(jcni(new InstallCommand()::run, a.toArray(String[]::new)).code()).isZero();
    assertThat(Files.readAllLines(log))
        .containsExactly(
            "daemon-reload", "enable jcni-daemon.service", "restart jcni-daemon.service");
    Run u =
        jcni(
            new UninstallCommand()::run,
            "--prefix",
            prefix.toString(),
            "--systemctl",
            systemctl.toString());
    assertThat(u.code()).as(u.err()).isZero();
    assertThat(Files.readAllLines(log))
        .endsWith("disable --now jcni-daemon.service", "daemon-reload");
    assertThat(unit).doesNotExist();
  }

  @Test
  void aUnitFileWeDidNotWriteIsLeftAlone() throws Exception {
    Files.createDirectories(units);
    Files.writeString(units.resolve(Installer.UNIT_NAME), "[Service]\nExecStart=/their/own\n");
    Run r = install(tree("1.0.0", "bridge"));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("was not written by jcni install");
    assertThat(prefix.resolve("current")).doesNotExist();
    assertThat(binNames()).containsExactly("jin-go-plugin");
    assertThat(install(tree("1.0.1", "bridge"), "--no-daemon").code()).isZero();
    assertThat(Files.readString(units.resolve(Installer.UNIT_NAME))).contains("/their/own");
  }

  @Test
  void badArgumentsAndMissingTreeAreMessagesInWords() throws Exception {
    Run r = jcni(new InstallCommand()::run, "--types");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--types needs a value", "usage: jcni install");
    r = install(tmp.resolve("nowhere"));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("no such file").doesNotContain("Exception");
    r = uninstall();
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("nothing installed in");
    assertThat(Files.exists(prefix, LinkOption.NOFOLLOW_LINKS)).isFalse();
  }

  @Test
  void classPathIsReadFromTheTreesLauncher() throws Exception {
    assertThat(Installer.classPath(tree("1.0.0", "bridge"))).containsExactly("a.jar", "b.jar");
  }
}
