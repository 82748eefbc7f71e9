package dev.jcni.packager;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The training resources of this repository's plugin modules parse, belong to a {@code @CniType} of
 * their own module, and name hooks that exist there (a broken one would only show as a line in the
 * dist build's log).
 */
class ReferenceTrainingResourcesTest {
  static final Path ROOT =
      Path.of(System.getProperty("jcni.root", "..")).toAbsolutePath().normalize();

  @Test
  void everyResourceParsesAndMatchesItsModule() throws IOException {
    List<Path> files;
    try (Stream<Path> s =
        Files.find(
            ROOT,
            8,
            (p, a) ->
                p.toString().contains("/src/main/resources/META-INF/jcni/" + "training/")
                    && p.toString().endsWith(".json"))) {
      files = s.sorted().toList();
    }
    assertThat(files)
        .extracting(p -> p.getFileName().toString())
        .contains("debug.json", "host-local.json", "static.json", "loopback.json", "portmap.json");
    for (Path f : files) {
      TrainingSpec spec;
      try (InputStream in = Files.newInputStream(f)) {
        spec = TrainingSpec.parse(in, f.toString());
      }
      Path module =
          f.getParent().getParent().getParent().getParent().getParent().getParent().getParent();
      Path java = module.resolve("src/main/java");
      String type = f.getFileName().toString().replace(".json", "");
      String sources;
      try (Stream<Path> s = Files.walk(java)) {
        sources =
            String.join(
                "\n",
                s.filter(p -> p.toString().endsWith(".java"))
                    .map(
                        p -> {
                          try {
                            return Files.readString(p);
                          } catch (IOException e) {
                            throw new IllegalStateException(e);
                          }
                        })
                    .toList());
      }
      assertThat(sources)
          .as(f + ": a plugin of that type in " + module)
          .contains("@CniType(\"" + type + "\")");
      if (spec.hook() != null) {
        assertThat(java.resolve(spec.hook().replace('.', '/') + ".java"))
            .as(f + ": hook")
            .isRegularFile();
      }
      assertThat(spec.samples(type, "/tmp/x"))
          .as(f.toString())
          .allSatisfy(x -> assertThat(x.command()).isIn("ADD", "CHECK", "DEL", "GC", "STATUS"));
    }
  }
}
