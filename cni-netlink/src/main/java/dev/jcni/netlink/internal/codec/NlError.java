package dev.jcni.netlink.internal.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An NLMSG_ERROR payload: the (positive) errno, 0 for an ACK, and the extended-ack text
 * (NLMSGERR_ATTR_MSG) when the kernel sent one. Layout: nlmsghdr, int error, the echoed request
 * (only its header when NLM_F_CAPPED), then the ext-ack attributes when NLM_F_ACK_TLVS.
 */
public record NlError(int errno, String message) {
  /** Decodes the NLMSG_ERROR message starting at off. */
  public static NlError decode(ByteBuffer buffer, int off) {
    ByteBuffer b = buffer.duplicate().order(ByteOrder.nativeOrder());
    int len = b.getInt(off);
    int flags = b.getShort(off + 6) & 0xffff;
    int errno = -b.getInt(off + 16);
    String msg = null;
    if ((flags & Rtnl.NLM_F_ACK_TLVS) != 0 && len >= 36) {
      int origLen = (flags & Rtnl.NLM_F_CAPPED) != 0 ? Rtnl.NLMSG_HDRLEN : b.getInt(off + 20);
      int from = off + 20 + Rtnl.align(origLen);
      if (from < off + len) msg = Attrs.parse(b, from, off + len).string(Rtnl.NLMSGERR_ATTR_MSG);
    }
    return new NlError(errno, msg);
  }
}
