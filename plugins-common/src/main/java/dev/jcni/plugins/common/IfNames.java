package dev.jcni.plugins.common;

import dev.jcni.spec.CniException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Interface-name rules and the random host-side veth names. */
public final class IfNames {
  private IfNames() {}

  /**
   * Kernel rules: 1-15 bytes, not "." or "..", no '/', ':' or whitespace; else code 7 naming the
   * key.
   */
  public static void validate(String key, String name) {
    String why = null;
    if (name.isEmpty()) {
      why = "is empty";
    } else if (name.getBytes(StandardCharsets.UTF_8).length > 15) {
      why = "is longer than 15 bytes";
    } else if (name.equals(".") || name.equals("..")) {
      why = "is not a valid interface name";
    } else {
      for (int i = 0; i < name.length(); i++) {
        char ch = name.charAt(i);
        if (ch == '/' || ch == ':' || Character.isWhitespace(ch)) {
          why = "contains '" + ch + "'";
          break;
        }
      }
    }
    if (why != null) {
      throw CniException.invalidConfig(key + ": interface name \"" + name + "\" " + why);
    }
  }

  /** {@code veth} + 8 hex digits from 4 random bytes, like Go's RandomVethName. */
  public static String randomVethName() {
    // not SecureRandom: loading the security providers costs ~100 ms in a fresh JVM, and a clash is
    // retried
    byte[] b = new byte[4];
    ThreadLocalRandom.current().nextBytes(b);
    // no String.format: Formatter is costly to load in a fresh JVM
    return "veth" + HexFormat.of().formatHex(b);
  }
}
