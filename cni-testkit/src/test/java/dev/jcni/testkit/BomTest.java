package dev.jcni.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * jcni-bom stays complete: every reactor module's artifact at the reactor's version, and nothing
 * else.
 */
class BomTest {
  static final Path ROOT = Path.of(System.getProperty("jcni.root", "../"));

  static List<String> all(Pattern p, String text) {
    List<String> out = new ArrayList<>();
    Matcher m = p.matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  static String artifactId(Path pom) throws Exception {
    String text = Files.readString(pom).replaceAll("(?s)<parent>.*?</parent>", "");
    return all(Pattern.compile("<artifactId>([^<]+)</artifactId>"), text).get(0);
  }

  @Test
  void everyModuleIsInTheBomAtTheReactorVersion() throws Exception {
    String root = Files.readString(ROOT.resolve("pom.xml"));
    String bom = Files.readString(ROOT.resolve("jcni-bom/pom.xml"));
    List<String> artifacts = new ArrayList<>();
    for (String module : all(Pattern.compile("<module>([^<]+)</module>"), root)) {
      Path pom = ROOT.resolve(module).resolve("pom.xml");
      String text = Files.readString(pom);
      // the BOM pins what a project depends on: not itself, not unpublished modules, not the Maven
      // plugin
      if (!module.equals("jcni-bom")
          && !text.contains("<maven.deploy.skip>true</maven.deploy.skip>")
          && !text.contains("<packaging>maven-plugin</packaging>")) {
        artifacts.add(artifactId(pom));
      }
    }
    String managed =
        bom.substring(
            bom.indexOf("<dependencyManagement>"), bom.indexOf("</dependencyManagement>"));
    assertThat(all(Pattern.compile("<artifactId>([^<]+)</artifactId>"), managed))
        .containsExactlyInAnyOrderElementsOf(artifacts);
    String rootVersion = all(Pattern.compile("<version>([^<]+)</version>"), root).get(0);
    String bomVersion = all(Pattern.compile("<version>([^<]+)</version>"), bom).get(0);
    assertThat(bomVersion).isEqualTo(rootVersion);
    assertThat(bom).doesNotContain("<parent>"); // importing it must pin dev.jcni artifacts only
  }
}
