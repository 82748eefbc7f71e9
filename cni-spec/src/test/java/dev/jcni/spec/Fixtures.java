package dev.jcni.spec;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared fixtures: system property {@code jcni.shared}, falling back to /work/shared. */
public final class Fixtures {
  private Fixtures() {}

  public static Path shared() {
    String p = System.getProperty("jcni.shared");
    if (p != null && Files.isDirectory(Path.of(p, "fixtures"))) {
      return Path.of(p);
    }
    return Path.of("/work/shared");
  }

  public static Path dir(String name) {
    return shared().resolve("fixtures").resolve(name);
  }
}
