package dev.jcni.plugins.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Throwaway namespaces via the ip(8) oracle, for tests only. */
final class TestNs {
  private TestNs() {}

  static boolean isRoot() {
    return dev.jcni.testkit.NetnsExtension.isRoot();
  }

  static String create(String prefix) {
    String name =
        prefix + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000000, 0x7fffffff));
    sh("ip", "netns", "add", name);
    return name;
  }

  static void delete(String name) {
    run(List.of("ip", "netns", "del", name));
  }

  static String sh(String... argv) {
    Result r = run(List.of(argv));
    if (r.rc != 0) {
      throw new IllegalStateException(String.join(" ", argv) + " failed: " + r.out);
    }
    return r.out;
  }

  static String inNs(String ns, String... argv) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    cmd.addAll(List.of(argv));
    return sh(cmd.toArray(String[]::new));
  }

  record Result(int rc, String out) {}

  static Result run(List<String> argv) {
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Result(p.waitFor(), out);
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, e.toString());
    }
  }
}
