package dev.jcni.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Test helpers: running a command (util-linux's flock is the oracle for {@link Flock}). */
final class TestSupport {
  private TestSupport() {}

  record Result(int exit, String out, String err) {}

  static Result run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).start();
      byte[] out = readAll(p.getInputStream());
      byte[] err = readAll(p.getErrorStream());
      int code = p.waitFor();
      return new Result(
          code, new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    in.transferTo(b);
    return b.toByteArray();
  }
}
