package dev.jcni.daemon;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * Outside plugin jars made at test time, as a plugin author's build would make them: sources
 * compiled with the JDK's javac ({@code java.util.spi.ToolProvider}: java.base, so the test
 * compiles patched into the dev.jcni.daemon module, which does not read java.compiler) against the
 * SDK on this test's class path, and a hand-written {@code
 * META-INF/services/dev.jcni.api.CniPlugin} (no AutoService).
 */
final class PluginJars {
  private PluginJars() {}

  static final String SERVICE = "META-INF/services/dev.jcni.api.CniPlugin";

  /**
   * Compiles {@code sources} (class name → source) into a fresh directory under {@code work}, with
   * the test class path plus {@code extraClassPath} (e.g. a helper compiled before); returns the
   * classes directory.
   */
  static Path compile(Path work, String label, Map<String, String> sources, Path... extraClassPath)
      throws IOException {
    Path src = Files.createDirectories(work.resolve("src-" + label));
    Path out = Files.createDirectories(work.resolve("classes-" + label));
    List<String> args =
        new ArrayList<>(
            List.of(
                "--release",
                "17",
                "-proc:none",
                "-nowarn",
                "-d",
                out.toString(),
                "-cp",
                classPath(extraClassPath)));
    for (Map.Entry<String, String> e : sources.entrySet()) {
      Path f = src.resolve(e.getKey().replace('.', '/') + ".java");
      Files.createDirectories(f.getParent());
      Files.writeString(f, e.getValue());
      args.add(f.toString());
    }
    ToolProvider javac =
        ToolProvider.findFirst("javac")
            .orElseThrow(
                () -> new IllegalStateException("no javac tool (the tests need a JDK, not a JRE)"));
    ByteArrayOutputStream diag = new ByteArrayOutputStream();
    PrintWriter w = new PrintWriter(diag, true, StandardCharsets.UTF_8);
    int rc = javac.run(w, w, args.toArray(new String[0]));
    w.flush();
    if (rc != 0)
      throw new IllegalStateException("javac failed: " + diag.toString(StandardCharsets.UTF_8));
    return out;
  }

  private static String classPath(Path... extra) {
    StringBuilder b = new StringBuilder(System.getProperty("java.class.path"));
    for (Path p : extra) b.append(java.io.File.pathSeparatorChar).append(p);
    return b.toString();
  }

  /**
   * Writes a jar of every file under the given classes directories, plus a service file naming
   * {@code providers} (none: no service file).
   */
  static Path jar(Path jar, List<String> providers, Path... classDirs) throws IOException {
    Files.createDirectories(jar.getParent());
    try (OutputStream fo = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(fo)) {
      for (Path dir : classDirs) {
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
          files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
          j.putNextEntry(new JarEntry(dir.relativize(f).toString().replace('\\', '/')));
          j.write(Files.readAllBytes(f));
          j.closeEntry();
        }
      }
      if (!providers.isEmpty()) {
        j.putNextEntry(new JarEntry(SERVICE));
        PrintWriter w = new PrintWriter(new java.io.OutputStreamWriter(j, StandardCharsets.UTF_8));
        w.println("# providers, as AutoService would list them");
        for (String p : providers) w.println(p);
        w.flush();
        j.closeEntry();
      }
    }
    return jar;
  }

  /**
   * {@code jpd.helper.Helper}, the same class name in every version: {@code value()} answers {@code
   * value}.
   */
  static Map<String, String> helper(String value) {
    return Map.of(
        "jpd.helper.Helper",
        """
        package jpd.helper;

        public final class Helper {
          private Helper() {}

          public static String value() {
            return "%s";
          }
        }
        """
            .formatted(value));
  }

  /**
   * A plugin of type {@code type} (class {@code cls}, in package {@code pkg}) whose ADD answers a
   * result whose DNS domain is {@code domainExpr} (a Java expression) and whose search list says
   * whether the call ran under the plugin's own loader ("tccl=own") and whether the daemon's
   * Jackson is visible to it ("jackson=hidden"). Its VERSION lists {@code versions} only.
   */
  static Map<String, String> plugin(
      String pkg, String cls, String type, String domainExpr, String versions) {
    return Map.of(
        pkg + "." + cls,
        """
        package %1$s;

        import dev.jcni.api.CniPlugin;
        import dev.jcni.api.CniType;
        import dev.jcni.api.Invocation;
        import dev.jcni.spec.CniVersion;
        import dev.jcni.spec.Result;
        import java.util.List;

        @CniType("%3$s")
        public final class %2$s implements CniPlugin {
          @Override
          public Result add(Invocation inv) {
            ClassLoader mine = %2$s.class.getClassLoader();
            String tccl = Thread.currentThread().getContextClassLoader() == mine ? "tccl=own" : "tccl=other";
            String jackson;
            try {
              Class.forName("com.fasterxml.jackson.core.JsonFactory", false, mine);
              jackson = "jackson=visible";
            } catch (ClassNotFoundException e) {
              jackson = "jackson=hidden";
            }
            return Result.empty(inv.cniVersion())
                .withDns(new Result.Dns(List.of(), %4$s, List.of(tccl, jackson), List.of()));
          }

          @Override
          public void del(Invocation inv) {}

          @Override
          public List<CniVersion> supportedVersions() {
            return %5$s;
          }
        }
        """
            .formatted(pkg, cls, type, domainExpr, versions));
  }

  /** A file that ends in .jar but is not one. */
  static Path corrupt(Path jar) throws IOException {
    Files.createDirectories(jar.getParent());
    Files.write(
        jar, "PK\u0003\u0004 this is not a zip file at all".getBytes(StandardCharsets.ISO_8859_1));
    return jar;
  }

  /**
   * The scratch plugin directory of the plugin-dir tests, under {@code work}/plugins:
   *
   * <ul>
   *   <li>{@code jpd-one.jar}: type jpd-one, bundling {@code jpd.helper.Helper} "helper-1";
   *   <li>{@code jpd-two/}: {@code plugin.jar} (types jpd-two, and jpd-delegating: delegates to the
   *       built-in jdm-sleep) and {@code helper.jar} ({@code jpd.helper.Helper} "helper-2": the
   *       same class name, another version);
   *   <li>{@code jpd-zclash.jar}: types bridge (a built-in) and jpd-one (taken by the entry
   *       jpd-one) that must be refused, jpd-zclash that is served; its service file also names a
   *       missing class and a plugin without {@code @CniType};
   *   <li>{@code jpd-broken.jar}: not a jar; {@code notes.txt}: not an entry.
   * </ul>
   */
  static Path standardLayout(Path work) throws IOException {
    Path plugins = Files.createDirectories(work.resolve("plugins"));
    String all = "dev.jcni.spec.CniVersion.ALL";
    String helperValue = "jpd.helper.Helper.value()";

    Map<String, String> one = new java.util.HashMap<>(helper("helper-1"));
    one.putAll(plugin("jpd.one", "One", "jpd-one", helperValue, all));
    jar(plugins.resolve("jpd-one.jar"), List.of("jpd.one.One"), compile(work, "one", one));

    Path helper2 = compile(work, "helper2", helper("helper-2"));
    jar(plugins.resolve("jpd-two/helper.jar"), List.of(), helper2);
    Map<String, String> two =
        new java.util.HashMap<>(plugin("jpd.two", "Two", "jpd-two", helperValue, all));
    two.put(
        "jpd.two.Delegating",
        """
        package jpd.two;

        import dev.jcni.api.CniPlugin;
        import dev.jcni.api.CniType;
        import dev.jcni.api.Invocation;
        import dev.jcni.spec.Result;
        import java.util.List;

        /** Delegates to the built-in test plugin jdm-sleep (in-process: no such binary in CNI_PATH). */
        @CniType("jpd-delegating")
        public final class Delegating implements CniPlugin {
          @Override
          public Result add(Invocation inv) {
            Result r = inv.delegate("jdm-sleep").add();
            return r.withDns(new Result.Dns(List.of(), "delegated " + jpd.helper.Helper.value(), List.of(), List.of()));
          }

          @Override
          public void del(Invocation inv) {
            inv.delegate("jdm-sleep").del();
          }
        }
        """);
    jar(
        plugins.resolve("jpd-two/plugin.jar"),
        List.of("jpd.two.Two", "jpd.two.Delegating"),
        compile(work, "two", two, helper2));

    Map<String, String> clash = new java.util.HashMap<>();
    String only040 = "List.of(CniVersion.V0_4_0)";
    clash.putAll(plugin("jpd.clash", "Bridge", "bridge", "\"clash\"", only040));
    clash.putAll(plugin("jpd.clash", "One", "jpd-one", "\"clash\"", only040));
    clash.putAll(plugin("jpd.clash", "Own", "jpd-zclash", "\"clash\"", all));
    clash.put(
        "jpd.clash.Plain",
        """
        package jpd.clash;

        public final class Plain implements dev.jcni.api.CniPlugin {
          @Override
          public dev.jcni.spec.Result add(dev.jcni.api.Invocation inv) {
            return null;
          }

          @Override
          public void del(dev.jcni.api.Invocation inv) {}
        }
        """);
    jar(
        plugins.resolve("jpd-zclash.jar"),
        List.of(
            "jpd.clash.Bridge",
            "jpd.clash.Missing",
            "jpd.clash.One",
            "jpd.clash.Plain",
            "jpd.clash.Own"),
        compile(work, "clash", clash));

    corrupt(plugins.resolve("jpd-broken.jar"));
    Files.writeString(plugins.resolve("notes.txt"), "not a plugin\n");
    return plugins;
  }
}
