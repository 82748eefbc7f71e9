package dev.jcni.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What jcni-maven-plugin packaged for src/it/simple-plugin (an outside project with one plugin,
 * jpk-hello, built by maven-invoker-plugin before this test runs): the tree, and the executables
 * run as real processes through the shim's direct path (no daemon, JCNI_DIRECT=1) on the JDK that
 * built it.
 */
class PackagedFixtureTest {
  static Path tree;

  @BeforeAll
  static void fixture() {
    String fixture = System.getProperty("jcni.fixture");
    // set by the pom's post-integration-test execution only, after maven-invoker-plugin built the
    // fixture
    Assumptions.assumeTrue(
        fixture != null, "runs after the fixture build (mvn verify), not in the unit-test phase");
    tree = Path.of(fixture).resolve("target/jcni");
    assertThat(tree.resolve("bin")).as("packaged by the invoker run").isDirectory();
  }

  record Run(int exit, String out, String err) {}

  static Run run(Path exe, String stdin, Map<String, String> extra)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(exe.toString());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("CNI_") || k.startsWith("JCNI_"));
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("JCNI_DIRECT", "1");
    env.put("JCNI_SHIM_DEBUG", "1");
    env.putAll(extra);
    Path err = Files.createTempFile("jpk-err", ".txt");
    try {
      Process p = pb.redirectError(err.toFile()).start();
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Run(p.waitFor(), out, Files.readString(err));
    } finally {
      Files.deleteIfExists(err);
    }
  }

  static Map<String, String> env(String cmd) {
    Map<String, String> e = new HashMap<>();
    e.put("CNI_COMMAND", cmd);
    e.put("CNI_CONTAINERID", "jpk-c1");
    e.put("CNI_NETNS", "/nonexistent/jpk");
    e.put("CNI_IFNAME", "eth0");
    e.put("CNI_PATH", tree.resolve("bin").toString());
    return e;
  }

  static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void onlyTheProjectsOwnTypeIsPackagedAsAHardLinkOfThePrebuiltShim() throws IOException {
    assertThat(names(tree.resolve("bin")))
        .containsExactly("jpk-hello"); // no bin/jcni unless <cli>true</cli>
    assertThat(names(tree.resolve("libexec"))).containsExactly("jcni-shim", "jpk-hello");
    assertThat(Files.isSameFile(tree.resolve("bin/jpk-hello"), tree.resolve("libexec/jcni-shim")))
        .isTrue();
    assertThat(tree.resolve("bin/jpk-hello")).isExecutable();
    assertThat(tree.resolve("libexec/jpk-hello"))
        .isExecutable()
        .content()
        .startsWith("#!/bin/sh\n")
        .contains("jpk-hello) cls=org.example.jpk.HelloPlugin ;;");
  }

  @Test
  void libHoldsTheProjectsRuntimeClassPathOnly() throws IOException {
    List<String> jars =
        names(tree.resolve("lib")).stream().filter(n -> n.endsWith(".jar")).toList();
    assertThat(jars)
        .contains("jpk-hello-1.0.jar")
        .anyMatch(n -> n.startsWith("cni-api-"))
        .anyMatch(n -> n.startsWith("cni-spec-"))
        .anyMatch(n -> n.startsWith("jackson-core-"))
        .anyMatch(n -> n.startsWith("jcni-packager-"))
        .noneMatch(
            n ->
                n.startsWith("plugins-")
                    || n.startsWith("cni-runtime")
                    || n.startsWith("cni-daemon")
                    || n.startsWith("auto-service")
                    || n.startsWith("junit"));
  }

  @Test
  void versionIsAnsweredThroughTheShimsFallback() throws Exception {
    Run r = run(tree.resolve("bin/jpk-hello"), "{\"cniVersion\":\"1.1.0\"}", env("VERSION"));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .startsWith("{\"cniVersion\":\"1.1.0\",\"supportedVersions\":[")
        .contains("\"0.4.0\"");
    assertThat(r.err()).contains("jpk-hello VERSION: direct (JCNI_DIRECT=1)");
  }

  @Test
  void addReturnsTheResultAndBadConfigIsACniError() throws Exception {
    String conf =
        "{\"cniVersion\":\"1.0.0\",\"name\":\"jpk\",\"type\":\"bridge\",\"ipam\":{\"type\":\"jpk-hello\","
            + "\"address\":\"10.250.0.5/24\",\"gateway\":\"10.250.0.1\"}}";
    Run ok = run(tree.resolve("bin/jpk-hello"), conf, env("ADD"));
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.out())
        .contains("\"address\":\"10.250.0.5/24\"")
        .contains("\"gateway\":\"10.250.0.1\"");
    Run bad =
        run(
            tree.resolve("bin/jpk-hello"),
            "{\"cniVersion\":\"1.0.0\",\"name\":\"jpk\",\"type\":\"bridge\",\"ipam\":{\"type\":\"jpk-hello\"}}",
            env("ADD"));
    assertThat(bad.exit()).isNotZero();
    assertThat(bad.out())
        .contains("\"code\":7")
        .contains("ipam.address is required")
        .doesNotContain("Exception");
  }

  @Test
  void aClassDataArchiveTrainedOnThePluginServesItsCheck() throws Exception {
    Map<String, String> rel = new HashMap<>();
    for (String l : Files.readAllLines(Path.of(System.getProperty("java.home"), "release"))) {
      int eq = l.indexOf('=');
      if (eq > 0) {
        rel.put(l.substring(0, eq), l.substring(eq + 1).replace("\"", ""));
      }
    }
    String rt = rel.get("JAVA_RUNTIME_VERSION");
    int major = Integer.parseInt(rel.get("JAVA_VERSION").split("\\.")[0]);
    Path archive =
        tree.resolve("lib")
            .resolve(major >= 25 ? "jcni-" + rt + "-jpk-hello.aot" : "jcni-" + rt + ".jsa");
    assertThat(archive).isRegularFile();
    assertThat(Files.size(archive)).isGreaterThan(100_000);

    // a CHECK, logging where every class came from: the plugin's and the SDK's classes come from
    // the archive
    Path log = Files.createTempFile("jpk-classload", ".log");
    try {
      String conf =
          "{\"cniVersion\":\"1.0.0\",\"name\":\"jpk\",\"type\":\"bridge\",\"ipam\":{\"type\":\"jpk-hello\","
              + "\"address\":\"10.250.0.5/24\"},\"prevResult\":{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":"
              + "\"10.250.0.5/24\"}]}}";
      Map<String, String> e = env("CHECK");
      e.put("JCNI_JAVA_OPTS", "-Xlog:class+load=info:file=" + log);
      Run r = run(tree.resolve("bin/jpk-hello"), conf, e);
      assertThat(r.exit()).as(r.err() + r.out()).isZero();
      List<String> lines =
          Files.readAllLines(log).stream().filter(l -> l.contains("source:")).toList();
      List<String> outside =
          lines.stream().filter(l -> !l.contains("shared objects file")).toList();
      System.out.println(
          "jpk-hello CHECK: "
              + lines.size()
              + " classes loaded, "
              + outside.size()
              + " outside the archive "
              + outside);
      assertThat(lines)
          .anyMatch(
              l -> l.contains("org.example.jpk.HelloPlugin ") && l.contains("shared objects file"));
      assertThat(outside).as("classes from outside the archive").hasSizeLessThanOrEqualTo(3);
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
