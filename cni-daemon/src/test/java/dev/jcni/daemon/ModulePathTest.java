package dev.jcni.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sealed API (issue 12): every library module's {@code module-info} resolves on the module path
 * from the built classes/jars of this reactor (tests elsewhere run on the class path), exports
 * exactly its API packages (internal ones only to the named friend modules), and ServiceLoader
 * finds the reference plugins and CLI commands through the module descriptors' {@code
 * provides}/{@code uses}. A plugin call through {@code Dispatcher.run} inside the layer shows that
 * the config binder may read the plugins' records ({@code opens ... to dev.jcni.spec}).
 */
class ModulePathTest {
  /** Module → the packages it exports to everyone. */
  private static final Map<String, Set<String>> API =
      new TreeMap<>(
          Map.ofEntries(
              Map.entry(
                  "dev.jcni.spec",
                  Set.of(
                      "dev.jcni.spec",
                      "dev.jcni.spec.json",
                      "dev.jcni.spec.net",
                      "dev.jcni.spec.result")),
              Map.entry("dev.jcni.api", Set.of("dev.jcni.api")),
              Map.entry("dev.jcni.system", Set.of("dev.jcni.system")),
              Map.entry("dev.jcni.netlink", Set.of("dev.jcni.netlink")),
              Map.entry("dev.jcni.runtime", Set.of("dev.jcni.runtime")),
              Map.entry("dev.jcni.daemon", Set.of()),
              Map.entry("dev.jcni.install", Set.of("dev.jcni.install")),
              Map.entry("dev.jcni.testkit", Set.of("dev.jcni.testkit")),
              Map.entry(
                  "dev.jcni.plugins.common",
                  Set.of("dev.jcni.plugins.common", "dev.jcni.plugins.common.firewall")),
              Map.entry("dev.jcni.plugins.ipam", Set.of()),
              Map.entry("dev.jcni.plugins.main", Set.of()),
              Map.entry("dev.jcni.plugins.vxlan", Set.of("dev.jcni.plugins.vxlan")),
              Map.entry("dev.jcni.plugins.meta", Set.of())));

  /** Internal packages exported to named modules only: "package -> friends". */
  private static final Map<String, String> QUALIFIED =
      Map.of(
          "dev.jcni.system.internal.nativ", "[dev.jcni.daemon, dev.jcni.netlink]",
          "dev.jcni.system.internal", "[dev.jcni.netlink]");

  /** Third-party jars the modules need at run time (plus JUnit/AssertJ for the test kit). */
  private static final Pattern THIRD_PARTY =
      Pattern.compile(
          "(jackson-core|jffi|jnr-ffi|jnr-a64asm|jnr-x86asm|asm|asm-commons|asm-analysis|asm-tree|asm-util"
              + "|junit-jupiter-api|junit-platform-commons|opentest4j|apiguardian-api|assertj-core|byte-buddy)"
              + "-\\d[^/]*\\.jar");

  private static ModuleLayer layer;
  private static ClassLoader loader;

  @BeforeAll
  static void bootLayer() {
    List<Path> path = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      Path p = Path.of(e);
      String name = p.getFileName().toString();
      boolean ours =
          p.toString().contains("/target/")
              && !name.equals("test-classes")
              && (name.equals("classes") || name.matches("(cni|plugins)-[a-z-]+-\\d.*\\.jar"))
              && Files.exists(
                  p.resolveSibling(name)
                      .resolve(name.equals("classes") ? "module-info.class" : ""));
      if (ours || THIRD_PARTY.matcher(name).matches()) path.add(p);
    }
    ModuleFinder finder = ModuleFinder.of(path.toArray(new Path[0]));
    Configuration cf =
        ModuleLayer.boot().configuration().resolveAndBind(finder, ModuleFinder.of(), API.keySet());
    // parent: the platform loader, so nothing resolves through the test class path
    layer = ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
    loader = layer.findLoader("dev.jcni.api");
  }

  @Test
  void everyModuleResolvesAndExportsOnlyItsApi() {
    for (Map.Entry<String, Set<String>> m : API.entrySet()) {
      Module module = layer.findModule(m.getKey()).orElseThrow();
      ModuleDescriptor d = module.getDescriptor();
      assertThat(d.isAutomatic()).as(m.getKey() + " has a module-info").isFalse();
      Set<String> open = new TreeSet<>();
      Map<String, String> qualified = new HashMap<>();
      for (ModuleDescriptor.Exports e : d.exports()) {
        if (e.isQualified()) qualified.put(e.source(), new TreeSet<>(e.targets()).toString());
        else open.add(e.source());
      }
      assertThat(open).as(m.getKey() + " exports").isEqualTo(m.getValue());
      for (String pkg : d.packages()) {
        if (pkg.contains(".internal")) {
          assertThat(open).as(m.getKey() + " must not export " + pkg).doesNotContain(pkg);
          assertThat(qualified.get(pkg)).as(pkg + " exported to").isEqualTo(QUALIFIED.get(pkg));
        }
      }
      assertThat(d.isOpen()).as(m.getKey() + " is not an open module").isFalse();
    }
    // an unexported package stays closed to reflection from outside, e.g. the netlink codec and the
    // binding
    assertThat(
            layer
                .findModule("dev.jcni.netlink")
                .orElseThrow()
                .isExported("dev.jcni.netlink.internal.codec"))
        .isFalse();
    Module system = layer.findModule("dev.jcni.system").orElseThrow();
    assertThat(system.isExported("dev.jcni.system.internal.nativ")).isFalse();
    assertThat(
            system.isExported(
                "dev.jcni.system.internal.nativ",
                layer.findModule("dev.jcni.netlink").orElseThrow()))
        .isTrue();
  }

  @Test
  void serviceLoaderFindsTheReferencePluginsOnTheModulePath() throws Exception {
    Class<?> plugin = loader.loadClass("dev.jcni.api.CniPlugin");
    assertThat(plugin.getModule().getName()).isEqualTo("dev.jcni.api");
    Method typeOf = loader.loadClass("dev.jcni.api.Plugins").getMethod("typeOf", Class.class);
    Set<String> types = new TreeSet<>();
    for (ServiceLoader.Provider<?> p : ServiceLoader.load(layer, plugin).stream().toList()) {
      assertThat(p.type().getModule().isNamed()).as(p.type().getName()).isTrue();
      types.add((String) typeOf.invoke(null, p.type()));
    }
    assertThat(types)
        .containsExactlyInAnyOrder(
            "bandwidth",
            "bridge",
            "firewall",
            "host-local",
            "loopback",
            "portmap",
            "ptp",
            "static",
            "tuning",
            "vxlan");

    // the SDK's own lookup (ServiceLoader.load(CniPlugin.class) in dev.jcni.api: needs its `uses`)
    Object classes =
        withLoader(
            () -> loader.loadClass("dev.jcni.api.Plugins").getMethod("classes").invoke(null));
    assertThat(new TreeSet<Object>(((Map<?, ?>) classes).keySet()))
        .isEqualTo(new TreeSet<Object>(types));

    Class<?> command = loader.loadClass("dev.jcni.runtime.CliCommand");
    List<String> commands = new ArrayList<>();
    for (ServiceLoader.Provider<?> p : ServiceLoader.load(layer, command).stream().toList()) {
      commands.add(p.type().getName());
    }
    assertThat(commands)
        .containsExactlyInAnyOrder(
            "dev.jcni.runtime.NetnsCommand",
            "dev.jcni.daemon.DaemonCommand",
            "dev.jcni.install.InstallCommand",
            "dev.jcni.install.UninstallCommand");
  }

  @Test
  void aPluginRunsInsideTheLayer(@TempDir Path dir) throws Exception {
    Path netns =
        Files.createFile(dir.resolve("netns")); // static IPAM only checks that CNI_NETNS is given
    Map<String, String> env = new HashMap<>();
    env.put("CNI_COMMAND", "ADD");
    env.put("CNI_CONTAINERID", "jse-modpath");
    env.put("CNI_NETNS", netns.toString());
    env.put("CNI_IFNAME", "eth0");
    env.put("CNI_PATH", "/usr/lib/cni");
    byte[] conf =
        ("{\"cniVersion\":\"1.0.0\",\"name\":\"jse-net\",\"type\":\"static\",\"ipam\":{\"type\":\"static\","
                + "\"addresses\":[{\"address\":\"10.99.0.5/24\",\"gateway\":\"10.99.0.1\"}]}}")
            .getBytes(StandardCharsets.UTF_8);
    String[] r = call("static", env, conf);
    assertThat(r[0]).as(r[1] + r[2]).isEqualTo("0");
    assertThat(r[1]).contains("\"address\":\"10.99.0.5/24\"").contains("\"gateway\":\"10.99.0.1\"");

    // ptp binds its config record reflectively (opens ... to dev.jcni.spec) before it opens
    // CNI_NETNS, which is
    // no namespace here: the call gets as far as that (Go's message), past the binding
    r =
        call(
            "ptp",
            env,
            new String(conf, StandardCharsets.UTF_8)
                .replace("\"type\":\"static\",\"ipam\"", "\"type\":\"ptp\",\"ipam\"")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(r[0]).isEqualTo("1");
    assertThat(r[1]).as(r[2]).contains("failed to open netns").contains(netns.toString());
  }

  /** Dispatcher.run(type, ...) of the layer's cni-api: {exit, stdout, stderr}. */
  private static String[] call(String type, Map<String, String> env, byte[] conf) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Method run =
        loader
            .loadClass("dev.jcni.api.Dispatcher")
            .getMethod(
                "run",
                String.class,
                Map.class,
                java.io.InputStream.class,
                PrintStream.class,
                PrintStream.class);
    Object exit =
        withLoader(
            () ->
                run.invoke(
                    null,
                    type,
                    env,
                    new ByteArrayInputStream(conf),
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8)));
    return new String[] {
      String.valueOf(exit),
      out.toString(StandardCharsets.UTF_8),
      err.toString(StandardCharsets.UTF_8)
    };
  }

  private interface Call {
    Object call() throws Exception;
  }

  /** ServiceLoader.load(Class) in a named module looks through the context loader: the layer's. */
  private static Object withLoader(Call c) throws Exception {
    Thread t = Thread.currentThread();
    ClassLoader old = t.getContextClassLoader();
    t.setContextClassLoader(loader);
    try {
      return c.call();
    } finally {
      t.setContextClassLoader(old);
    }
  }
}
