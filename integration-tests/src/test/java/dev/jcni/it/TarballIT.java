package dev.jcni.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node distribution's release tarball ({@code dist/target/jcni-<version>-linux-<arch>.tar.gz},
 * written by jcni-maven-plugin's {@code tarball} goal from {@code dist/target/jcni}), listed with
 * tar(1) and unpacked into a scratch directory, where the tree runs on its own runtime.
 */
class TarballIT {
  static Path tree;

  @TempDir Path tmp;

  @BeforeAll
  static void locate() {
    tree = Packaged.nodeDist();
    assertThat(tree.resolve("VERSION")).as("run mvn package (dist) first").exists();
  }

  @Test
  void tarballHoldsTheTreeRuntimeLicenceAndHardLinks() throws Exception {
    String v = Files.readString(tree.resolve("VERSION")).strip();
    Path target = tree.getParent(); // dist/target
    Path tgz;
    try (Stream<Path> s = Files.list(target)) {
      tgz =
          s.filter(
                  x ->
                      x.getFileName()
                          .toString()
                          .matches("jcni-\\Q" + v + "\\E-linux-[a-z0-9_]+\\.tar\\.gz"))
              .findFirst()
              .orElseThrow();
    }
    InstallIT.Proc list = InstallIT.run(List.of("tar", "tzvf", tgz.toString()), Map.of(), "");
    assertThat(list.exit()).as(list.stderr()).isZero();
    String top = "jcni-" + v + "/";
    List<String> lines = list.stdout().lines().toList();
    assertThat(lines)
        .allMatch(
            l ->
                l.contains(" " + top)
                    || l.endsWith(" " + top.substring(0, top.length() - 1) + "/"));
    assertThat(lines)
        .anyMatch(l -> l.endsWith(top + "bin/jcni") && l.startsWith("-rwxr-xr-x root/root"))
        .anyMatch(
            l ->
                l.contains(top + "bin/host-local link to " + top + "libexec/jcni-shim")
                    || l.contains(top + "libexec/jcni-shim link to " + top + "bin/"))
        .anyMatch(l -> l.endsWith(top + "libexec/host-local"))
        .anyMatch(l -> l.endsWith(top + "VERSION"))
        .anyMatch(l -> l.endsWith(top + "LICENSE"))
        .anyMatch(l -> l.endsWith(top + "NOTICE"))
        .anyMatch(l -> l.endsWith(top + "README.md"))
        .noneMatch(l -> l.matches(".*" + top + "lib/[^/]*\\.(jsa|aot)$"));
    assertThat(lines)
        .anyMatch(l -> l.endsWith(top + "runtime/bin/java"))
        .anyMatch(l -> l.endsWith(top + "deploy/"));
    System.out.println(
        "tarball "
            + tgz.getFileName()
            + ": "
            + Files.size(tgz) / 1024
            + " KiB, "
            + lines.size()
            + " entries");

    // unpacked anywhere, the tree runs (its own runtime, lib/ found next to the launchers)
    Path x = Files.createDirectories(tmp.resolve("x"));
    InstallIT.Proc un =
        InstallIT.run(List.of("tar", "xzf", tgz.toString(), "-C", x.toString()), Map.of(), "");
    assertThat(un.exit()).as(un.stderr()).isZero();
    Path unpacked = x.resolve("jcni-" + v);
    assertThat(Files.getAttribute(unpacked.resolve("bin/host-local"), "unix:ino"))
        .isEqualTo(Files.getAttribute(unpacked.resolve("libexec/jcni-shim"), "unix:ino"));
    InstallIT.Proc call =
        InstallIT.version(unpacked.resolve("bin/host-local"), Map.of("JCNI_DIRECT", "1"));
    assertThat(call.exit()).as(call.stderr()).isZero();
    assertThat(call.stdout()).contains("\"supportedVersions\"");
  }
}
