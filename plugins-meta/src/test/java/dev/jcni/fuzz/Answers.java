package dev.jcni.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.spec.CniException;
import dev.jcni.spec.CniVersion;
import dev.jcni.spec.ResultCodec;
import dev.jcni.spec.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * The property every answer must have: one JSON document on stdout, a spec error code or a valid
 * result.
 */
final class Answers {
  private Answers() {}

  /** The spec's codes, skel's 8 (own netns) and 999 (plugin-specific). */
  static final Set<Long> CODES = Set.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 11L, 50L, 51L, 999L);

  /**
   * Checks one call's outcome. {@code resultExpected}: a successful call prints a result (ADD)
   * rather than nothing. Returns the error code, or 0 for success.
   */
  static long check(int exit, byte[] stdout, boolean resultExpected, String what) {
    String out = new String(stdout, StandardCharsets.UTF_8);
    assertThat(out).as(what).doesNotContain("\tat ").doesNotContain("Exception:");
    if (exit == 0) {
      if (!resultExpected || stdout.length == 0) {
        assertThat(resultExpected && stdout.length == 0)
            .as("ADD succeeded without a result: " + what)
            .isFalse();
        return 0;
      }
      Map<String, Object> r =
          Json.parseObject(stdout); // exactly one document (trailing newline allowed)
      Object v = r.get("cniVersion");
      assertThat(v).as(what + " -> " + out).isInstanceOf(String.class);
      ResultCodec.decode(stdout, CniVersion.parse((String) v)); // a result the codec itself accepts
      return 0;
    }
    assertThat(exit).as(what + " -> " + out).isEqualTo(1);
    Map<String, Object> e;
    try {
      e = Json.parseObject(stdout);
    } catch (CniException notJson) {
      throw new AssertionError("stdout is not one JSON document for " + what + ": " + out);
    }
    assertThat(e.get("code")).as(what + " -> " + out).isInstanceOf(Long.class);
    assertThat(CODES).as(what + " -> " + out).contains((Long) e.get("code"));
    assertThat(e.get("msg")).as(what + " -> " + out).isInstanceOf(String.class);
    assertThat((String) e.get("msg"))
        .as(what + " -> " + out)
        .isNotBlank()
        .doesNotContain("Exception")
        .doesNotContain("java.");
    return (Long) e.get("code");
  }

  static String show(byte[] b) {
    String s = new String(b, StandardCharsets.UTF_8);
    return s.length() > 400 ? s.substring(0, 400) + "..." : s;
  }
}
