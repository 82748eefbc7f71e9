package dev.jcni.packager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.packager.TrainingSpec.Sample;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingSpecTest {
  private static TrainingSpec parse(String json) throws IOException {
    return TrainingSpec.parse(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "t.json");
  }

  @Test
  void callsExpandOverVersionsThenCommandsWithPlaceholdersReplaced() throws IOException {
    TrainingSpec s =
        parse(
            """
        {"netlink": false, "hook": "org.example.Hook",
         "calls": [{"commands": ["ADD", "DEL"], "versions": ["1.1.0", "0.4.0"],
                    "env": {"CNI_ARGS": "K=${type}", "X": "${tmpdir}/x"},
                    "stdin": {"cniVersion": "${cniVersion}", "name": "n", "type": "${type}",
                              "dataDir": "${tmpdir}", "list": [1, true, null]}}]}""");
    assertThat(s.netlink()).isFalse();
    assertThat(s.hook()).isEqualTo("org.example.Hook");
    List<Sample> samples = s.samples("route", "/tmp/t1");
    assertThat(samples).extracting(Sample::command).containsExactly("ADD", "DEL", "ADD", "DEL");
    assertThat(samples.get(0).stdin())
        .isEqualTo(
            "{\"cniVersion\":\"1.1.0\",\"name\":\"n\",\"type\":\"route\",\"dataDir\":\"/tmp/t1\",\"list\":[1,true,null]}");
    assertThat(samples.get(2).stdin()).startsWith("{\"cniVersion\":\"0.4.0\"");
    assertThat(samples.get(3).env())
        .containsExactly(Map.entry("CNI_ARGS", "K=route"), Map.entry("X", "/tmp/t1/x"));
    assertThat(samples).extracting(Sample::netns).containsOnly(false);
  }

  @Test
  void aStringStdinIsTakenVerbatimAndOneCommandWithoutVersionsIsOneCall() throws IOException {
    TrainingSpec s =
        parse("{\"calls\": [{\"command\": \"ADD\", \"netns\": true, \"stdin\": \"{not json\"}]}");
    assertThat(s.netlink()).isNull(); // the default: warm-up when cni-netlink is on the class path
    assertThat(s.hook()).isNull();
    assertThat(s.samples("x", "/tmp"))
        .containsExactly(new Sample("ADD", Map.of(), "{not json", true));
  }

  @Test
  void anEmptyObjectTrainsNothingExtra() throws IOException {
    TrainingSpec s = parse("{}");
    assertThat(s.calls()).isEmpty();
    assertThat(s.samples("x", "/tmp")).isEmpty();
  }

  @Test
  void mistakesAreReportedWithTheKeyAndTheFile() {
    assertThatThrownBy(() -> parse("{\"netlnk\": false}"))
        .isInstanceOf(IOException.class)
        .hasMessage("t.json: unknown key \"netlnk\"");
    assertThatThrownBy(() -> parse("{\"calls\": [{\"command\": \"ADD\", \"stdn\": {}}]}"))
        .hasMessage("t.json: calls[0]: unknown key \"stdn\"");
    assertThatThrownBy(() -> parse("{\"calls\": [{\"stdin\": {}}]}"))
        .hasMessage("t.json: calls[0]: \"command\" or \"commands\" is required");
    assertThatThrownBy(() -> parse("{\"calls\": [{\"command\": \"ADD\", \"env\": {\"A\": 1}}]}"))
        .hasMessage("t.json: calls[0]: \"env.A\" must be a string");
    assertThatThrownBy(() -> parse("{\"netlink\": \"no\"}"))
        .hasMessage("t.json: \"netlink\" must be true or false");
    assertThatThrownBy(() -> parse("{\"calls\": {}}"))
        .hasMessage("t.json: \"calls\" must be an array");
    assertThatThrownBy(() -> parse("[]"))
        .hasMessage("t.json: a training resource is a JSON object");
  }

  @Test
  void theResourceOfATypeIsFoundByItsName() {
    assertThat(TrainingSpec.resource("host-local"))
        .isEqualTo("META-INF/jcni/training/host-local.json");
  }
}
