package dev.jcni.netlink.internal.codec;

import dev.jcni.netlink.internal.codec.Structs.NlHeader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One decoded rtnetlink message: header, the family header bytes and its attributes, over a shared
 * buffer. {@link #encode()} re-emits it (header, struct, then every attribute with its raw type and
 * value), which for kernel-produced messages gives back identical bytes: the basis of the golden
 * round-trip tests.
 */
public final class RtnlMessage {
  private final NlHeader header;
  private final ByteBuffer buf;
  private final int offset; // start of nlmsghdr
  private final int structSize;
  private final Attrs attrs;

  private RtnlMessage(NlHeader header, ByteBuffer buf, int offset, int structSize, Attrs attrs) {
    this.header = header;
    this.buf = buf;
    this.offset = offset;
    this.structSize = structSize;
    this.attrs = attrs;
  }

  /**
   * Decodes the message starting at off (native byte order).
   *
   * @throws IllegalArgumentException for anything malformed (the codec's only failure; fuzzed in
   *     plugins-meta)
   */
  public static RtnlMessage decode(ByteBuffer buffer, int off) {
    ByteBuffer b = buffer.duplicate().order(ByteOrder.nativeOrder());
    if (off < 0 || off + NlHeader.SIZE > b.limit()) {
      throw new IllegalArgumentException(
          "truncated message: " + (b.limit() - off) + " bytes, no header");
    }
    NlHeader h = NlHeader.decode(b, off);
    int size = Structs.familyHeaderSize(h.type());
    if (size < 0)
      throw new IllegalArgumentException("not an rtnetlink object message: type " + h.type());
    int structOff = off + NlHeader.SIZE;
    int end = off + h.len();
    if (h.len() < NlHeader.SIZE + size || end > b.limit()) {
      throw new IllegalArgumentException("truncated message: len " + h.len());
    }
    return new RtnlMessage(h, b, off, size, Attrs.parse(b, structOff + Rtnl.align(size), end));
  }

  public static RtnlMessage decode(byte[] bytes) {
    return decode(ByteBuffer.wrap(bytes), 0);
  }

  public NlHeader header() {
    return header;
  }

  /** Offset of the family header in {@link #buffer()}. */
  public int structOffset() {
    return offset + NlHeader.SIZE;
  }

  public ByteBuffer buffer() {
    return buf;
  }

  public Attrs attrs() {
    return attrs;
  }

  public Structs.IfInfoMsg ifinfo() {
    return Structs.IfInfoMsg.decode(buf, structOffset());
  }

  public Structs.IfAddrMsg ifaddr() {
    return Structs.IfAddrMsg.decode(buf, structOffset());
  }

  public Structs.RtMsg rtmsg() {
    return Structs.RtMsg.decode(buf, structOffset());
  }

  public Structs.NdMsg ndmsg() {
    return Structs.NdMsg.decode(buf, structOffset());
  }

  public Structs.TcMsg tcmsg() {
    return Structs.TcMsg.decode(buf, structOffset());
  }

  /** Re-encodes header + struct + attributes. */
  public byte[] encode() {
    MsgWriter w = new MsgWriter(header.len() + 16);
    w.header(header.type(), header.flags(), header.seq(), header.pid());
    byte[] s = new byte[structSize];
    buf.get(structOffset(), s);
    w.raw(s);
    for (int i = 0; i < attrs.size(); i++) w.attr(attrs.rawType(i), attrs.value(i));
    w.finish();
    return w.toByteArray();
  }

  /** The original bytes of this message. */
  public byte[] originalBytes() {
    byte[] out = new byte[header.len()];
    buf.get(offset, out);
    return out;
  }

  @Override
  public String toString() {
    return "RtnlMessage"
        + header
        + " attrs="
        + attrs.size()
        + " "
        + Arrays.toString(new int[] {structSize});
  }
}
