package dev.jcni.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.spec.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebugPluginTest {
  @TempDir
  Path tmp;

  @Test
  @SuppressWarnings("unchecked")
  void headOfChainGivesAnEmptyResultAndRecordsTheCall() throws IOException {
    Path out = tmp.resolve("calls.jsonl");
    String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"dbg\",\"type\":\"debug\",\"cniOutput\":\"" + out + "\"}";
    Run r = Run.call(new DebugPlugin(), Run.env("ADD", "c1", "eth0"), conf);
    assertThat(r.exit()).as(r.stdout()).isZero();
    assertThat(r.json()).containsEntry("cniVersion", "1.0.0");
    List<String> lines = Files.readAllLines(out);
    assertThat(lines).hasSize(1);
    Map<String, Object> line = Json.parseObject(lines.get(0).getBytes(StandardCharsets.UTF_8));
    assertThat(line).containsEntry("command", "ADD").containsEntry("stdin", conf);
    assertThat((Map<String, Object>) line.get("env")).containsEntry("CNI_CONTAINERID", "c1").containsEntry("CNI_IFNAME", "eth0");
  }

  @Test
  void passesPrevResultThroughAndRecordsEveryVerb() throws IOException {
    Path out = tmp.resolve("calls.jsonl");
    String prev = "{\"cniVersion\":\"1.1.0\",\"ips\":[{\"address\":\"10.0.0.5/24\",\"gateway\":\"10.0.0.1\"}]}";
    String conf = "{\"cniVersion\":\"1.1.0\",\"name\":\"dbg\",\"type\":\"debug\",\"cniOutput\":\"" + out
        + "\",\"prevResult\":" + prev + "}";
    Run add = Run.call(new DebugPlugin(), Run.env("ADD", "c1", "eth0"), conf);
    assertThat(add.json().get("ips")).isEqualTo(Json.parseObject(prev.getBytes(StandardCharsets.UTF_8)).get("ips"));
    assertThat(Run.call(new DebugPlugin(), Run.env("CHECK", "c1", "eth0"), conf).exit()).isZero();
    assertThat(Run.call(new DebugPlugin(), Run.env("DEL", "c1", "eth0"), conf).exit()).isZero();
    assertThat(Run.call(new DebugPlugin(), Map.of("CNI_COMMAND", "GC", "CNI_PATH", "/x"), conf).exit()).isZero();
    assertThat(Run.call(new DebugPlugin(), Map.of("CNI_COMMAND", "STATUS", "CNI_PATH", "/x"), conf).exit()).isZero();
    assertThat(Files.readAllLines(out)).hasSize(5).allMatch(l -> l.startsWith("{\"command\":"));
  }

  @Test
  void withoutCniOutputNothingIsWritten() {
    Run r = Run.call(new DebugPlugin(), Run.env("DEL", "c1", "eth0"), "{\"cniVersion\":\"1.0.0\",\"name\":\"d\"}");
    assertThat(r.exit()).isZero();
    assertThat(r.stdout()).isEmpty();
  }

  @Test
  void unwritableOutputIsAnIoError() {
    String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"d\",\"cniOutput\":\"/nonexistent/dir/x\"}";
    Run r = Run.call(new DebugPlugin(), Run.env("ADD", "c1", "eth0"), conf);
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.json()).containsEntry("code", 5L);
    assertThat((String) r.json().get("msg")).startsWith("cniOutput: ");
  }
}
