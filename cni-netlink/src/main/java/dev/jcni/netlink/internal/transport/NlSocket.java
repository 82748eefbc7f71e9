package dev.jcni.netlink.internal.transport;

import dev.jcni.netlink.internal.codec.MsgWriter;
import dev.jcni.netlink.internal.codec.NlError;
import dev.jcni.netlink.internal.codec.Rtnl;
import dev.jcni.netlink.internal.codec.RtnlMessage;
import dev.jcni.system.ErrnoException;
import dev.jcni.system.internal.nativ.Errno;
import dev.jcni.system.internal.nativ.Syscalls;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A NETLINK_ROUTE socket: sequence numbers, ACK handling (nlmsgerr and extended-ack text become
 * {@link ErrnoException}), multipart dumps retried when the kernel flags NLM_F_DUMP_INTR. The
 * socket belongs to the network namespace of the thread that created it and can then be used from
 * any thread; calls are serialized.
 */
public final class NlSocket implements AutoCloseable {
  /** Enough for any rtnetlink dump datagram (the kernel caps dump skbs at 32 KiB). */
  private static final int RECV_BUF = 64 * 1024;

  private static final int SO_RCVBUF_SIZE = 1024 * 1024;
  private static final int DUMP_ATTEMPTS = 5;

  private final Syscalls sys;
  private final int fd;
  private ByteBuffer sendBuf = ByteBuffer.allocateDirect(4096).order(ByteOrder.nativeOrder());
  private ByteBuffer recvBuf = ByteBuffer.allocateDirect(RECV_BUF).order(ByteOrder.nativeOrder());
  private int seq;
  private boolean closed;

  private NlSocket(Syscalls sys, int fd) {
    this.sys = sys;
    this.fd = fd;
    this.seq = (int) (System.nanoTime() & 0x3fffffff);
  }

  /** Opens a NETLINK_ROUTE socket in the calling thread's network namespace. */
  public static NlSocket open(Syscalls sys) {
    int fd =
        sys.socket(
            Syscalls.AF_NETLINK, Syscalls.SOCK_RAW | Syscalls.SOCK_CLOEXEC, 0, "netlinkOpen");
    try {
      sys.setsockoptInt(fd, Syscalls.SOL_SOCKET, Syscalls.SO_SNDBUF, 32 * 1024, "SO_SNDBUF");
      sys.setsockoptInt(fd, Syscalls.SOL_SOCKET, Syscalls.SO_RCVBUF, SO_RCVBUF_SIZE, "SO_RCVBUF");
      try { // kernel error strings in exceptions; harmless if unsupported (pre-4.12)
        sys.setsockoptInt(fd, Syscalls.SOL_NETLINK, Syscalls.NETLINK_EXT_ACK, 1, "NETLINK_EXT_ACK");
        sys.setsockoptInt(fd, Syscalls.SOL_NETLINK, Syscalls.NETLINK_CAP_ACK, 1, "NETLINK_CAP_ACK");
      } catch (ErrnoException ignored) {
        // older kernel
      }
      sys.bindNetlink(fd, 0, 0);
      return new NlSocket(sys, fd);
    } catch (RuntimeException e) {
      sys.close(fd);
      throw e;
    }
  }

  public int fd() {
    return fd;
  }

  /** Fresh message writer; pass to {@link #ack}, {@link #dump} or {@link #request}. */
  public MsgWriter writer(int type, int flags) {
    return new MsgWriter(256).header(type, flags | Rtnl.NLM_F_REQUEST, 0, 0);
  }

  private int nextSeq() {
    seq = (seq + 1) & 0x7fffffff;
    if (seq == 0) seq = 1;
    return seq;
  }

  private void send(MsgWriter w, String op, String obj) {
    if (closed) throw new IllegalStateException("netlink handle closed");
    int len = w.finish();
    ByteBuffer src = w.buffer();
    if (sendBuf.capacity() < len) {
      sendBuf =
          ByteBuffer.allocateDirect(Math.max(len, sendBuf.capacity() * 2))
              .order(ByteOrder.nativeOrder());
    }
    sendBuf.clear();
    sendBuf.put(src);
    sendBuf.clear();
    sys.send(fd, sendBuf, len, op, obj);
  }

  private int receive(String op, String obj) {
    recvBuf.clear();
    int n = sys.recv(fd, recvBuf, recvBuf.capacity(), Syscalls.MSG_TRUNC, op, obj);
    if (n > recvBuf.capacity()) {
      recvBuf =
          ByteBuffer.allocateDirect(Math.max(n, recvBuf.capacity() * 2))
              .order(ByteOrder.nativeOrder());
      throw new ErrnoException(
          Errno.EMSGSIZE, op, obj, "netlink reply of " + n + " bytes truncated", null);
    }
    recvBuf.limit(n);
    return n;
  }

  /** Sends a request with NLM_F_ACK and waits for the ack; throws on a kernel error. */
  public synchronized void ack(MsgWriter w, String op, String obj) {
    int s = nextSeq();
    w.setSeq(s);
    setFlag(w, Rtnl.NLM_F_ACK);
    send(w, op, obj);
    exchange(s, op, obj, null, null);
  }

  /**
   * Sends a request that returns one object (e.g. RTM_GETLINK by name) and decodes it; the decoder
   * sees the message while the receive buffer is valid.
   */
  public synchronized <T> T request(
      MsgWriter w, String op, String obj, Function<RtnlMessage, T> decoder) {
    int s = nextSeq();
    w.setSeq(s);
    send(w, op, obj);
    List<T> out = new ArrayList<>(1);
    exchange(s, op, obj, decoder, out);
    return out.isEmpty() ? null : out.get(0);
  }

  /**
   * Runs a dump (NLM_F_DUMP set here) and decodes every message; null results are dropped. The
   * whole dump is restarted (up to 5 times) if the kernel reports that the table changed during it
   * (NLM_F_DUMP_INTR).
   */
  public synchronized <T> List<T> dump(
      MsgWriter w, String op, String obj, Function<RtnlMessage, T> decoder) {
    setFlag(w, Rtnl.NLM_F_DUMP);
    for (int attempt = 1; ; attempt++) {
      int s = nextSeq();
      w.setSeq(s);
      send(w, op, obj);
      List<T> out = new ArrayList<>();
      boolean intr = exchange(s, op, obj, decoder, out);
      if (!intr) return out;
      if (attempt == DUMP_ATTEMPTS) {
        throw new ErrnoException(
            Errno.EINTR, op, obj, "dump interrupted " + DUMP_ATTEMPTS + " times", null);
      }
    }
  }

  private static void setFlag(MsgWriter w, int flag) {
    ByteBuffer b = w.buffer();
    int flags = b.getShort(6) & 0xffff;
    w.setFlags(flags | flag);
  }

  /**
   * Reads replies for seq until done. Returns true if the dump was interrupted (NLM_F_DUMP_INTR).
   * For a plain request with a decoder, one non-multipart reply ends it; for acks, the NLMSG_ERROR
   * ends it.
   */
  private <T> boolean exchange(
      int s, String op, String obj, Function<RtnlMessage, T> decoder, List<T> out) {
    boolean intr = false;
    while (true) {
      int n = receive(op, obj);
      ByteBuffer b = recvBuf;
      int p = 0;
      while (p + Rtnl.NLMSG_HDRLEN <= n) {
        int len = b.getInt(p);
        int type = b.getShort(p + 4) & 0xffff;
        int flags = b.getShort(p + 6) & 0xffff;
        int mseq = b.getInt(p + 8);
        if (len < Rtnl.NLMSG_HDRLEN || p + len > n) break;
        if (mseq != s) { // a stale reply to an earlier, abandoned request
          p += Rtnl.align(len);
          continue;
        }
        if ((flags & Rtnl.NLM_F_DUMP_INTR) != 0) intr = true;
        if (type == Rtnl.NLMSG_ERROR) {
          NlError err = NlError.decode(b, p);
          if (err.errno() == 0) return intr;
          throw new ErrnoException(err.errno(), op, obj, err.message(), null);
        }
        if (type == Rtnl.NLMSG_DONE) {
          if (len >= 20) {
            int err = -b.getInt(p + 16);
            if (err > 0) throw new ErrnoException(err, op, obj); // a dump that failed mid-way
          }
          return intr;
        }
        if (type == Rtnl.NLMSG_NOOP || type == Rtnl.NLMSG_OVERRUN) {
          p += Rtnl.align(len);
          continue;
        }
        if (decoder != null) {
          T t = decoder.apply(RtnlMessage.decode(b, p));
          if (t != null) out.add(t);
        }
        if ((flags & Rtnl.NLM_F_MULTI) == 0 && decoder != null && out != null) {
          return intr; // single reply to a GET request
        }
        p += Rtnl.align(len);
      }
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      sys.close(fd);
    }
  }
}
