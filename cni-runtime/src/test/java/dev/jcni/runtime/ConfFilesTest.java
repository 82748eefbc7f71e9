package dev.jcni.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.spec.CniException;
import dev.jcni.spec.GoVersions;
import dev.jcni.spec.NetConf;
import dev.jcni.spec.NetConfList;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libcni's conf.go rules: parsing, cniVersions negotiation, flags, directory loading and drop-ins.
 */
class ConfFilesTest {
  @TempDir Path dir;

  private static NetConfList parse(String json) {
    return NetConfList.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private void write(String name, String json) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, json);
  }

  private static int code(Throwable t) {
    return ((CniException) t).code();
  }

  @Test
  void parsesNameVersionFlagsAndPluginsInOrder() {
    NetConfList l =
        parse(
            """
        {"cniVersion":"1.0.0","name":"net1","disableCheck":"TRUE","disableGC":true,
         "plugins":[{"type":"bridge","bridge":"br0"},{"type":"portmap","capabilities":{"portMappings":true}}]}""");
    assertThat(l.name()).isEqualTo("net1");
    assertThat(l.cniVersionString()).isEqualTo("1.0.0");
    assertThat(l.disableCheck()).isTrue();
    assertThat(l.disableGC()).isTrue();
    assertThat(l.loadOnlyInlinedPlugins()).isFalse();
    assertThat(l.plugins()).extracting(NetConf::type).containsExactly("bridge", "portmap");
    assertThat(l.plugins().get(0).raw()).containsEntry("bridge", "br0");
    assertThat(l.plugins().get(1).capabilities()).containsEntry("portMappings", true);
  }

  @Test
  void missingOrBadNameIsInvalidConfig() {
    assertThatThrownBy(() -> parse("{\"cniVersion\":\"1.0.0\",\"plugins\":[{\"type\":\"x\"}]}"))
        .satisfies(t -> assertThat(code(t)).isEqualTo(7))
        .hasMessageContaining("no name");
    assertThatThrownBy(() -> parse("{\"name\":5,\"plugins\":[{\"type\":\"x\"}]}"))
        .satisfies(t -> assertThat(code(t)).isEqualTo(7))
        .hasMessageContaining("invalid name type");
    assertThatThrownBy(() -> parse("{\"name\":\"n\""))
        .satisfies(t -> assertThat(code(t)).isEqualTo(6));
  }

  @Test
  void cniVersionsPicksTheHighestNotAboveCurrent() {
    assertThat(
            parse(
                    "{\"name\":\"n\",\"cniVersion\":\"0.4.0\",\"cniVersions\":[\"0.3.1\",\"1.0.0\",\"2.5.0\"],"
                        + "\"plugins\":[{\"type\":\"x\"}]}")
                .cniVersionString())
        .isEqualTo("1.0.0");
    // cniVersion itself above current is dropped too
    assertThat(
            parse(
                    "{\"name\":\"n\",\"cniVersion\":\"3.0.0\",\"cniVersions\":[\"0.4.0\"],"
                        + "\"plugins\":[{\"type\":\"x\"}]}")
                .cniVersionString())
        .isEqualTo("0.4.0");
    assertThat(
            parse(
                    "{\"name\":\"n\",\"cniVersions\":[\"1.1.0\",\"0.3.0\"],\"plugins\":[{\"type\":\"x\"}]}")
                .cniVersionString())
        .isEqualTo("1.1.0");
    // nothing usable: cniVersion stays as written
    assertThat(
            parse(
                    "{\"name\":\"n\",\"cniVersion\":\"9.0.0\",\"cniVersions\":[\"8.0.0\"],"
                        + "\"plugins\":[{\"type\":\"x\"}]}")
                .cniVersionString())
        .isEqualTo("9.0.0");
    // without cniVersions there is no negotiation at all
    assertThat(
            parse("{\"name\":\"n\",\"cniVersion\":\"9.0.0\",\"plugins\":[{\"type\":\"x\"}]}")
                .cniVersionString())
        .isEqualTo("9.0.0");
  }

  @Test
  void malformedCniVersionsEntryIsAnError() {
    assertThatThrownBy(
            () ->
                parse(
                    "{\"name\":\"n\",\"cniVersions\":[\"1.0.0\",\"one\"],\"plugins\":[{\"type\":\"x\"}]}"))
        .satisfies(t -> assertThat(code(t)).isEqualTo(7))
        .hasMessageContaining("invalid cniVersions entry one at index 1");
    assertThatThrownBy(
            () -> parse("{\"name\":\"n\",\"cniVersions\":[1],\"plugins\":[{\"type\":\"x\"}]}"))
        .hasMessageContaining("invalid type for cniVersions index 0");
    assertThatThrownBy(
            () ->
                parse("{\"name\":\"n\",\"cniVersions\":\"1.0.0\",\"plugins\":[{\"type\":\"x\"}]}"))
        .hasMessageContaining("invalid type for cniVersions");
  }

  @Test
  void boolFlagsAcceptBoolOrTrueFalseStrings() {
    assertThat(
            parse("{\"name\":\"n\",\"disableCheck\":\"False\",\"plugins\":[{\"type\":\"x\"}]}")
                .disableCheck())
        .isFalse();
    assertThatThrownBy(
            () -> parse("{\"name\":\"n\",\"disableCheck\":\"yes\",\"plugins\":[{\"type\":\"x\"}]}"))
        .hasMessageContaining("invalid value \"yes\" for disableCheck");
    assertThatThrownBy(
            () -> parse("{\"name\":\"n\",\"disableGC\":1,\"plugins\":[{\"type\":\"x\"}]}"))
        .hasMessageContaining("for disableGC");
  }

  @Test
  void pluginsKeyRules() {
    assertThat(parse("{\"name\":\"n\"}").plugins()).isEmpty();
    assertThatThrownBy(() -> parse("{\"name\":\"n\",\"loadOnlyInlinedPlugins\":true}"))
        .hasMessageContaining("`loadOnlyInlinedPlugins` is true, and no 'plugins' key");
    assertThatThrownBy(() -> parse("{\"name\":\"n\",\"plugins\":[]}"))
        .hasMessageContaining("no plugins in list");
    assertThatThrownBy(() -> parse("{\"name\":\"n\",\"plugins\":{}}"))
        .hasMessageContaining("invalid 'plugins' type");
    assertThatThrownBy(
            () -> parse("{\"name\":\"n\",\"plugins\":[{\"type\":\"a\"},{\"bridge\":\"x\"}]}"))
        .satisfies(t -> assertThat(code(t)).isEqualTo(7))
        .hasMessageContaining("failed to parse plugin config 1")
        .hasMessageContaining("missing 'type'");
    assertThatThrownBy(
            () ->
                parse("{\"name\":\"n\",\"plugins\":[{\"type\":\"a\",\"capabilities\":{\"x\":1}}]}"))
        .hasMessageContaining("capabilities.x must be a boolean");
  }

  @Test
  void loadTakesTheFirstMatchingConflistInLexicalOrder() throws IOException {
    write(
        "20-b.conflist",
        "{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"plugins\":[{\"type\":\"second\"}]}");
    write(
        "10-a.conflist",
        "{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"plugins\":[{\"type\":\"first\"}]}");
    write(
        "05-other.conflist",
        "{\"cniVersion\":\"1.0.0\",\"name\":\"other\",\"plugins\":[{\"type\":\"o\"}]}");
    write("00-single.conf", "{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"type\":\"single\"}");
    NetConfList l = ConfFiles.load(dir, "net");
    assertThat(l.plugins()).extracting(NetConf::type).containsExactly("first");
    assertThat(l.bytes()).isEqualTo(Files.readAllBytes(dir.resolve("10-a.conflist")));
  }

  @Test
  void aBrokenConflistBeforeTheMatchIsAnErrorAsInLibcni() throws IOException {
    write("10-a.conflist", "{\"name\":\"broken\"");
    write(
        "20-b.conflist",
        "{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"plugins\":[{\"type\":\"x\"}]}");
    assertThatThrownBy(() -> ConfFiles.load(dir, "net"))
        .satisfies(t -> assertThat(code(t)).isEqualTo(6));
  }

  @Test
  void singleConfIsUpgradedToAOnePluginList() throws IOException {
    write(
        "10-a.conflist",
        "{\"cniVersion\":\"1.0.0\",\"name\":\"other\",\"plugins\":[{\"type\":\"x\"}]}");
    write(
        "20-old.json",
        "{\"cniVersion\":\"0.3.1\",\"name\":\"net\",\"type\":\"bridge\",\"bridge\":\"cni0\"}");
    write("10-old.conf", "{\"cniVersion\":\"0.2.0\",\"name\":\"nope\",\"type\":\"ptp\"}");
    NetConfList l = ConfFiles.load(dir, "net");
    assertThat(l.name()).isEqualTo("net");
    assertThat(l.cniVersionString()).isEqualTo("0.3.1");
    assertThat(l.plugins()).hasSize(1);
    assertThat(l.plugins().get(0).raw())
        .containsEntry("bridge", "cni0")
        .containsEntry("type", "bridge");
    assertThat(new String(l.bytes(), StandardCharsets.UTF_8)).contains("\"plugins\"");
  }

  @Test
  void notFoundErrorsUseLibcniMessages() throws IOException {
    assertThatThrownBy(() -> ConfFiles.load(dir.resolve("missing"), "net"))
        .isInstanceOf(NetworkNotFoundException.class)
        .hasMessageContaining("no net configurations found in");
    assertThatThrownBy(() -> ConfFiles.load(dir, "net"))
        .isInstanceOf(NetworkNotFoundException.class)
        .hasMessageContaining("no net configurations found in");
    write(
        "10-a.conflist",
        "{\"cniVersion\":\"1.0.0\",\"name\":\"other\",\"plugins\":[{\"type\":\"x\"}]}");
    assertThatThrownBy(() -> ConfFiles.load(dir, "net"))
        .isInstanceOf(NetworkNotFoundException.class)
        .hasMessage("no net configuration with name \"net\" in " + dir)
        .satisfies(t -> assertThat(code(t)).isEqualTo(7));
  }

  @Test
  void dropInPluginsAreAppendedInLexicalOrder() throws IOException {
    write(
        "10-net.conflist",
        "{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"plugins\":[{\"type\":\"bridge\"}]}");
    write("net/20-b.conf", "{\"type\":\"portmap\"}");
    write("net/10-a.conf", "{\"type\":\"tuning\"}");
    write("net/30-c.json", "{\"type\":\"ignored\"}");
    Files.createDirectories(dir.resolve("net/99-dir.conf"));
    NetConfList l = ConfFiles.load(dir, "net");
    assertThat(l.plugins())
        .extracting(NetConf::type)
        .containsExactly("bridge", "tuning", "portmap");
  }

  @Test
  void loadOnlyInlinedPluginsIgnoresDropIns() throws IOException {
    write(
        "10-net.conflist",
        "{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"loadOnlyInlinedPlugins\":\"true\","
            + "\"plugins\":[{\"type\":\"bridge\"}]}");
    write("net/10-a.conf", "{\"type\":\"tuning\"}");
    assertThat(ConfFiles.load(dir, "net").plugins())
        .extracting(NetConf::type)
        .containsExactly("bridge");
  }

  @Test
  void aListMadeOnlyOfDropInsLoads() throws IOException {
    write("10-net.conflist", "{\"cniVersion\":\"1.1.0\",\"name\":\"net\"}");
    write("net/10-a.conf", "{\"type\":\"bridge\"}");
    assertThat(ConfFiles.load(dir, "net").plugins())
        .extracting(NetConf::type)
        .containsExactly("bridge");
    write("20-empty.conflist", "{\"cniVersion\":\"1.1.0\",\"name\":\"empty\"}");
    assertThatThrownBy(() -> ConfFiles.load(dir, "empty"))
        .hasMessageContaining("no plugin configs found");
  }

  @Test
  void aBrokenDropInIsAnError() throws IOException {
    write(
        "10-net.conflist",
        "{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"plugins\":[{\"type\":\"bridge\"}]}");
    write("net/10-a.conf", "{\"name\":\"no type\"}");
    assertThatThrownBy(() -> ConfFiles.load(dir, "net")).hasMessageContaining("missing 'type'");
  }

  @Test
  void goVersionComparisonIsLenientLikeLibcni() {
    assertThat(GoVersions.compare("1.0", "1.0.0")).isZero();
    assertThat(GoVersions.compare("", "0.1.0")).isZero();
    assertThat(GoVersions.atLeast("0.4.0", "0.4.0")).isTrue();
    assertThat(GoVersions.atLeast("0.3.1", "0.4.0")).isFalse();
    assertThatThrownBy(() -> GoVersions.parse("1.0.0.0")).hasMessageContaining("too many parts");
    assertThatThrownBy(() -> GoVersions.parse("1.x")).hasMessageContaining("minor");
    assertThat(GoVersions.atLeastQuiet("junk", "1.1.0")).isFalse();
    assertThat(List.of("1.1.0", "0.4.0"))
        .allSatisfy(v -> assertThat(GoVersions.atLeast(v, "0.4.0")).isTrue());
  }
}
