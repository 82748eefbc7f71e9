package dev.jcni.plugins.common.firewall;

import dev.jcni.spec.CniException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Validation and canonical rendering of every value that goes into a firewall rule. Each value is parsed into
 * its type (an address literal, a CIDR, an int port, an interface name) and printed back from that type, so text
 * from a config can never reach a rule verbatim. Failures are code 7 (invalid network config) naming the key.
 */
public final class FwValues {
  private FwValues() {}

  private static final Pattern V4 =
      Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
  private static final Pattern V6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
  private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.\\-@+]{1,15}");
  /** What we accept in rule comments and names: no quotes, spaces only as separators, no shell/nft meta. */
  private static final Pattern COMMENT = Pattern.compile("[A-Za-z0-9_.:/=,+@ \\-]{0,200}");
  private static final Pattern CHAIN = Pattern.compile("[A-Za-z][A-Za-z0-9_\\-]{0,27}");
  private static final Pattern NFT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_\\-]{0,63}");

  /**
   * Parses an IPv4 dotted quad or an IPv6 literal, without any name lookup. Zone ids ({@code %eth0}), short IPv4
   * forms ({@code 10.1}) and anything else are refused.
   */
  public static InetAddress address(String s, String key) {
    if (s != null) {
      try {
        if (V4.matcher(s).matches()) {
          return InetAddress.getByName(s);
        }
        // A string containing ':' is always parsed as a literal by the JDK (no DNS); the charset check keeps
        // zone ids and brackets out.
        if (s.indexOf(':') >= 0 && V6_CHARS.matcher(s).matches()) {
          InetAddress a = InetAddress.getByName(s);
          if (a instanceof Inet6Address) {
            return a;
          }
        }
      } catch (UnknownHostException e) {
        // fall through to the error below
      }
    }
    throw CniException.invalidConfig(key + ": \"" + printable(s) + "\" is not an IP address");
  }

  /** An address with its prefix length, from CIDR notation ({@code 10.1.0.5/24}); a bare address gets /32 or /128. */
  public record Cidr(InetAddress address, int prefix) {
    public IpFamily family() {
      return IpFamily.of(address);
    }

    /** The network address (host bits cleared). */
    public InetAddress network() {
      byte[] b = address.getAddress();
      for (int i = 0; i < b.length; i++) {
        int bitsHere = Math.max(0, Math.min(8, prefix - i * 8));
        b[i] &= (byte) (0xff << (8 - bitsHere));
      }
      try {
        return InetAddress.getByAddress(b);
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }

    /** {@code network/prefix} in canonical text. */
    public String networkText() {
      return text(network()) + "/" + prefix;
    }

    @Override
    public String toString() {
      return text(address) + "/" + prefix;
    }
  }

  public static Cidr cidr(String s, String key) {
    if (s == null) {
      throw CniException.invalidConfig(key + ": missing address");
    }
    int slash = s.indexOf('/');
    InetAddress a = address(slash < 0 ? s : s.substring(0, slash), key);
    int max = a instanceof Inet4Address ? 32 : 128;
    if (slash < 0) {
      return new Cidr(a, max);
    }
    String p = s.substring(slash + 1);
    if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > max) {
      throw CniException.invalidConfig(key + ": \"" + printable(s) + "\" has an invalid prefix length");
    }
    return new Cidr(a, Integer.parseInt(p));
  }

  /** Canonical text of an address (IPv6 compressed, lower case, as nft and iptables-save print it). */
  public static String text(InetAddress a) {
    if (a instanceof Inet4Address) {
      return a.getHostAddress();
    }
    return compress6(a.getAddress());
  }

  /** An address as it appears in a {@code host:port} DNAT target: IPv6 in brackets. */
  public static String hostPort(InetAddress a, int port) {
    return (a instanceof Inet6Address ? "[" + text(a) + "]" : text(a)) + ":" + port;
  }

  /** True for 0.0.0.0 and ::, which mean "any address" in a hostIP. */
  public static boolean isUnspecified(InetAddress a) {
    return a.isAnyLocalAddress();
  }

  /** A TCP/UDP/SCTP port, 1-65535; code 7 naming {@code key} otherwise. */
  public static int port(long port, String key) {
    if (port < 1 || port > 65535) {
      throw CniException.invalidConfig(key + ": port " + port + " is out of range (1-65535)");
    }
    return (int) port;
  }

  /** A Linux interface name we are willing to put in a rule. */
  public static String interfaceName(String s, String key) {
    if (s == null || !IFNAME.matcher(s).matches() || s.equals(".") || s.equals("..")) {
      throw CniException.invalidConfig(key + ": \"" + printable(s) + "\" is not a valid interface name");
    }
    return s;
  }

  /** A rule comment: letters, digits, space and {@code _.:/=,+@-}, at most 200 characters. */
  public static String comment(String s, String key) {
    if (s == null || !COMMENT.matcher(s).matches()) {
      throw CniException.invalidConfig(key + ": \"" + printable(s) + "\" contains characters not allowed in a rule comment");
    }
    return s;
  }

  /** An iptables chain name (≤ 28 characters, iptables' limit). */
  public static String chain(String s, String key) {
    if (s == null || !CHAIN.matcher(s).matches()) {
      throw CniException.invalidConfig(key + ": \"" + printable(s) + "\" is not a valid chain name");
    }
    return s;
  }

  /** An nft table/chain/set name. */
  public static String nftName(String s, String key) {
    if (s == null || !NFT_NAME.matcher(s).matches()) {
      throw CniException.invalidConfig(key + ": \"" + printable(s) + "\" is not a valid nftables name");
    }
    return s;
  }

  /** Lower-case hex SHA-512 of the UTF-8 concatenation of {@code parts} (no JCA provider start-up). */
  public static String sha512Hex(String... parts) {
    StringBuilder all = new StringBuilder();
    for (String p : parts) {
      all.append(p);
    }
    byte[] d = Sha512.digest(all.toString().getBytes(StandardCharsets.UTF_8));
    char[] hex = new char[d.length * 2];
    for (int i = 0; i < d.length; i++) {
      hex[2 * i] = Character.forDigit((d[i] >> 4) & 0xf, 16);
      hex[2 * i + 1] = Character.forDigit(d[i] & 0xf, 16);
    }
    return new String(hex);
  }

  /**
   * Go's {@code utils.MustFormatChainNameWithPrefix}: {@code prefix + hex(sha512(name + id))} cut to 28
   * characters, the longest iptables chain name. Same inputs give the same name as the Go plugins.
   */
  public static String goChainName(String prefix, String name, String id) {
    String s = prefix + sha512Hex(name, id);
    return s.substring(0, 28);
  }

  /** Text safe to echo inside an error message: control characters escaped, cut at 80 characters. */
  public static String printable(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 80; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    return s.length() > 80 ? b + "..." : b.toString();
  }

  private static String compress6(byte[] b) {
    int[] w = new int[8];
    for (int i = 0; i < 8; i++) {
      w[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    // RFC 5952: the longest run (≥ 2) of zero words becomes "::", the first one on ties.
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (w[i] == 0) {
        int j = i;
        while (j < 8 && w[j] == 0) {
          j++;
        }
        if (j - i > bestLen && j - i >= 2) {
          bestStart = i;
          bestLen = j - i;
        }
        i = j;
      } else {
        i++;
      }
    }
    // IPv4-mapped addresses print with a dotted tail, as the tools do.
    if (bestStart == 0 && bestLen == 5 && w[5] == 0xffff) {
      return "::ffff:" + (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
    }
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        s.append("::");
        i += bestLen - 1;
        continue;
      }
      if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
        s.append(':');
      }
      s.append(Integer.toHexString(w[i]));
    }
    return s.toString();
  }
}
