package dev.jcni.netlink.internal.codec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A parsed run of netlink attributes over a buffer region (no copy until a value is read). Lookups
 * mask off NLA_F_NESTED / NLA_F_NET_BYTEORDER. Truncated trailing attributes are ignored, like the
 * kernel's nla_for_each.
 */
public final class Attrs {
  private final ByteBuffer buf; // native order, absolute indexing
  private final int[] types; // raw type incl. flags
  private final int[] offsets; // value offset
  private final int[] lengths; // value length
  private final int count;

  private Attrs(ByteBuffer buf, int[] types, int[] offsets, int[] lengths, int count) {
    this.buf = buf;
    this.types = types;
    this.offsets = offsets;
    this.lengths = lengths;
    this.count = count;
  }

  /** Parses attributes in buf[from, to). */
  public static Attrs parse(ByteBuffer buf, int from, int to) {
    ByteBuffer b = buf.duplicate().order(ByteOrder.nativeOrder());
    int n = 0;
    int[] t = new int[16], o = new int[16], l = new int[16];
    int p = from;
    while (p + Rtnl.NLA_HDRLEN <= to) {
      int len = b.getShort(p) & 0xffff;
      int type = b.getShort(p + 2) & 0xffff;
      if (len < Rtnl.NLA_HDRLEN || p + len > to) break;
      if (n == t.length) {
        t = Arrays.copyOf(t, n * 2);
        o = Arrays.copyOf(o, n * 2);
        l = Arrays.copyOf(l, n * 2);
      }
      t[n] = type;
      o[n] = p + Rtnl.NLA_HDRLEN;
      l[n] = len - Rtnl.NLA_HDRLEN;
      n++;
      p += Rtnl.align(len);
    }
    return new Attrs(b, t, o, l, n);
  }

  public static Attrs parse(byte[] bytes) {
    return parse(ByteBuffer.wrap(bytes), 0, bytes.length);
  }

  public static final Attrs EMPTY =
      new Attrs(ByteBuffer.allocate(0), new int[0], new int[0], new int[0], 0);

  public int size() {
    return count;
  }

  /** Raw type (with flag bits) of the i-th attribute. */
  public int rawType(int i) {
    return types[i];
  }

  public int type(int i) {
    return types[i] & Rtnl.NLA_TYPE_MASK;
  }

  public byte[] value(int i) {
    byte[] v = new byte[lengths[i]];
    buf.get(offsets[i], v);
    return v;
  }

  public Attrs nested(int i) {
    return parse(buf, offsets[i], offsets[i] + lengths[i]);
  }

  private int find(int type) {
    for (int i = 0; i < count; i++) {
      if ((types[i] & Rtnl.NLA_TYPE_MASK) == type) return i;
    }
    return -1;
  }

  public boolean has(int type) {
    return find(type) >= 0;
  }

  public byte[] bytes(int type) {
    int i = find(type);
    return i < 0 ? null : value(i);
  }

  public int u8(int type, int dflt) {
    int i = find(type);
    return i < 0 || lengths[i] < 1 ? dflt : buf.get(offsets[i]) & 0xff;
  }

  public int u16(int type, int dflt) {
    int i = find(type);
    return i < 0 || lengths[i] < 2 ? dflt : buf.getShort(offsets[i]) & 0xffff;
  }

  public int be16(int type, int dflt) {
    int i = find(type);
    return i < 0 || lengths[i] < 2
        ? dflt
        : ((buf.get(offsets[i]) & 0xff) << 8) | (buf.get(offsets[i] + 1) & 0xff);
  }

  public int u32(int type, int dflt) {
    int i = find(type);
    return i < 0 || lengths[i] < 4 ? dflt : buf.getInt(offsets[i]);
  }

  public long u64(int type, long dflt) {
    int i = find(type);
    return i < 0 || lengths[i] < 8 ? dflt : buf.getLong(offsets[i]);
  }

  /** NUL-terminated (or not) string, null when absent. */
  public String string(int type) {
    int i = find(type);
    if (i < 0) return null;
    int len = lengths[i];
    while (len > 0 && buf.get(offsets[i] + len - 1) == 0) len--;
    byte[] v = new byte[len];
    buf.get(offsets[i], v);
    return new String(v, StandardCharsets.UTF_8);
  }

  /** A 4- or 16-byte address, null when absent or of another size. */
  public InetAddress addr(int type) {
    byte[] v = bytes(type);
    if (v == null || (v.length != 4 && v.length != 16)) return null;
    try {
      return InetAddress.getByAddress(v);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** Nested attributes of the first attribute of this type, or EMPTY. */
  public Attrs nest(int type) {
    int i = find(type);
    return i < 0 ? EMPTY : nested(i);
  }

  /** All attributes of this type (e.g. repeated IFLA_BRIDGE_VLAN_INFO), as value byte arrays. */
  public List<byte[]> all(int type) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      if ((types[i] & Rtnl.NLA_TYPE_MASK) == type) out.add(value(i));
    }
    return out;
  }

  /** Buffer offset of the value of the first attribute of this type, or -1. */
  public int valueOffset(int type) {
    int i = find(type);
    return i < 0 ? -1 : offsets[i];
  }

  public int valueLength(int type) {
    int i = find(type);
    return i < 0 ? -1 : lengths[i];
  }

  /** The underlying buffer (shared). */
  public ByteBuffer buffer() {
    return buf;
  }
}
