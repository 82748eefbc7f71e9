package dev.jcni.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ErrorTextTest {
  @TempDir Path tmp;

  @Test
  void fileSystemFailuresNameThePathAndTheReasonInWords() {
    assertThat(ErrorText.of(new NoSuchFileException("/var/lib/cni/networks/n/lock")))
        .isEqualTo("/var/lib/cni/networks/n/lock: no such file or directory");
    assertThat(ErrorText.of(new AccessDeniedException("/x"))).isEqualTo("/x: permission denied");
    assertThat(ErrorText.of(new FileSystemException("/d/f", null, "Read-only file system")))
        .isEqualTo("/d/f: read-only file system");
    assertThat(ErrorText.of(new FileSystemException("/a", "/b", null)))
        .isEqualTo("/a -> /b: file system error");
  }

  @Test
  void realFailuresFromTheJdkHaveNoClassNames() throws IOException {
    Path file = Files.writeString(tmp.resolve("f"), "x");
    for (Throwable t :
        new Throwable[] {
          catching(() -> Files.readAllBytes(tmp.resolve("missing"))),
          catching(() -> Files.createDirectory(file)),
          catching(() -> Files.list(file.resolve("sub"))),
          catching(() -> Files.delete(tmp)),
          catching(() -> Path.of("a\0b"))
        }) {
      String s = ErrorText.of(t);
      assertThat(s)
          .as(t.toString())
          .doesNotContain("Exception")
          .doesNotContain("java.")
          .isNotBlank();
    }
    assertThat(ErrorText.of(catching(() -> Files.delete(tmp))))
        .isEqualTo(tmp + ": directory not empty");
  }

  @Test
  void wrappersAndMessagelessExceptionsAreStillWords() {
    assertThat(ErrorText.of(new UncheckedIOException(new NoSuchFileException("/p"))))
        .isEqualTo("/p: no such file or directory");
    assertThat(ErrorText.of(new IllegalStateException(new AccessDeniedException("/q"))))
        .isEqualTo("/q: permission denied");
    assertThat(ErrorText.of(new NullPointerException())).isEqualTo("internal error (null pointer)");
    assertThat(ErrorText.of(new StackOverflowError())).isEqualTo("internal error (stack overflow)");
    assertThat(ErrorText.of(new IllegalArgumentException("bad mtu"))).isEqualTo("bad mtu");
    assertThat(ErrorText.of(new CniException(7, "x"))).isEqualTo("x");
    assertThat(ErrorText.words("IOException")).isEqualTo("io");
  }

  interface Failing {
    void run() throws Exception;
  }

  static Throwable catching(Failing f) {
    try {
      f.run();
    } catch (Exception | Error e) {
      return e;
    }
    throw new AssertionError("did not fail");
  }
}
