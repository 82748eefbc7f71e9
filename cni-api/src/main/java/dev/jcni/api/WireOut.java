package dev.jcni.api;

import dev.jcni.spec.CniException;
import dev.jcni.spec.CniVersion;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The two documents the dispatcher writes without a JSON library: error objects and VERSION
 * answers. Kept free of Jackson so that VERSION and early errors never load it (each CNI call is a
 * fresh JVM).
 */
final class WireOut {
  private WireOut() {}

  /**
   * {@code {"cniVersion":..,"code":..,"msg":..,"details":..}}; no trailing newline, like Go's
   * types.Error.Print.
   */
  static String errorJson(String cniVersion, int code, String msg, String details) {
    StringBuilder b = new StringBuilder(96);
    b.append("{\"cniVersion\":");
    quote(b, cniVersion);
    b.append(",\"code\":").append(Integer.toUnsignedString(code)).append(",\"msg\":");
    quote(b, msg == null ? "" : msg);
    if (details != null && !details.isEmpty()) {
      b.append(",\"details\":");
      quote(b, details);
    }
    return b.append('}').toString();
  }

  static String errorJson(String cniVersion, CniException e) {
    return errorJson(cniVersion, e.code(), e.msg(), e.details());
  }

  /**
   * skel's VERSION answer: the library's current version, the plugin's list, and json.Encoder's
   * newline.
   */
  static String versionJson(List<CniVersion> supported) {
    StringBuilder b = new StringBuilder(128);
    b.append("{\"cniVersion\":");
    quote(b, CniVersion.CURRENT.toString());
    b.append(",\"supportedVersions\":[");
    for (int i = 0; i < supported.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      quote(b, supported.get(i).toString());
    }
    return b.append("]}\n").toString();
  }

  static void write(PrintStream out, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.write(bytes, 0, bytes.length);
    out.flush();
  }

  static void write(PrintStream out, byte[] bytes) {
    out.write(bytes, 0, bytes.length);
    out.flush();
  }

  /**
   * JSON string literal with the escapes Go's encoding/json uses (incl. HTML-safe &lt; &gt; &amp;).
   */
  static void quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> hex(b, c);
        default -> {
          if (c < 0x20) {
            hex(b, c);
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  private static void hex(StringBuilder b, char c) {
    b.append("\\u");
    String h = Integer.toHexString(c);
    for (int k = h.length(); k < 4; k++) {
      b.append('0');
    }
    b.append(h);
  }

  /** Go's %q for a string (used in messages copied from libcni). */
  static String goQuote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\x%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /** Go's %q for a []string: {@code ["a" "b"]}. */
  static String goQuote(List<String> list) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) {
        b.append(' ');
      }
      b.append(goQuote(list.get(i)));
    }
    return b.append(']').toString();
  }
}
