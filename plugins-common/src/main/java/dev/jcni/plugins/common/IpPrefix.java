package dev.jcni.plugins.common;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An address with a prefix length ({@code 10.22.0.5/24}), as CNI results carry them. Parsing accepts only IP
 * literals (never a host name lookup). The address keeps its host bits; {@link #network()} clears them.
 */
public record IpPrefix(InetAddress address, int prefix) {

  public IpPrefix {
    int max = address instanceof Inet4Address ? 32 : 128;
    if (prefix < 0 || prefix > max) {
      throw new IllegalArgumentException("prefix length " + prefix + " out of range for " + address);
    }
  }

  /** Parses {@code addr/len}; a bare address gets the full-length prefix. */
  public static IpPrefix parse(String cidr) {
    if (cidr == null || cidr.isEmpty()) {
      throw new IllegalArgumentException("empty CIDR");
    }
    int slash = cidr.indexOf('/');
    InetAddress a = parseAddress(slash < 0 ? cidr : cidr.substring(0, slash));
    int len = a instanceof Inet4Address ? 32 : 128;
    if (slash >= 0) {
      try {
        len = Integer.parseInt(cidr.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid CIDR " + cidr);
      }
    }
    return new IpPrefix(a, len);
  }

  /** Parses an IP literal (v4 dotted quad or v6); anything else is an IllegalArgumentException. */
  public static InetAddress parseAddress(String s) {
    // the netlink module's literal parser: no regex, never a name lookup
    return dev.jcni.netlink.IpNet.parseAddress(s);
  }

  public boolean isV4() {
    return address instanceof Inet4Address;
  }

  public int family() {
    return isV4() ? 4 : 6;
  }

  public int maxPrefix() {
    return isV4() ? 32 : 128;
  }

  /** The network prefix (host bits cleared). */
  public IpPrefix network() {
    byte[] b = address.getAddress();
    for (int i = 0; i < b.length; i++) {
      int bits = Math.max(0, Math.min(8, prefix - i * 8));
      b[i] &= (byte) (0xff << (8 - bits));
    }
    return new IpPrefix(toAddress(b), prefix);
  }

  /** The same address with a full-length prefix (/32 or /128). */
  public IpPrefix host() {
    return new IpPrefix(address, maxPrefix());
  }

  /** The same address with another prefix length. */
  public IpPrefix withPrefix(int len) {
    return new IpPrefix(address, len);
  }

  public boolean contains(InetAddress a) {
    if ((a instanceof Inet4Address) != isV4()) {
      return false;
    }
    return new IpPrefix(a, prefix).network().address.equals(network().address);
  }

  /** True when either prefix contains the other's network address. */
  public boolean overlaps(IpPrefix o) {
    return contains(o.address) || o.contains(address);
  }

  public boolean isDefaultRoute() {
    return prefix == 0;
  }

  /** The address {@code n} after this one (n may be negative). */
  public static InetAddress add(InetAddress a, long n) {
    byte[] b = a.getAddress();
    BigInteger v = new BigInteger(1, b).add(BigInteger.valueOf(n));
    byte[] raw = v.toByteArray();
    byte[] out = new byte[b.length];
    int copy = Math.min(raw.length, out.length);
    System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
    return toAddress(out);
  }

  /** The first usable address of the network (network + 1), Go's calcGatewayIP. */
  public InetAddress firstHost() {
    return add(network().address, 1);
  }

  /** The default route of this family: 0.0.0.0/0 or ::/0. */
  public static IpPrefix defaultRoute(int family) {
    return family == 4 ? parse("0.0.0.0/0") : parse("::/0");
  }

  /** The address in canonical text (compressed IPv6, no scope). */
  public static String format(InetAddress a) {
    if (a instanceof Inet4Address) {
      return a.getHostAddress();
    }
    return formatV6(a.getAddress());
  }

  /** The address part in canonical text. */
  public String addressString() {
    return format(address);
  }

  @Override
  public String toString() {
    return format(address) + "/" + prefix;
  }

  private static InetAddress toAddress(byte[] b) {
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  // RFC 5952: lower case, longest run (first on ties) of two or more zero groups compressed.
  private static String formatV6(byte[] b) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    if (bestLen < 2) {
      bestStart = -1;
    }
    if (isV4Mapped(g)) {
      return "::ffff:" + (g[6] >> 8) + "." + (g[6] & 0xff) + "." + (g[7] >> 8) + "." + (g[7] & 0xff);
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }

  private static boolean isV4Mapped(int[] g) {
    return g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff
        && (g[6] != 0 || g[7] != 0);
  }
}
