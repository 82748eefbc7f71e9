package dev.jcni.netlink.internal.transport;

import static dev.jcni.netlink.internal.codec.Rtnl.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.netlink.internal.codec.MsgWriter;
import dev.jcni.netlink.internal.codec.RtnlMessage;
import dev.jcni.system.ErrnoException;
import dev.jcni.system.internal.nativ.Syscalls;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The request/ack/dump protocol against a scripted fake kernel (no root, no native code). */
class NlSocketTest {

  /** A fake kernel: each sent request is answered by datagrams computed from its bytes. */
  static final class FakeKernel implements Syscalls {
    final List<byte[]> sent = new ArrayList<>();
    final Deque<byte[]> pending = new ArrayDeque<>();
    Function<ByteBuffer, List<byte[]>> responder = req -> List.of();
    boolean closed;

    @Override
    public int socket(int d, int t, int p, String op) {
      return 42;
    }

    @Override
    public void bindNetlink(int fd, int portId, int groups) {}

    @Override
    public void setsockoptInt(int fd, int l, int o, int v, String op) {}

    @Override
    public int send(int fd, ByteBuffer buf, int len, String op, String obj) {
      byte[] b = new byte[len];
      buf.get(0, b);
      sent.add(b);
      pending.addAll(responder.apply(ByteBuffer.wrap(b).order(ByteOrder.nativeOrder())));
      return len;
    }

    @Override
    public int recv(int fd, ByteBuffer buf, int len, int flags, String op, String obj) {
      byte[] d = pending.poll();
      if (d == null) throw new AssertionError("recv with nothing queued (would block)");
      buf.put(0, d, 0, Math.min(d.length, len));
      return d.length;
    }

    @Override
    public void close(int fd) {
      closed = true;
    }

    @Override
    public void setns(int fd, int nstype, String obj) {}

    @Override
    public void unshare(int flags, String op) {}

    @Override
    public int open(String path, int flags, int mode, String op) {
      return 7;
    }

    @Override
    public void mount(String s, String t, String f, long fl, String d, String op) {}

    @Override
    public void umount2(String t, int f, String op) {}

    @Override
    public boolean flock(int fd, int op, String obj) {
      return true;
    }

    @Override
    public long fstatfsType(int fd, String obj) {
      return NSFS_MAGIC;
    }

    @Override
    public int getpid() {
      return 1;
    }

    @Override
    public int gettid() {
      return 1;
    }

    @Override
    public int ifNameToIndex(String name) {
      return 0;
    }
  }

  static int seqOf(ByteBuffer req) {
    return req.getInt(8);
  }

  /** nlmsghdr + payload. */
  static byte[] msg(int type, int flags, int seq, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(16 + align(payload.length)).order(ByteOrder.nativeOrder());
    b.putInt(16 + payload.length)
        .putShort((short) type)
        .putShort((short) flags)
        .putInt(seq)
        .putInt(0)
        .put(payload);
    return b.array();
  }

  static byte[] error(int seq, int errno, byte[] origHeader) {
    ByteBuffer p = ByteBuffer.allocate(4 + origHeader.length).order(ByteOrder.nativeOrder());
    p.putInt(-errno).put(origHeader);
    return msg(NLMSG_ERROR, NLM_F_CAPPED, seq, p.array());
  }

  static byte[] link(int seq, int flags, int index, String name) {
    MsgWriter w = new MsgWriter().header(RTM_NEWLINK, flags, seq, 0);
    w.ifinfomsg(0, 1, index, 0, 0).attrString(IFLA_IFNAME, name);
    w.finish();
    return w.toByteArray();
  }

  static byte[] datagram(byte[]... msgs) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (byte[] m : msgs) o.writeBytes(m);
    return o.toByteArray();
  }

  private static String name(RtnlMessage m) {
    return m.attrs().string(IFLA_IFNAME);
  }

  @Test
  void ackSucceedsAndSetsAckFlagAndSequence() {
    FakeKernel k = new FakeKernel();
    k.responder = req -> List.of(error(seqOf(req), 0, new byte[16]));
    try (NlSocket s = NlSocket.open(k)) {
      MsgWriter w = s.writer(RTM_NEWLINK, NLM_F_CREATE);
      w.ifinfomsg(0, 0, 0, 0, 0);
      s.ack(w, "linkAdd", "x");
      s.ack(s.writer(RTM_DELLINK, 0).ifinfomsg(0, 0, 1, 0, 0), "linkDel", "x");
    }
    assertThat(k.closed).isTrue();
    ByteBuffer first = ByteBuffer.wrap(k.sent.get(0)).order(ByteOrder.nativeOrder());
    assertThat(first.getShort(6) & 0xffff).isEqualTo(NLM_F_REQUEST | NLM_F_CREATE | NLM_F_ACK);
    assertThat(first.getInt(0)).isEqualTo(32);
    int seq1 = seqOf(first);
    int seq2 = seqOf(ByteBuffer.wrap(k.sent.get(1)).order(ByteOrder.nativeOrder()));
    assertThat(seq2).isEqualTo(seq1 + 1);
  }

  @Test
  void kernelErrorBecomesNetlinkException() {
    FakeKernel k = new FakeKernel();
    k.responder = req -> List.of(error(seqOf(req), 17, new byte[16]));
    try (NlSocket s = NlSocket.open(k)) {
      assertThatThrownBy(
              () -> s.ack(s.writer(RTM_NEWLINK, 0).ifinfomsg(0, 0, 0, 0, 0), "linkAdd", "v0"))
          .isInstanceOfSatisfying(
              ErrnoException.class,
              e -> {
                assertThat(e.isExists()).isTrue();
                assertThat(e).hasMessage("linkAdd v0: File exists (EEXIST)");
              });
    }
  }

  @Test
  void staleRepliesWithOtherSequenceNumbersAreSkipped() {
    FakeKernel k = new FakeKernel();
    k.responder =
        req ->
            List.of(
                datagram(
                    error(seqOf(req) - 5, 1, new byte[16]), error(seqOf(req), 0, new byte[16])));
    try (NlSocket s = NlSocket.open(k)) {
      s.ack(
          s.writer(RTM_NEWLINK, 0).ifinfomsg(0, 0, 0, 0, 0),
          "linkAdd",
          "v0"); // no EPERM from the stale one
    }
  }

  @Test
  void multipartDumpAcrossDatagrams() {
    FakeKernel k = new FakeKernel();
    k.responder =
        req -> {
          int s = seqOf(req);
          return List.of(
              datagram(link(s, NLM_F_MULTI, 1, "lo"), link(s, NLM_F_MULTI, 2, "eth0")),
              datagram(link(s, NLM_F_MULTI, 3, "eth1")),
              msg(NLMSG_DONE, NLM_F_MULTI, s, new byte[4]));
        };
    try (NlSocket s = NlSocket.open(k)) {
      List<String> names =
          s.dump(
              s.writer(RTM_GETLINK, 0).ifinfomsg(0, 0, 0, 0, 0),
              "linkList",
              "",
              NlSocketTest::name);
      assertThat(names).containsExactly("lo", "eth0", "eth1");
      ByteBuffer req = ByteBuffer.wrap(k.sent.get(0)).order(ByteOrder.nativeOrder());
      assertThat(req.getShort(6) & NLM_F_DUMP).isEqualTo(NLM_F_DUMP);
    }
  }

  @Test
  void interruptedDumpIsRetriedFromScratch() {
    FakeKernel k = new FakeKernel();
    int[] calls = {0};
    k.responder =
        req -> {
          int s = seqOf(req);
          calls[0]++;
          if (calls[0] < 3) { // table changed during the dump: partial, flagged result
            return List.of(
                datagram(link(s, NLM_F_MULTI | NLM_F_DUMP_INTR, 1, "lo")),
                msg(NLMSG_DONE, NLM_F_MULTI | NLM_F_DUMP_INTR, s, new byte[4]));
          }
          return List.of(
              datagram(link(s, NLM_F_MULTI, 1, "lo"), link(s, NLM_F_MULTI, 2, "eth0")),
              msg(NLMSG_DONE, NLM_F_MULTI, s, new byte[4]));
        };
    try (NlSocket s = NlSocket.open(k)) {
      List<String> names =
          s.dump(
              s.writer(RTM_GETLINK, 0).ifinfomsg(0, 0, 0, 0, 0),
              "linkList",
              "",
              NlSocketTest::name);
      assertThat(names).containsExactly("lo", "eth0");
      assertThat(calls[0]).isEqualTo(3);
    }
  }

  @Test
  void dumpThatStaysInterruptedFails() {
    FakeKernel k = new FakeKernel();
    k.responder =
        req -> List.of(msg(NLMSG_DONE, NLM_F_MULTI | NLM_F_DUMP_INTR, seqOf(req), new byte[4]));
    try (NlSocket s = NlSocket.open(k)) {
      assertThatThrownBy(
              () ->
                  s.dump(
                      s.writer(RTM_GETLINK, 0).ifinfomsg(0, 0, 0, 0, 0),
                      "linkList",
                      "",
                      NlSocketTest::name))
          .isInstanceOfSatisfying(
              ErrnoException.class,
              e -> assertThat(e.getMessage()).contains("interrupted 5 times"));
      assertThat(k.sent).hasSize(5);
    }
  }

  @Test
  void singleReplyRequestAndErrorReply() {
    FakeKernel k = new FakeKernel();
    k.responder = req -> List.of(link(seqOf(req), 0, 7, "v0"));
    try (NlSocket s = NlSocket.open(k)) {
      assertThat(
              s.request(
                  s.writer(RTM_GETLINK, 0).ifinfomsg(0, 0, 7, 0, 0),
                  "linkGet",
                  "#7",
                  NlSocketTest::name))
          .isEqualTo("v0");
      k.responder = req -> List.of(error(seqOf(req), 19, new byte[16]));
      assertThatThrownBy(
              () ->
                  s.request(
                      s.writer(RTM_GETLINK, 0).ifinfomsg(0, 0, 8, 0, 0),
                      "linkGet",
                      "#8",
                      NlSocketTest::name))
          .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.isNotFound()).isTrue());
    }
  }

  @Test
  void oversizedDatagramIsReportedNotSilentlyCut() {
    FakeKernel k = new FakeKernel();
    k.responder = req -> List.of(new byte[70 * 1024]);
    try (NlSocket s = NlSocket.open(k)) {
      assertThatThrownBy(
              () ->
                  s.dump(
                      s.writer(RTM_GETLINK, 0).ifinfomsg(0, 0, 0, 0, 0),
                      "linkList",
                      "",
                      NlSocketTest::name))
          .isInstanceOfSatisfying(
              ErrnoException.class, e -> assertThat(e.errnoName()).isEqualTo("EMSGSIZE"));
    }
  }

  @Test
  void closedHandleRefusesWork() {
    FakeKernel k = new FakeKernel();
    NlSocket s = NlSocket.open(k);
    s.close();
    s.close(); // idempotent
    assertThatThrownBy(() -> s.ack(s.writer(RTM_NEWLINK, 0), "linkAdd", "x"))
        .isInstanceOf(IllegalStateException.class);
  }
}
