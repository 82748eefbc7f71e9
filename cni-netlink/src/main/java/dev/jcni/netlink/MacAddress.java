package dev.jcni.netlink;

import java.util.Arrays;

/** A link-layer address (6 bytes for Ethernet), printed like {@code 02:42:ac:11:00:02}. */
public final class MacAddress {
  private final byte[] bytes;

  private MacAddress(byte[] bytes) {
    this.bytes = bytes;
  }

  public static MacAddress of(byte[] bytes) {
    if (bytes == null || bytes.length == 0)
      throw new IllegalArgumentException("empty hardware address");
    return new MacAddress(bytes.clone());
  }

  /** Parses {@code aa:bb:cc:dd:ee:ff} (also with '-'). */
  public static MacAddress parse(String s) {
    String[] parts = s.split("[:-]", -1);
    if (parts.length < 2) throw new IllegalArgumentException("invalid MAC address \"" + s + "\"");
    byte[] b = new byte[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 2)
        throw new IllegalArgumentException("invalid MAC address \"" + s + "\"");
      try {
        b[i] = (byte) Integer.parseInt(p, 16);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid MAC address \"" + s + "\"");
      }
    }
    return new MacAddress(b);
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public boolean isZero() {
    for (byte x : bytes) if (x != 0) return false;
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MacAddress && Arrays.equals(bytes, ((MacAddress) o).bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(bytes.length * 3);
    for (int i = 0; i < bytes.length; i++) {
      if (i > 0) sb.append(':');
      sb.append(Character.forDigit((bytes[i] >> 4) & 0xf, 16))
          .append(Character.forDigit(bytes[i] & 0xf, 16));
    }
    return sb.toString();
  }
}
