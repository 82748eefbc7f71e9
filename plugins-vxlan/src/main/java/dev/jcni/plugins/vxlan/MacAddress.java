package dev.jcni.plugins.vxlan;

import java.util.Locale;

/** A 48-bit Ethernet address held in the low bits of a long, so it can be a map key. */
public record MacAddress(long value) {

  public MacAddress {
    if ((value & ~0xFFFF_FFFF_FFFFL) != 0) {
      throw new IllegalArgumentException("not a 48-bit MAC");
    }
  }

  public static MacAddress of(byte[] b) {
    if (b == null || b.length != 6) {
      throw new IllegalArgumentException("a MAC has 6 bytes");
    }
    long v = 0;
    for (byte x : b) {
      v = (v << 8) | (x & 0xff);
    }
    return new MacAddress(v);
  }

  /** Parses {@code aa:bb:cc:dd:ee:ff} (case-insensitive); IllegalArgumentException otherwise. */
  public static MacAddress parse(String s) {
    String[] parts = s.split(":", -1);
    if (parts.length != 6) {
      throw new IllegalArgumentException("not a MAC address: " + s);
    }
    long v = 0;
    for (String p : parts) {
      if (p.length() != 2) {
        throw new IllegalArgumentException("not a MAC address: " + s);
      }
      v = (v << 8) | Integer.parseInt(p, 16);
    }
    return new MacAddress(v);
  }

  public byte[] bytes() {
    byte[] b = new byte[6];
    for (int i = 5; i >= 0; i--) {
      b[i] = (byte) (value >>> (8 * (5 - i)));
    }
    return b;
  }

  public boolean isZero() {
    return value == 0;
  }

  @Override
  public String toString() {
    byte[] b = bytes();
    StringBuilder sb = new StringBuilder(17);
    for (int i = 0; i < 6; i++) {
      if (i > 0) {
        sb.append(':');
      }
      sb.append(String.format(Locale.ROOT, "%02x", b[i] & 0xff));
    }
    return sb.toString();
  }
}
