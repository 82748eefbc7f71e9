package dev.jcni.ipam.hostlocal;

import java.math.BigInteger;

/**
 * An address with a prefix length, as written ({@code 10.1.2.5/24} keeps its host bits, like Go's
 * {@code types.ParseCIDR}); {@link #network()} and {@link #last()} give the bounds of the block.
 */
public record Cidr(Ip address, int prefix) {

  public Cidr {
    if (prefix < 0 || prefix > address.bits()) {
      throw new IllegalArgumentException("prefix length " + prefix + " out of range");
    }
  }

  /** Parses {@code address/prefix}. */
  public static Cidr parse(String s) {
    int slash = s == null ? -1 : s.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("invalid CIDR address \"" + s + "\"");
    }
    Ip ip = Ip.parseOrNull(s.substring(0, slash));
    String len = s.substring(slash + 1);
    if (ip == null || len.isEmpty() || len.length() > 3 || !digits(len)) {
      throw new IllegalArgumentException("invalid CIDR address \"" + s + "\"");
    }
    int p = Integer.parseInt(len);
    // an IPv4-mapped IPv6 CIDR (::ffff:10.0.0.0/120) is the IPv4 block, as in Go
    if (!ip.isV6() && s.substring(0, slash).indexOf(':') >= 0) {
      p -= 96;
    }
    if (p < 0 || p > ip.bits()) {
      throw new IllegalArgumentException("invalid CIDR address \"" + s + "\"");
    }
    return new Cidr(ip, p);
  }

  private static boolean digits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private BigInteger hostMask() {
    return BigInteger.ONE.shiftLeft(address.bits() - prefix).subtract(BigInteger.ONE);
  }

  /** The network address (host bits cleared). */
  public Ip network() {
    return Ip.of(address.isV6(), address.value().andNot(hostMask()));
  }

  /** The last address of the block (the IPv4 broadcast address). */
  public Ip last() {
    return Ip.of(address.isV6(), address.value().or(hostMask()));
  }

  /** True when the address is the network address. */
  public boolean isNetworkAddress() {
    return address.equals(network());
  }

  /** Whether {@code ip} is inside this block (same family). */
  public boolean contains(Ip ip) {
    return ip.sameFamily(address) && ip.value().andNot(hostMask()).equals(address.value().andNot(hostMask()));
  }

  @Override
  public String toString() {
    return address + "/" + prefix;
  }
}
