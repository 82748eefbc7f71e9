package dev.jcni.examples;

import static dev.jcni.testkit.CniAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.spec.json.Json;
import dev.jcni.testkit.CniRunner;
import dev.jcni.testkit.Conf;
import dev.jcni.testkit.VersionMatrix;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MyCniPluginTest {
  @TempDir Path data;

  /**
   * The tutorial's conflist entry as a runtime hands it to the plugin; only {@code dataDir} points
   * elsewhere.
   */
  Conf tutorial() {
    return Conf.plugin("mycni")
        .version("0.3.1")
        .name("mynet")
        .put("subnet", "10.40.0.0/16")
        .put("gateway", "10.40.0.1")
        .put("dataDir", data.toString());
  }

  /**
   * The seed tutorial's conflist, character for character (the first json block of its 配置与部署
   * section).
   */
  static final String TUTORIAL_CONFLIST =
      ""
          + "{\n"
          + "    \"cniVersion\": \"0.3.1\",\n"
          + "    \"name\": \"mynet\",\n"
          + "    \"plugins\": [\n"
          + "        {\n"
          + "            \"type\": \"mycni\",\n"
          + "            \"subnet\": \"10.40.0.0/16\",\n"
          + "            \"gateway\": \"10.40.0.1\",\n"
          + "            \"dataDir\": \"/var/lib/cni\"\n"
          + "        }\n"
          + "    ]\n"
          + "}";

  @Test
  void theTestsUseTheTutorialsConflistAsWritten() throws Exception {
    // the tutorial's own conflist, copied verbatim into the test resources (see tutorial/README.md)
    String text;
    try (var in = MyCniPluginTest.class.getResourceAsStream("/tutorial/mynet.conflist")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(text).isEqualTo(TUTORIAL_CONFLIST + "\n");
    // what a runtime hands the plugin: the list's name and cniVersion injected into the entry; only
    // dataDir differs
    Map<String, Object> list = Json.parseObject(TUTORIAL_CONFLIST.getBytes(StandardCharsets.UTF_8));
    @SuppressWarnings("unchecked")
    Map<String, Object> entry = ((List<Map<String, Object>>) list.get("plugins")).get(0);
    Map<String, Object> ours = new java.util.HashMap<>(tutorial().tree());
    Map<String, Object> theirs = new java.util.HashMap<>(entry);
    theirs.put("name", "mynet");
    theirs.put("cniVersion", "0.3.1");
    ours.remove("dataDir");
    theirs.remove("dataDir");
    assertThat(ours).isEqualTo(theirs);
  }

  // ------------------------------------------------------------------ no root needed: config
  // handling

  @ParameterizedTest
  @CsvSource({
    "'',,subnet",
    "10.0.0.0,,subnet",
    "10.0.0.0/33,,subnet",
    "300.0.0.0/8,,subnet",
    "10.0.0.0/31,,subnet",
    "fd00::/64,,subnet",
    "10.0.0.0/24,10.0.1.1,gateway",
    "10.0.0.0/24,10.0.0.255,gateway",
    "10.0.0.0/24,nope,gateway"
  })
  void badConfigIsCode7NamingTheKey(String subnet, String gateway, String key) {
    Conf c = tutorial().put("subnet", subnet).put("gateway", gateway);
    assertThat(CniRunner.of(new MyCniPlugin()).add(c.json()))
        .failedWith(7)
        .hasMessageContaining(key);
  }

  @TestFactory
  Stream<DynamicTest> configErrorsAtEveryVersionMycniSupports() {
    return VersionMatrix.of(new MyCniPlugin())
        .tests(
            v ->
                assertThat(
                        CniRunner.of(new MyCniPlugin())
                            .add(tutorial().version(v).put("gateway", "10.41.0.1").json()))
                    .failedWith(7)
                    .hasCniVersion(v.toString())
                    .hasMessageContaining(
                        "gateway: 10.41.0.1 is not a host address of subnet 10.40.0.0/16"));
  }

  @Test
  void misspeltAndMissingKeysAreNamed() {
    String typo = tutorial().put("subnett", "10.1.0.0/16").json();
    assertThat(CniRunner.of(new MyCniPlugin()).add(typo))
        .failedWith(7)
        .hasMessageContaining("unknown key \"subnett\" (did you mean \"subnet\"?)");
    String missing = tutorial().put("subnet", null).json();
    assertThat(CniRunner.of(new MyCniPlugin()).add(missing))
        .failedWith(7)
        .hasMessageContaining("\"subnet\": required");
    String badBridge = tutorial().put("bridge", "much-too-long-name").json();
    assertThat(CniRunner.of(new MyCniPlugin()).add(badBridge))
        .failedWith(7)
        .hasMessageContaining("bridge");
  }

  @Test
  void statusIsCode50WhenTheSubnetIsFull() throws Exception {
    String c =
        tutorial().version("1.1.0").put("subnet", "10.41.0.0/30").put("gateway", null).json();
    assertThat(CniRunner.of(new MyCniPlugin()).status(c)).succeeded();
    Path dir = Files.createDirectories(data.resolve("mycni/mynet"));
    Files.writeString(dir.resolve("10.41.0.2"), "c1\neth0\n");
    assertThat(CniRunner.of(new MyCniPlugin()).status(c))
        .failedWith(50)
        .hasMessageContaining("10.41.0.0/30");
    // GC keeps valid attachments and drops the rest
    String gcKeep =
        tutorial()
            .version("1.1.0")
            .put("subnet", "10.41.0.0/30")
            .put("gateway", null)
            .validAttachments("c1", "eth0")
            .json();
    assertThat(CniRunner.of(new MyCniPlugin()).gc(gcKeep)).succeeded();
    assertThat(dir.resolve("10.41.0.2")).exists();
    String gcNone =
        tutorial()
            .version("1.1.0")
            .put("subnet", "10.41.0.0/30")
            .put("gateway", null)
            .validAttachments()
            .json();
    assertThat(CniRunner.of(new MyCniPlugin()).gc(gcNone)).succeeded();
    assertThat(dir.resolve("10.41.0.2")).doesNotExist();
    assertThat(CniRunner.of(new MyCniPlugin()).status(c)).succeeded();
  }
}
