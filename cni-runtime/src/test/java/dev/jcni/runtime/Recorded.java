package dev.jcni.runtime;

import dev.jcni.spec.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One call recorded by {@link RecorderPlugin}. */
record Recorded(String command, String tag, Map<String, Object> env, String stdinRaw) {

  @SuppressWarnings("unchecked")
  Map<String, Object> stdin() {
    return Json.parseObject(stdinRaw.getBytes(StandardCharsets.UTF_8));
  }

  String env(String key) {
    return (String) env.get(key);
  }

  @SuppressWarnings("unchecked")
  static List<Recorded> read(Path file) throws IOException {
    List<Recorded> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      Map<String, Object> m = Json.parseObject(line.getBytes(StandardCharsets.UTF_8));
      out.add(
          new Recorded(
              (String) m.get("command"),
              (String) m.get("tag"),
              (Map<String, Object>) m.get("env"),
              (String) m.get("stdin")));
    }
    return out;
  }

  /** Reads and empties the file. */
  static List<Recorded> drain(Path file) throws IOException {
    List<Recorded> out = read(file);
    Files.deleteIfExists(file);
    return out;
  }
}
