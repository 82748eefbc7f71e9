package dev.jcni.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.spec.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class VersionInfoTest {
  static Stream<Path> mainFixtures() throws IOException {
    return list(Fixtures.dir("version"));
  }

  static Stream<Path> v112Fixtures() throws IOException {
    return list(Fixtures.dir("version").resolve("libcni-1.1.2"));
  }

  private static Stream<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> files =
          s.filter(p -> p.getFileName().toString().startsWith("VERSION__")).sorted().toList();
      assertThat(files).hasSize(10);
      return files.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("mainFixtures")
  void ourAnswerIsByteIdenticalToLibcniMain(Path file) throws IOException {
    Map<String, Object> f = Json.parseObject(Files.readAllBytes(file));
    assertThat(new String(VersionInfo.all().toJson(), StandardCharsets.UTF_8))
        .isEqualTo(f.get("stdout"));
    VersionInfo decoded =
        VersionInfo.decode(((String) f.get("stdout")).getBytes(StandardCharsets.UTF_8));
    assertThat(decoded).isEqualTo(VersionInfo.all());
    assertThat(decoded.versions()).isEqualTo(CniVersion.ALL);
  }

  @ParameterizedTest
  @MethodSource("v112Fixtures")
  void decodesLibcni112Answers(Path file) throws IOException {
    Map<String, Object> f = Json.parseObject(Files.readAllBytes(file));
    VersionInfo v = VersionInfo.decode(((String) f.get("stdout")).getBytes(StandardCharsets.UTF_8));
    assertThat(v.cniVersion()).isEqualTo("1.0.0");
    assertThat(v.supports("1.0.0")).isTrue();
    assertThat(v.supports(CniVersion.V1_1_0)).isFalse();
    assertThat(v.toMap()).isEqualTo(f.get("expected"));
    // a plugin restricted to 0.1.0..1.0.0 would print the same list under our label
    assertThat(VersionInfo.of(CniVersion.ALL.subList(0, 6)).supportedVersions())
        .isEqualTo(v.supportedVersions());
  }

  @Test
  void legacyRules() {
    VersionInfo legacy =
        VersionInfo.decode("{\"cniVersion\":\"0.2.0\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(legacy.supportedVersions()).containsExactly("0.1.0", "0.2.0");
    assertThatThrownBy(
            () -> VersionInfo.decode("{\"cniVersion\":\"0.3.0\"}".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("decoding version info: missing field supportedVersions");
    assertThatThrownBy(
            () ->
                VersionInfo.decode(
                    "{\"supportedVersions\":[\"0.1.0\"]}".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("decoding version info: missing field cniVersion");
    assertThatThrownBy(() -> VersionInfo.decode("nope".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(CniException.class, e -> assertThat(e.code()).isEqualTo(6));
    assertThat(VersionInfo.forLegacyPlugin().supportedVersions()).containsExactly("0.1.0");
    VersionInfo odd =
        VersionInfo.decode(
            "{\"cniVersion\":\"1.1.0\",\"supportedVersions\":[\"1.1.0\",\"2.0\"]}"
                .getBytes(StandardCharsets.UTF_8));
    assertThat(odd.versions()).containsExactly(CniVersion.V1_1_0);
  }
}
