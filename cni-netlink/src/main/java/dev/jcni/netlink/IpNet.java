package dev.jcni.netlink;

import dev.jcni.spec.net.Cidr;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An IP address with a prefix length ({@code 10.1.2.3/24}, {@code fd00::1/64}); the address keeps its host bits.
 * Parsing accepts literals only and never resolves names.
 */
public record IpNet(InetAddress address, int prefixLength) {
  public IpNet {
    Objects.requireNonNull(address, "address");
    int max = address.getAddress().length * 8;
    if (prefixLength < 0 || prefixLength > max) {
      throw new IllegalArgumentException("prefix length " + prefixLength + " out of range for " + address);
    }
  }

  /** Host route: /32 or /128. */
  public static IpNet host(InetAddress a) {
    return new IpNet(a, a.getAddress().length * 8);
  }

  /**
   * The same address and prefix as a config/result {@link Cidr} (host bits kept; no text round trip). Lossless:
   * {@code IpNet.of(c).toCidr().equals(c)} for every {@code Cidr c}.
   */
  public static IpNet of(Cidr cidr) {
    return new IpNet(cidr.address(), cidr.prefixLength());
  }

  /**
   * This address and prefix as cni-spec's {@link Cidr}, the type config binding and results use. Lossless for
   * every IpNet (an IPv4-mapped IPv6 address does not occur: the JDK always hands those out as IPv4).
   */
  public Cidr toCidr() {
    return Cidr.of(address, prefixLength);
  }

  /** Parses {@code ADDR/LEN}, or a bare address (taken as a host prefix). */
  public static IpNet parse(String cidr) {
    int slash = cidr.indexOf('/');
    InetAddress a = parseAddress(slash < 0 ? cidr : cidr.substring(0, slash));
    if (slash < 0) return host(a);
    try {
      return new IpNet(a, Integer.parseInt(cidr.substring(slash + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid prefix length in \"" + cidr + "\"");
    }
  }

  /** Parses an IPv4 or IPv6 literal (never a DNS lookup). */
  public static InetAddress parseAddress(String s) {
    if (s == null || s.isEmpty()) throw new IllegalArgumentException("empty IP address");
    byte[] b = s.indexOf(':') >= 0 ? parseV6(s) : parseV4(s);
    if (b == null) throw new IllegalArgumentException("invalid IP address \"" + s + "\"");
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static byte[] parseV4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) return null;
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3) return null;
      for (int k = 0; k < p.length(); k++) if (p.charAt(k) < '0' || p.charAt(k) > '9') return null;
      int v = Integer.parseInt(p);
      if (v > 255) return null;
      b[i] = (byte) v;
    }
    return b;
  }

  private static byte[] parseV6(String s) {
    int pct = s.indexOf('%');
    if (pct >= 0) s = s.substring(0, pct);
    // an embedded dotted quad at the end
    byte[] tail4 = null;
    int lastColon = s.lastIndexOf(':');
    if (s.indexOf('.', lastColon) >= 0) {
      tail4 = parseV4(s.substring(lastColon + 1));
      if (tail4 == null) return null;
      s = s.substring(0, lastColon + 1) + "0:0";
    }
    int dbl = s.indexOf("::");
    if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) return null;
    String[] head = dbl >= 0 ? split(s.substring(0, dbl)) : split(s);
    String[] tail = dbl >= 0 ? split(s.substring(dbl + 2)) : new String[0];
    if (head == null || tail == null) return null;
    int groups = head.length + tail.length;
    if (dbl < 0 && groups != 8) return null;
    if (dbl >= 0 && groups > 7) return null;
    byte[] b = new byte[16];
    int gi = 0;
    for (String g : head) if (!putGroup(b, gi++, g)) return null;
    gi = 8 - tail.length;
    for (String g : tail) if (!putGroup(b, gi++, g)) return null;
    if (tail4 != null) System.arraycopy(tail4, 0, b, 12, 4);
    return b;
  }

  private static String[] split(String s) {
    if (s.isEmpty()) return new String[0];
    String[] parts = s.split(":", -1);
    for (String p : parts) if (p.isEmpty() || p.length() > 4) return null;
    return parts;
  }

  private static boolean putGroup(byte[] b, int gi, String g) {
    int v;
    try {
      v = Integer.parseInt(g, 16);
    } catch (NumberFormatException e) {
      return false;
    }
    if (v < 0) return false;
    b[gi * 2] = (byte) (v >> 8);
    b[gi * 2 + 1] = (byte) v;
    return true;
  }

  public boolean isIpv4() {
    return address instanceof Inet4Address;
  }

  public boolean isIpv6() {
    return address instanceof Inet6Address;
  }

  /** The network address (host bits cleared). */
  public InetAddress networkAddress() {
    byte[] b = address.getAddress();
    for (int i = 0; i < b.length; i++) {
      int bits = Math.max(0, Math.min(8, prefixLength - i * 8));
      b[i] &= (byte) (0xff << (8 - bits));
    }
    return byAddr(b);
  }

  /** This prefix with host bits cleared. */
  public IpNet network() {
    return new IpNet(networkAddress(), prefixLength);
  }

  /** The last address of the prefix (IPv4 broadcast, as {@code ip addr add ... brd +} computes it). */
  public InetAddress lastAddress() {
    byte[] b = address.getAddress();
    for (int i = 0; i < b.length; i++) {
      int bits = Math.max(0, Math.min(8, prefixLength - i * 8));
      b[i] |= (byte) (0xff >>> bits);
    }
    return byAddr(b);
  }

  /** Whether the address lies inside this prefix. */
  public boolean contains(InetAddress a) {
    byte[] x = a.getAddress();
    byte[] n = address.getAddress();
    if (x.length != n.length) return false;
    for (int i = 0; i < n.length; i++) {
      int bits = Math.max(0, Math.min(8, prefixLength - i * 8));
      int mask = (0xff << (8 - bits)) & 0xff;
      if ((x[i] & mask) != (n[i] & mask)) return false;
    }
    return true;
  }

  private static InetAddress byAddr(byte[] b) {
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** Text form of an address without the JDK's "hostname/" prefix; IPv6 compressed like Go and iproute2. */
  public static String format(InetAddress a) {
    if (a instanceof Inet4Address) return a.getHostAddress();
    byte[] b = a.getAddress();
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    int bestStart = -1, bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) j++;
      if (j - i > bestLen && j - i >= 2) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return format(address) + "/" + prefixLength;
  }
}
