package dev.jcni.plugins.common;

import dev.jcni.spec.CniException;
import java.util.HexFormat;

/** MAC address parsing for config values ({@code mac} from CNI_ARGS, args or runtimeConfig). */
public final class Macs {

  private Macs() {}

  /**
   * Normalises a 6-byte MAC ({@code aa:bb:…} or {@code aa-bb-…}) to lower case with colons; else
   * code 7.
   */
  public static String normalize(String key, String mac) {
    if (mac == null || !wellFormed(mac)) {
      throw CniException.invalidConfig(key + ": invalid MAC address \"" + mac + "\"");
    }
    byte[] b = toBytes(mac);
    if ((b[0] & 1) != 0) {
      throw CniException.invalidConfig(key + ": \"" + mac + "\" is a multicast MAC address");
    }
    return mac.toLowerCase().replace('-', ':');
  }

  // six hex pairs separated consistently by ':' or '-' (no regex: costly in a fresh JVM)
  private static boolean wellFormed(String m) {
    if (m.length() != 17) {
      return false;
    }
    char sep = m.charAt(2);
    if (sep != ':' && sep != '-') {
      return false;
    }
    for (int i = 0; i < 17; i++) {
      char c = m.charAt(i);
      boolean ok = i % 3 == 2 ? c == sep : Character.digit(c, 16) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  public static byte[] toBytes(String mac) {
    return HexFormat.of().parseHex(mac.replace(":", "").replace("-", ""));
  }

  public static String format(byte[] mac) {
    return mac == null ? null : HexFormat.ofDelimiter(":").formatHex(mac);
  }
}
