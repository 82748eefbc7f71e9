package dev.jcni.packager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.packager.Selection.Found;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SelectionTest {
  private static final List<Found> FOUND =
      List.of(
          new Found("bridge", "dev.jcni.plugins.bridge.BridgePlugin", "plugins-main-0.1.jar"),
          new Found("host-local", "dev.jcni.plugins.ipam.HostLocalPlugin", "plugins-ipam-0.1.jar"),
          new Found("route", "org.example.RoutePlugin", "my-plugins-1.0.jar"),
          new Found("myipam", "org.example.MyIpam", "my-plugins-1.0.jar"));

  @Test
  void byDefaultOnlyTheTypesOfTheOwnJarAreSelectedNotThoseOfDependencies() {
    assertThat(Selection.select(FOUND, Set.of("my-plugins-1.0.jar"), List.of()))
        .containsExactly(
            Map.entry("myipam", "org.example.MyIpam"),
            Map.entry("route", "org.example.RoutePlugin"));
  }

  @Test
  void namedPluginArtifactsContributeTheirTypes() {
    assertThat(
            Selection.select(FOUND, Set.of("plugins-main-0.1.jar", "plugins-ipam-0.1.jar"), null))
        .containsOnlyKeys("bridge", "host-local");
  }

  @Test
  void explicitTypesMayComeFromAnyJarOnTheClassPath() {
    assertThat(
            Selection.select(FOUND, Set.of("my-plugins-1.0.jar"), List.of("route", " host-local ")))
        .containsExactly(
            Map.entry("host-local", "dev.jcni.plugins.ipam.HostLocalPlugin"),
            Map.entry("route", "org.example.RoutePlugin"));
  }

  @Test
  void anUnknownTypeIsNamedWithWhatExists() {
    assertThatThrownBy(
            () -> Selection.select(FOUND, Set.of("my-plugins-1.0.jar"), List.of("route", "nosuch")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "no @CniType plugin of type nosuch on the class path (found: bridge, host-local, myipam, route)");
  }

  @Test
  void aJarWithoutPluginsIsAnErrorThatPointsAtTheDependencies() {
    assertThatThrownBy(() -> Selection.select(FOUND, Set.of("other-1.0.jar"), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "no @CniType plugin (registered with @AutoService(CniPlugin.class)) in other-1.0.jar")
        .hasMessageContaining("only in dependencies: bridge, host-local, myipam, route")
        .hasMessageContaining("<pluginArtifacts>");
    assertThatThrownBy(() -> Selection.select(List.of(), Set.of("other-1.0.jar"), List.of()))
        .hasMessage(
            "no @CniType plugin (registered with @AutoService(CniPlugin.class)) in other-1.0.jar");
  }

  @Test
  void theFirstProviderOfATypeWinsAsAtRunTime() {
    List<Found> dup =
        List.of(new Found("x", "a.First", "a.jar"), new Found("x", "b.Second", "a.jar"));
    assertThat(Selection.select(dup, Set.of("a.jar"), List.of()))
        .containsExactly(Map.entry("x", "a.First"));
  }

  @Test
  void theListingIsParsedLineByLineAndTheCliLineIsNoPlugin() {
    assertThat(
            Selection.parseList(
                List.of("bridge\tdev.jcni.B\tplugins-main.jar", "odd\tx.Y\t", "cli\tyes", "")))
        .containsExactly(
            new Found("bridge", "dev.jcni.B", "plugins-main.jar"), new Found("odd", "x.Y", ""));
  }
}
