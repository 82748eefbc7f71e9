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
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run behind the class-data archives: in one JVM, the calls a node makes, so their classes are
 * archived. For every plugin type (or only the one given as argument): VERSION, the about text, and two errors the
 * dispatcher answers before any plugin code runs (bad JSON, unsupported version), which load the config parser.
 * Real calls only for plugins that change nothing on the host: {@code debug} through ADD/CHECK/DEL at several
 * versions with result conversion, {@code host-local} through ADD/CHECK/DEL in a scratch dataDir, {@code loopback}
 * ADD/DEL in a throwaway namespace (when run as root); the other netlink plugins get the native layer and a
 * read-only netlink dump (jffi's classes, the socket, the codec).
 */
public final class Train {
  private Train() {}

  private static final PrintStream NUL = new PrintStream(OutputStream.nullOutputStream());

  public static void main(String[] args) throws Exception {
    Class.forName("dev.jcni.api.Main");
    Map.copyOf(System.getenv()); // what Main hands the dispatcher (Invocation copies it)
    Map<String, String> classes = Plugins.classes();
    for (Map.Entry<String, String> e : classes.entrySet()) {
      if (args.length == 0 || args[0].equals(e.getKey())) {
        try {
          train(e.getKey(), e.getValue());
        } catch (Exception | LinkageError x) {
          // one plugin's training failing must not cost every plugin the archive
          System.err.println("jcni train: " + e.getKey() + ": " + x);
        }
      }
    }
    System.exit(0); // as the launcher does: Runtime.exit has its own classes (its logger on newer JDKs)
  }

  private static void train(String type, String cls) throws IOException {
    // the launcher's path: the type and its class given (see Plugins.find)
    System.setProperty("jcni.plugin", type);
    System.setProperty("jcni.plugin.class", cls);
    Dispatcher.run(type, Map.of("CNI_COMMAND", "VERSION"), in(""), NUL, NUL);
    Dispatcher.run(type, Map.of(), in(""), NUL, NUL);
    Dispatcher.run(type, env("ADD"), in("{not json"), NUL, NUL);
    Dispatcher.run(type, env("ADD"), in("{\"cniVersion\":\"9.9.9\",\"name\":\"train\",\"type\":\"" + type + "\"}"),
        NUL, NUL);
    if (type.equals("debug")) {
      debug();
    } else if (type.equals("host-local")) {
      hostLocal();
    } else if (type.equals("loopback")) {
      loopback();
    } else if (type.equals("static")) {
      staticIpam();
    } else if (type.equals("tuning")) {
      netlinkWarmup(); // tuning changes the pod's interface: only the native layer is exercised
    } else if (cls.startsWith("dev.jcni.plugins.") && !cls.startsWith("dev.jcni.plugins.meta.")) {
      netlinkWarmup(); // bridge, ptp, vxlan: their calls change the host, so only the native layer is exercised
    } else if (type.equals("bandwidth")) {
      // as root, a real ADD/CHECK/DEL in throwaway namespaces; otherwise config parsing only
      netlinkWarmup();
      try {
        Class.forName("dev.jcni.plugins.meta.bandwidth.BandwidthTraining").getMethod("run").invoke(null);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("bandwidth training", e);
      }
    } else if (type.equals("portmap")) {
      // portmap's own side-effect-free run of its call path (a firewall that only records; nothing is touched)
      try {
        Class.forName("dev.jcni.plugins.meta.portmap.PortMapTraining").getMethod("run").invoke(null);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("portmap training", e);
      }
    } else if (type.equals("firewall")) {
      // the same for the firewall plugin: canned state in, nothing written
      try {
        Class.forName("dev.jcni.plugins.meta.firewall.FirewallTraining").getMethod("run").invoke(null);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("firewall training", e);
      }
    }
  }

  private static void debug() throws IOException {
    Path out = Files.createTempFile("jcni-train", ".jsonl");
    try {
      for (String v : new String[] {"1.1.0", "1.0.0", "0.4.0", "0.3.1"}) {
        String conf = "{\"cniVersion\":\"" + v + "\",\"name\":\"train\",\"type\":\"debug\",\"cniOutput\":\"" + out
            + "\",\"prevResult\":{\"cniVersion\":\"" + v + "\",\"interfaces\":[{\"name\":\"eth0\",\"mac\":"
            + "\"0a:58:0a:f4:00:05\",\"sandbox\":\"/var/run/netns/x\"}],\"ips\":[{\"address\":\"10.244.0.5/24\","
            + "\"gateway\":\"10.244.0.1\",\"interface\":0}],\"routes\":[{\"dst\":\"0.0.0.0/0\"}],"
            + "\"dns\":{\"nameservers\":[\"10.96.0.10\"]}}}";
        for (String cmd : new String[] {"ADD", "CHECK", "DEL"}) {
          Dispatcher.run("debug", env(cmd), in(conf), NUL, NUL);
        }
      }
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** static ADD, CHECK and DEL at two versions: it keeps no state and touches nothing. */
  private static void staticIpam() throws IOException {
    for (String v : new String[] {"1.0.0", "0.4.0"}) {
      String conf = "{\"cniVersion\":\"" + v + "\",\"name\":\"train\",\"type\":\"bridge\",\"ipam\":{\"type\":"
          + "\"static\",\"addresses\":[{\"address\":\"10.250.0.5/24\",\"gateway\":\"10.250.0.1\"},{\"address\":"
          + "\"fd00:250::5/64\"}],\"routes\":[{\"dst\":\"0.0.0.0/0\"}],\"dns\":{\"nameservers\":[\"10.250.0.53\"]}},"
          + "\"prevResult\":{\"cniVersion\":\"" + v + "\",\"ips\":[{\"address\":\"10.250.0.5/24\",\"gateway\":"
          + "\"10.250.0.1\"},{\"address\":\"fd00:250::5/64\"}]}}";
      for (String cmd : new String[] {"ADD", "CHECK", "DEL"}) {
        Dispatcher.run("static", env(cmd), in(conf), NUL, NUL);
      }
    }
  }

  /** host-local ADD, CHECK and DEL in a scratch dataDir: IPAM only writes files there (and flocks them). */
  private static void hostLocal() throws IOException {
    Path dir = Files.createTempDirectory("jcni-train-hl");
    try {
      String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"train\",\"type\":\"host-local\",\"ipam\":{\"type\":"
          + "\"host-local\",\"subnet\":\"10.250.0.0/24\",\"dataDir\":\"" + dir + "\"}}";
      for (String cmd : new String[] {"ADD", "CHECK", "DEL"}) {
        Dispatcher.run("host-local", env(cmd), in(conf), NUL, NUL);
      }
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /**
   * loopback ADD (0.3.1, as containerd calls it, and 1.0.0) and DEL for real in a throwaway namespace when this
   * build runs as root; otherwise only the native layer is exercised.
   */
  private static void loopback() {
    String name = "jcni-train-" + ProcessHandle.current().pid();
    dev.jcni.system.NetNs ns;
    try {
      ns = dev.jcni.system.NetNs.create(name);
    } catch (RuntimeException notRoot) {
      netlinkWarmup();
      return;
    }
    try {
      for (String v : new String[] {"0.3.1", "1.0.0"}) {
        String conf = "{\"cniVersion\":\"" + v + "\",\"name\":\"train\",\"type\":\"loopback\"}";
        for (String cmd : new String[] {"ADD", "DEL"}) {
          Map<String, String> env = env(cmd);
          env.put("CNI_NETNS", "/run/netns/" + name);
          env.put("CNI_IFNAME", "lo");
          Dispatcher.run("loopback", env, in(conf), NUL, NUL);
        }
      }
    } finally {
      ns.close();
      dev.jcni.system.NetNs.delete(name);
    }
  }

  /**
   * The libc binding and a netlink dump, read-only in this process's own namespace: the classes every
   * netlink-using plugin loads (jffi, the socket, the codec), so they come from the archive.
   */
  private static void netlinkWarmup() {
    try (dev.jcni.system.NetNs self = dev.jcni.system.NetNs.current();
        dev.jcni.netlink.Netlink nl = dev.jcni.netlink.Netlink.openAt(self)) {
      nl.linkGet("lo");
      nl.addrList("lo", dev.jcni.netlink.Family.ALL);
    }
  }

  private static Map<String, String> env(String command) {
    Map<String, String> env = new HashMap<>();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", "train");
    env.put("CNI_NETNS", "/nonexistent/netns");
    env.put("CNI_IFNAME", "eth0");
    env.put("CNI_PATH", "/nonexistent/bin");
    env.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAME=train");
    return env;
  }

  private static ByteArrayInputStream in(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }
}
