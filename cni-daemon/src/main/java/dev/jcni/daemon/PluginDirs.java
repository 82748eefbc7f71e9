package dev.jcni.daemon;

import dev.jcni.api.CniPlugin;
import dev.jcni.api.Plugins;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarFile;

/**
 * Outside plugins for the daemon, from plugin directories ({@code --plugin-dir}, default {@code
 * /opt/jcni/plugins}). Each directory holds one <em>entry</em> per plugin project:
 *
 * <ul>
 *   <li>{@code <dir>/<name>.jar}: a jar holding the plugin and everything it needs besides the SDK,
 *       or
 *   <li>{@code <dir>/<name>/}: a directory whose {@code *.jar} files (not subdirectories) are the
 *       plugin's jar and its dependency jars, e.g. a copy of what {@code jcni-maven-plugin}
 *       packages as {@code target/jcni/lib/}.
 * </ul>
 *
 * Names starting with '.' are ignored, as are other files. Each entry gets its own {@link
 * URLClassLoader} whose parent is {@link SdkClassLoader} (the JDK plus the jcni SDK packages), so
 * entries and the daemon can use different versions of the same library. Its {@code @CniType}
 * plugins are found with {@link ServiceLoader} on that loader ({@code
 * META-INF/services/dev.jcni.api.CniPlugin}). A type that a built-in plugin or an earlier entry
 * already serves is refused (built-ins win; entries in directory order, then by name); a jar that
 * cannot be read makes its entry skipped; a provider that cannot be loaded is left out. Every
 * refusal is logged, and nothing here stops the daemon.
 */
final class PluginDirs {
  private PluginDirs() {}

  /**
   * A type the daemon serves: its provider's constructor and the loader to run it under (null:
   * built in).
   */
  record Served(String type, String entry, ClassLoader loader, Constructor<?> constructor) {
    /**
     * A fresh plugin instance, or null when it cannot be made (the dispatcher then reports why).
     */
    CniPlugin newInstance() {
      if (constructor == null) return null;
      try {
        return (CniPlugin) constructor.newInstance();
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        return null;
      }
    }
  }

  /**
   * What one entry's files looked like when it was scanned (a reload rescans only entries that
   * changed).
   */
  record Stamp(Path file, long size, long modified) {}

  /**
   * One entry: its jars, its loader and the types found in it; {@code skipped} says why it serves
   * nothing.
   */
  static final class Entry {
    final String name;
    final Path path;
    final List<Stamp> stamps;
    final URLClassLoader loader;

    /** Types found in the entry, in service-file order, with their constructors. */
    final Map<String, Constructor<?>> found;

    final List<String> problems;
    final String skipped;

    Entry(
        String name,
        Path path,
        List<Stamp> stamps,
        URLClassLoader loader,
        Map<String, Constructor<?>> found,
        List<String> problems,
        String skipped) {
      this.name = name;
      this.path = path;
      this.stamps = stamps;
      this.loader = loader;
      this.found = found;
      this.problems = problems;
      this.skipped = skipped;
    }

    String describe() {
      return "plugin entry " + name + " (" + path + ")";
    }
  }

  /**
   * The outcome of a load: every entry (also skipped ones, for status) and the types served from
   * them, with the refusals of this load (types an entry has but does not serve).
   */
  record Loaded(
      List<Path> dirs,
      List<Entry> entries,
      Map<String, Served> served,
      Map<Entry, List<String>> refused) {
    static final Loaded NONE = new Loaded(List.of(), List.of(), Map.of(), Map.of());

    /**
     * The status section: directories, then one line per entry with the types it serves or why not.
     */
    String render() {
      StringBuilder b = new StringBuilder(256);
      b.append("plugin dirs: ");
      if (dirs.isEmpty()) b.append("(none)");
      for (int i = 0; i < dirs.size(); i++) {
        b.append(i == 0 ? "" : ", ")
            .append(dirs.get(i))
            .append(Files.isDirectory(dirs.get(i)) ? "" : " (missing)");
      }
      b.append('\n');
      if (entries.isEmpty()) return b.toString();
      b.append("plugin entries:\n");
      for (Entry e : entries) {
        b.append("  ").append(e.name).append("  ").append(e.path);
        if (Files.isDirectory(e.path)) b.append("/ (").append(e.stamps.size() - 1).append(" jars)");
        b.append(": ");
        if (e.skipped != null) {
          b.append("skipped: ").append(e.skipped).append('\n');
          continue;
        }
        List<String> types = new ArrayList<>();
        for (Served s : served.values()) {
          if (s.loader() == e.loader) types.add(s.type());
        }
        b.append(types.isEmpty() ? "no types served" : "types " + String.join(", ", types));
        List<String> notes = new ArrayList<>(refused.getOrDefault(e, List.of()));
        notes.addAll(e.problems);
        if (!notes.isEmpty()) b.append(" (").append(String.join("; ", notes)).append(')');
        b.append('\n');
      }
      return b.toString();
    }
  }

  /**
   * Loads every entry of {@code dirs}. Entries whose files are unchanged since {@code previous}
   * keep their loader (a reload costs only the new or changed entries); the others get a fresh one.
   * Types of {@code builtIns} and types of earlier entries are refused.
   */
  static Loaded load(
      List<Path> dirs,
      Set<String> builtIns,
      ClassLoader daemonLoader,
      Loaded previous,
      Copies copies,
      PrintStream log) {
    SdkClassLoader sdk = new SdkClassLoader(daemonLoader);
    List<Entry> entries = new ArrayList<>();
    Map<String, Served> served = new TreeMap<>();
    Map<Entry, List<String>> refused = new LinkedHashMap<>();
    for (Path dir : dirs) {
      for (Path p : list(dir, log)) {
        Entry e = reuse(previous, p);
        if (e == null) e = scan(p, sdk, copies, log);
        entries.add(e);
        for (Map.Entry<String, Constructor<?>> t : e.found.entrySet()) {
          String type = t.getKey();
          String why = null;
          if (builtIns.contains(type)) {
            why = "type " + type + " refused: a built-in plugin serves it (built-in wins)";
          } else if (served.containsKey(type)) {
            why =
                "type "
                    + type
                    + " refused: plugin entry "
                    + served.get(type).entry()
                    + " already serves it";
          }
          if (why != null) {
            refused.computeIfAbsent(e, k -> new ArrayList<>()).add(why);
            log.println("jcni daemon: " + e.describe() + ": " + why);
          } else {
            served.put(type, new Served(type, e.name, e.loader, t.getValue()));
          }
        }
        if (e.skipped == null && e.found.isEmpty()) {
          log.println(
              "jcni daemon: "
                  + e.describe()
                  + ": no @CniType plugin found (is "
                  + "META-INF/services/dev.jcni.api.CniPlugin in its jar?)");
        }
      }
    }
    for (Entry e : entries) {
      if (e.skipped == null
          && e.found.keySet().stream()
              .anyMatch(t -> served.containsKey(t) && served.get(t).loader() == e.loader)) {
        List<String> mine = new ArrayList<>();
        served
            .values()
            .forEach(
                s -> {
                  if (s.loader() == e.loader) mine.add(s.type());
                });
        log.println("jcni daemon: " + e.describe() + ": serving " + String.join(", ", mine));
      }
    }
    return new Loaded(
        List.copyOf(dirs),
        List.copyOf(entries),
        java.util.Collections.unmodifiableMap(served),
        Map.copyOf(refused));
  }

  /** The entries of one directory, sorted by name; a missing directory has none. */
  private static List<Path> list(Path dir, PrintStream log) {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) return out;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (n.startsWith(".")) continue;
        if (Files.isDirectory(p) || (n.endsWith(".jar") && Files.isRegularFile(p))) {
          out.add(p);
        } else {
          log.println(
              "jcni daemon: plugin dir "
                  + dir
                  + ": ignoring "
                  + n
                  + " (neither a .jar nor a directory)");
        }
      }
    } catch (IOException | RuntimeException e) {
      log.println("jcni daemon: cannot list the plugin dir " + dir + ": " + Connection.describe(e));
    }
    out.sort(null);
    return out;
  }

  /**
   * The jars of an entry (itself, or the directory's *.jar sorted) with their stamps, the entry
   * itself first.
   */
  private static List<Stamp> stamps(Path entry) throws IOException {
    List<Stamp> out = new ArrayList<>();
    out.add(stamp(entry));
    if (Files.isDirectory(entry)) {
      List<Path> jars = new ArrayList<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(entry, "*.jar")) {
        for (Path p : ds) {
          if (Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".")) jars.add(p);
        }
      }
      jars.sort(null);
      for (Path j : jars) out.add(stamp(j));
    }
    return out;
  }

  private static Stamp stamp(Path p) throws IOException {
    return new Stamp(
        p, Files.isDirectory(p) ? 0 : Files.size(p), Files.getLastModifiedTime(p).toMillis());
  }

  /** The previous load's entry for {@code p} when none of its files changed since. */
  private static Entry reuse(Loaded previous, Path p) {
    if (previous == null) return null;
    for (Entry e : previous.entries()) {
      if (!e.path.equals(p)) continue;
      try {
        return e.stamps.equals(stamps(p)) ? e : null;
      } catch (IOException | RuntimeException ex) {
        return null;
      }
    }
    return null;
  }

  private static String entryName(Path p) {
    String n = p.getFileName().toString();
    return !Files.isDirectory(p) && n.endsWith(".jar") ? n.substring(0, n.length() - 4) : n;
  }

  /**
   * Reads one entry: copies its jars into {@code copies} (so a jar written over in place later
   * cannot corrupt a loader that has it open), checks them, makes its loader and finds its plugins,
   * never throwing.
   */
  static Entry scan(Path p, SdkClassLoader sdk, Copies copies, PrintStream log) {
    String name = entryName(p);
    List<Stamp> stamps = List.of();
    List<URL> urls = new ArrayList<>();
    Path copyDir = null;
    String skipped;
    try {
      stamps = stamps(p);
      skipped = stamps.size() == 1 && Files.isDirectory(p) ? "no .jar files in it" : null;
      if (skipped == null) copyDir = copies.newDir(name);
      for (int i = 0; i < stamps.size() && skipped == null; i++) {
        Path jar = stamps.get(i).file();
        if (Files.isDirectory(jar)) continue;
        Path copy = copyDir.resolve(i + "-" + jar.getFileName());
        Files.copy(jar, copy);
        try (JarFile j = new JarFile(copy.toFile())) {
          j.getManifest(); // reads the central directory: a truncated or garbage file fails here
        } catch (IOException | RuntimeException e) {
          skipped = jar.getFileName() + " is not a readable jar: " + Connection.describe(e);
        }
        urls.add(copy.toUri().toURL());
      }
    } catch (IOException | RuntimeException e) {
      skipped = "cannot read it: " + Connection.describe(e);
    }
    if (skipped != null) {
      Copies.delete(copyDir);
      log.println("jcni daemon: plugin entry " + name + " (" + p + "): skipped: " + skipped);
      return new Entry(name, p, stamps, null, Map.of(), List.of(), skipped);
    }
    URLClassLoader loader =
        new URLClassLoader("jcni-plugin-" + name, urls.toArray(new URL[0]), sdk);
    Map<String, Constructor<?>> found = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    Entry e = new Entry(name, p, stamps, loader, found, problems, null);
    Iterator<ServiceLoader.Provider<CniPlugin>> it =
        ServiceLoader.load(CniPlugin.class, loader).stream().iterator();
    // a provider that fails to load throws here; ServiceLoader moves past it, so the loop goes on
    // (bounded)
    for (int guard = 0; guard < 10_000; guard++) {
      Class<?> c;
      try {
        if (!it.hasNext()) break;
        c = it.next().type();
      } catch (ServiceConfigurationError | LinkageError | RuntimeException ex) {
        String why = "a provider could not be loaded: " + Connection.describe(ex);
        if (builtInNamed(sdk, why))
          continue; // a built-in's problem, reported by the dispatcher when called
        problems.add(why);
        log.println("jcni daemon: " + e.describe() + ": " + why);
        continue;
      }
      if (c.getClassLoader() != loader)
        continue; // only this entry's own plugins (built-ins come first)
      String type;
      Constructor<?> ctor;
      try {
        type = Plugins.typeOf(c);
        ctor = type == null ? null : c.getConstructor();
        if (ctor != null && Modifier.isAbstract(c.getModifiers())) ctor = null;
      } catch (ReflectiveOperationException | LinkageError | RuntimeException ex) {
        type = "";
        ctor = null;
      }
      String why = null;
      if (type == null) {
        why = c.getName() + " has no @CniType; ignored";
      } else if (ctor == null) {
        why = c.getName() + " has no public no-argument constructor; ignored";
      } else if (found.containsKey(type)) {
        why = c.getName() + " also has type " + type + "; the first provider serves it";
      }
      if (why != null) {
        problems.add(why);
        log.println("jcni daemon: " + e.describe() + ": " + why);
      } else {
        found.put(type, ctor);
      }
    }
    if (found.isEmpty()) {
      try {
        loader.close(); // nothing of it will run
      } catch (IOException ignored) {
        // only open jar files to release
      }
      Copies.delete(copyDir);
    }
    return e;
  }

  /** Whether a ServiceLoader message names one of the daemon's own provider classes. */
  private static boolean builtInNamed(SdkClassLoader sdk, String message) {
    for (String word : message.split("[\\s:]+")) {
      if (sdk.builtInProvider(word)) return true;
    }
    return false;
  }

  /**
   * The daemon's private copies of the entries' jars: a temporary directory made on first use, one
   * subdirectory per scanned entry, all removed when the daemon stops. Copies of entries dropped by
   * a reload stay until then (calls may still run in their loader).
   */
  static final class Copies {
    private Path root;
    private int seq;

    synchronized Path newDir(String entry) throws IOException {
      if (root == null) root = Files.createTempDirectory("jcni-daemon-plugins-");
      return Files.createDirectory(root.resolve(++seq + "-" + entry));
    }

    /** Removes every copy (the daemon is stopping). */
    synchronized void deleteAll() {
      delete(root);
      root = null;
    }

    static void delete(Path dir) {
      if (dir == null) return;
      try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException | RuntimeException ignored) {
        // best effort: a temporary directory
      }
    }
  }
}
