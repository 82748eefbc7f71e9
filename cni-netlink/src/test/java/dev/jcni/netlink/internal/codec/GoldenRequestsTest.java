package dev.jcni.netlink.internal.codec;

import static dev.jcni.netlink.internal.codec.Rtnl.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcni.netlink.Address;
import dev.jcni.netlink.BridgeOptions;
import dev.jcni.netlink.FdbEntry;
import dev.jcni.netlink.MacAddress;
import dev.jcni.netlink.Neigh;
import dev.jcni.netlink.Route;
import dev.jcni.netlink.VethOptions;
import dev.jcni.netlink.VxlanOptions;
import dev.jcni.spec.net.InetAddresses;
import java.nio.ByteOrder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests built by {@link Requests} are byte-for-byte what iproute2 sends for the same command.
 * The expected arrays were captured on x86_64 (Linux 6.18, iproute2 6.1) with {@code strace -e
 * trace=sendmsg -e write=all ip ...} in a throwaway namespace; sequence numbers (0x6b0a25d4...) and
 * the peer-namespace fd (4) are those of the capture. Each is also decoded and re-encoded.
 */
class GoldenRequestsTest {

  @BeforeEach
  void littleEndian() {
    assumeTrue(
        ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN,
        "golden bytes were captured little-endian");
  }

  static byte[] b(int... v) {
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) out[i] = (byte) v[i];
    return out;
  }

  private static void assertGolden(MsgWriter w, byte[] expected) {
    w.finish();
    assertThat(w.toByteArray()).as("encoded").containsExactly(expected);
    RtnlMessage m = RtnlMessage.decode(expected);
    assertThat(m.header().len()).isEqualTo(expected.length);
    assertThat(m.encode()).as("decode + re-encode").containsExactly(expected);
  }

  @Test
  void vethWithPeerInOtherNamespace() {
    // ip link add w1 type veth peer name w1p netns jnl-cap4
    byte[] ip =
        b(
            0x5c, 0x00, 0x00, 0x00, // nlmsg_len 92
            0x10, 0x00, // nlmsg_type RTM_NEWLINK
            0x05, 0x06, // flags REQUEST|ACK|EXCL|CREATE
            0xd4, 0x25, 0x0a, 0x6b, // seq
            0x00, 0x00, 0x00, 0x00, // pid
            0x00, 0x00, 0x00, 0x00, // ifinfomsg: family AF_UNSPEC, pad, type 0
            0x00, 0x00, 0x00, 0x00, //   index 0
            0x00, 0x00, 0x00, 0x00, //   flags
            0x00, 0x00, 0x00, 0x00, //   change
            0x07, 0x00, 0x03, 0x00, 0x77, 0x31, 0x00, 0x00, // IFLA_IFNAME "w1"
            0x34, 0x00, 0x12, 0x00, // IFLA_LINKINFO (52)
            0x08, 0x00, 0x01, 0x00, 0x76, 0x65, 0x74,
            0x68, //   IFLA_INFO_KIND "veth" (iproute2 sends kinds without NUL)
            0x28, 0x00, 0x02, 0x00, //   IFLA_INFO_DATA (40)
            0x24, 0x00, 0x01, 0x00, //     VETH_INFO_PEER (36)
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, //       ifinfomsg (all zero)
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x1c, 0x00, 0x04, 0x00,
            0x00, 0x00, //       IFLA_NET_NS_FD 4
            0x08, 0x00, 0x03, 0x00, 0x77, 0x31, 0x70, 0x00); //       IFLA_IFNAME "w1p"
    MsgWriter w =
        Requests.writer(
            RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE, 0x6b0a25d4);
    Requests.vethAdd(w, VethOptions.builder("w1", "w1p").build(), 4);
    assertGolden(w, ip);
    RtnlMessage m = RtnlMessage.decode(ip);
    assertThat(m.attrs().string(IFLA_IFNAME)).isEqualTo("w1");
    assertThat(m.attrs().nest(IFLA_LINKINFO).string(IFLA_INFO_KIND)).isEqualTo("veth");
  }

  @Test
  void bridge() {
    // ip link add br9 type bridge
    byte[] ip =
        b(
            0x38, 0x00, 0x00, 0x00, 0x10, 0x00, 0x05,
            0x06, // len 56, RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE
            0xd4, 0x25, 0x0a, 0x6b, 0x00, 0x00, 0x00, 0x00, // seq, pid
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // ifinfomsg
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x03, 0x00, 0x62, 0x72,
            0x39, 0x00, // IFLA_IFNAME "br9"
            0x10, 0x00, 0x12, 0x00, // IFLA_LINKINFO (16)
            0x0a, 0x00, 0x01, 0x00, 0x62, 0x72, 0x69,
            0x64, //   IFLA_INFO_KIND "bridge" (no NUL), padding
            0x67, 0x65, 0x00, 0x00);
    MsgWriter w =
        Requests.writer(
            RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE, 0x6b0a25d4);
    Requests.bridgeAdd(w, "br9", BridgeOptions.DEFAULT);
    assertGolden(w, ip);
  }

  @Test
  void vxlan() {
    // ip link add vx9 type vxlan id 42 local 10.0.0.1 dev w0 dstport 4789 nolearning ttl 5 tos 0x10
    //  (w0 = 3)
    byte[] ip =
        b(
            0x74, 0x00, 0x00, 0x00, 0x10, 0x00, 0x05,
            0x06, // len 116, RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE
            0xd5, 0x25, 0x0a, 0x6b, 0x00, 0x00, 0x00, 0x00, // seq, pid
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // ifinfomsg
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x03, 0x00, 0x76, 0x78,
            0x39, 0x00, // IFLA_IFNAME "vx9"
            0x4c, 0x00, 0x12, 0x00, // IFLA_LINKINFO (76)
            0x09, 0x00, 0x01, 0x00, 0x76, 0x78, 0x6c,
            0x61, //   IFLA_INFO_KIND "vxlan" (no NUL), padding
            0x6e, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x02, 0x00, //   IFLA_INFO_DATA (60)
            0x08, 0x00, 0x03, 0x00, 0x03, 0x00, 0x00, 0x00, //     IFLA_VXLAN_LINK 3
            0x05, 0x00, 0x05, 0x00, 0x05, 0x00, 0x00, 0x00, //     IFLA_VXLAN_TTL 5
            0x05, 0x00, 0x06, 0x00, 0x10, 0x00, 0x00, 0x00, //     IFLA_VXLAN_TOS 0x10
            0x08, 0x00, 0x01, 0x00, 0x2a, 0x00, 0x00, 0x00, //     IFLA_VXLAN_ID 42
            0x08, 0x00, 0x04, 0x00, 0x0a, 0x00, 0x00, 0x01, //     IFLA_VXLAN_LOCAL 10.0.0.1
            0x05, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, //     IFLA_VXLAN_LEARNING 0
            0x06, 0x00, 0x0f, 0x00, 0x12, 0xb5, 0x00,
            0x00); //     IFLA_VXLAN_PORT 4789 (big-endian)
    MsgWriter w =
        Requests.writer(
            RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE, 0x6b0a25d5);
    Requests.vxlanAdd(
        w,
        "vx9",
        VxlanOptions.builder(42)
            .local(InetAddresses.parse("10.0.0.1"))
            .devIndex(3)
            .port(4789)
            .learning(false)
            .ttl(5)
            .tos(0x10)
            .build());
    assertGolden(w, ip);
  }

  @Test
  void addressWithBroadcastPlus() {
    // ip addr add 10.1.2.3/24 brd + dev w0   (w0 = 3)
    byte[] ip =
        b(
            0x30, 0x00, 0x00, 0x00, 0x14, 0x00, 0x05,
            0x06, // len 48, RTM_NEWADDR, REQUEST|ACK|EXCL|CREATE
            0xd5, 0x25, 0x0a, 0x6b, 0x00, 0x00, 0x00, 0x00, // seq, pid
            0x02, 0x18, 0x00, 0x00, // ifaddrmsg: AF_INET, /24, flags 0, scope universe
            0x03, 0x00, 0x00, 0x00, //   index 3
            0x08, 0x00, 0x02, 0x00, 0x0a, 0x01, 0x02, 0x03, // IFA_LOCAL 10.1.2.3
            0x08, 0x00, 0x01, 0x00, 0x0a, 0x01, 0x02, 0x03, // IFA_ADDRESS 10.1.2.3
            0x08, 0x00, 0x04, 0x00, 0x0a, 0x01, 0x02, 0xff); // IFA_BROADCAST 10.1.2.255
    MsgWriter w =
        Requests.writer(
            RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE, 0x6b0a25d5);
    Requests.addr(w, 3, Address.of("10.1.2.3/24"), false);
    assertGolden(w, ip);
  }

  @Test
  void routeViaGatewayWithMetric() {
    // ip route add 10.9.0.0/16 via 10.1.2.1 dev w0 metric 100
    byte[] ip =
        b(
            0x3c, 0x00, 0x00, 0x00, 0x18, 0x00, 0x05,
            0x06, // len 60, RTM_NEWROUTE, REQUEST|ACK|EXCL|CREATE
            0xd5, 0x25, 0x0a, 0x6b, 0x00, 0x00, 0x00, 0x00, // seq, pid
            0x02, 0x10, 0x00, 0x00, // rtmsg: AF_INET, dst_len 16, src_len 0, tos 0
            0xfe, 0x03, 0x00, 0x01, //   table main, proto boot, scope universe, unicast
            0x00, 0x00, 0x00, 0x00, //   flags
            0x08, 0x00, 0x01, 0x00, 0x0a, 0x09, 0x00, 0x00, // RTA_DST 10.9.0.0
            0x08, 0x00, 0x05, 0x00, 0x0a, 0x01, 0x02, 0x01, // RTA_GATEWAY 10.1.2.1
            0x08, 0x00, 0x06, 0x00, 0x64, 0x00, 0x00, 0x00, // RTA_PRIORITY 100
            0x08, 0x00, 0x04, 0x00, 0x03, 0x00, 0x00, 0x00); // RTA_OIF 3
    MsgWriter w =
        Requests.writer(
            RTM_NEWROUTE, NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE, 0x6b0a25d5);
    Requests.route(
        w,
        Route.builder().dst("10.9.0.0/16").gateway("10.1.2.1").oif(3).metric(100).build(),
        false);
    assertGolden(w, ip);
  }

  @Test
  void fdbAppendForVxlanRemote() {
    // bridge fdb append 00:00:00:00:00:00 dev vx9 dst 10.0.0.2   (vx9 = 6)
    byte[] bridge =
        b(
            0x30, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x05,
            0x0c, // len 48, RTM_NEWNEIGH, REQUEST|ACK|CREATE|APPEND
            0xd6, 0x25, 0x0a, 0x6b, 0x00, 0x00, 0x00, 0x00, // seq, pid
            0x07, 0x00, 0x00, 0x00, // ndmsg: AF_BRIDGE, pad
            0x06, 0x00, 0x00, 0x00, //   ifindex 6
            0xc0, 0x00, 0x02, 0x00, //   state NOARP|PERMANENT, flags NTF_SELF, type 0
            0x0a, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, // NDA_LLADDR 00:00:00:00:00:00
            0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, 0x0a, 0x00, 0x00,
            0x02); // NDA_DST 10.0.0.2
    MsgWriter w =
        Requests.writer(
            RTM_NEWNEIGH, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_APPEND, 0x6b0a25d6);
    Requests.fdb(
        w,
        FdbEntry.vxlanRemote(
            6, MacAddress.parse("00:00:00:00:00:00"), InetAddresses.parse("10.0.0.2")));
    assertGolden(w, bridge);
  }

  @Test
  void bridgePortHairpin() {
    // bridge link set dev p9 hairpin on   (p9 = 8)
    byte[] bridge =
        b(
            0x2c, 0x00, 0x00, 0x00, 0x13, 0x00, 0x05, 0x00, // len 44, RTM_SETLINK, REQUEST|ACK
            0xd6, 0x25, 0x0a, 0x6b, 0x00, 0x00, 0x00, 0x00, // seq, pid
            0x07, 0x00, 0x00, 0x00, // ifinfomsg: AF_BRIDGE
            0x08, 0x00, 0x00, 0x00, //   index 8
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, //   flags, change
            0x0c, 0x00, 0x0c, 0x80, // IFLA_PROTINFO | NLA_F_NESTED (12)
            0x05, 0x00, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00); //   IFLA_BRPORT_MODE 1 (hairpin)
    MsgWriter w = Requests.writer(RTM_SETLINK, NLM_F_REQUEST | NLM_F_ACK, 0x6b0a25d6);
    Requests.bridgePort(w, 8, true, null, null);
    assertGolden(w, bridge);
  }

  @Test
  void linkSetAllmulticastOn() {
    // ip link set d0 allmulticast on   (d0 = 3; iproute2 resolves the name first and selects by
    // index)
    byte[] ip =
        b(
            0x20, 0x00, 0x00, 0x00, 0x10, 0x00, 0x05, 0x00, // len 32, RTM_NEWLINK, REQUEST|ACK
            0x41, 0x35, 0x11, 0x6b, 0x00, 0x00, 0x00, 0x00, // seq, pid
            0x00, 0x00, 0x00, 0x00, // ifinfomsg: AF_UNSPEC, pad, type 0
            0x03, 0x00, 0x00, 0x00, //   index 3
            0x00, 0x02, 0x00, 0x00, //   flags IFF_ALLMULTI
            0x00, 0x02, 0x00, 0x00); //   change IFF_ALLMULTI
    MsgWriter w = Requests.writer(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, 0x6b113541);
    Requests.linkSelect(w, AF_UNSPEC, 3, null, IFF_ALLMULTI, IFF_ALLMULTI);
    assertGolden(w, ip);
  }

  @Test
  void linkSetTxqueuelen() {
    // ip link set d0 txqueuelen 500   (d0 = 3)
    byte[] ip =
        b(
            0x28, 0x00, 0x00, 0x00, 0x10, 0x00, 0x05, 0x00, // len 40, RTM_NEWLINK, REQUEST|ACK
            0x41, 0x35, 0x11, 0x6b, 0x00, 0x00, 0x00, 0x00, // seq, pid
            0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, // ifinfomsg: AF_UNSPEC, index 3
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, //   flags 0, change 0
            0x08, 0x00, 0x0d, 0x00, 0xf4, 0x01, 0x00, 0x00); // IFLA_TXQLEN 500
    MsgWriter w = Requests.writer(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, 0x6b113541);
    Requests.linkSelect(w, AF_UNSPEC, 3, null, 0, 0);
    w.attrU32(IFLA_TXQLEN, 500);
    assertGolden(w, ip);
  }

  @Test
  void permanentNeighbour() {
    // ip neigh add 10.1.2.9 lladdr 02:00:00:00:00:09 dev w0 nud permanent   (w0 = 3)
    byte[] ip =
        b(
            0x30, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x05,
            0x06, // len 48, RTM_NEWNEIGH, REQUEST|ACK|EXCL|CREATE
            0xd6, 0x25, 0x0a, 0x6b, 0x00, 0x00, 0x00, 0x00, // seq, pid
            0x02, 0x00, 0x00, 0x00, // ndmsg: AF_INET
            0x03, 0x00, 0x00, 0x00, //   ifindex 3
            0x80, 0x00, 0x00, 0x00, //   state PERMANENT, flags 0, type 0
            0x08, 0x00, 0x01, 0x00, 0x0a, 0x01, 0x02, 0x09, // NDA_DST 10.1.2.9
            0x0a, 0x00, 0x02, 0x00, 0x02, 0x00, 0x00, 0x00, // NDA_LLADDR 02:00:00:00:00:09
            0x00, 0x09, 0x00, 0x00);
    MsgWriter w =
        Requests.writer(
            RTM_NEWNEIGH, NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE, 0x6b0a25d6);
    Requests.neigh(
        w,
        Neigh.permanent(3, InetAddresses.parse("10.1.2.9"), MacAddress.parse("02:00:00:00:00:09")));
    assertGolden(w, ip);
  }

  @Test
  void bridgeVlanAddPvidUntagged() {
    // bridge vlan add vid 10 dev p9 pvid untagged   (p9 = 4; captured even though this kernel then
    // refused it)
    byte[] bridge =
        b(
            0x2c, 0x00, 0x00, 0x00, 0x13, 0x00, 0x05, 0x00, // len 44, RTM_SETLINK, REQUEST|ACK
            0x34, 0x2c, 0x0a, 0x6b, 0x00, 0x00, 0x00, 0x00, // seq, pid
            0x07, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, // ifinfomsg: AF_BRIDGE, index 4
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, //   flags, change
            0x0c, 0x00, 0x1a, 0x00, // IFLA_AF_SPEC (12)
            0x08, 0x00, 0x02, 0x00, 0x06, 0x00, 0x0a,
            0x00); //   IFLA_BRIDGE_VLAN_INFO flags PVID|UNTAGGED, vid 10
    MsgWriter w = Requests.writer(RTM_SETLINK, NLM_F_REQUEST | NLM_F_ACK, 0x6b0a2c34);
    Requests.bridgeVlan(w, 4, 10, 10, true, true, false, false);
    assertGolden(w, bridge);
  }

  @Test
  void bridgeVlanRangeOnBridgeItself() {
    // bridge vlan add vid 20-25 dev br9 self   (br9 = 2)
    byte[] bridge =
        b(
            0x3c, 0x00, 0x00, 0x00, 0x13, 0x00, 0x05, 0x00, // len 60, RTM_SETLINK, REQUEST|ACK
            0x34, 0x2c, 0x0a, 0x6b, 0x00, 0x00, 0x00, 0x00, // seq, pid
            0x07, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, // ifinfomsg: AF_BRIDGE, index 2
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x1a,
            0x00, // IFLA_AF_SPEC (28)
            0x06, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, //   IFLA_BRIDGE_FLAGS SELF
            0x08, 0x00, 0x02, 0x00, 0x08, 0x00, 0x14, 0x00, //   VLAN_INFO RANGE_BEGIN, vid 20
            0x08, 0x00, 0x02, 0x00, 0x10, 0x00, 0x19, 0x00); //   VLAN_INFO RANGE_END, vid 25
    MsgWriter w = Requests.writer(RTM_SETLINK, NLM_F_REQUEST | NLM_F_ACK, 0x6b0a2c34);
    Requests.bridgeVlan(w, 2, 20, 25, false, false, true, false);
    assertGolden(w, bridge);
  }

  @Test
  void bridgeVlanDel() {
    // bridge vlan del vid 10 dev p9
    byte[] bridge =
        b(
            0x2c, 0x00, 0x00, 0x00, 0x11, 0x00, 0x05, 0x00, // len 44, RTM_DELLINK, REQUEST|ACK
            0x34, 0x2c, 0x0a, 0x6b, 0x00, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x04, 0x00,
            0x00, 0x00, // ifinfomsg: AF_BRIDGE, index 4
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x1a, 0x00, // IFLA_AF_SPEC
            0x08, 0x00, 0x02, 0x00, 0x00, 0x00, 0x0a, 0x00); //   VLAN_INFO flags 0, vid 10
    MsgWriter w = Requests.writer(RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK, 0x6b0a2c34);
    Requests.bridgeVlan(w, 4, 10, 10, false, false, false, false);
    assertGolden(w, bridge);
  }
}
