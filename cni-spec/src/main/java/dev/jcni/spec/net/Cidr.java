package dev.jcni.spec.net;

import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.json.Json;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * An address with a prefix length, e.g. {@code 10.0.0.5/24} (host bits kept, as Go's {@code
 * types.ParseCIDR}). Parsing accepts what Go's {@code net.ParseCIDR} accepts and {@link
 * #toString()} is Go's canonical text, so {@code FD00:0001::5/64} becomes {@code fd00:1::5/64} and
 * an IPv4-mapped {@code ::ffff:10.0.0.5/120} becomes {@code 10.0.0.5/24}. Pure Java: no name
 * lookups. Usable as a record component type with {@link Json#bind} (bound from a JSON string) and
 * written back as its text.
 *
 * <p>The one IP prefix type of jcni: config binding, {@link dev.jcni.spec.Result} addresses and
 * routes, and cni-netlink's addresses and routes all use it, so a plugin never converts through
 * text. Plain addresses are {@link InetAddress}es made and printed by {@link InetAddresses} (never
 * by name lookup or {@link InetAddress#toString()}).
 */
public final class Cidr implements Json.JsonValue, Comparable<Cidr> {
  private final byte[] addr; // 4 or 16 bytes
  private final int prefix;

  private Cidr(byte[] addr, int prefix) {
    this.addr = addr;
    this.prefix = prefix;
  }

  /**
   * Parses {@code address/prefix}. Invalid text: CniException code 7 (invalid network config) with
   * Go's message {@code invalid CIDR address: <s>}, since CIDRs normally come from the network
   * config.
   */
  public static Cidr parse(String s) {
    Cidr c = tryParse(s);
    if (c == null) {
      throw new CniException(ErrorCodes.INVALID_NETWORK_CONFIG, "invalid CIDR address: " + s);
    }
    return c;
  }

  /** Like {@link #parse} but null when {@code s} is not a CIDR. */
  public static Cidr tryParse(String s) {
    if (s == null) {
      return null;
    }
    int slash = s.indexOf('/');
    if (slash <= 0 || slash == s.length() - 1) {
      return null;
    }
    String a = s.substring(0, slash);
    boolean six = a.indexOf(':') >= 0;
    byte[] b = InetAddresses.parseBytes(a);
    if (b == null) {
      return null;
    }
    int p = 0;
    for (int i = slash + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9' || p > 128) {
        return null;
      }
      p = p * 10 + (c - '0');
    }
    int bits = six ? 128 : 32;
    if (p > bits) {
      return null;
    }
    if (six && b.length == 4) {
      // written as IPv6 (e.g. ::ffff:10.0.0.5/120): the prefix counted over 128 bits; Go prints the
      // v4 form
      p = Math.max(0, p - 96);
    }
    return new Cidr(b, p);
  }

  /** A CIDR from an address and a prefix length (0..32 or 0..128). */
  public static Cidr of(InetAddress address, int prefixLength) {
    byte[] b = InetAddresses.unmap(address.getAddress());
    if (prefixLength < 0 || prefixLength > b.length * 8) {
      throw new IllegalArgumentException(
          "prefix length " + prefixLength + " out of range for " + address);
    }
    return new Cidr(b, prefixLength);
  }

  /** A host prefix for {@code address}: {@code /32} or {@code /128}. */
  public static Cidr ofHost(InetAddress address) {
    byte[] b = InetAddresses.unmap(address.getAddress());
    return new Cidr(b, b.length * 8);
  }

  /** The address as written (host bits kept). */
  public InetAddress address() {
    return InetAddresses.fromBytes(addr);
  }

  /** A copy of the address bytes (4 or 16). */
  public byte[] addressBytes() {
    return addr.clone();
  }

  public int prefixLength() {
    return prefix;
  }

  /** 4 or 6. */
  public int family() {
    return addr.length == 4 ? 4 : 6;
  }

  public boolean isIpv4() {
    return addr.length == 4;
  }

  public boolean isIpv6() {
    return addr.length == 16;
  }

  /** Total bits in the address (32 or 128). */
  public int bits() {
    return addr.length * 8;
  }

  /** The network: host bits cleared ({@code 10.0.0.5/24} gives {@code 10.0.0.0/24}). */
  public Cidr network() {
    return new Cidr(masked(addr, prefix, false), prefix);
  }

  /** True when no host bit is set ({@code 10.0.0.0/24}, not {@code 10.0.0.5/24}). */
  public boolean isNetwork() {
    return Arrays.equals(addr, masked(addr, prefix, false));
  }

  /** The network address ({@code 10.0.0.0} for {@code 10.0.0.5/24}). */
  public InetAddress networkAddress() {
    return InetAddresses.fromBytes(masked(addr, prefix, false));
  }

  /** The last address of the network (the IPv4 broadcast address; host bits all set). */
  public InetAddress lastAddress() {
    return InetAddresses.fromBytes(masked(addr, prefix, true));
  }

  /** The same address with a full-length prefix ({@code /32} or {@code /128}). */
  public Cidr host() {
    return new Cidr(addr, addr.length * 8);
  }

  /**
   * The first address after the network address (Go's calcGatewayIP: the default gateway of a
   * subnet).
   */
  public InetAddress firstHost() {
    return InetAddresses.next(networkAddress());
  }

  /** The address part in Go's canonical text ({@code fd00:1::5} for {@code fd00:1::5/64}). */
  public String addressString() {
    return InetAddresses.format(addr);
  }

  /** The netmask as bytes (4 or 16). */
  public byte[] mask() {
    byte[] m = new byte[addr.length];
    for (int i = 0; i < m.length; i++) {
      int bitsHere = Math.max(0, Math.min(8, prefix - 8 * i));
      m[i] = (byte) (0xff << (8 - bitsHere));
    }
    return m;
  }

  /** True when {@code ip} (same family) lies in this network. */
  public boolean contains(InetAddress ip) {
    byte[] b = InetAddresses.unmap(ip.getAddress());
    if (b.length != addr.length) {
      return false;
    }
    return Arrays.equals(masked(b, prefix, false), masked(addr, prefix, false));
  }

  /** True when the whole of {@code other} lies in this network. */
  public boolean contains(Cidr other) {
    return other.addr.length == addr.length && other.prefix >= prefix && contains(other.address());
  }

  /** True when the two networks share any address. */
  public boolean overlaps(Cidr other) {
    return other.addr.length == addr.length
        && (contains(other.networkAddress()) || other.contains(networkAddress()));
  }

  private static byte[] masked(byte[] a, int prefix, boolean setHostBits) {
    byte[] out = a.clone();
    for (int i = 0; i < out.length; i++) {
      int bitsHere = Math.max(0, Math.min(8, prefix - 8 * i));
      int m = (0xff << (8 - bitsHere)) & 0xff;
      out[i] = (byte) (setHostBits ? (out[i] | ~m) : (out[i] & m));
    }
    return out;
  }

  /** Go's canonical text, e.g. {@code 10.0.0.5/24} or {@code fd00:1::5/64}. */
  @Override
  public String toString() {
    return InetAddresses.format(addr) + "/" + prefix;
  }

  @Override
  public Object toJsonTree() {
    return toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr && ((Cidr) o).prefix == prefix && Arrays.equals(((Cidr) o).addr, addr);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(addr) * 31 + prefix;
  }

  /** IPv4 before IPv6, then by address, then by prefix length. */
  @Override
  public int compareTo(Cidr o) {
    int c = InetAddresses.compare(address(), o.address());
    return c != 0 ? c : Integer.compare(prefix, o.prefix);
  }
}
