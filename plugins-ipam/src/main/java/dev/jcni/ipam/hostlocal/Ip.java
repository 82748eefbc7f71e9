package dev.jcni.ipam.hostlocal;

import dev.jcni.spec.net.InetAddresses;
import java.math.BigInteger;

/**
 * An IPv4 or IPv6 address as an unsigned integer (host-local walks ranges by offset, also over /64s), with Go's
 * text forms from cni-spec's {@link InetAddresses}: parsing rejects IPv4 octets with leading zeros (as Go ≥ 1.17
 * does), an IPv4-mapped IPv6 address is the IPv4 address (Go's {@code To4}), and {@link #toString()} is Go's
 * {@code net.IP.String()} (RFC 5952 for IPv6). Reservation files are named by that
 * string, so it must match Go byte for byte for Java and Go to share a data directory.
 *
 * <p>No name resolution ever happens (unlike {@link java.net.InetAddress#getByName}).
 */
public final class Ip implements Comparable<Ip> {
  private static final BigInteger V4_MAX = BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE);
  private static final BigInteger V6_MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

  private final boolean v6;
  private final BigInteger value;

  private Ip(boolean v6, BigInteger value) {
    this.v6 = v6;
    this.value = value;
  }

  /** An address of the given family from its integer value; the value must fit. */
  public static Ip of(boolean v6, BigInteger value) {
    if (value.signum() < 0 || value.compareTo(v6 ? V6_MAX : V4_MAX) > 0) {
      throw new IllegalArgumentException("address value out of range");
    }
    return new Ip(v6, value);
  }

  /** Parses an IPv4 or IPv6 address; IPv4-mapped IPv6 becomes IPv4. */
  public static Ip parse(String s) {
    Ip ip = parseOrNull(s);
    if (ip == null) {
      throw new IllegalArgumentException("invalid IP address \"" + s + "\"");
    }
    return ip;
  }

  /** As {@link #parse} but null for anything that is not an address (used to filter file names). */
  public static Ip parseOrNull(String s) {
    byte[] b = InetAddresses.parseBytes(s); // Go's literal rules; IPv4-mapped comes back as 4 bytes
    return b == null ? null : new Ip(b.length == 16, new BigInteger(1, b));
  }

  public boolean isV6() {
    return v6;
  }

  /** 32 or 128. */
  public int bits() {
    return v6 ? 128 : 32;
  }

  public BigInteger value() {
    return value;
  }

  /** The next address (wrapping at the top of the family, as Go's {@code ip.NextIP} does). */
  public Ip next() {
    BigInteger v = value.add(BigInteger.ONE);
    return new Ip(v6, v.compareTo(max()) > 0 ? BigInteger.ZERO : v);
  }

  /** The previous address (wrapping at zero). */
  public Ip prev() {
    return new Ip(v6, value.signum() == 0 ? max() : value.subtract(BigInteger.ONE));
  }

  private BigInteger max() {
    return v6 ? V6_MAX : V4_MAX;
  }

  public boolean sameFamily(Ip o) {
    return v6 == o.v6;
  }

  /** IPv4 sorts before IPv6; within a family by value. */
  @Override
  public int compareTo(Ip o) {
    if (v6 != o.v6) {
      return v6 ? 1 : -1;
    }
    return value.compareTo(o.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ip && ((Ip) o).v6 == v6 && ((Ip) o).value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode() * 31 + (v6 ? 1 : 0);
  }

  /** The address as 4 or 16 bytes. */
  public byte[] bytes() {
    byte[] raw = value.toByteArray(); // big-endian, possibly with a leading sign byte or fewer bytes
    byte[] out = new byte[v6 ? 16 : 4];
    int copy = Math.min(raw.length, out.length);
    System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
    return out;
  }

  @Override
  public String toString() {
    return InetAddresses.format(bytes());
  }
}
