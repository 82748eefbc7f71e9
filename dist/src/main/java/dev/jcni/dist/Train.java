package dev.jcni.dist;

import dev.jcni.api.Dispatcher;
import dev.jcni.api.Plugins;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The training run behind the class-data archives: in one JVM, the calls a node makes most, so their classes are
 * archived. VERSION for every plugin type (it only loads the dispatcher and the plugin class; no plugin code that
 * touches the system runs), and the {@code debug} plugin through ADD/CHECK/DEL with result conversion and error
 * paths (JSON parsing, result codecs). It never runs ADD/DEL of a plugin that changes the network.
 */
public final class Train {
  private Train() {}

  public static void main(String[] args) throws Exception {
    PrintStream nul = new PrintStream(OutputStream.nullOutputStream());
    Class.forName("dev.jcni.api.Main");
    Map<String, String> classes = Plugins.classes();
    System.getenv().get("CNI_COMMAND");
    for (Map.Entry<String, String> e : classes.entrySet()) {
      // the launcher's path: the type and its class given (see Plugins.find)
      System.setProperty("jcni.plugin", e.getKey());
      System.setProperty("jcni.plugin.class", e.getValue());
      Dispatcher.run(e.getKey(), Map.of("CNI_COMMAND", "VERSION"), in(""), nul, nul);
      Dispatcher.run(e.getKey(), Map.of(), in(""), nul, nul);
    }
    if (classes.containsKey("host-local")) {
      hostLocal(classes.get("host-local"), nul);
    }
    System.setProperty("jcni.plugin", "debug");
    System.setProperty("jcni.plugin.class", classes.getOrDefault("debug", ""));
    if (!classes.containsKey("debug")) {
      return;
    }
    Path out = Files.createTempFile("jcni-train", ".jsonl");
    try {
      for (String v : new String[] {"1.1.0", "1.0.0", "0.4.0", "0.3.1"}) {
        String conf = "{\"cniVersion\":\"" + v + "\",\"name\":\"train\",\"type\":\"debug\",\"cniOutput\":\"" + out
            + "\",\"prevResult\":{\"cniVersion\":\"" + v + "\",\"interfaces\":[{\"name\":\"eth0\",\"mac\":"
            + "\"0a:58:0a:f4:00:05\",\"sandbox\":\"/var/run/netns/x\"}],\"ips\":[{\"address\":\"10.244.0.5/24\","
            + "\"gateway\":\"10.244.0.1\",\"interface\":0}],\"routes\":[{\"dst\":\"0.0.0.0/0\"}],"
            + "\"dns\":{\"nameservers\":[\"10.96.0.10\"]}}}";
        for (String cmd : new String[] {"ADD", "CHECK", "DEL"}) {
          Map<String, String> env = new HashMap<>();
          env.put("CNI_COMMAND", cmd);
          env.put("CNI_CONTAINERID", "train");
          env.put("CNI_NETNS", "/nonexistent/netns");
          env.put("CNI_IFNAME", "eth0");
          env.put("CNI_PATH", "/nonexistent/bin");
          env.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAME=train");
          Dispatcher.run("debug", env, in(conf), nul, nul);
        }
      }
      Dispatcher.run("debug", Map.of("CNI_COMMAND", "ADD"), in("{"), nul, nul);
      Map<String, String> env = new HashMap<>();
      env.put("CNI_COMMAND", "ADD");
      env.put("CNI_CONTAINERID", "train");
      env.put("CNI_NETNS", "/nonexistent/netns");
      env.put("CNI_IFNAME", "eth0");
      env.put("CNI_PATH", "/nonexistent/bin");
      Dispatcher.run("debug", env, in("{not json"), nul, nul);
      Dispatcher.run("debug", env, in("{\"cniVersion\":\"9.9.9\",\"name\":\"t\"}"), nul, nul);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** host-local ADD and DEL in a scratch dataDir: IPAM only writes files there (and flocks them). */
  private static void hostLocal(String cls, PrintStream nul) throws IOException {
    System.setProperty("jcni.plugin", "host-local");
    System.setProperty("jcni.plugin.class", cls);
    Path dir = Files.createTempDirectory("jcni-train-hl");
    try {
      String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"train\",\"type\":\"host-local\",\"ipam\":{\"type\":"
          + "\"host-local\",\"subnet\":\"10.250.0.0/24\",\"dataDir\":\"" + dir + "\"}}";
      for (String cmd : new String[] {"ADD", "CHECK", "DEL"}) {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", cmd);
        env.put("CNI_CONTAINERID", "train");
        env.put("CNI_NETNS", "/nonexistent/netns");
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", "/nonexistent/bin");
        Dispatcher.run("host-local", env, in(conf), nul, nul);
      }
    } finally {
      try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
        for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static ByteArrayInputStream in(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }
}
