package dev.jcni.spec;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/**
 * Locates the libcni golden cases kept in this module's test resources ({@code fixtures/}, see
 * PROVENANCE.md).
 */
public final class Fixtures {
  private Fixtures() {}

  public static Path dir(String name) {
    URL url = Fixtures.class.getResource("/fixtures/" + name);
    if (url == null)
      throw new IllegalStateException("test resource fixtures/" + name + " is missing");
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
