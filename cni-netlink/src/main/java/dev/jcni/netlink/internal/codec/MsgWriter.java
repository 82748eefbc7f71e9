package dev.jcni.netlink.internal.codec;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds one netlink request: nlmsghdr, the family header struct, then (nested) attributes, all in
 * native byte order with 4-byte alignment. Pure Java, grows as needed; {@link #toByteArray()} or
 * {@link #buffer()} give the bytes. Length fields are patched when the message / a nest is closed.
 */
public final class MsgWriter {
  private ByteBuffer buf;

  public MsgWriter() {
    this(512);
  }

  public MsgWriter(int capacity) {
    buf = ByteBuffer.allocate(capacity).order(ByteOrder.nativeOrder());
  }

  /** Starts a message: writes nlmsghdr with len patched later by {@link #finish}. */
  public MsgWriter header(int type, int flags, int seq, int pid) {
    buf.clear();
    ensure(Rtnl.NLMSG_HDRLEN);
    buf.putInt(0).putShort((short) type).putShort((short) flags).putInt(seq).putInt(pid);
    return this;
  }

  /** Patches nlmsg_len; returns the total length. */
  public int finish() {
    int len = buf.position();
    buf.putInt(0, len);
    return len;
  }

  public int position() {
    return buf.position();
  }

  /** The written bytes, position 0 .. limit = length. */
  public ByteBuffer buffer() {
    ByteBuffer b = buf.duplicate().order(ByteOrder.nativeOrder());
    b.flip();
    return b;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf.array(), buf.position());
  }

  /** Overwrites nlmsg_flags. */
  public void setFlags(int flags) {
    buf.putShort(6, (short) flags);
  }

  /** Overwrites the sequence number of the finished message. */
  public void setSeq(int seq) {
    buf.putInt(8, seq);
  }

  private void ensure(int more) {
    if (buf.remaining() < more) {
      ByteBuffer nb =
          ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + more + 64))
              .order(ByteOrder.nativeOrder());
      buf.flip();
      nb.put(buf);
      buf = nb;
    }
  }

  private void pad() {
    int p = buf.position();
    int a = Rtnl.align(p);
    ensure(a - p);
    while (buf.position() < a) buf.put((byte) 0);
  }

  // ---- family headers

  /** struct ifinfomsg (16 bytes). */
  public MsgWriter ifinfomsg(int family, int type, int index, int flags, int change) {
    ensure(16);
    buf.put((byte) family)
        .put((byte) 0)
        .putShort((short) type)
        .putInt(index)
        .putInt(flags)
        .putInt(change);
    return this;
  }

  /** struct ifaddrmsg (8 bytes). */
  public MsgWriter ifaddrmsg(int family, int prefixLen, int flags, int scope, int index) {
    ensure(8);
    buf.put((byte) family).put((byte) prefixLen).put((byte) flags).put((byte) scope).putInt(index);
    return this;
  }

  /** struct rtmsg (12 bytes). */
  public MsgWriter rtmsg(
      int family,
      int dstLen,
      int srcLen,
      int tos,
      int table,
      int protocol,
      int scope,
      int type,
      int flags) {
    ensure(12);
    buf.put((byte) family)
        .put((byte) dstLen)
        .put((byte) srcLen)
        .put((byte) tos)
        .put((byte) table)
        .put((byte) protocol)
        .put((byte) scope)
        .put((byte) type)
        .putInt(flags);
    return this;
  }

  /** struct ndmsg (12 bytes). */
  public MsgWriter ndmsg(int family, int index, int state, int flags, int type) {
    ensure(12);
    buf.put((byte) family)
        .put((byte) 0)
        .putShort((short) 0)
        .putInt(index)
        .putShort((short) state)
        .put((byte) flags)
        .put((byte) type);
    return this;
  }

  /** struct tcmsg (20 bytes). {@code info} is (prio << 16) | htons(protocol) for filters. */
  public MsgWriter tcmsg(int family, int index, int handle, int parent, int info) {
    ensure(20);
    buf.put((byte) family)
        .put((byte) 0)
        .putShort((short) 0)
        .putInt(index)
        .putInt(handle)
        .putInt(parent)
        .putInt(info);
    return this;
  }

  /** Raw bytes (e.g. an rtgenmsg or a struct inside an attribute), padded to 4. */
  public MsgWriter raw(byte[] bytes) {
    ensure(bytes.length + 3);
    buf.put(bytes);
    pad();
    return this;
  }

  // ---- attributes

  public MsgWriter attr(int type, byte[] value) {
    ensure(4 + value.length + 3);
    buf.putShort((short) (4 + value.length)).putShort((short) type).put(value);
    pad();
    return this;
  }

  public MsgWriter attrFlag(int type) {
    ensure(4);
    buf.putShort((short) 4).putShort((short) type);
    return this;
  }

  public MsgWriter attrU8(int type, int v) {
    ensure(8);
    buf.putShort((short) 5).putShort((short) type).put((byte) v);
    pad();
    return this;
  }

  public MsgWriter attrU16(int type, int v) {
    ensure(8);
    buf.putShort((short) 6).putShort((short) type).putShort((short) v);
    pad();
    return this;
  }

  /** A 16-bit value in network byte order (e.g. IFLA_VXLAN_PORT). */
  public MsgWriter attrBe16(int type, int v) {
    ensure(8);
    buf.putShort((short) 6).putShort((short) type).put((byte) (v >>> 8)).put((byte) v);
    pad();
    return this;
  }

  public MsgWriter attrU32(int type, int v) {
    ensure(8);
    buf.putShort((short) 8).putShort((short) type).putInt(v);
    return this;
  }

  public MsgWriter attrU64(int type, long v) {
    ensure(12);
    buf.putShort((short) 12).putShort((short) type).putLong(v);
    return this;
  }

  /** NUL-terminated string. */
  public MsgWriter attrString(int type, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    ensure(4 + b.length + 1 + 3);
    buf.putShort((short) (4 + b.length + 1)).putShort((short) type).put(b).put((byte) 0);
    pad();
    return this;
  }

  /** String without the trailing NUL (iproute2 sends IFLA_INFO_KIND this way). */
  public MsgWriter attrChars(int type, String s) {
    return attr(type, s.getBytes(StandardCharsets.UTF_8));
  }

  public MsgWriter attrAddr(int type, InetAddress a) {
    return attr(type, a.getAddress());
  }

  /** Opens a nested attribute; pass the returned offset to {@link #nestEnd}. */
  public int nestStart(int type) {
    ensure(4);
    int start = buf.position();
    buf.putShort((short) 0).putShort((short) type);
    return start;
  }

  public MsgWriter nestEnd(int start) {
    buf.putShort(start, (short) (buf.position() - start));
    return this;
  }

  /** Helper: the address family constant of an address. */
  public static int family(InetAddress a) {
    return a instanceof Inet4Address ? Rtnl.AF_INET : Rtnl.AF_INET6;
  }
}
