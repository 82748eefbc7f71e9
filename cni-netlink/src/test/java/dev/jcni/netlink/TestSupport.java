package dev.jcni.netlink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcni.system.NetNs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Test helpers: root check, unique names, running iproute2 as an oracle. */
final class TestSupport {
  private TestSupport() {}

  static final ObjectMapper JSON = new ObjectMapper();

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** {@code jnl-<tag>-<random>}: unique per run; names stay short (netns names are free-form). */
  static String uniqueName(String tag) {
    return "jnl-"
        + tag
        + "-"
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
  }

  record Result(int exit, String out, String err) {}

  static Result run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).start();
      byte[] out = readAll(p.getInputStream());
      byte[] err = readAll(p.getErrorStream());
      int code = p.waitFor();
      return new Result(
          code, new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    in.transferTo(b);
    return b.toByteArray();
  }

  /** Runs a command and fails on a non-zero exit. */
  static String sh(String... cmd) {
    Result r = run(cmd);
    if (r.exit() != 0)
      throw new AssertionError(String.join(" ", cmd) + " failed: " + r.err() + r.out());
    return r.out();
  }

  /** {@code ip -n NS -j -d ARGS...} parsed. */
  static JsonNode ipJson(String ns, String... args) {
    List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns, "-j", "-d"));
    cmd.addAll(List.of(args));
    String out = sh(cmd.toArray(new String[0]));
    try {
      return JSON.readTree(out.isBlank() ? "[]" : out);
    } catch (IOException e) {
      throw new AssertionError("bad JSON from " + cmd + ": " + out, e);
    }
  }

  /** {@code bridge -n NS -j ARGS...} parsed. */
  static JsonNode bridgeJson(String ns, String... args) {
    List<String> cmd = new ArrayList<>(List.of("bridge", "-n", ns, "-j"));
    cmd.addAll(List.of(args));
    String out = sh(cmd.toArray(new String[0]));
    try {
      return JSON.readTree(out.isBlank() ? "[]" : out);
    } catch (IOException e) {
      throw new AssertionError("bad JSON from " + cmd + ": " + out, e);
    }
  }

  /** Deletes a named namespace if present, ignoring errors (cleanup). */
  static void deleteQuietly(String name) {
    try {
      if (NetNs.exists(name)) NetNs.delete(name);
    } catch (RuntimeException ignored) {
      run("ip", "netns", "del", name);
    }
  }

  /** bin/ of the newest JDK >= minFeature under /usr/lib/jvm, or null. */
  static java.nio.file.Path newerJdkBin(int minFeature) {
    java.nio.file.Path best = null;
    int bestFeature = 0;
    try (java.util.stream.Stream<java.nio.file.Path> jdks =
        java.nio.file.Files.list(java.nio.file.Path.of("/usr/lib/jvm"))) {
      for (java.nio.file.Path p : jdks.toList()) {
        java.util.regex.Matcher m =
            java.util.regex.Pattern.compile("-(\\d+)[-.]").matcher(p.getFileName().toString());
        if (!m.find() || !java.nio.file.Files.isExecutable(p.resolve("bin/java"))) continue;
        int f = Integer.parseInt(m.group(1));
        if (f >= minFeature && f > bestFeature) {
          best = p.resolve("bin");
          bestFeature = f;
        }
      }
    } catch (IOException e) {
      return null;
    }
    return best;
  }

  /** Runs a single-file Java program with this module's test class path on the given JDK. */
  static Result runJavaSource(java.nio.file.Path jdkBin, String source, String... jvmArgs)
      throws IOException {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("jnl-src");
    java.nio.file.Path src = dir.resolve("Main.java");
    try {
      java.nio.file.Files.writeString(src, source);
      List<String> cmd = new ArrayList<>();
      cmd.add(jdkBin.resolve("java").toString());
      cmd.addAll(List.of(jvmArgs));
      cmd.addAll(
          List.of(
              "-cp",
              System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
              src.toString()));
      return run(cmd.toArray(new String[0]));
    } finally {
      java.nio.file.Files.deleteIfExists(src);
      java.nio.file.Files.deleteIfExists(dir);
    }
  }
}
