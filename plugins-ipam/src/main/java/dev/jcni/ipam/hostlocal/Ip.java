package dev.jcni.ipam.hostlocal;

import java.math.BigInteger;

/**
 * An IPv4 or IPv6 address as an unsigned integer, with Go's text forms: parsing rejects IPv4 octets with leading
 * zeros (as Go ≥ 1.17 does), an IPv4-mapped IPv6 address is the IPv4 address (Go's {@code To4}), and
 * {@link #toString()} is Go's {@code net.IP.String()} (RFC 5952 for IPv6). Reservation files are named by that
 * string, so it must match Go byte for byte for Java and Go to share a data directory.
 *
 * <p>No name resolution ever happens (unlike {@link java.net.InetAddress#getByName}).
 */
public final class Ip implements Comparable<Ip> {
  private static final BigInteger V4_MAX = BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE);
  private static final BigInteger V6_MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
  private static final BigInteger MAPPED_PREFIX = BigInteger.valueOf(0xffffL).shiftLeft(32);

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
    if (s == null || s.isEmpty()) {
      return null;
    }
    if (s.indexOf(':') < 0) {
      long v = parseV4(s);
      return v < 0 ? null : new Ip(false, BigInteger.valueOf(v));
    }
    BigInteger v = parseV6(s);
    if (v == null) {
      return null;
    }
    if (v.shiftRight(32).equals(BigInteger.valueOf(0xffffL))) {
      return new Ip(false, v.subtract(MAPPED_PREFIX));
    }
    return new Ip(true, v);
  }

  /** -1 when not a dotted quad. */
  private static long parseV4(String s) {
    long result = 0;
    int parts = 0;
    int i = 0;
    int n = s.length();
    while (i <= n) {
      int start = i;
      int v = 0;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        v = v * 10 + (s.charAt(i) - '0');
        i++;
        if (i - start > 3) {
          return -1;
        }
      }
      int len = i - start;
      if (len == 0 || v > 255 || (len > 1 && s.charAt(start) == '0')) {
        return -1;
      }
      result = (result << 8) | v;
      parts++;
      if (i == n) {
        break;
      }
      if (s.charAt(i) != '.' || parts == 4) {
        return -1;
      }
      i++;
    }
    return parts == 4 ? result : -1;
  }

  private static BigInteger parseV6(String s) {
    int[] groups = new int[8];
    int count = 0;
    int gap = -1;
    int i = 0;
    int n = s.length();
    if (s.startsWith("::")) {
      gap = 0;
      i = 2;
      if (i == n) {
        return BigInteger.ZERO;
      }
    } else if (s.startsWith(":")) {
      return null;
    }
    while (i < n) {
      if (count == 8) {
        return null;
      }
      int start = i;
      while (i < n && Character.digit(s.charAt(i), 16) >= 0) {
        i++;
      }
      if (i < n && s.charAt(i) == '.') {
        // embedded IPv4 in the last 32 bits
        if (count > 6) {
          return null;
        }
        long v4 = parseV4(s.substring(start));
        if (v4 < 0) {
          return null;
        }
        groups[count++] = (int) (v4 >>> 16);
        groups[count++] = (int) (v4 & 0xffff);
        i = n;
        break;
      }
      int len = i - start;
      if (len == 0 || len > 4) {
        return null;
      }
      groups[count++] = Integer.parseInt(s, start, i, 16);
      if (i == n) {
        break;
      }
      if (s.charAt(i) != ':') {
        return null;
      }
      i++;
      if (i < n && s.charAt(i) == ':') {
        if (gap >= 0) {
          return null;
        }
        gap = count;
        i++;
      } else if (i == n) {
        return null; // trailing single ':'
      }
    }
    if (gap < 0 && count != 8) {
      return null;
    }
    if (gap >= 0) {
      if (count == 8) {
        return null; // "::" must stand for at least one group
      }
      int move = count - gap;
      int[] full = new int[8];
      System.arraycopy(groups, 0, full, 0, gap);
      System.arraycopy(groups, gap, full, 8 - move, move);
      groups = full;
    }
    BigInteger v = BigInteger.ZERO;
    for (int g : groups) {
      v = v.shiftLeft(16).or(BigInteger.valueOf(g));
    }
    return v;
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

  @Override
  public String toString() {
    if (!v6) {
      long v = value.longValue();
      return ((v >>> 24) & 0xff) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);
    }
    int[] g = new int[8];
    BigInteger v = value;
    for (int i = 7; i >= 0; i--) {
      g[i] = v.intValue() & 0xffff;
      v = v.shiftRight(16);
    }
    // the longest run of at least two zero groups is written "::" (the first one on a tie), as Go and RFC 5952 do
    int bestStart = -1;
    int bestLen = 1;
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
    StringBuilder sb = new StringBuilder(39);
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
}
