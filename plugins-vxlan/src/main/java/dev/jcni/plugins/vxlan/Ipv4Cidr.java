package dev.jcni.plugins.vxlan;

import dev.jcni.spec.CniException;
import dev.jcni.spec.net.InetAddresses;
import java.net.Inet4Address;

/**
 * An IPv4 prefix, normalised to its network address ({@code 10.244.1.7/24} becomes {@code 10.244.1.0/24}, as Go's
 * {@code net.ParseCIDR} does for the network part).
 *
 * @param network the network address as a 32-bit value (host bits zero)
 * @param prefix the prefix length, 0..32
 */
public record Ipv4Cidr(int network, int prefix) implements Comparable<Ipv4Cidr> {

  public Ipv4Cidr {
    if (prefix < 0 || prefix > 32) {
      throw new IllegalArgumentException("prefix length out of range: " + prefix);
    }
    network &= mask(prefix);
  }

  /** Parses {@code a.b.c.d/len}; anything else is a code 7 error naming {@code key}. */
  public static Ipv4Cidr parse(String text, String key) {
    if (text == null || text.isEmpty()) {
      throw CniException.invalidConfig(key + ": missing subnet");
    }
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw CniException.invalidConfig(key + ": \"" + text + "\" is not a CIDR (a.b.c.d/len)");
    }
    int len;
    try {
      len = Integer.parseInt(text.substring(slash + 1));
    } catch (NumberFormatException e) {
      len = -1;
    }
    if (len < 0 || len > 32) {
      throw CniException.invalidConfig(key + ": \"" + text + "\" has an invalid prefix length");
    }
    Integer addr = parseIpv4(text.substring(0, slash));
    if (addr == null) {
      throw CniException.invalidConfig(key + ": \"" + text + "\" is not an IPv4 CIDR");
    }
    return new Ipv4Cidr(addr, len);
  }

  /** Strict dotted quad (cni-spec's Go rules: no DNS lookups, no shorthand, no leading zeros); null otherwise. */
  static Integer parseIpv4(String s) {
    byte[] b = s.indexOf(':') >= 0 ? null : InetAddresses.parseBytes(s);
    return b == null ? null : toInt(b);
  }

  static int mask(int prefix) {
    return prefix == 0 ? 0 : -1 << (32 - prefix);
  }

  /** The network address, e.g. {@code 10.244.2.0}: flannel's per-node gateway and VTEP address. */
  public Inet4Address networkAddress() {
    return toInet(network);
  }

  public boolean contains(int addr) {
    return (addr & mask(prefix)) == network;
  }

  public boolean overlaps(Ipv4Cidr o) {
    int p = Math.min(prefix, o.prefix);
    return (network & mask(p)) == (o.network & mask(p));
  }

  static Inet4Address toInet(int v) {
    return (Inet4Address) InetAddresses.fromBytes(bytes(v));
  }

  static int toInt(Inet4Address a) {
    return toInt(a.getAddress());
  }

  private static int toInt(byte[] b) {
    return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
  }

  private static byte[] bytes(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  static String format(int v) {
    return InetAddresses.format(bytes(v));
  }

  @Override
  public int compareTo(Ipv4Cidr o) {
    int c = Integer.compareUnsigned(network, o.network);
    return c != 0 ? c : Integer.compare(prefix, o.prefix);
  }

  @Override
  public String toString() {
    return format(network) + "/" + prefix;
  }
}
