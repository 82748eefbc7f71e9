package dev.jcni.examples;

import static dev.jcni.testkit.CniAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.spec.json.Json;
import dev.jcni.testkit.CniOutcome;
import dev.jcni.testkit.CniRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebugPluginTest {
  @TempDir Path tmp;

  final CniRunner run = CniRunner.of(new DebugPlugin()).containerId("c1").ifname("eth0");

  @Test
  @SuppressWarnings("unchecked")
  void headOfChainGivesAnEmptyResultAndRecordsTheCall() throws IOException {
    Path out = tmp.resolve("calls.jsonl");
    String conf =
        "{\"cniVersion\":\"1.0.0\",\"name\":\"dbg\",\"type\":\"debug\",\"cniOutput\":\""
            + out
            + "\"}";
    CniOutcome r = run.add(conf);
    assertThat(r).succeeded();
    assertThat(r.json()).containsEntry("cniVersion", "1.0.0");
    List<String> lines = Files.readAllLines(out);
    assertThat(lines).hasSize(1);
    Map<String, Object> line = Json.parseObject(lines.get(0).getBytes(StandardCharsets.UTF_8));
    assertThat(line).containsEntry("command", "ADD").containsEntry("stdin", conf);
    assertThat((Map<String, Object>) line.get("env"))
        .containsEntry("CNI_CONTAINERID", "c1")
        .containsEntry("CNI_IFNAME", "eth0");
  }

  @Test
  void passesPrevResultThroughAndRecordsEveryVerb() throws IOException {
    Path out = tmp.resolve("calls.jsonl");
    String prev =
        "{\"cniVersion\":\"1.1.0\",\"ips\":[{\"address\":\"10.0.0.5/24\",\"gateway\":\"10.0.0.1\"}]}";
    String conf =
        "{\"cniVersion\":\"1.1.0\",\"name\":\"dbg\",\"type\":\"debug\",\"cniOutput\":\""
            + out
            + "\",\"prevResult\":"
            + prev
            + "}";
    CniOutcome add = run.add(conf);
    assertThat(add.json().get("ips"))
        .isEqualTo(Json.parseObject(prev.getBytes(StandardCharsets.UTF_8)).get("ips"));
    assertThat(run.check(conf)).succeeded();
    assertThat(run.del(conf)).succeeded();
    assertThat(run.gc(conf)).succeeded();
    assertThat(run.status(conf)).succeeded();
    assertThat(Files.readAllLines(out)).hasSize(5).allMatch(l -> l.startsWith("{\"command\":"));
  }

  @Test
  void withoutCniOutputNothingIsWritten() {
    CniOutcome r = run.del("{\"cniVersion\":\"1.0.0\",\"name\":\"d\"}");
    assertThat(r).succeeded();
    assertThat(r.stdout()).isEmpty();
  }

  @Test
  void unwritableOutputIsAnIoError() {
    String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"d\",\"cniOutput\":\"/nonexistent/dir/x\"}";
    assertThat(run.add(conf)).failedWith(5).hasMessageContaining("cniOutput: ");
  }
}
