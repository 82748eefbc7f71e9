package dev.jcni.netlink.internal.codec;

import java.nio.ByteBuffer;

/**
 * The fixed family headers that follow nlmsghdr in rtnetlink messages, decoded from native-order
 * buffers.
 */
public final class Structs {
  private Structs() {}

  /** struct nlmsghdr. */
  public record NlHeader(int len, int type, int flags, int seq, int pid) {
    public static final int SIZE = 16;

    public static NlHeader decode(ByteBuffer b, int off) {
      return new NlHeader(
          b.getInt(off),
          b.getShort(off + 4) & 0xffff,
          b.getShort(off + 6) & 0xffff,
          b.getInt(off + 8),
          b.getInt(off + 12));
    }
  }

  /** struct ifinfomsg. */
  public record IfInfoMsg(int family, int type, int index, int flags, int change) {
    public static final int SIZE = 16;

    public static IfInfoMsg decode(ByteBuffer b, int off) {
      return new IfInfoMsg(
          b.get(off) & 0xff,
          b.getShort(off + 2) & 0xffff,
          b.getInt(off + 4),
          b.getInt(off + 8),
          b.getInt(off + 12));
    }

    public void write(MsgWriter w) {
      w.ifinfomsg(family, type, index, flags, change);
    }
  }

  /** struct ifaddrmsg. */
  public record IfAddrMsg(int family, int prefixLen, int flags, int scope, int index) {
    public static final int SIZE = 8;

    public static IfAddrMsg decode(ByteBuffer b, int off) {
      return new IfAddrMsg(
          b.get(off) & 0xff,
          b.get(off + 1) & 0xff,
          b.get(off + 2) & 0xff,
          b.get(off + 3) & 0xff,
          b.getInt(off + 4));
    }

    public void write(MsgWriter w) {
      w.ifaddrmsg(family, prefixLen, flags, scope, index);
    }
  }

  /** struct rtmsg. */
  public record RtMsg(
      int family,
      int dstLen,
      int srcLen,
      int tos,
      int table,
      int protocol,
      int scope,
      int type,
      int flags) {
    public static final int SIZE = 12;

    public static RtMsg decode(ByteBuffer b, int off) {
      return new RtMsg(
          b.get(off) & 0xff,
          b.get(off + 1) & 0xff,
          b.get(off + 2) & 0xff,
          b.get(off + 3) & 0xff,
          b.get(off + 4) & 0xff,
          b.get(off + 5) & 0xff,
          b.get(off + 6) & 0xff,
          b.get(off + 7) & 0xff,
          b.getInt(off + 8));
    }

    public void write(MsgWriter w) {
      w.rtmsg(family, dstLen, srcLen, tos, table, protocol, scope, type, flags);
    }
  }

  /** struct ndmsg. */
  public record NdMsg(int family, int index, int state, int flags, int type) {
    public static final int SIZE = 12;

    public static NdMsg decode(ByteBuffer b, int off) {
      return new NdMsg(
          b.get(off) & 0xff,
          b.getInt(off + 4),
          b.getShort(off + 8) & 0xffff,
          b.get(off + 10) & 0xff,
          b.get(off + 11) & 0xff);
    }

    public void write(MsgWriter w) {
      w.ndmsg(family, index, state, flags, type);
    }
  }

  /** struct tcmsg (qdiscs, classes, filters). */
  public record TcMsg(int family, int index, int handle, int parent, int info) {
    public static final int SIZE = 20;

    public static TcMsg decode(ByteBuffer b, int off) {
      return new TcMsg(
          b.get(off) & 0xff,
          b.getInt(off + 4),
          b.getInt(off + 8),
          b.getInt(off + 12),
          b.getInt(off + 16));
    }

    public void write(MsgWriter w) {
      w.tcmsg(family, index, handle, parent, info);
    }
  }

  /**
   * Size of the family header for an rtnetlink message type, or -1 if not an rtnetlink object
   * message.
   */
  public static int familyHeaderSize(int msgType) {
    switch (msgType) {
      case Rtnl.RTM_NEWLINK:
      case Rtnl.RTM_DELLINK:
      case Rtnl.RTM_GETLINK:
      case Rtnl.RTM_SETLINK:
        return IfInfoMsg.SIZE;
      case Rtnl.RTM_NEWADDR:
      case Rtnl.RTM_DELADDR:
      case Rtnl.RTM_GETADDR:
        return IfAddrMsg.SIZE;
      case Rtnl.RTM_NEWROUTE:
      case Rtnl.RTM_DELROUTE:
      case Rtnl.RTM_GETROUTE:
        return RtMsg.SIZE;
      case Rtnl.RTM_NEWNEIGH:
      case Rtnl.RTM_DELNEIGH:
      case Rtnl.RTM_GETNEIGH:
        return NdMsg.SIZE;
      case Rtnl.RTM_NEWQDISC:
      case Rtnl.RTM_DELQDISC:
      case Rtnl.RTM_GETQDISC:
      case Rtnl.RTM_NEWTCLASS:
      case Rtnl.RTM_DELTCLASS:
      case Rtnl.RTM_GETTCLASS:
      case Rtnl.RTM_NEWTFILTER:
      case Rtnl.RTM_DELTFILTER:
      case Rtnl.RTM_GETTFILTER:
        return TcMsg.SIZE;
      default:
        return -1;
    }
  }
}
