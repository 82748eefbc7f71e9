package dev.jcni.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PluginsTest {
  @Test
  void findsOnlyTheAskedTypeWithoutInstantiatingOthers() {
    // ExplodingPlugin throws from its constructor: finding test-ipam must not create it
    assertThat(Plugins.find("test-ipam")).get().isInstanceOf(TestIpamPlugin.class);
    assertThat(Plugins.find("no-such-type")).isEmpty();
  }

  @Test
  void typesListsEveryAnnotatedProvider() {
    assertThat(Plugins.types()).contains("test-ipam", "exploding");
  }

  @Test
  void typeOfReadsTheAnnotation() {
    assertThat(Plugins.typeOf(TestIpamPlugin.class)).isEqualTo("test-ipam");
    assertThat(Plugins.typeOf(String.class)).isNull();
  }

  @Test
  void unknownTypeIsAnErrorJsonNamingIt() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int exit =
        Dispatcher.run(
            "nope",
            java.util.Map.of("CNI_COMMAND", "VERSION"),
            new java.io.ByteArrayInputStream(new byte[0]),
            new java.io.PrintStream(out, true),
            System.err);
    assertThat(exit).isEqualTo(1);
    assertThat(out.toString())
        .startsWith(
            "{\"cniVersion\":\"1.1.0\",\"code\":999,"
                + "\"msg\":\"no plugin of type \\\"nope\\\" on the class path\"");
  }

  @Test
  void knownTypeRuns() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int exit =
        Dispatcher.run(
            "test-ipam",
            java.util.Map.of("CNI_COMMAND", "VERSION"),
            new java.io.ByteArrayInputStream(new byte[0]),
            new java.io.PrintStream(out, true),
            System.err);
    assertThat(exit).isZero();
    assertThat(out.toString()).contains("\"supportedVersions\"");
  }

  @Test
  void launcherHintLoadsTheClassDirectlyAndAStaleOneFallsBack() {
    try {
      System.setProperty("jcni.plugin", "test-ipam");
      System.setProperty("jcni.plugin.class", TestIpamPlugin.class.getName());
      assertThat(Plugins.find("test-ipam")).get().isInstanceOf(TestIpamPlugin.class);
      System.setProperty("jcni.plugin.class", "no.such.Plugin");
      assertThat(Plugins.find("test-ipam")).get().isInstanceOf(TestIpamPlugin.class);
      // the hint is only for the launcher's own type
      System.setProperty("jcni.plugin.class", TestIpamPlugin.class.getName());
      assertThat(Plugins.find("no-such-type")).isEmpty();
    } finally {
      System.clearProperty("jcni.plugin");
      System.clearProperty("jcni.plugin.class");
    }
  }

  @Test
  void aProviderThatCannotBeCreatedIsAnErrorJsonNotAStackTrace() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int exit =
        Dispatcher.run(
            "exploding",
            java.util.Map.of("CNI_COMMAND", "VERSION"),
            new java.io.ByteArrayInputStream(new byte[0]),
            new java.io.PrintStream(out, true),
            System.err);
    assertThat(exit).isEqualTo(1);
    assertThat(out.toString())
        .startsWith(
            "{\"cniVersion\":\"1.1.0\",\"code\":999,\"msg\":\"cannot load plugin \\\"exploding\\\": ")
        .endsWith("}");
  }
}
