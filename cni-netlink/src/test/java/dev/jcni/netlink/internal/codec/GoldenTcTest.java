package dev.jcni.netlink.internal.codec;

import static dev.jcni.netlink.internal.codec.GoldenRequestsTest.b;
import static dev.jcni.netlink.internal.codec.Rtnl.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcni.netlink.Qdisc;
import dev.jcni.netlink.TcClass;
import dev.jcni.netlink.TcFilter;
import dev.jcni.netlink.TcHandle;
import dev.jcni.spec.net.Cidr;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * tc over rtnetlink, both directions. Requests are byte-for-byte what iproute2 6.1's {@code tc} and
 * {@code ip} sent for the same command (captured with {@code strace -e trace=sendmsg -e write=all}
 * in a throwaway namespace on x86_64, Linux 6.18, /proc/net/psched {@code 000003e8 00000040
 * 000f4240 3b9aca00} = 15.625 ticks/µs); replies are the kernel's dumps for {@code tc qdisc show} /
 * {@code tc filter show} ({@code -e read=all}), decoded and re-encoded identically. Devices of the
 * capture: v0 = 3, its veth peer v1 = 2, ifb bwp0 = 4, bwp1 = 5.
 */
class GoldenTcTest {
  private static final double TICK = 15.625;
  private static final int ADD = NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE;
  private static final int REPLACE = NLM_F_REQUEST | NLM_F_ACK | NLM_F_REPLACE | NLM_F_CREATE;
  private static final int DEL = NLM_F_REQUEST | NLM_F_ACK;

  @BeforeEach
  void littleEndian() {
    assumeTrue(
        java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN,
        "golden bytes were captured little-endian");
  }

  static byte[] resource(String name) throws IOException {
    try (InputStream in = GoldenTcTest.class.getResourceAsStream("/golden/" + name)) {
      return HexFormat.of()
          .parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
    }
  }

  private static void assertGolden(MsgWriter w, byte[] expected) {
    w.finish();
    assertThat(HexFormat.of().formatHex(w.toByteArray()))
        .as("encoded")
        .isEqualTo(HexFormat.of().formatHex(expected));
    RtnlMessage m = RtnlMessage.decode(expected);
    assertThat(m.header().len()).isEqualTo(expected.length);
    assertThat(m.encode()).as("decode + re-encode").containsExactly(expected);
  }

  /** Splits a captured datagram into its messages. */
  private static List<RtnlMessage> messages(byte[] datagram) {
    List<RtnlMessage> out = new ArrayList<>();
    ByteBuffer b = ByteBuffer.wrap(datagram).order(java.nio.ByteOrder.nativeOrder());
    int off = 0;
    while (off < datagram.length) {
      RtnlMessage m = RtnlMessage.decode(b, off);
      byte[] one = m.originalBytes();
      assertThat(m.encode()).as("message at " + off + " re-encoded").containsExactly(one);
      out.add(m);
      off += align(m.header().len());
    }
    return out;
  }

  @Test
  void ifbLink() {
    // ip link add bwp0 type ifb
    byte[] ip =
        b(
            0x38, 0x00, 0x00, 0x00, 0x10, 0x00, 0x05,
            0x06, // len 56, RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE
            0xdf, 0x34, 0x11, 0x6b, 0x00, 0x00, 0x00, 0x00, // seq, pid
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // ifinfomsg
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x00, 0x03, 0x00, 0x62, 0x77,
            0x70, 0x30, // IFLA_IFNAME "bwp0"
            0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x12, 0x00, //   (pad), IFLA_LINKINFO (12)
            0x07, 0x00, 0x01, 0x00, 0x69, 0x66, 0x62, 0x00); //   IFLA_INFO_KIND "ifb" (no NUL), pad
    MsgWriter w = Requests.writer(RTM_NEWLINK, ADD, 0x6b1134df);
    Requests.ifbAdd(w, "bwp0", 0, false);
    assertGolden(w, ip);
  }

  @Test
  void ifbLinkWithMtuAndUp() {
    // ip link add bwp1 mtu 1400 up type ifb
    byte[] ip =
        b(
            0x40, 0x00, 0x00, 0x00, 0x10, 0x00, 0x05,
            0x06, // len 64, RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE
            0x2a, 0x35, 0x11, 0x6b, 0x00, 0x00, 0x00, 0x00, // seq, pid
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // ifinfomsg: family, type, index 0
            0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, //   flags IFF_UP, change IFF_UP
            0x08, 0x00, 0x04, 0x00, 0x78, 0x05, 0x00, 0x00, // IFLA_MTU 1400
            0x09, 0x00, 0x03, 0x00, 0x62, 0x77, 0x70, 0x31, // IFLA_IFNAME "bwp1"
            0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x12, 0x00, // IFLA_LINKINFO (12)
            0x07, 0x00, 0x01, 0x00, 0x69, 0x66, 0x62, 0x00); //   IFLA_INFO_KIND "ifb"
    MsgWriter w = Requests.writer(RTM_NEWLINK, ADD, 0x6b11352a);
    Requests.ifbAdd(w, "bwp1", 1400, true);
    assertGolden(w, ip);
  }

  @Test
  void tbfAddWithRateTable() throws IOException {
    // tc qdisc add dev v0 root handle 1: tbf rate 1000000bit burst 12500 limit 15625   (1124 bytes)
    byte[] tc = resource("tc-qdisc-add-tbf.hex");
    MsgWriter w = Requests.writer(RTM_NEWQDISC, ADD, 0x6b1134e0);
    Requests.qdisc(
        w, Qdisc.tbfRoot(3, TcHandle.make(1, 0), Qdisc.Tbf.of(125000, 12500, 15625)), TICK);
    assertGolden(w, tc);
    RtnlMessage m = RtnlMessage.decode(tc);
    assertThat(m.tcmsg()).isEqualTo(new Structs.TcMsg(AF_UNSPEC, 3, 0x10000, 0xffffffff, 0));
    Attrs o = m.attrs().nest(TCA_OPTIONS);
    assertThat(o.u32(TCA_TBF_BURST, 0)).isEqualTo(12500);
    byte[] parms = o.bytes(TCA_TBF_PARMS);
    ByteBuffer p = ByteBuffer.wrap(parms).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    assertThat(parms[0]).as("cell_log").isEqualTo((byte) 3);
    assertThat(parms[1]).as("linklayer ethernet").isEqualTo((byte) 1);
    assertThat(p.getInt(8)).as("rate").isEqualTo(125000);
    assertThat(p.getInt(24)).as("limit").isEqualTo(15625);
    assertThat(p.getInt(28)).as("buffer ticks: 100 ms * 15.625").isEqualTo(1562500);
    ByteBuffer rtab =
        ByteBuffer.wrap(o.bytes(TCA_TBF_RTAB)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    assertThat(rtab.getInt(0)).as("8 bytes at 125000 B/s = 64 µs").isEqualTo(1000);
    assertThat(rtab.getInt(255 * 4)).as("2048 bytes").isEqualTo(256000);
  }

  @Test
  void tbfReplaceFastRateTableTruncatesToZero() throws IOException {
    // tc qdisc replace dev bwp1 root handle 1: tbf rate 5000000000bit burst 1000000 limit 2000000
    MsgWriter w = Requests.writer(RTM_NEWQDISC, REPLACE, 0x6b11352b);
    Requests.qdisc(
        w, Qdisc.tbfRoot(5, TcHandle.make(1, 0), Qdisc.Tbf.of(625000000L, 1000000, 2000000)), TICK);
    assertGolden(w, resource("tc-qdisc-replace-tbf-5gbit.hex"));
  }

  @Test
  void tbfRate64() throws IOException {
    // tc qdisc replace dev bwp1 root handle 1: tbf rate 40gbit burst 1000000 limit 2000000: rate
    // field ~0 +
    // TCA_TBF_RATE64 after TCA_TBF_BURST; tc computes buffer and table with the saturated 32-bit
    // rate
    byte[] tc = resource("tc-qdisc-replace-tbf-rate64.hex");
    MsgWriter w = Requests.writer(RTM_NEWQDISC, REPLACE, 0x6b11352f);
    Requests.qdisc(
        w,
        Qdisc.tbfRoot(5, TcHandle.make(1, 0), Qdisc.Tbf.of(5000000000L, 1000000, 2000000)),
        TICK);
    assertGolden(w, tc);
    assertThat(RtnlMessage.decode(tc).attrs().nest(TCA_OPTIONS).u64(TCA_TBF_RATE64, 0))
        .isEqualTo(5000000000L);
  }

  @Test
  void ingressQdisc() {
    // tc qdisc add dev v0 handle ffff: ingress
    byte[] tc =
        b(
            0x30, 0x00, 0x00, 0x00, 0x24, 0x00, 0x05,
            0x06, // len 48, RTM_NEWQDISC, REQUEST|ACK|EXCL|CREATE
            0xe0, 0x34, 0x11, 0x6b, 0x00, 0x00, 0x00, 0x00, // seq, pid
            0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, // tcmsg: AF_UNSPEC, ifindex 3
            0x00, 0x00, 0xff, 0xff, 0xf1, 0xff, 0xff,
            0xff, //   handle ffff:, parent ingress (ffff:fff1)
            0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x01, 0x00, //   info 0, TCA_KIND (12)
            0x69, 0x6e, 0x67, 0x72, 0x65, 0x73, 0x73, 0x00); //   "ingress\0"
    MsgWriter w = Requests.writer(RTM_NEWQDISC, ADD, 0x6b1134e0);
    Requests.qdisc(w, Qdisc.ingress(3), TICK);
    assertGolden(w, tc);
  }

  @Test
  void u32MatchAllWithMirredRedirect() {
    // tc filter add dev v0 parent ffff: protocol all prio 1 u32 match u32 0 0 classid 1:1
    //   action mirred egress redirect dev bwp0
    byte[] tc =
        b(
            0x94, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x05,
            0x06, // len 148, RTM_NEWTFILTER, REQUEST|ACK|EXCL|CREATE
            0xe0, 0x34, 0x11, 0x6b, 0x00, 0x00, 0x00, 0x00, // seq, pid
            0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, // tcmsg: AF_UNSPEC, ifindex 3
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, //   handle 0, parent ffff:
            0x00, 0x03, 0x01, 0x00, 0x08, 0x00, 0x01,
            0x00, //   info: htons(ETH_P_ALL) | prio 1 << 16; TCA_KIND
            0x75, 0x33, 0x32, 0x00, 0x68, 0x00, 0x02, 0x00, //   "u32"; TCA_OPTIONS (104)
            0x08, 0x00, 0x01, 0x00, 0x01, 0x00, 0x01, 0x00, //   TCA_U32_CLASSID 1:1
            0x38, 0x00, 0x07, 0x00, 0x34, 0x00, 0x01, 0x00, //   TCA_U32_ACT (56) / action 1 (52)
            0x0b, 0x00, 0x01, 0x00, 0x6d, 0x69, 0x72, 0x72, //     TCA_ACT_KIND "mirred\0"
            0x65, 0x64, 0x00, 0x00, 0x24, 0x00, 0x02, 0x80, //     TCA_ACT_OPTIONS|NESTED (36)
            0x20, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, //       TCA_MIRRED_PARMS: index 0
            0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, //         capab 0, action TC_ACT_STOLEN
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, //         refcnt, bindcnt
            0x01, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00,
            0x00, //         eaction EGRESS_REDIR, ifindex 4
            0x24, 0x00, 0x05, 0x00, 0x01, 0x00, 0x01,
            0x00, //   TCA_U32_SEL (36): flags TERMINAL, nkeys 1
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, //     offmask, off, offoff, hoff
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, //     hmask; key mask 0
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, //     key val 0, off 0
            0x00, 0x00, 0x00, 0x00); //     key offmask
    MsgWriter w = Requests.writer(RTM_NEWTFILTER, ADD, 0x6b1134e0);
    Requests.filter(
        w,
        TcFilter.u32(
            3,
            TcHandle.INGRESS_HANDLE,
            1,
            TcFilter.ETH_P_ALL,
            TcFilter.matchAll(),
            TcHandle.make(1, 1),
            List.of(TcFilter.Mirred.egressRedirect(4))));
    assertGolden(w, tc);
  }

  @Test
  void u32Ipv4PrefixMatch() {
    // tc filter add dev bwp0 parent ffff: protocol ip prio 16 u32 match ip dst 10.0.0.0/8 classid
    // 1:1
    byte[] tc =
        b(
            0x5c, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x05, 0x06, // len 92, RTM_NEWTFILTER
            0x00, 0x35, 0x11, 0x6b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
            0x00, 0x00, // tcmsg: ifindex 4
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, //   handle 0, parent ffff:
            0x08, 0x00, 0x10, 0x00, 0x08, 0x00, 0x01,
            0x00, //   info: htons(ETH_P_IP) | 16 << 16; TCA_KIND
            0x75, 0x33, 0x32, 0x00, 0x30, 0x00, 0x02, 0x00, //   "u32"; TCA_OPTIONS (48)
            0x08, 0x00, 0x01, 0x00, 0x01, 0x00, 0x01, 0x00, //   TCA_U32_CLASSID 1:1
            0x24, 0x00, 0x05, 0x00, 0x01, 0x00, 0x01, 0x00, //   TCA_U32_SEL: TERMINAL, 1 key
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x00,
            0x00, 0x00, //     mask ff000000 (network order)
            0x0a, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, //     val 10.0.0.0, off 16 (IPv4 daddr)
            0x00, 0x00, 0x00, 0x00);
    MsgWriter w = Requests.writer(RTM_NEWTFILTER, ADD, 0x6b113500);
    Requests.filter(
        w,
        TcFilter.u32(
            4,
            TcHandle.INGRESS_HANDLE,
            16,
            TcFilter.ETH_P_IP,
            TcFilter.matchAddress(Cidr.parse("10.0.0.0/8"), true),
            TcHandle.make(1, 1),
            List.of()));
    assertGolden(w, tc);
  }

  @Test
  void u32Ipv6PrefixMatch() {
    // tc filter add dev bwp0 parent ffff: protocol ipv6 prio 15 u32 match ip6 dst fd00:1:2::/48
    // classid 1:1
    byte[] tc =
        b(
            0x6c, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x05, 0x06, // len 108, RTM_NEWTFILTER
            0x00, 0x35, 0x11, 0x6b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0x86, 0xdd, 0x0f, 0x00,
            0x08, 0x00, 0x01, 0x00, //   info: htons(ETH_P_IPV6) | 15 << 16
            0x75, 0x33, 0x32, 0x00, 0x40, 0x00, 0x02, 0x00, 0x08, 0x00, 0x01, 0x00, 0x01, 0x00,
            0x01, 0x00, //   TCA_U32_CLASSID 1:1
            0x34, 0x00, 0x05, 0x00, 0x01, 0x00, 0x02, 0x00, //   TCA_U32_SEL: TERMINAL, 2 keys
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff,
            0xff, 0xff, //     key 1: mask ffffffff
            0xfd, 0x00, 0x00, 0x01, 0x18, 0x00, 0x00, 0x00, //       val fd00:0001, off 24
            0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, //     key 2: mask ffff0000
            0x00, 0x02, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x00, //       val 0002:0000, off 28
            0x00, 0x00, 0x00, 0x00);
    MsgWriter w = Requests.writer(RTM_NEWTFILTER, ADD, 0x6b113500);
    Requests.filter(
        w,
        TcFilter.u32(
            4,
            TcHandle.INGRESS_HANDLE,
            15,
            TcFilter.ETH_P_IPV6,
            TcFilter.matchAddress(Cidr.parse("fd00:1:2::/48"), true),
            TcHandle.make(1, 1),
            List.of()));
    assertGolden(w, tc);
  }

  @Test
  void deletions() {
    // tc qdisc del dev v0 root
    MsgWriter w = Requests.writer(RTM_DELQDISC, DEL, 0x6b113501);
    Requests.qdisc(w, Qdisc.root(3), TICK);
    assertGolden(
        w,
        b(
            0x24, 0x00, 0x00, 0x00, 0x25, 0x00, 0x05, 0x00, // len 36, RTM_DELQDISC, REQUEST|ACK
            0x01, 0x35, 0x11, 0x6b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00,
            0x00, 0x00, // tcmsg: ifindex 3
            0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, //   handle 0, parent root
            0x00, 0x00, 0x00, 0x00));
    // tc qdisc del dev v0 ingress
    w = Requests.writer(RTM_DELQDISC, DEL, 0x6b113501);
    Requests.qdisc(w, Qdisc.ingress(3), TICK);
    assertGolden(
        w,
        b(
            0x30, 0x00, 0x00, 0x00, 0x25, 0x00, 0x05, 0x00, 0x01, 0x35, 0x11, 0x6b, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff,
            0xf1, 0xff, 0xff, 0xff, //   handle ffff:, parent ingress
            0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x01, 0x00, //   TCA_KIND "ingress"
            0x69, 0x6e, 0x67, 0x72, 0x65, 0x73, 0x73, 0x00));
    // tc filter del dev v0 parent ffff: prio 1
    w = Requests.writer(RTM_DELTFILTER, DEL, 0x6b113501);
    Requests.filterDel(w, 3, TcHandle.INGRESS_HANDLE, 1, 0);
    assertGolden(
        w,
        b(
            0x24, 0x00, 0x00, 0x00, 0x2d, 0x00, 0x05, 0x00, // len 36, RTM_DELTFILTER, REQUEST|ACK
            0x01, 0x35, 0x11, 0x6b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, //   handle 0, parent ffff:
            0x00, 0x00, 0x01, 0x00)); //   info: prio 1, protocol any
  }

  @Test
  void dumpRequests() {
    // tc qdisc show dev v0 / tc filter show dev v0 parent ffff:
    MsgWriter w = Requests.writer(RTM_GETQDISC, NLM_F_REQUEST | NLM_F_DUMP, 0x6b113501);
    w.tcmsg(AF_UNSPEC, 3, 0, 0, 0);
    assertGolden(
        w,
        b(
            0x24, 0x00, 0x00, 0x00, 0x26, 0x00, 0x01, 0x03, 0x01, 0x35, 0x11, 0x6b, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00));
    w = Requests.writer(RTM_GETTFILTER, NLM_F_REQUEST | NLM_F_DUMP, 0x6b113501);
    w.tcmsg(AF_UNSPEC, 3, 0, TcHandle.INGRESS_HANDLE, 0);
    assertGolden(
        w,
        b(
            0x24, 0x00, 0x00, 0x00, 0x2e, 0x00, 0x01, 0x03, 0x01, 0x35, 0x11, 0x6b, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00));
  }

  @Test
  void qdiscDumpReply() throws IOException {
    // the kernel's answer to `tc qdisc show` after the tbf/ingress commands above (816 bytes, 5
    // messages with
    // TCA_STATS/TCA_STATS2 and TCA_HW_OFFLOAD)
    List<RtnlMessage> ms = messages(resource("tc-qdisc-dump.hex"));
    List<Qdisc> qs = new ArrayList<>();
    for (RtnlMessage m : ms) qs.add(Decoders.qdisc(m, TICK));
    assertThat(qs).hasSize(5);
    assertThat(qs.get(0)).isEqualTo(new Qdisc(2, 0, TcHandle.ROOT, "noqueue"));
    Qdisc tbf = qs.get(1);
    assertThat(tbf.index()).isEqualTo(3);
    assertThat(TcHandle.format(tbf.handle())).isEqualTo("1:");
    assertThat(tbf.isRoot()).isTrue();
    assertThat(tbf.tbf().rate()).isEqualTo(125000);
    assertThat(tbf.tbf().limit()).isEqualTo(15625);
    assertThat(tbf.tbf().buffer()).isEqualTo(1562500);
    assertThat(tbf.tbf().burst()).as("as tc prints it: burst 12500b").isEqualTo(12500);
    assertThat(qs.get(2))
        .isEqualTo(new Qdisc(3, TcHandle.INGRESS_HANDLE, TcHandle.INGRESS, "ingress"));
    assertThat(qs.get(3).kind()).isEqualTo("pfifo_fast");
    assertThat(qs.get(4)).isEqualTo(Qdisc.ingress(4));
  }

  @Test
  void filterDumpReply() throws IOException {
    // `tc filter show dev v0 parent ffff:` after the u32 + mirred filter above: chain entry, hash
    // table 800:,
    // then filter 800::800 with TCA_U32_HASH, FLAGS (not_in_hw), and the action with TCA_ACT_STATS
    // and TM
    List<RtnlMessage> ms = messages(resource("tc-filter-dump.hex"));
    assertThat(ms).hasSize(3);
    TcFilter f = Decoders.filter(ms.get(2));
    assertThat(f.index()).isEqualTo(3);
    assertThat(f.parent()).isEqualTo(TcHandle.INGRESS_HANDLE);
    assertThat(f.prio()).isEqualTo(1);
    assertThat(f.protocol()).isEqualTo(TcFilter.ETH_P_ALL);
    assertThat(f.kind()).isEqualTo("u32");
    assertThat(Integer.toHexString(f.handle())).isEqualTo("80000800");
    assertThat(f.classId()).isEqualTo(TcHandle.make(1, 1));
    assertThat(f.keys()).isEqualTo(TcFilter.matchAll());
    assertThat(f.actions()).containsExactly(TcFilter.Mirred.egressRedirect(4));
    assertThat(f.redirectsTo(4)).isTrue();
    TcFilter header = Decoders.filter(ms.get(1));
    assertThat(header.keys()).isEmpty();
    assertThat(header.actions()).isEmpty();
  }

  @Test
  void rateTableAndTicks() {
    int[] rtab = new int[256];
    assertThat(Requests.rateTable(125000, 0, 0, TICK, rtab)).isEqualTo(3);
    assertThat(rtab[1]).isEqualTo(2000);
    assertThat(Requests.rateTable(125000, 0, 9000, TICK, rtab))
        .as("jumbo mtu: 9000 >> 6 < 256")
        .isEqualTo(6);
    assertThat(Requests.rateTable(125000, 100, 0, TICK, rtab)).isEqualTo(3);
    assertThat(rtab[0])
        .as("mpu 100 raises the first cells")
        .isEqualTo(Requests.xmitTime(125000, 100, TICK));
    assertThat(Requests.xmitTime(125000, 12500, TICK)).isEqualTo(1562500);
  }

  // ---- htb (device h9 = 7 in the capture)

  @Test
  void htbQdisc() {
    // tc qdisc add dev h9 root handle 1: htb default 30 r2q 10
    byte[] tc =
        b(
            0x48, 0x00, 0x00, 0x00, 0x24, 0x00, 0x05,
            0x06, // len 72, RTM_NEWQDISC, REQUEST|ACK|EXCL|CREATE
            0x23, 0x3b, 0x11, 0x6b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0x00,
            0x00, 0x00, // tcmsg: ifindex 7
            0x00, 0x00, 0x01, 0x00, 0xff, 0xff, 0xff, 0xff, //   handle 1:, parent root
            0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, //   info; TCA_KIND
            0x68, 0x74, 0x62, 0x00, 0x1c, 0x00, 0x02, 0x00, //   "htb"; TCA_OPTIONS (28)
            0x18, 0x00, 0x02, 0x00, 0x03, 0x00, 0x00, 0x00, //   TCA_HTB_INIT: version 3
            0x0a, 0x00, 0x00, 0x00, 0x30, 0x00, 0x00, 0x00, //     rate2quantum 10, defcls 0x30
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00); //     debug, direct_pkts
    MsgWriter w = Requests.writer(RTM_NEWQDISC, ADD, 0x6b113b23);
    Requests.qdisc(w, Qdisc.htbRoot(7, TcHandle.make(1, 0), Qdisc.Htb.of(0x30)), TICK);
    assertGolden(w, tc);
  }

  @Test
  void htbClassWithRateAndCeilTables() throws IOException {
    // tc class add dev h9 parent 1: classid 1:30 htb rate 4000000bit burst 32000 ceil 8000000bit
    // cburst 32000
    byte[] tc = resource("tc-class-add-htb.hex");
    MsgWriter w = Requests.writer(RTM_NEWTCLASS, ADD, 0x6b113b23);
    Requests.tclass(
        w,
        TcClass.htb(
            7,
            TcHandle.make(1, 0),
            TcHandle.make(1, 0x30),
            TcClass.Htb.of(500000, 1000000, 32000, 32000)),
        TICK);
    assertGolden(w, tc);
    Attrs o = RtnlMessage.decode(tc).attrs().nest(TCA_OPTIONS);
    ByteBuffer p = ByteBuffer.wrap(o.bytes(TCA_HTB_PARMS)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    assertThat(p.getInt(24)).as("buffer: 64 ms in ticks").isEqualTo(1000000);
    assertThat(p.getInt(28)).as("cbuffer: 32 ms").isEqualTo(500000);
  }

  @Test
  void htbClassRate64() throws IOException {
    // tc class add dev h9 parent 1: classid 1:1 htb rate 800gbit ceil 800gbit burst 1600 cburst
    // 1600 quantum 200000
    MsgWriter w = Requests.writer(RTM_NEWTCLASS, ADD, 0x6b113b23);
    Requests.tclass(
        w,
        TcClass.htb(
            7,
            TcHandle.make(1, 0),
            TcHandle.make(1, 1),
            TcClass.Htb.of(100_000_000_000L, 100_000_000_000L, 1600, 1600).withQuantum(200000)),
        TICK);
    assertGolden(w, resource("tc-class-add-htb-rate64.hex"));
    // tc class add dev h9 parent 1: classid 1:5 htb rate 40gbit ceil 40gbit burst 1000000 cburst
    // 1000000: the
    // buffers use the 64-bit rate (200 µs = 3125 ticks), unlike tbf's
    w = Requests.writer(RTM_NEWTCLASS, ADD, 0x6b113b3a);
    Requests.tclass(
        w,
        TcClass.htb(
            7,
            TcHandle.make(1, 0),
            TcHandle.make(1, 5),
            TcClass.Htb.of(5_000_000_000L, 5_000_000_000L, 1000000, 1000000)),
        TICK);
    assertGolden(w, resource("tc-class-add-htb-40gbit.hex"));
  }

  @Test
  void u32SourcePrefixMatch() {
    // tc filter add dev h9 parent 1: protocol ip prio 16 u32 match ip src 10.60.0.0/24 classid 1:1
    byte[] tc =
        b(
            0x5c, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x05, 0x06, 0x23, 0x3b, 0x11, 0x6b, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, // tcmsg: ifindex 7
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, //   handle 0, parent 1:
            0x08, 0x00, 0x10, 0x00, 0x08, 0x00, 0x01, 0x00, //   ip, prio 16; TCA_KIND
            0x75, 0x33, 0x32, 0x00, 0x30, 0x00, 0x02, 0x00, 0x08, 0x00, 0x01, 0x00, 0x01, 0x00,
            0x01, 0x00, //   TCA_U32_CLASSID 1:1
            0x24, 0x00, 0x05, 0x00, 0x01, 0x00, 0x01, 0x00, //   TCA_U32_SEL: TERMINAL, 1 key
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff,
            0xff, 0x00, //     mask ffffff00
            0x0a, 0x3c, 0x00, 0x00, 0x0c, 0x00, 0x00,
            0x00, //     val 10.60.0.0, off 12 (IPv4 saddr)
            0x00, 0x00, 0x00, 0x00);
    MsgWriter w = Requests.writer(RTM_NEWTFILTER, ADD, 0x6b113b23);
    Requests.filter(
        w,
        TcFilter.u32(
            7,
            TcHandle.make(1, 0),
            16,
            TcFilter.ETH_P_IP,
            TcFilter.matchAddress(Cidr.parse("10.60.0.0/24"), false),
            TcHandle.make(1, 1),
            List.of()));
    assertGolden(w, tc);
  }

  @Test
  void htbDumpReplies() throws IOException {
    // `tc class show dev h9` after the two classes above, and `tc qdisc show dev h9` (every
    // device's qdiscs)
    List<RtnlMessage> ms = messages(resource("tc-class-dump.hex"));
    assertThat(ms).hasSize(2);
    TcClass uncapped = Decoders.tclass(ms.get(0), TICK);
    assertThat(uncapped.classId()).isEqualTo(TcHandle.make(1, 1));
    assertThat(uncapped.parent()).isEqualTo(TcHandle.ROOT);
    assertThat(uncapped.htb().rate()).as("TCA_HTB_RATE64").isEqualTo(100_000_000_000L);
    assertThat(uncapped.htb().quantum()).isEqualTo(200000);
    TcClass shaped = Decoders.tclass(ms.get(1), TICK);
    assertThat(TcHandle.format(shaped.classId())).isEqualTo("1:30");
    assertThat(shaped.htb().rate()).isEqualTo(500000);
    assertThat(shaped.htb().ceil()).isEqualTo(1000000);
    assertThat(shaped.htb().burst()).isEqualTo(32000);
    assertThat(shaped.htb().cburst()).isEqualTo(32000);
    assertThat(shaped.htb().quantum()).as("kernel: rate / r2q").isEqualTo(50000);
    Qdisc htb = null;
    for (RtnlMessage m : messages(resource("tc-qdisc-dump-htb.hex"))) {
      Qdisc q = Decoders.qdisc(m, TICK);
      if (q.index() == 7) htb = q;
    }
    assertThat(htb).isEqualTo(Qdisc.htbRoot(7, TcHandle.make(1, 0), Qdisc.Htb.of(0x30)));
  }
}
