package dev.jcni.netlink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    return "jnl-" + tag + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
  }

  record Result(int exit, String out, String err) {}

  static Result run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).start();
      byte[] out = readAll(p.getInputStream());
      byte[] err = readAll(p.getErrorStream());
      int code = p.waitFor();
      return new Result(code, new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
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
    if (r.exit() != 0) throw new AssertionError(String.join(" ", cmd) + " failed: " + r.err() + r.out());
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
}
