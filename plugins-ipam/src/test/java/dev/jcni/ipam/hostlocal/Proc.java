package dev.jcni.ipam.hostlocal;

import dev.jcni.spec.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs host-local as a real process: ours (java -cp ... dev.jcni.api.Main) or Go's binary. */
final class Proc {
  static final Path GO = Path.of("/usr/lib/cni/host-local");

  record Out(int exit, String stdout, String stderr) {
    Map<String, Object> json() {
      return Json.parseObject(stdout.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
      return "exit " + exit + "\nstdout: " + stdout + "\nstderr: " + stderr;
    }
  }

  private Proc() {}

  static boolean goAvailable() {
    return Files.isExecutable(GO);
  }

  /**
   * Our plugin from the test class path (always the code under test, unlike a possibly stale
   * dist/bin).
   */
  static List<String> ours() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-XX:+UseSerialGC");
    // as the dist launcher does: a JVM warning (e.g. under the load of 32 JVMs) must not land on
    // stdout
    cmd.add("-Xlog:disable");
    cmd.add("-Xlog:all=warning:stderr");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("-Djcni.plugin=host-local");
    cmd.add("dev.jcni.api.Main");
    return cmd;
  }

  static List<String> go() {
    return List.of(GO.toString());
  }

  private static synchronized Path netnsStandIn(Path dir) throws IOException {
    Path p = dir.resolve("netns-stand-in");
    if (!Files.exists(p)) {
      Files.createFile(p);
    }
    return p;
  }

  static Out run(List<String> cmd, String command, String id, String stdin, Path dir)
      throws Exception {
    return run(cmd, command, id, "eth0", Map.of(), stdin, dir);
  }

  static Out run(
      List<String> cmd,
      String command,
      String id,
      String ifname,
      Map<String, String> extraEnv,
      String stdin,
      Path dir)
      throws Exception {
    Path outFile = dir.resolve("out-" + System.nanoTime() + "-" + Thread.currentThread().getId());
    Path errFile = Path.of(outFile + ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("CNI_"));
    Map<String, String> e = new HashMap<>();
    e.put("CNI_COMMAND", command);
    e.put("CNI_CONTAINERID", id);
    // host-local never enters CNI_NETNS; any existing path but our own netns (skel's code 8 check)
    // will do
    e.put("CNI_NETNS", netnsStandIn(dir).toString());
    e.put("CNI_IFNAME", ifname);
    e.put("CNI_PATH", "/usr/lib/cni");
    e.putAll(extraEnv);
    e.forEach(
        (k, v) -> {
          if (v == null) {
            env.remove(k);
          } else {
            env.put(k, v);
          }
        });
    pb.redirectOutput(outFile.toFile());
    pb.redirectError(errFile.toFile());
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("plugin process timed out: " + cmd);
    }
    try {
      return new Out(p.exitValue(), Files.readString(outFile), Files.readString(errFile));
    } finally {
      Files.deleteIfExists(outFile);
      Files.deleteIfExists(errFile);
    }
  }
}
