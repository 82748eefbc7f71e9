package dev.jcni.plugins.meta.tuning;

import dev.jcni.spec.CniException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The node's sysctl allowlist of later Go releases ({@code /etc/cni/tuning/allowlist.conf}): one
 * regular expression per non-empty line; when the file exists, every configured key must match one
 * of them (unanchored, like Go's {@code regexp.MatchString}). No file: no restriction.
 */
final class Allowlist {
  static final Path DEFAULT = Path.of("/etc/cni/tuning/allowlist.conf");

  private Allowlist() {}

  /** Refuses (code 7) the first key no pattern matches. */
  static void check(Path file, Collection<String> keys) {
    if (file == null || keys.isEmpty()) {
      return;
    }
    String text;
    try {
      text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read the sysctl allowlist " + file + ": " + e.getMessage(), e);
    }
    List<String> lines = new ArrayList<>();
    List<Pattern> patterns = new ArrayList<>();
    for (String line : text.split("\n")) {
      String l = line.trim();
      if (!l.isEmpty()) {
        try {
          patterns.add(Pattern.compile(l));
        } catch (PatternSyntaxException e) {
          throw new IllegalStateException(
              "sysctl allowlist " + file + ": invalid pattern \"" + l + "\"", e);
        }
        lines.add(l);
      }
    }
    for (String key : keys) {
      boolean ok = false;
      for (Pattern p : patterns) {
        if (p.matcher(key).find()) {
          ok = true;
          break;
        }
      }
      if (!ok) {
        throw CniException.invalidConfig(
            "sysctl \""
                + key
                + "\": Sysctl "
                + key
                + " is not allowed. Only the following sysctls are allowed: "
                + lines
                + " ("
                + file
                + ")");
      }
    }
  }
}
