package dev.jcni.plugins.common;

import dev.jcni.spec.CniException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** MAC address parsing for config values ({@code mac} from CNI_ARGS, args or runtimeConfig). */
public final class Macs {
  private static final Pattern MAC = Pattern.compile("[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}");

  private Macs() {}

  /** Normalises a 6-byte MAC ({@code aa:bb:…} or {@code aa-bb-…}) to lower case with colons; else code 7. */
  public static String normalize(String key, String mac) {
    if (mac == null || !MAC.matcher(mac).matches() || mac.indexOf(':') >= 0 && mac.indexOf('-') >= 0) {
      throw CniException.invalidConfig(key + ": invalid MAC address \"" + mac + "\"");
    }
    byte[] b = toBytes(mac);
    if ((b[0] & 1) != 0) {
      throw CniException.invalidConfig(key + ": \"" + mac + "\" is a multicast MAC address");
    }
    return mac.toLowerCase().replace('-', ':');
  }

  public static byte[] toBytes(String mac) {
    return HexFormat.of().parseHex(mac.replace(":", "").replace("-", ""));
  }

  public static String format(byte[] mac) {
    return mac == null ? null : HexFormat.ofDelimiter(":").formatHex(mac);
  }
}
