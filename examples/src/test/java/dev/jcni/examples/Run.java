package dev.jcni.examples;

import dev.jcni.api.CniPlugin;
import dev.jcni.api.Dispatcher;
import dev.jcni.spec.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** One in-memory plugin call through the dispatcher, as a process would see it. */
record Run(int exit, String stdout, String stderr) {
  static Run call(CniPlugin plugin, Map<String, String> env, String stdin) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = Dispatcher.run(plugin, env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Map<String, String> env(String command, String containerId, String ifname) {
    Map<String, String> env = new HashMap<>();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", containerId);
    env.put("CNI_NETNS", "/dev/null");
    env.put("CNI_IFNAME", ifname);
    env.put("CNI_PATH", "/opt/cni/bin");
    return env;
  }

  Map<String, Object> json() {
    return Json.parseObject(stdout.getBytes(StandardCharsets.UTF_8));
  }
}
