package dev.jcni.plugins.common.firewall;

import dev.jcni.spec.CniException;
import dev.jcni.spec.net.InetAddresses;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Validation and canonical rendering of every value that goes into a firewall rule. Each value is
 * parsed into its type (an address literal, a CIDR, an int port, an interface name) and printed
 * back from that type, so text from a config can never reach a rule verbatim. Failures are code 7
 * (invalid network config) naming the key.
 */
public final class FwValues {
  private FwValues() {}

  private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.\\-@+]{1,15}");

  /**
   * What we accept in rule comments: no quotes, backslashes, newlines or {@code #}. Parentheses and
   * {@code |} are plain text inside the double quotes both tools use (Go's firewall plugin puts
   * them in its comments).
   */
  private static final Pattern COMMENT = Pattern.compile("[A-Za-z0-9_.:/=,+@ ()|\\-]{0,200}");

  private static final Pattern CHAIN = Pattern.compile("[A-Za-z][A-Za-z0-9_\\-]{0,27}");
  private static final Pattern NFT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_\\-]{0,63}");

  /**
   * Parses an IPv4 dotted quad or an IPv6 literal (cni-spec's Go rules), without any name lookup.
   * Zone ids ({@code %eth0}), short IPv4 forms ({@code 10.1}), IPv4-mapped IPv6 and anything else
   * are refused.
   */
  public static InetAddress address(String s, String key) {
    byte[] b = InetAddresses.parseBytes(s);
    if (b == null || (b.length == 4 && s.indexOf(':') >= 0)) {
      throw CniException.invalidConfig(key + ": \"" + printable(s) + "\" is not an IP address");
    }
    return InetAddresses.fromBytes(b);
  }

  /**
   * An address with its prefix length, from CIDR notation ({@code 10.1.0.5/24}); a bare address
   * gets /32 or /128.
   */
  public record Cidr(InetAddress address, int prefix) {
    public IpFamily family() {
      return IpFamily.of(address);
    }

    /** The network address (host bits cleared). */
    public InetAddress network() {
      return dev.jcni.spec.net.Cidr.of(address, prefix).networkAddress();
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
    int n = s.length() - slash - 1;
    int p = n < 1 || n > 3 ? -1 : 0;
    for (int i = slash + 1; i < s.length() && p >= 0; i++) {
      char c = s.charAt(i);
      p = c >= '0' && c <= '9' ? p * 10 + (c - '0') : -1;
    }
    if (p < 0 || p > max) {
      throw CniException.invalidConfig(
          key + ": \"" + printable(s) + "\" has an invalid prefix length");
    }
    return new Cidr(a, p);
  }

  /**
   * Canonical text of an address (IPv6 compressed, lower case, as nft and iptables-save print it).
   */
  public static String text(InetAddress a) {
    return InetAddresses.format(a);
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
      throw CniException.invalidConfig(
          key + ": \"" + printable(s) + "\" is not a valid interface name");
    }
    return s;
  }

  /**
   * A MAC address as nft and ebtables print it: six hex pairs separated by colons, lower case.
   * Upper-case input is accepted and lowered; anything else is code 7 naming {@code key}.
   */
  public static String mac(String s, String key) {
    String m = s == null ? "" : s.toLowerCase(java.util.Locale.ROOT);
    boolean ok = m.length() == 17;
    for (int i = 0; ok && i < 17; i++) {
      char c = m.charAt(i);
      ok = i % 3 == 2 ? c == ':' : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }
    if (!ok) {
      throw CniException.invalidConfig(key + ": \"" + printable(s) + "\" is not a MAC address");
    }
    return m;
  }

  /** A rule comment: letters, digits, space and {@code _.:/=,+@()|-}, at most 200 characters. */
  public static String comment(String s, String key) {
    if (s == null || !COMMENT.matcher(s).matches()) {
      throw CniException.invalidConfig(
          key + ": \"" + printable(s) + "\" contains characters not allowed in a rule comment");
    }
    return s;
  }

  /** An iptables chain name (≤ 28 characters, iptables' limit). */
  public static String chain(String s, String key) {
    if (s == null || !CHAIN.matcher(s).matches()) {
      throw CniException.invalidConfig(
          key + ": \"" + printable(s) + "\" is not a valid chain name");
    }
    return s;
  }

  /** An nft table/chain/set name. */
  public static String nftName(String s, String key) {
    if (s == null || !NFT_NAME.matcher(s).matches()) {
      throw CniException.invalidConfig(
          key + ": \"" + printable(s) + "\" is not a valid nftables name");
    }
    return s;
  }

  /**
   * Lower-case hex SHA-512 of the UTF-8 concatenation of {@code parts} (no JCA provider start-up).
   */
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
   * Go's {@code utils.MustFormatChainNameWithPrefix}: {@code prefix + hex(sha512(name + id))} cut
   * to 28 characters, the longest iptables chain name. Same inputs give the same name as the Go
   * plugins.
   */
  public static String goChainName(String prefix, String name, String id) {
    String s = prefix + sha512Hex(name, id);
    return s.substring(0, 28);
  }

  /**
   * Text safe to echo inside an error message: control characters escaped, cut at 80 characters.
   */
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
}
