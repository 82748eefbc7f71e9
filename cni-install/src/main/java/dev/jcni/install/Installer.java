package dev.jcni.install;

import dev.jcni.api.Plugins;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The work behind {@code jcni install} and {@code jcni uninstall}.
 *
 * <p>Layout: {@code <prefix>/<version>/} is a copy of the packaged tree ({@code bin/ libexec/ lib/
 * runtime/}), {@code <prefix>/current} a relative symlink to the version in use, and every placed
 * plugin is a symlink {@code <bin-dir>/<type> -> <prefix>/current/bin/<type>}. The shim resolves
 * its own path ({@code realpath(/proc/self/exe)}) when it starts, so a call that started before an
 * upgrade keeps using the old version's launchers and jars, and every later call sees the new one;
 * the launchers resolve {@code lib/} the same way. Nothing has to be rewritten in the bin directory
 * on upgrade: flipping {@code current} (a symlink renamed over the old one) switches every type at
 * once.
 *
 * <p>Order of an install, so that a failure at any step leaves the previous version working: copy
 * into a staging directory and rename it to {@code <version>}; train the class-data archives there
 * (they are only valid for that path and JDK); run one plugin of the new tree (VERSION, direct
 * path) as a smoke test; create the new bin-dir symlinks under temporary names; flip {@code
 * current}; rename the symlinks into place; write the manifest; prune versions older than the
 * previous one. Everything before the flip only touches names nobody uses yet.
 */
final class Installer {
  static final String CURRENT = "current";
  static final String UNIT_NAME = "jcni-daemon.service";
  static final String DEFAULT_SOCKET = "/run/jcni/jcni.sock";

  /** Written into a version directory once it is complete (copied and trained). */
  static final String COMPLETE = ".jcni-complete";

  private static final String STAGING = ".staging-";
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,127}");
  private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  /**
   * The launchers' class path: {@code -cp "$lib/a.jar:$lib/b.jar"} in the generated {@code
   * bin/jcni}.
   */
  private static final Pattern CLASS_PATH = Pattern.compile("-cp \"((?:\\$lib/[^\":]+:?)+)\"");

  /** Options of {@code jcni install}; see {@link InstallCommand#usage()}. */
  static final class Options {
    Path source;
    Path prefix = Path.of("/opt/jcni");
    Path binDir = Path.of("/opt/cni/bin");
    Set<String> types;
    boolean examples;
    boolean systemd = true;
    Path unitDir;
    boolean daemonUnit = true;
    String socket = DEFAULT_SOCKET;
    Path systemctl;
    boolean overwrite;
    boolean force;
    boolean archives = true;
    Map<String, String> env = Map.of();
  }

  private final PrintStream out;

  Installer(PrintStream out) {
    this.out = out;
  }

  // ---------------------------------------------------------------------------------------------------- install

  void install(Options o) throws IOException, InterruptedException {
    Path src = o.source.toRealPath();
    for (String d : List.of("bin", "libexec", "lib")) {
      if (!Files.isDirectory(src.resolve(d))) {
        throw new IOException(src + " is not a jcni tree (no " + d + "/)");
      }
    }
    String version = readVersion(src);
    checkPath(o.prefix);
    checkPath(o.binDir);
    Files.createDirectories(o.prefix);
    Path prefix = o.prefix.toRealPath();
    if (prefix.startsWith(src)) {
      throw new IOException("the prefix " + prefix + " is inside the tree being installed " + src);
    }
    if (!Files.isDirectory(o.binDir)) {
      throw new IOException("no CNI bin directory " + o.binDir + " (create it first)");
    }
    Path binDir = o.binDir.toRealPath();
    try (FileChannel lockFile =
            FileChannel.open(
                prefix.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockFile.tryLock()) {
      if (lock == null) {
        throw new IOException("another jcni install or uninstall is running on " + prefix);
      }
      removeStaging(prefix);
      Manifest old = Manifest.read(prefix);
      if (old != null && old.binDir != null && !old.binDir.equals(binDir)) {
        throw new IOException(
            "already installed with --bin-dir " + old.binDir + ": uninstall first to change it");
      }
      Set<String> types = selectTypes(src, o);
      String currentName = currentVersion(prefix);
      Map<Path, Path> displace = checkBinDir(binDir, types, old, o.overwrite, prefix);

      // 1. the version directory (copy + archives). A complete one of this version is used as it
      // is: the same
      // version again only re-places, the previous version's own jcni rolls back to it (its
      // directory may be
      // serving calls, so it is never replaced); --force copies the tree again beside it as
      // <version>-N.
      String dirName = version;
      boolean fresh = true;
      if (Files.isRegularFile(prefix.resolve(version).resolve(COMPLETE))) {
        if (o.force) {
          int n = 1;
          while (Files.exists(prefix.resolve(version + "-" + n), LinkOption.NOFOLLOW_LINKS)) {
            n++;
          }
          dirName = version + "-" + n;
        } else {
          fresh = false;
          out.println(
              "jcni install: "
                  + version
                  + (version.equals(currentName)
                      ? " is already the current version"
                      : " is already installed: making it current again")
                  + " in "
                  + prefix
                  + " (--force installs the tree again)");
        }
      }
      Path verDir = prefix.resolve(dirName);
      if (fresh) {
        if (src.startsWith(verDir)) {
          throw new IOException(
              src + " is an unfinished install: install from the unpacked tarball instead");
        }
        if (Files.exists(verDir, LinkOption.NOFOLLOW_LINKS)) {
          // an unfinished earlier install of this version (no completion mark): never current, so
          // it can go
          deleteTree(verDir);
        }
        long t0 = System.nanoTime();
        Path staging = prefix.resolve(STAGING + dirName + "-" + ProcessHandle.current().pid());
        try {
          long bytes = TreeCopy.copy(src, staging);
          Files.move(staging, verDir, StandardCopyOption.ATOMIC_MOVE);
          out.println(
              "jcni install: copied "
                  + src
                  + " to "
                  + verDir
                  + " ("
                  + bytes / 1024
                  + " KiB, "
                  + ms(t0)
                  + " ms)");
        } catch (IOException | RuntimeException e) {
          deleteTree(staging);
          throw e;
        }
        try {
          if (o.archives) {
            train(verDir, o.env);
          }
          smokeTest(verDir, types.isEmpty() ? null : types.iterator().next());
          Files.writeString(verDir.resolve(COMPLETE), version + "\n");
        } catch (IOException | RuntimeException | InterruptedException e) {
          deleteTree(verDir);
          throw e;
        }
      }

      // 2. the bin-dir symlinks under temporary names (fails here, before the flip, if the
      // directory is not ours)
      Manifest m = new Manifest();
      m.binDir = binDir;
      Map<Path, Path> staged = new HashMap<>();
      try {
        for (String t : types) {
          Path link = binDir.resolve(t);
          String target = prefix.resolve(CURRENT).resolve("bin").resolve(t).toString();
          Path tmp = binDir.resolve(".jcni-" + t + ".tmp-" + ProcessHandle.current().pid());
          Files.deleteIfExists(tmp);
          Files.createSymbolicLink(tmp, Path.of(target));
          staged.put(tmp, link);
          m.links.add(new Manifest.Link(link, target));
        }
      } catch (IOException e) {
        for (Path tmp : staged.keySet()) {
          Files.deleteIfExists(tmp);
        }
        if (fresh) {
          deleteTree(verDir);
        }
        throw e;
      }

      // 3. flip current, then the bin-dir names (their target, current/bin/<type>, is the same for
      // every version)
      Path unit = null;
      try {
        unit = o.daemonUnit ? unitPath(o, old) : null;
      } catch (IOException e) {
        for (Path tmp : staged.keySet()) {
          Files.deleteIfExists(tmp);
        }
        if (fresh) {
          deleteTree(verDir);
        }
        throw e;
      }
      flipCurrent(prefix, dirName);
      try {
        for (Map.Entry<Path, Path> e : displace.entrySet()) {
          Files.createDirectories(e.getValue().getParent());
          Files.move(e.getKey(), e.getValue(), StandardCopyOption.ATOMIC_MOVE);
          m.displaced.add(new Manifest.Displaced(e.getKey(), e.getValue()));
        }
        for (Map.Entry<Path, Path> e : staged.entrySet()) {
          Files.move(e.getKey(), e.getValue(), StandardCopyOption.ATOMIC_MOVE);
        }
      } catch (IOException e) {
        // back to the previous version; a link already renamed points at current/bin/<type> of
        // either
        if (currentName != null) {
          flipCurrent(prefix, currentName);
        }
        for (Path tmp : staged.keySet()) {
          Files.deleteIfExists(tmp);
        }
        throw e;
      }
      if (old != null) {
        m.displaced.addAll(old.displaced);
        // types placed before but not selected now: removed if unchanged (else left, and no longer
        // ours)
        for (Manifest.Link l : old.links) {
          if (m.link(l.path()) == null && Manifest.unchanged(l)) {
            Files.delete(l.path());
            out.println("jcni install: removed " + l.path() + " (not selected any more)");
          }
        }
      }

      // 4. the systemd unit of the resident daemon
      m.current = dirName;
      m.previous = dirName.equals(currentName) ? (old == null ? null : old.previous) : currentName;
      if (unit != null) {
        writeUnit(o, unit, prefix, m, old);
      } else {
        out.println(
            "jcni install: no systemd unit ("
                + (o.daemonUnit ? "no systemd here" : "--no-daemon")
                + "); run `"
                + prefix.resolve(CURRENT).resolve("bin/jcni")
                + " daemon` to serve calls resident");
        if (old != null) {
          m.written.addAll(old.written);
        }
      }

      // 5. the manifest, then prune: keep current and previous, remove older versions we installed
      Set<String> keep = new LinkedHashSet<>();
      keep.add(dirName);
      if (m.previous != null) {
        keep.add(m.previous);
      }
      m.versions.addAll(keep);
      List<String> prune = new ArrayList<>();
      if (old != null) {
        for (String v : old.versions) {
          if (!keep.contains(v)) {
            prune.add(v);
          }
        }
      }
      m.write(prefix);
      for (String v : prune) {
        deleteTree(prefix.resolve(v));
        out.println("jcni install: pruned " + prefix.resolve(v));
      }
      out.println(
          "jcni install: "
              + dirName
              + " is current in "
              + prefix
              + "; "
              + types.size()
              + " plugins in "
              + binDir
              + " "
              + types
              + (m.previous == null ? "" : "; previous " + m.previous + " kept"));
    }
  }

  static String readVersion(Path src) throws IOException {
    Path f = src.resolve("VERSION");
    if (!Files.isRegularFile(f)) {
      throw new IOException(src + " has no VERSION file (made by the dist build)");
    }
    String v = Files.readString(f, StandardCharsets.UTF_8).strip();
    if (!VERSION.matcher(v).matches()) {
      throw new IOException(f + ": not a version: '" + v + "'");
    }
    return v;
  }

  /**
   * The plugin types the tree holds: {@code libexec/<type>} launchers with their {@code
   * bin/<type>}.
   */
  static Set<String> treeTypes(Path src) throws IOException {
    Set<String> types = new TreeSet<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(src.resolve("libexec"))) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (!n.equals("jcni-shim")
            && !n.equals("jcni")
            && TYPE.matcher(n).matches()
            && Files.isExecutable(src.resolve("bin").resolve(n))) {
          types.add(n);
        }
      }
    }
    return types;
  }

  private Set<String> selectTypes(Path src, Options o) throws IOException {
    Set<String> all = treeTypes(src);
    if (o.types != null) {
      Set<String> missing = new TreeSet<>(o.types);
      missing.removeAll(all);
      if (!missing.isEmpty()) {
        throw new IOException("no plugin " + missing + " in " + src + " (it has " + all + ")");
      }
      return new TreeSet<>(o.types);
    }
    Set<String> sel = new TreeSet<>(all);
    if (!o.examples) {
      // examples are the SDK's sample plugins: placed only when asked for (--examples or by name in
      // --types)
      Map<String, String> classes = Plugins.classes();
      sel.removeIf(t -> classes.getOrDefault(t, "").startsWith("dev.jcni.examples."));
    }
    return sel;
  }

  /**
   * Every selected name in the bin directory must be free or be our unchanged symlink; anything
   * else is someone else's file (a Go plugin of the same name): refused, or with {@code
   * --overwrite} moved to {@code <prefix>/displaced/} (and put back by uninstall).
   */
  private static Map<Path, Path> checkBinDir(
      Path binDir, Set<String> types, Manifest old, boolean overwrite, Path prefix)
      throws IOException {
    Map<Path, Path> displace = new HashMap<>();
    List<String> foreign = new ArrayList<>();
    for (String t : types) {
      Path p = binDir.resolve(t);
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      Manifest.Link l = old == null ? null : old.link(p);
      if (l != null && Manifest.unchanged(l)) {
        continue;
      }
      if (overwrite) {
        displace.put(p, prefix.resolve("displaced").resolve(t));
      } else {
        foreign.add(p.toString());
      }
    }
    if (!foreign.isEmpty()) {
      throw new IOException(
          "not placed by jcni install, left alone: "
              + String.join(", ", foreign)
              + " (--overwrite moves them to "
              + prefix.resolve("displaced")
              + " and uninstall puts them back,"
              + " or --types picks other plugins)");
    }
    return displace;
  }

  static String currentVersion(Path prefix) {
    try {
      return Files.readSymbolicLink(prefix.resolve(CURRENT)).toString();
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * A relative symlink to {@code dirName} under a temporary name, renamed over {@code current}
   * (rename(2)).
   */
  static void flipCurrent(Path prefix, String dirName) throws IOException {
    Path tmp = prefix.resolve("." + CURRENT + ".tmp-" + ProcessHandle.current().pid());
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, Path.of(dirName));
    Files.move(tmp, prefix.resolve(CURRENT), StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * The class-data archives, for the installed lib/ path and the Java the launchers will run there.
   */
  private void train(Path verDir, Map<String, String> env)
      throws IOException, InterruptedException {
    ArchiveTrainer trainer = ServiceLoader.load(ArchiveTrainer.class).findFirst().orElse(null);
    if (trainer == null) {
      out.println(
          "jcni install: no class-data training in this tree; the plugins run without archives");
      return;
    }
    Path home = javaHome(verDir, env);
    Path lib = verDir.resolve("lib").toRealPath();
    long t0 = System.nanoTime();
    trainer.train(lib, classPath(verDir), treeTypes(verDir), home);
    out.println("jcni install: class-data archives for " + home + " (" + ms(t0) + " ms)");
  }

  /**
   * The launchers' choice: JCNI_JAVA_HOME, else the tree's runtime/, else JAVA_HOME, else java on
   * PATH.
   */
  static Path javaHome(Path tree, Map<String, String> env) throws IOException {
    String explicit = env.get("JCNI_JAVA_HOME");
    if (explicit != null && !explicit.isEmpty()) {
      return Path.of(explicit).toRealPath();
    }
    if (Files.isExecutable(tree.resolve("runtime/bin/java"))) {
      return tree.resolve("runtime").toRealPath();
    }
    String jh = env.get("JAVA_HOME");
    if (jh != null && !jh.isEmpty()) {
      return Path.of(jh).toRealPath();
    }
    for (String d : env.getOrDefault("PATH", "").split(":")) {
      Path j = Path.of(d.isEmpty() ? "." : d, "java");
      if (Files.isExecutable(j)) {
        return j.toRealPath().getParent().getParent();
      }
    }
    return Path.of(System.getProperty("java.home")).toRealPath();
  }

  static List<String> classPath(Path tree) throws IOException {
    String script = Files.readString(tree.resolve("bin/jcni"), StandardCharsets.ISO_8859_1);
    Matcher m = CLASS_PATH.matcher(script);
    if (!m.find()) {
      throw new IOException(tree.resolve("bin/jcni") + ": no launcher class path found");
    }
    List<String> jars = new ArrayList<>();
    for (String e : m.group(1).split(":")) {
      if (!e.isEmpty()) {
        jars.add(e.substring("$lib/".length()));
      }
    }
    return jars;
  }

  /**
   * One call of the new tree, the way the runtime makes it (bin/<type>, direct path), before it
   * becomes current.
   */
  private void smokeTest(Path verDir, String type) throws IOException, InterruptedException {
    if (type == null) {
      return;
    }
    long t0 = System.nanoTime();
    ProcessBuilder pb = new ProcessBuilder(verDir.resolve("bin").resolve(type).toString());
    pb.environment().put("CNI_COMMAND", "VERSION");
    pb.environment().put("JCNI_DIRECT", "1");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    try (java.io.OutputStream in = p.getOutputStream()) {
      in.write("{\"cniVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // it exited without reading its stdin (a broken tree): its exit code and output say why
    }
    byte[] answer;
    try (InputStream in = p.getInputStream()) {
      answer = in.readNBytes(64 * 1024);
    }
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("the new tree's " + type + " did not answer VERSION within 120 s");
    }
    String s = new String(answer, StandardCharsets.UTF_8);
    if (p.exitValue() != 0 || !s.contains("supportedVersions")) {
      throw new IOException(
          "the new tree's " + type + " failed VERSION (exit " + p.exitValue() + "): " + s.strip());
    }
    out.println(
        "jcni install: "
            + verDir.resolve("bin").resolve(type)
            + " answers VERSION ("
            + ms(t0)
            + " ms)");
  }

  // ---------------------------------------------------------------------------------------------------- systemd

  static String unit(Path prefix, String socket) {
    return """
        # Written by `jcni install`; `jcni uninstall` removes it (unless it was changed since).
        [Unit]
        Description=jcni resident CNI plugin server (the plugin shims in the CNI bin directory call it)
        Documentation=https://github.com/jcni/jcni/blob/main/cni-daemon/README.md
        After=local-fs.target
        Before=kubelet.service containerd.service crio.service

        [Service]
        Type=simple
        ExecStart=%s daemon --socket %s
        Restart=always
        RestartSec=1
        # the daemon drains running calls on SIGTERM (its --shutdown-timeout is 30 s)
        TimeoutStopSec=45
        KillMode=mixed

        [Install]
        WantedBy=multi-user.target
        """
        .formatted(prefix.resolve(CURRENT).resolve("bin/jcni"), socket);
  }

  private static boolean systemdPresent(Path systemctl) {
    return systemctl != null || Files.isDirectory(Path.of("/run/systemd/system"));
  }

  /**
   * Where the unit goes: {@code --unit-dir}, else /etc/systemd/system when systemd runs here and is
   * managed; null for none. Refuses a unit file there that we did not write (checked before the
   * flip).
   */
  private Path unitPath(Options o, Manifest old) throws IOException {
    boolean manage = o.systemd && systemdPresent(o.systemctl);
    Path dir = o.unitDir != null ? o.unitDir : (manage ? Path.of("/etc/systemd/system") : null);
    if (dir == null) {
      return null;
    }
    checkPath(dir);
    Files.createDirectories(dir);
    Path unit = dir.toRealPath().resolve(UNIT_NAME);
    Manifest.Written prev = null;
    if (old != null) {
      for (Manifest.Written w : old.written) {
        if (w.path().equals(unit)) {
          prev = w;
        }
      }
    }
    if (Files.exists(unit, LinkOption.NOFOLLOW_LINKS)
        && (prev == null || !Manifest.unchanged(prev))) {
      throw new IOException(
          unit + " exists and was not written by jcni install (or was changed since): left alone");
    }
    return unit;
  }

  private void writeUnit(Options o, Path unit, Path prefix, Manifest m, Manifest old)
      throws IOException, InterruptedException {
    boolean manage = o.systemd && systemdPresent(o.systemctl);
    byte[] text = unit(prefix, o.socket).getBytes(StandardCharsets.UTF_8);
    if (old != null) {
      for (Manifest.Written w : old.written) {
        if (!w.path().equals(unit)) {
          m.written.add(w);
        }
      }
    }
    Path tmp = unit.resolveSibling("." + UNIT_NAME + ".tmp");
    Files.write(tmp, text);
    Files.move(tmp, unit, StandardCopyOption.ATOMIC_MOVE);
    m.written.add(new Manifest.Written(unit, Manifest.sha256(text)));
    out.println("jcni install: wrote " + unit);
    if (manage) {
      systemctl(o.systemctl, "daemon-reload");
      systemctl(o.systemctl, "enable", UNIT_NAME);
      // restart: a running daemon picks up the new version (it drains its calls first); a stopped
      // one starts
      systemctl(o.systemctl, "restart", UNIT_NAME);
    }
  }

  private void systemctl(Path systemctl, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(systemctl != null ? systemctl.toString() : "systemctl");
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", cmd) + ": no answer within 120 s");
    }
    if (p.exitValue() != 0) {
      throw new IOException(
          String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): " + log.strip());
    }
    out.println("jcni install: " + String.join(" ", cmd));
  }

  // -------------------------------------------------------------------------------------------------- uninstall

  /**
   * Removes what the manifest lists; returns the number of entries left alone because they changed.
   */
  int uninstall(Path prefixArg, boolean systemd, Path systemctl)
      throws IOException, InterruptedException {
    if (!Files.isDirectory(prefixArg)) {
      throw new IOException("nothing installed in " + prefixArg);
    }
    Path prefix = prefixArg.toRealPath();
    int kept = 0;
    try (FileChannel lockFile =
            FileChannel.open(
                prefix.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockFile.tryLock()) {
      if (lock == null) {
        throw new IOException("another jcni install or uninstall is running on " + prefix);
      }
      Manifest m = Manifest.read(prefix);
      if (m == null) {
        throw new IOException(
            "no " + prefix.resolve(Manifest.FILE) + ": nothing installed by jcni install here");
      }
      boolean manage = systemd && systemdPresent(systemctl);
      for (Manifest.Written w : m.written) {
        if (manage && w.path().getFileName().toString().equals(UNIT_NAME)) {
          systemctlQuiet(systemctl, "disable", "--now", UNIT_NAME);
        }
        kept += remove(w.path(), Manifest.unchanged(w));
        if (manage) {
          systemctlQuiet(systemctl, "daemon-reload");
        }
      }
      for (Manifest.Link l : m.links) {
        kept += remove(l.path(), Manifest.unchanged(l));
      }
      for (Manifest.Displaced d : m.displaced) {
        if (!Files.exists(d.path(), LinkOption.NOFOLLOW_LINKS)
            && Files.exists(d.saved(), LinkOption.NOFOLLOW_LINKS)) {
          Files.move(d.saved(), d.path(), StandardCopyOption.ATOMIC_MOVE);
          out.println("jcni uninstall: put back " + d.path());
        } else {
          out.println("jcni uninstall: left " + d.saved() + " (" + d.path() + " is taken)");
          kept++;
        }
      }
      if (kept > 0) {
        // keep the tree the remaining links may still point to, and the manifest that says what is
        // ours
        out.println("jcni uninstall: " + kept + " changed entries left alone; " + prefix + " kept");
        return kept;
      }
      Files.deleteIfExists(prefix.resolve(CURRENT));
      for (String v : m.versions) {
        deleteTree(prefix.resolve(v));
      }
      Files.deleteIfExists(prefix.resolve("displaced"));
      Files.delete(prefix.resolve(Manifest.FILE));
      out.println("jcni uninstall: removed " + m.versions + " from " + prefix);
    }
    Files.deleteIfExists(prefix.resolve(".lock"));
    try {
      Files.deleteIfExists(prefix);
    } catch (java.nio.file.DirectoryNotEmptyException e) {
      out.println("jcni uninstall: " + prefix + " holds other files: left");
    }
    return kept;
  }

  private int remove(Path p, boolean unchanged) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    if (!unchanged) {
      out.println("jcni uninstall: " + p + " changed since install: left alone");
      return 1;
    }
    Files.delete(p);
    out.println("jcni uninstall: removed " + p);
    return 0;
  }

  private void systemctlQuiet(Path systemctl, String... args) throws InterruptedException {
    try {
      systemctl(systemctl, args);
    } catch (IOException e) {
      out.println("jcni uninstall: " + e.getMessage());
    }
  }

  // ---------------------------------------------------------------------------------------------------- helpers

  private static void checkPath(Path p) throws IOException {
    String s = p.toString();
    if (s.indexOf('\t') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
      throw new IOException("a path with a tab or line break is not supported: " + s.strip());
    }
  }

  private static void removeStaging(Path prefix) throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(prefix, STAGING + "*")) {
      for (Path p : ds) {
        deleteTree(p);
      }
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
        .isDirectory()) {
      Files.delete(p);
      return;
    }
    try (Stream<Path> w = Files.walk(p)) {
      for (Path q : w.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }

  private static long ms(long t0) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
  }
}
