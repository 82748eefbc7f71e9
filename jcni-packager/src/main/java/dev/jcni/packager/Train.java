package dev.jcni.packager;

import dev.jcni.api.Dispatcher;
import dev.jcni.api.Plugins;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run behind the class-data archives, in a JVM forked on the packaged {@code lib/}
 * class path (never inside Maven): the calls a node makes, so that their classes are archived. For
 * every type given:
 *
 * <ol>
 *   <li>the generic pass any plugin gets: VERSION, the about text, two errors the dispatcher
 *       answers before plugin code runs (bad JSON, unsupported version), which load the config
 *       parser, and a full prevResult decoded, converted and encoded at four versions as the
 *       dispatcher does around a call (no plugin code);
 *   <li>when cni-netlink is on the class path (unless the type's training resource says {@code
 *       "netlink": false}): the native layer, read-only in this process's own namespace (libc
 *       binding, {@code NetNs.current()}, a netlink socket, a dump of {@code lo});
 *   <li>the author's sample calls and hook from {@code META-INF/jcni/training/<type>.json} ({@link
 *       TrainingSpec}), run in-process through the dispatcher with stdout discarded and CNI_NETNS
 *       pointing nowhere (or at a throwaway namespace, as root only, for calls that ask for one).
 * </ol>
 *
 * <p>Training must not touch the network: samples are chosen by the plugin's author to change
 * nothing outside the scratch directory and the throwaway namespace. One type failing costs only
 * that type its training.
 *
 * <p>{@code Train --list} prints {@code type<TAB>class<TAB>jar file name} for every plugin on the
 * class path and {@code cli<TAB>yes|no}: how the packager learns which types a project's own jar
 * holds without loading them into Maven's JVM.
 */
public final class Train {
  private Train() {}

  private static final PrintStream NUL = new PrintStream(OutputStream.nullOutputStream());
  static final String CLI_CLASS = "dev.jcni.runtime.Cli";
  static final String NETLINK_CLASS = "dev.jcni.netlink.Netlink";

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("--list")) {
      list(System.out);
      return;
    }
    Class.forName("dev.jcni.api.Main");
    // what Main does before the dispatcher: the locale check and the environment it hands over
    dev.jcni.api.ProcessEnv.jvmIsUtf8();
    Map.copyOf(dev.jcni.api.ProcessEnv.environment());
    Map<String, String> classes = Plugins.classes();
    for (String type : args) {
      String cls = classes.get(type);
      if (cls == null) {
        System.err.println("jcni train: no plugin of type " + type + " on the class path");
        continue;
      }
      try {
        train(type, cls);
      } catch (Exception | LinkageError x) {
        // one plugin's training failing must not cost every plugin the archive
        System.err.println("jcni train: " + type + ": " + x);
      }
    }
    System.exit(
        0); // as the launcher does: Runtime.exit has its own classes (its logger on newer JDKs)
  }

  static void list(PrintStream out) {
    for (Map.Entry<String, String> e : Plugins.classes().entrySet()) {
      String jar = "";
      try {
        CodeSource cs =
            Class.forName(e.getValue(), false, Train.class.getClassLoader())
                .getProtectionDomain()
                .getCodeSource();
        if (cs != null && cs.getLocation() != null) {
          jar = Path.of(cs.getLocation().toURI()).getFileName().toString();
        }
      } catch (ReflectiveOperationException
          | LinkageError
          | java.net.URISyntaxException
          | RuntimeException x) {
        // unknown origin: only an explicit <types> entry selects it
      }
      out.println(e.getKey() + "\t" + e.getValue() + "\t" + jar);
    }
    out.println("cli\t" + (present(CLI_CLASS) ? "yes" : "no"));
    out.flush();
  }

  static boolean present(String cls) {
    try {
      Class.forName(cls, false, Train.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static void train(String type, String cls)
      throws IOException, ReflectiveOperationException {
    // the launcher's path: the type and its class given (see Plugins.find)
    System.setProperty("jcni.plugin", type);
    System.setProperty("jcni.plugin.class", cls);
    Dispatcher.run(type, Map.of("CNI_COMMAND", "VERSION"), in(""), NUL, NUL);
    Dispatcher.run(type, Map.of(), in(""), NUL, NUL);
    Dispatcher.run(type, env("ADD"), in("{not json"), NUL, NUL);
    Dispatcher.run(
        type,
        env("ADD"),
        in("{\"cniVersion\":\"9.9.9\",\"name\":\"train\",\"type\":\"" + type + "\"}"),
        NUL,
        NUL);
    results();
    List<TrainingSpec> specs = specs(type);
    boolean netlink = present(NETLINK_CLASS);
    for (TrainingSpec s : specs) {
      if (s.netlink() != null) {
        netlink = netlink && s.netlink();
      }
    }
    if (netlink) {
      NetlinkTraining.warmup();
    }
    for (TrainingSpec s : specs) {
      if (!s.calls().isEmpty()) {
        samples(type, s);
      }
      if (s.hook() != null) {
        hook(s.hook());
      }
    }
  }

  /**
   * What the dispatcher does with a prevResult before any plugin code runs (read the config, decode
   * the prevResult, convert it to the config's version) and with a plugin's result after (encode
   * it), for a full result (interfaces, IPs, routes, DNS) at the versions runtimes send: no plugin
   * code runs here.
   */
  private static void results() {
    for (dev.jcni.spec.CniVersion v :
        new dev.jcni.spec.CniVersion[] {
          dev.jcni.spec.CniVersion.V1_1_0,
          dev.jcni.spec.CniVersion.V1_0_0,
          dev.jcni.spec.CniVersion.V0_4_0,
          dev.jcni.spec.CniVersion.V0_3_1
        }) {
      String conf =
          "{\"cniVersion\":\""
              + v
              + "\",\"name\":\"train\",\"type\":\"train\",\"prevResult\":{"
              + "\"cniVersion\":\""
              + v
              + "\",\"interfaces\":[{\"name\":\"eth0\",\"mac\":\"0a:58:0a:f4:00:05\","
              + "\"mtu\":1500,\"sandbox\":\"/var/run/netns/x\"}],\"ips\":[{\"address\":\"10.244.0.5/24\","
              + "\"gateway\":\"10.244.0.1\",\"interface\":0},{\"address\":\"fd00::5/64\",\"interface\":0}],"
              + "\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":\"10.244.0.1\"}],\"dns\":{\"nameservers\":"
              + "[\"10.96.0.10\"],\"domain\":\"cluster.local\",\"search\":[\"svc\"],\"options\":[\"ndots:5\"]}}}";
      dev.jcni.spec.NetConf nc = dev.jcni.spec.NetConf.parse(conf.getBytes(StandardCharsets.UTF_8));
      dev.jcni.spec.Result r = dev.jcni.spec.ResultCodec.decode(nc.prevResultRaw(), v);
      r = dev.jcni.spec.ResultCodec.decode(dev.jcni.spec.ResultCodec.encode(r, v), v);
      dev.jcni.spec.ResultCodec.toJson(r, v);
    }
  }

  /**
   * Every training resource of this type on the class path (usually one, in the plugin's own jar).
   */
  private static List<TrainingSpec> specs(String type) throws IOException {
    List<TrainingSpec> out = new ArrayList<>();
    Enumeration<URL> urls = Train.class.getClassLoader().getResources(TrainingSpec.resource(type));
    while (urls.hasMoreElements()) {
      URL u = urls.nextElement();
      try (InputStream in = u.openStream()) {
        out.add(TrainingSpec.parse(in, u.toString()));
      }
    }
    return out;
  }

  private static void samples(String type, TrainingSpec spec) throws IOException {
    Path dir = Files.createTempDirectory("jcni-train-");
    try {
      for (TrainingSpec.Sample s : spec.samples(type, dir.toString())) {
        Map<String, String> env = env(s.command());
        env.putAll(s.env());
        if (s.netns()) {
          // a real call inside a namespace made for it: root and cni-netlink only, else the call is
          // skipped
          if (present(NETLINK_CLASS)) {
            NetlinkTraining.inThrowawayNetns(type, env, s.stdin());
          }
        } else {
          Dispatcher.run(type, env, in(s.stdin()), NUL, NUL);
        }
      }
    } finally {
      try (Stream<Path> w = Files.walk(dir)) {
        for (Path p : w.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /**
   * The author's API hook: {@code public static void run()}, or a {@link Runnable} with a
   * no-argument constructor.
   */
  private static void hook(String cls) throws ReflectiveOperationException {
    Class<?> c = Class.forName(cls);
    if (Runnable.class.isAssignableFrom(c)) {
      ((Runnable) c.getConstructor().newInstance()).run();
    } else {
      c.getMethod("run").invoke(null);
    }
  }

  static Map<String, String> env(String command) {
    Map<String, String> env = new HashMap<>();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", "train");
    env.put("CNI_NETNS", "/nonexistent/netns");
    env.put("CNI_IFNAME", "eth0");
    env.put("CNI_PATH", "/nonexistent/bin");
    env.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAME=train");
    return env;
  }

  static ByteArrayInputStream in(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Kept apart so that a class path without cni-netlink never loads a netlink class. */
  static final class NetlinkTraining {
    private NetlinkTraining() {}

    /**
     * The libc binding and a netlink dump, read-only in this process's own namespace: the classes
     * every netlink-using plugin loads (jffi, the socket, the codec), so they come from the
     * archive.
     */
    static void warmup() {
      try (dev.jcni.system.NetNs self = dev.jcni.system.NetNs.current();
          dev.jcni.netlink.Netlink nl = dev.jcni.netlink.Netlink.openAt(self)) {
        nl.linkGet("lo");
        nl.addrList("lo", dev.jcni.netlink.Family.ALL);
      }
    }

    /**
     * One call with CNI_NETNS a namespace created for it and deleted after; skipped when that is
     * not allowed.
     */
    static void inThrowawayNetns(String type, Map<String, String> env, String stdin) {
      String name = "jcni-train-" + ProcessHandle.current().pid();
      dev.jcni.system.NetNs ns;
      try {
        ns = dev.jcni.system.NetNs.create(name);
      } catch (RuntimeException notRoot) {
        return;
      }
      try {
        env.put("CNI_NETNS", dev.jcni.system.NetNs.pathOf(name).toString());
        Dispatcher.run(type, env, in(stdin), NUL, NUL);
      } finally {
        ns.close();
        dev.jcni.system.NetNs.delete(name);
      }
    }
  }
}
