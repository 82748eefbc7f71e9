package dev.jcni.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.api.CniPlugin;
import dev.jcni.api.Invocation;
import dev.jcni.api.Plugins;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin directories without a daemon (no root needed): entries, class loader isolation,
 * refusals, skipped jars, the status text, reload reuse, and the options.
 */
class PluginDirsTest {
  @TempDir Path work;

  /**
   * The standard layout, compiled once for the class (javac is the slow part); each test gets its
   * own copy.
   */
  @TempDir static Path built;

  private static Path layout;

  private Path standardLayout() throws java.io.IOException {
    synchronized (PluginDirsTest.class) {
      if (layout == null) layout = PluginJars.standardLayout(built);
    }
    Path plugins = work.resolve("plugins");
    try (java.util.stream.Stream<Path> s = Files.walk(layout)) {
      for (Path f : s.toList()) {
        Files.copy(
            f,
            plugins.resolve(layout.relativize(f).toString()),
            java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    return plugins;
  }

  private final PluginDirs.Copies copies = new PluginDirs.Copies();
  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

  @AfterEach
  void removeCopies() {
    copies.deleteAll();
  }

  private String log() {
    return logBytes.toString(StandardCharsets.UTF_8);
  }

  private PluginDirs.Loaded load(List<Path> dirs, PluginDirs.Loaded previous) {
    return PluginDirs.load(
        dirs, Plugins.types(), PluginDirsTest.class.getClassLoader(), previous, copies, log);
  }

  private static String helperValue(ClassLoader l) throws Exception {
    return (String) l.loadClass("jpd.helper.Helper").getMethod("value").invoke(null);
  }

  @Test
  void eachEntryHasItsOwnLoaderOverTheSdkOnly() throws Exception {
    Path plugins = standardLayout();
    PluginDirs.Loaded l = load(List.of(plugins, work.resolve("jpd-missing")), null);

    assertThat(l.served()).containsOnlyKeys("jpd-one", "jpd-two", "jpd-delegating", "jpd-zclash");
    PluginDirs.Served one = l.served().get("jpd-one");
    PluginDirs.Served two = l.served().get("jpd-two");
    assertThat(one.entry()).isEqualTo("jpd-one");
    assertThat(two.entry()).isEqualTo("jpd-two");
    assertThat(l.served().get("jpd-zclash").entry()).isEqualTo("jpd-zclash");

    // the same helper class name, two versions, each entry sees its own
    assertThat(one.loader()).isNotSameAs(two.loader());
    assertThat(helperValue(one.loader())).isEqualTo("helper-1");
    assertThat(helperValue(two.loader())).isEqualTo("helper-2");
    assertThat(one.loader().loadClass("jpd.helper.Helper"))
        .isNotSameAs(two.loader().loadClass("jpd.helper.Helper"));

    // the SDK is shared (a plugin is a CniPlugin of ours), the daemon's other libraries and plugins
    // are not
    CniPlugin p = one.newInstance();
    assertThat(p).isInstanceOf(CniPlugin.class);
    assertThat(p.getClass().getClassLoader()).isSameAs(one.loader());
    assertThat(one.loader().loadClass("dev.jcni.api.Invocation")).isSameAs(Invocation.class);
    assertThat(one.loader().loadClass("dev.jcni.system.NetNs"))
        .isSameAs(dev.jcni.system.NetNs.class);
    assertThat(one.loader().loadClass("java.util.List")).isSameAs(List.class);
    assertThatThrownBy(() -> one.loader().loadClass("com.fasterxml.jackson.core.JsonFactory"))
        .isInstanceOf(ClassNotFoundException.class);
    assertThatThrownBy(() -> one.loader().loadClass(TestPlugins.class.getName()))
        .isInstanceOf(ClassNotFoundException.class);
    assertThatThrownBy(() -> one.loader().loadClass(Daemon.class.getName()))
        .isInstanceOf(ClassNotFoundException.class);
    assertThat(one.loader().getResource("dev/jcni/daemon/Daemon.class")).isNull();
    // ...except the built-in plugins, for in-process delegation
    assertThat(one.loader().loadClass(TestPlugins.Sleep.class.getName()))
        .isSameAs(TestPlugins.Sleep.class);

    // the loaders read private copies, removed when the daemon stops
    java.net.URL[] urls = ((java.net.URLClassLoader) one.loader()).getURLs();
    assertThat(urls).hasSize(1);
    Path copy = Path.of(urls[0].toURI());
    assertThat(copy.getFileName().toString()).isEqualTo("0-jpd-one.jar");
    assertThat(copy).isRegularFile();
    assertThat(copy.startsWith(plugins)).isFalse();
    copies.deleteAll();
    assertThat(copy.getParent().getParent()).doesNotExist();
  }

  @Test
  void underAnEntrysContextLoaderDelegatesFindTheBuiltInsAndTheEntrysOwnPluginsOnly()
      throws Exception {
    Path plugins = standardLayout();
    PluginDirs.Loaded l = load(List.of(plugins), null);
    ClassLoader two = l.served().get("jpd-two").loader();
    Thread self = Thread.currentThread();
    ClassLoader before = self.getContextClassLoader();
    self.setContextClassLoader(two);
    try {
      assertThat(Plugins.find("jdm-sleep")).get().isInstanceOf(TestPlugins.Sleep.class);
      assertThat(Plugins.find("jpd-delegating").orElseThrow().getClass().getClassLoader())
          .isSameAs(two);
      assertThat(Plugins.find("jpd-one")).isEmpty(); // another entry's
      assertThat(Plugins.find("bridge").orElseThrow().getClass().getClassLoader())
          .isSameAs(PluginDirsTest.class.getClassLoader()); // the built-in, not jpd-zclash's
    } finally {
      self.setContextClassLoader(before);
    }
  }

  @Test
  void collisionsAreRefusedBuiltInsWinBrokenJarsAreSkippedAndStatusSaysSo() throws Exception {
    Path plugins = standardLayout();
    Path missing = work.resolve("jpd-missing");
    PluginDirs.Loaded l = load(List.of(plugins, missing), null);

    assertThat(log())
        .contains(
            "plugin entry jpd-zclash ("
                + plugins.resolve("jpd-zclash.jar")
                + "): type bridge refused: a built-in plugin serves it (built-in wins)",
            "plugin entry jpd-zclash ("
                + plugins.resolve("jpd-zclash.jar")
                + "): type jpd-one refused: plugin entry jpd-one already serves it",
            "plugin entry jpd-broken ("
                + plugins.resolve("jpd-broken.jar")
                + "): skipped: jpd-broken.jar is not a"
                + " readable jar: ",
            "jpd.clash.Plain has no @CniType; ignored",
            "a provider could not be loaded: ",
            "jpd.clash.Missing",
            "plugin dir " + plugins + ": ignoring notes.txt (neither a .jar nor a directory)",
            "plugin entry jpd-one (" + plugins.resolve("jpd-one.jar") + "): serving jpd-one",
            "plugin entry jpd-two ("
                + plugins.resolve("jpd-two")
                + "): serving jpd-delegating, jpd-two");
    assertThat(log()).doesNotContain("Exception", "java.lang.", "jcni daemon: plugin entry notes");

    String status = l.render();
    assertThat(status)
        .startsWith("plugin dirs: " + plugins + ", " + missing + " (missing)\nplugin entries:\n");
    assertThat(status)
        .contains(
            "  jpd-broken  "
                + plugins.resolve("jpd-broken.jar")
                + ": skipped: jpd-broken.jar is not a readable jar",
            "  jpd-zclash  "
                + plugins.resolve("jpd-zclash.jar")
                + ": types jpd-zclash (type bridge refused: a built-in plugin serves it (built-in wins); type jpd-one"
                + " refused: plugin entry jpd-one already serves it; ",
            "  jpd-one  " + plugins.resolve("jpd-one.jar") + ": types jpd-one\n",
            "  jpd-two  "
                + plugins.resolve("jpd-two")
                + "/ (2 jars): types jpd-delegating, jpd-two\n");
    // entries are in name order
    assertThat(status.indexOf("jpd-broken")).isLessThan(status.indexOf("jpd-one  "));
    assertThat(status.indexOf("jpd-one  ")).isLessThan(status.indexOf("jpd-two  "));

    assertThat(load(List.of(missing), null).render())
        .isEqualTo("plugin dirs: " + missing + " (missing)\n");
    assertThat(load(List.of(), null).served()).isEmpty();
  }

  @Test
  void aReloadKeepsUnchangedEntriesAndReloadsChangedAddedAndRemovedOnes() throws Exception {
    Path plugins = standardLayout();
    PluginDirs.Loaded first = load(List.of(plugins), null);
    ClassLoader oneBefore = first.served().get("jpd-one").loader();
    ClassLoader twoBefore = first.served().get("jpd-two").loader();

    // jpd-one rebuilt with another helper, jpd-two removed, jpd-three added
    Map<String, String> one = new java.util.HashMap<>(PluginJars.helper("helper-1b"));
    one.putAll(
        PluginJars.plugin(
            "jpd.one",
            "One",
            "jpd-one",
            "jpd.helper.Helper.value()",
            "dev.jcni.spec.CniVersion.ALL"));
    // written over in place (cp): the loaders read the daemon's private copies, so the old one is
    // unharmed
    Path jar =
        PluginJars.jar(
            plugins.resolve("jpd-one.jar"),
            List.of("jpd.one.One"),
            PluginJars.compile(work, "one-b", one));
    Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 5000));
    try (var s = Files.walk(plugins.resolve("jpd-two"))) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    PluginJars.jar(
        plugins.resolve("jpd-three.jar"),
        List.of("jpd.three.Three"),
        PluginJars.compile(
            work,
            "three",
            PluginJars.plugin(
                "jpd.three", "Three", "jpd-three", "\"three\"", "dev.jcni.spec.CniVersion.ALL")));

    PluginDirs.Loaded second = load(List.of(plugins), first);
    assertThat(second.served()).containsOnlyKeys("jpd-one", "jpd-three", "jpd-zclash");
    assertThat(log())
        .contains(
            "plugin entry jpd-three (" + plugins.resolve("jpd-three.jar") + "): serving jpd-three");
    assertThat(second.served().get("jpd-one").loader()).isNotSameAs(oneBefore);
    assertThat(helperValue(second.served().get("jpd-one").loader())).isEqualTo("helper-1b");
    assertThat(helperValue(oneBefore))
        .isEqualTo("helper-1"); // a call still running in the old one goes on
    assertThat(second.served().get("jpd-zclash").loader())
        .isSameAs(first.served().get("jpd-zclash").loader());
    assertThat(second.served().values()).noneMatch(s -> s.loader() == twoBefore);
    assertThat(helperValue(twoBefore))
        .isEqualTo("helper-2"); // jpd-two's files are gone, its copies are not
    // the unchanged clash entry is still refused its colliding types
    assertThat(second.refused().keySet()).anyMatch(e -> e.name.equals("jpd-zclash"));
  }

  @Test
  void pluginDirOptions() {
    assertThat(DaemonOptions.parse(List.of(), Map.of()).pluginDirs())
        .containsExactly(Path.of("/opt/jcni/plugins"));
    assertThat(
            DaemonOptions.parse(List.of("--plugin-dir", "/a:/b/", "--plugin-dir=/c"), Map.of())
                .pluginDirs())
        .containsExactly(Path.of("/a"), Path.of("/b"), Path.of("/c"));
    assertThat(DaemonOptions.parse(List.of("--plugin-dir="), Map.of()).pluginDirs()).isEmpty();
    assertThat(DaemonOptions.parse(List.of("--plugin-dir", "rel"), Map.of()).pluginDirs())
        .containsExactly(Path.of("rel").toAbsolutePath());
    assertThatThrownBy(() -> DaemonOptions.parse(List.of("--plugin-dir"), Map.of()))
        .hasMessage("--plugin-dir needs a value");
    assertThat(Set.copyOf(SdkClassLoader.SHARED)).contains("dev.jcni.api.", "dev.jcni.spec.");
  }
}
