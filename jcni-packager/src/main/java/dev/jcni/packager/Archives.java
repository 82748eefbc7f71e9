package dev.jcni.packager;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Class-data archives for the launchers: for JDK 17-18 a dynamic AppCDS archive ({@code
 * -XX:ArchiveClassesAtExit}), for JDK ≥ 25 an AOT cache ({@code -XX:AOTCacheOutput}), each trained
 * by {@link Train} on the launchers' exact class path and named after the JDK's {@code
 * JAVA_RUNTIME_VERSION} so a launcher only ever uses one made by the same JDK build. JDK 19-24 need
 * nothing here: the launcher lets them create one on first use ({@code
 * -XX:+AutoCreateSharedArchive}). A failed training only costs speed, never the build.
 */
final class Archives {
  private Archives() {}

  static void build(
      Path lib,
      List<String> jars,
      Set<String> types,
      String buildJdk,
      String extraJdks,
      String jvmDir,
      Consumer<String> log) {
    Set<Path> homes = new LinkedHashSet<>();
    homes.add(Path.of(buildJdk));
    for (String s : extraJdks.split(",")) {
      if (!s.isBlank()) {
        homes.add(Path.of(s.trim()));
      }
    }
    // JDKs >= 25 found here get their own AOT caches; none (or empty) turns that off (test trees)
    Path jvms =
        jvmDir == null || jvmDir.isBlank() || jvmDir.equals("none") ? null : Path.of(jvmDir);
    if (jvms != null && Files.isDirectory(jvms)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(jvms)) {
        for (Path p : ds) {
          if (!Files.isSymbolicLink(p) && major(release(p)) >= 25) {
            homes.add(p);
          }
        }
      } catch (IOException ignored) {
        // no extra JDKs then
      }
    }
    for (Path home : homes) {
      try {
        train(lib, jars, types, home.toRealPath(), log);
      } catch (IOException | RuntimeException e) {
        log.accept("no class-data archive for " + home + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  static Map<String, String> release(Path javaHome) {
    Map<String, String> m = new java.util.HashMap<>();
    try {
      for (String line : Files.readAllLines(javaHome.resolve("release"))) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          m.put(line.substring(0, eq), line.substring(eq + 1).replace("\"", ""));
        }
      }
    } catch (IOException ignored) {
      // not a JDK
    }
    return m;
  }

  static int major(Map<String, String> release) {
    String v = release.getOrDefault("JAVA_VERSION", "");
    int dot = v.indexOf('.');
    try {
      return Integer.parseInt(dot < 0 ? v : v.substring(0, dot));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * One JDK; also what {@code jcni install} runs for the installed location (through {@link
   * InstallTraining}).
   */
  static void train(Path lib, List<String> jars, Set<String> types, Path home, Consumer<String> log)
      throws IOException, InterruptedException {
    Map<String, String> rel = release(home);
    int major = major(rel);
    String rt = rel.get("JAVA_RUNTIME_VERSION");
    if (rt == null || major < 0) {
      throw new IOException("no JAVA_VERSION/JAVA_RUNTIME_VERSION in " + home.resolve("release"));
    }
    if (major >= 25) {
      // one AOT cache per type: the JVM loads every class of its cache at start, so a shared one
      // would make the
      // light plugins pay for the heavy ones (measured: debug ADD 100 -> 76 ms CPU)
      for (String type : types) {
        run(
            lib,
            jars,
            home,
            lib.resolve("jcni-" + rt + "-" + type + ".aot"),
            List.of(type),
            log,
            "-XX:AOTCacheOutput=",
            "-Djdk.reflect.useNativeAccessorOnly=true",
            "--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow");
      }
    } else if (major < 19) {
      // classes come from a dynamic archive only when used, so one archive serves every type
      run(
          lib,
          jars,
          home,
          lib.resolve("jcni-" + rt + ".jsa"),
          List.copyOf(types),
          log,
          "-XX:ArchiveClassesAtExit=");
    }
    // JDK 19-24: the launcher uses -XX:+AutoCreateSharedArchive
  }

  private static void run(
      Path lib,
      List<String> jars,
      Path home,
      Path out,
      List<String> types,
      Consumer<String> log,
      String outOption,
      String... extra)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(home.resolve("bin/java").toString());
    for (String o : Generate.JVM_OPTS.split(" ")) {
      cmd.add(o);
    }
    cmd.add(outOption + out);
    if (Files.isRegularFile(lib.resolve(Generate.JFFI_DIR).resolve("libjffi-1.2.so"))) {
      cmd.add("-Djffi.boot.library.path=" + lib.resolve(Generate.JFFI_DIR)); // as the launcher runs
    }
    cmd.addAll(List.of(extra));
    cmd.add("-Xlog:disable");
    cmd.add("-Xlog:all=warning:stderr");
    cmd.add("-cp");
    cmd.add(Generate.classPath(jars, lib.toString()));
    cmd.add(Train.class.getName());
    cmd.addAll(types);
    // AOT cache creation reports progress on stdout: keep it out of the build log unless it fails
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("LC_ALL", "C.UTF-8"); // as the launcher runs
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0 || !Files.isRegularFile(out)) {
      p.destroyForcibly();
      Files.deleteIfExists(out);
      throw new IOException(
          "training failed (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + "): " + output);
    }
    // a type whose training failed (a bad resource, a failing hook) still gets the generic part:
    // say so
    output.lines().filter(l -> l.startsWith("jcni train: ")).distinct().forEach(log);
    log.accept("class-data archive " + out.getFileName() + " (" + Files.size(out) / 1024 + " KiB)");
  }
}
