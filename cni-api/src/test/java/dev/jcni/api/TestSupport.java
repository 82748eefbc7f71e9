package dev.jcni.api;

import dev.jcni.spec.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs the dispatcher in memory and captures what a process would print. */
final class TestSupport {
  private TestSupport() {}

  record Out(int exit, String stdout, String stderr) {
    Map<String, Object> json() {
      return Json.parseObject(stdout.getBytes(StandardCharsets.UTF_8));
    }

    Number code() {
      return (Number) json().get("code");
    }

    String msg() {
      return (String) json().get("msg");
    }
  }

  static Out run(CniPlugin plugin, Map<String, String> env, String stdin) {
    return run(plugin, Delegate.standard(), env, stdin);
  }

  static Out run(CniPlugin plugin, Delegate.Strategy d, Map<String, String> env, String stdin) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Dispatcher.run(
            plugin,
            d,
            env,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Out(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** A full ADD environment; CNI_NETNS is a plain file (never the plugin's own netns). */
  static Map<String, String> env(String command, Path netnsFile) {
    Map<String, String> env = new HashMap<>();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", "ctr-1");
    env.put("CNI_NETNS", netnsFile.toString());
    env.put("CNI_IFNAME", "eth0");
    env.put("CNI_PATH", "/nonexistent/bin");
    return env;
  }

  /**
   * The libcni golden cases kept in this module's test resources ({@code fixtures/}, see
   * PROVENANCE.md).
   */
  static Path fixtures(String name) {
    try {
      return Path.of(TestSupport.class.getResource("/fixtures/" + name).toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
