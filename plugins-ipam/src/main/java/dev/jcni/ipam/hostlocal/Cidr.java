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

  /** Parses {@code address/prefix} with cni-spec's Go rules; IllegalArgumentException naming the text if invalid. */
  public static Cidr parse(String s) {
    dev.jcni.spec.net.Cidr c = dev.jcni.spec.net.Cidr.tryParse(s);
    int slash = s == null ? -1 : s.indexOf('/');
    // stricter than the spec parser: at most 3 prefix digits, and an IPv4-mapped CIDR (::ffff:10.0.0.0/120 is the
    // IPv4 block, as in Go) must not be shorter than /96
    if (c == null || s.length() - slash > 4
        || (c.isIpv4() && s.lastIndexOf(':', slash) >= 0 && Integer.parseInt(s, slash + 1, s.length(), 10) < 96)) {
      throw new IllegalArgumentException("invalid CIDR address \"" + s + "\"");
    }
    return new Cidr(Ip.of(!c.isIpv4(), new BigInteger(1, c.addressBytes())), c.prefixLength());
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
