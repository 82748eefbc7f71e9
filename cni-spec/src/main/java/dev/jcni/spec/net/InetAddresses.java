package dev.jcni.spec.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IP address literals without name resolution: parsing accepts exactly what Go's {@code
 * net.ParseIP} accepts (dotted IPv4 without leading zeros, IPv6 with optional embedded IPv4, no
 * zone) and formatting produces Go's canonical text ({@code net.IP.String()}: IPv4-mapped addresses
 * as dotted quads, RFC 5952 IPv6), so addresses in our JSON match libcni's byte for byte. Never
 * calls {@link InetAddress#getByName}.
 */
public final class InetAddresses {
  private InetAddresses() {}

  /**
   * Parses a literal into 4 or 16 bytes (IPv4-mapped IPv6 becomes 4 bytes); null when it is not a
   * literal.
   */
  public static byte[] parseBytes(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    byte[] b = s.indexOf(':') >= 0 ? parse6(s) : parse4(s, 0, s.length());
    return b == null ? null : unmap(b);
  }

  /** Parses a literal; IllegalArgumentException ("invalid IP address: s") when it is not one. */
  public static InetAddress parse(String s) {
    byte[] b = parseBytes(s);
    if (b == null) {
      throw new IllegalArgumentException("invalid IP address: " + s);
    }
    return fromBytes(b);
  }

  /** True when {@code s} is an IP literal. */
  public static boolean isLiteral(String s) {
    return parseBytes(s) != null;
  }

  /** An InetAddress for 4 or 16 raw bytes (no lookup). */
  public static InetAddress fromBytes(byte[] b) {
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + b.length, e);
    }
  }

  /** Go's canonical text for {@code a} (no scope, no host name). */
  public static String format(InetAddress a) {
    return format(a.getAddress());
  }

  /** Go's canonical text for 4 or 16 bytes. */
  public static String format(byte[] b) {
    b = unmap(b);
    if (b.length == 4) {
      return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
    }
    if (b.length != 16) {
      throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + b.length);
    }
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    // the first longest run of at least two zero groups becomes "::" (RFC 5952, as Go's netip)
    int zs = -1;
    int ze = -1;
    for (int i = 0; i < 8; i++) {
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i >= 2 && j - i > ze - zs) {
        zs = i;
        ze = j;
      }
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == zs) {
        sb.append("::");
        i = ze - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }

  /**
   * Canonicalizes a literal (e.g. {@code FD00:0001::0005} to {@code fd00:1::5});
   * IllegalArgumentException if invalid.
   */
  public static String canonical(String s) {
    byte[] b = parseBytes(s);
    if (b == null) {
      throw new IllegalArgumentException("invalid IP address: " + s);
    }
    return format(b);
  }

  /** 4 or 6. */
  public static int family(InetAddress a) {
    return a.getAddress().length == 4 ? 4 : 6;
  }

  /** The next address (wrapping around at the end of the family's space), like Go's ip.NextIP. */
  public static InetAddress next(InetAddress a) {
    byte[] b = a.getAddress();
    for (int i = b.length - 1; i >= 0; i--) {
      if (++b[i] != 0) {
        break;
      }
    }
    return fromBytes(b);
  }

  /** The previous address (wrapping around), like Go's ip.PrevIP. */
  public static InetAddress previous(InetAddress a) {
    byte[] b = a.getAddress();
    for (int i = b.length - 1; i >= 0; i--) {
      if (b[i]-- != 0) {
        break;
      }
    }
    return fromBytes(b);
  }

  /**
   * The address {@code n} after {@code a} ({@code n} may be negative), wrapping around within the
   * family's space; e.g. the first host of a network is {@code add(networkAddress, 1)} (Go's
   * calcGatewayIP).
   */
  public static InetAddress add(InetAddress a, long n) {
    byte[] b = a.getAddress();
    // two's-complement addition of the sign-extended n, byte by byte from the end
    int carry = 0;
    for (int i = b.length - 1; i >= 0; i--) {
      int k = b.length - 1 - i;
      int nb = k < 8 ? (int) (n >>> (8 * k)) & 0xff : (n < 0 ? 0xff : 0);
      int sum = (b[i] & 0xff) + nb + carry;
      b[i] = (byte) sum;
      carry = sum >>> 8;
    }
    return fromBytes(b);
  }

  /** Orders addresses of one family numerically; IPv4 sorts before IPv6. */
  public static int compare(InetAddress x, InetAddress y) {
    byte[] a = x.getAddress();
    byte[] b = y.getAddress();
    if (a.length != b.length) {
      return Integer.compare(a.length, b.length);
    }
    for (int i = 0; i < a.length; i++) {
      int c = Integer.compare(a[i] & 0xff, b[i] & 0xff);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** 16 bytes that are an IPv4-mapped address become 4 bytes; anything else is returned as is. */
  static byte[] unmap(byte[] b) {
    if (b.length != 16) {
      return b;
    }
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return b;
      }
    }
    if (b[10] != (byte) 0xff || b[11] != (byte) 0xff) {
      return b;
    }
    return new byte[] {b[12], b[13], b[14], b[15]};
  }

  /** True when 16 bytes hold an IPv4-mapped address. */
  static boolean isMapped(byte[] b) {
    return b.length == 16 && unmap(b).length == 4;
  }

  /** Dotted quad in s[from,to): four decimal fields 0-255, no leading zeros (Go ≥1.17). */
  private static byte[] parse4(String s, int from, int to) {
    byte[] out = new byte[4];
    int field = 0;
    int i = from;
    while (true) {
      if (i >= to) {
        return null;
      }
      int start = i;
      int v = 0;
      while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        v = v * 10 + (s.charAt(i) - '0');
        if (v > 255) {
          return null;
        }
        i++;
      }
      int len = i - start;
      if (len == 0 || (len > 1 && s.charAt(start) == '0')) {
        return null;
      }
      out[field++] = (byte) v;
      if (field == 4) {
        return i == to ? out : null;
      }
      if (i >= to || s.charAt(i) != '.') {
        return null;
      }
      i++;
    }
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /**
   * IPv6 text: up to 8 groups of 1-4 hex digits, one "::", optionally ending in a dotted quad; no
   * zone.
   */
  private static byte[] parse6(String s) {
    byte[] out = new byte[16];
    int n = s.length();
    int i = 0;
    int pos = 0; // byte position
    int ellipsis = -1;
    if (n >= 2 && s.charAt(0) == ':' && s.charAt(1) == ':') {
      ellipsis = 0;
      i = 2;
      if (i == n) {
        return out;
      }
    }
    while (pos < 16) {
      int start = i;
      int v = 0;
      while (i < n && hex(s.charAt(i)) >= 0 && i - start < 5) {
        v = (v << 4) | hex(s.charAt(i));
        i++;
      }
      int len = i - start;
      if (len == 0 || len > 4) {
        return null;
      }
      if (i < n && s.charAt(i) == '.') {
        // embedded IPv4 takes the last 4 bytes
        if (ellipsis < 0 && pos != 12) {
          return null;
        }
        if (pos + 4 > 16) {
          return null;
        }
        byte[] v4 = parse4(s, start, n);
        if (v4 == null) {
          return null;
        }
        System.arraycopy(v4, 0, out, pos, 4);
        pos += 4;
        i = n;
        break;
      }
      out[pos++] = (byte) (v >> 8);
      out[pos++] = (byte) v;
      if (i == n) {
        break;
      }
      if (s.charAt(i) != ':') {
        return null; // includes '%' zones
      }
      i++;
      if (i < n && s.charAt(i) == ':') {
        if (ellipsis >= 0) {
          return null;
        }
        ellipsis = pos;
        i++;
        if (i == n) {
          break;
        }
      } else if (i == n) {
        return null; // trailing single ':'
      }
    }
    if (i != n) {
      return null;
    }
    if (pos < 16) {
      if (ellipsis < 0) {
        return null;
      }
      int tail = pos - ellipsis;
      System.arraycopy(out, ellipsis, out, 16 - tail, tail);
      for (int k = ellipsis; k < 16 - tail; k++) {
        out[k] = 0;
      }
    } else if (ellipsis >= 0) {
      return null; // "::" must stand for at least one group of zeros
    }
    return out;
  }
}
