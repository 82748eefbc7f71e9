package dev.jcni.netlink.internal.codec;

import static dev.jcni.netlink.internal.codec.GoldenRequestsTest.b;
import static dev.jcni.netlink.internal.codec.Rtnl.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcni.netlink.Address;
import dev.jcni.netlink.FdbEntry;
import dev.jcni.netlink.Link;
import dev.jcni.netlink.Neigh;
import dev.jcni.netlink.OperState;
import dev.jcni.netlink.Route;
import dev.jcni.spec.net.InetAddresses;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Kernel replies captured with {@code strace -e trace=recvmsg -e read=all} (x86_64, Linux 6.18)
 * while iproute2 listed objects in a throwaway namespace, decoded into the public value types and
 * re-encoded byte-identically.
 */
class GoldenRepliesTest {

  @BeforeEach
  void littleEndian() {
    assumeTrue(
        ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN,
        "golden bytes were captured little-endian");
  }

  private static RtnlMessage roundTrip(byte[] bytes) {
    RtnlMessage m = RtnlMessage.decode(bytes);
    assertThat(m.encode()).as("re-encoded").containsExactly(bytes);
    assertThat(m.originalBytes()).containsExactly(bytes);
    return m;
  }

  @Test
  void newaddrIpv4() {
    byte[] msg =
        b(
            0x54, 0x00, 0x00, 0x00, // nlmsg_len 84
            0x14, 0x00, 0x22, 0x00, // RTM_NEWADDR, flags MULTI|DUMP_FILTERED
            0xe0, 0x25, 0x0a, 0x6b, 0x5d, 0x6c, 0x00, 0x00, // seq, pid
            0x02, 0x18, 0x80, 0x00, // ifaddrmsg: AF_INET, /24, flags PERMANENT, scope 0
            0x03, 0x00, 0x00, 0x00, //   index 3
            0x08, 0x00, 0x01, 0x00, 0x0a, 0x01, 0x02, 0x03, // IFA_ADDRESS 10.1.2.3
            0x08, 0x00, 0x02, 0x00, 0x0a, 0x01, 0x02, 0x03, // IFA_LOCAL 10.1.2.3
            0x08, 0x00, 0x04, 0x00, 0x0a, 0x01, 0x02, 0xff, // IFA_BROADCAST 10.1.2.255
            0x07, 0x00, 0x03, 0x00, 0x77, 0x30, 0x00, 0x00, // IFA_LABEL "w0"
            0x08, 0x00, 0x08, 0x00, 0x80, 0x00, 0x00, 0x00, // IFA_FLAGS PERMANENT
            0x14, 0x00, 0x06, 0x00, // IFA_CACHEINFO (20)
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, //   preferred, valid: forever
            0x48, 0x79, 0x01, 0x00, 0x48, 0x79, 0x01, 0x00); //   cstamp, tstamp
    RtnlMessage m = roundTrip(msg);
    assertThat(m.header().type()).isEqualTo(RTM_NEWADDR);
    assertThat(m.header().flags()).isEqualTo(NLM_F_MULTI | NLM_F_DUMP_FILTERED);
    assertThat(m.ifaddr()).isEqualTo(new Structs.IfAddrMsg(AF_INET, 24, 0x80, 0, 3));
    Address a = Decoders.address(m);
    assertThat(a.index()).isEqualTo(3);
    assertThat(a.net()).hasToString("10.1.2.3/24");
    assertThat(a.peer()).isNull();
    assertThat(InetAddresses.format(a.broadcast())).isEqualTo("10.1.2.255");
    assertThat(a.label()).isEqualTo("w0");
    assertThat(a.flags()).isEqualTo(Address.IFA_F_PERMANENT);
    assertThat(a.validLft()).isEqualTo(Address.FOREVER);
    assertThat(a.preferredLft()).isEqualTo(Address.FOREVER);
  }

  @Test
  void newrouteWithGatewayAndMetric() {
    byte[] msg =
        b(
            0x44, 0x00, 0x00, 0x00, // nlmsg_len 68
            0x18, 0x00, 0x22, 0x00, // RTM_NEWROUTE, MULTI|DUMP_FILTERED
            0xdf, 0x25, 0x0a, 0x6b, 0x63, 0x6c, 0x00, 0x00, // seq, pid
            0x02, 0x10, 0x00, 0x00, // rtmsg: AF_INET, dst_len 16, src_len 0, tos 0
            0xfe, 0x03, 0x00, 0x01, //   table main, proto boot, scope universe, unicast
            0x00, 0x00, 0x00, 0x00, //   flags
            0x08, 0x00, 0x0f, 0x00, 0xfe, 0x00, 0x00, 0x00, // RTA_TABLE 254
            0x08, 0x00, 0x01, 0x00, 0x0a, 0x09, 0x00, 0x00, // RTA_DST 10.9.0.0
            0x08, 0x00, 0x06, 0x00, 0x64, 0x00, 0x00, 0x00, // RTA_PRIORITY 100
            0x08, 0x00, 0x05, 0x00, 0x0a, 0x01, 0x02, 0x01, // RTA_GATEWAY 10.1.2.1
            0x08, 0x00, 0x04, 0x00, 0x03, 0x00, 0x00, 0x00); // RTA_OIF 3
    RtnlMessage m = roundTrip(msg);
    assertThat(m.rtmsg()).isEqualTo(new Structs.RtMsg(AF_INET, 16, 0, 0, 254, 3, 0, 1, 0));
    Route r = Decoders.route(m);
    assertThat(r.dst()).hasToString("10.9.0.0/16");
    assertThat(InetAddresses.format(r.gateway())).isEqualTo("10.1.2.1");
    assertThat(r.oif()).isEqualTo(3);
    assertThat(r.priority()).isEqualTo(100);
    assertThat(r.table()).isEqualTo(Route.TABLE_MAIN);
    assertThat(r.protocol()).isEqualTo(Route.PROTO_BOOT);
    assertThat(r.scope()).isEqualTo(Route.SCOPE_UNIVERSE);
    assertThat(r.type()).isEqualTo(Route.TYPE_UNICAST);
    assertThat(r.src()).isNull();
    assertThat(r.nexthops()).isEmpty();
  }

  @Test
  void newneighPermanent() {
    byte[] msg =
        b(
            0x4c, 0x00, 0x00, 0x00, // nlmsg_len 76
            0x1c, 0x00, 0x22, 0x00, // RTM_NEWNEIGH, MULTI|DUMP_FILTERED
            0xe0, 0x25, 0x0a, 0x6b, 0x6f, 0x6c, 0x00, 0x00, // seq, pid
            0x02, 0x00, 0x00, 0x00, // ndmsg: AF_INET
            0x03, 0x00, 0x00, 0x00, //   ifindex 3
            0x80, 0x00, 0x00, 0x01, //   state PERMANENT, flags 0, type RTN_UNICAST
            0x08, 0x00, 0x01, 0x00, 0x0a, 0x01, 0x02, 0x09, // NDA_DST 10.1.2.9
            0x0a, 0x00, 0x02, 0x00, 0x02, 0x00, 0x00, 0x00, // NDA_LLADDR 02:00:00:00:00:09
            0x00, 0x09, 0x00, 0x00, 0x08, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, // NDA_PROBES 0
            0x14, 0x00, 0x03, 0x00, // NDA_CACHEINFO (20)
            0x24, 0x04, 0x00, 0x00, 0x24, 0x04, 0x00, 0x00, //   confirmed, used
            0x24, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00); //   updated, refcnt
    RtnlMessage m = roundTrip(msg);
    assertThat(m.ndmsg()).isEqualTo(new Structs.NdMsg(AF_INET, 3, NUD_PERMANENT, 0, 1));
    Neigh n = Decoders.neigh(m);
    assertThat(InetAddresses.format(n.ip())).isEqualTo("10.1.2.9");
    assertThat(n.mac()).hasToString("02:00:00:00:00:09");
    assertThat(n.state()).isEqualTo(Neigh.NUD_PERMANENT);
    assertThat(n.index()).isEqualTo(3);
  }

  @Test
  void bridgeFdbVxlanRemote() {
    byte[] msg =
        b(
            0x44, 0x00, 0x00, 0x00, // nlmsg_len 68
            0x1c, 0x00, 0x02, 0x00, // RTM_NEWNEIGH, MULTI
            0xe0, 0x25, 0x0a, 0x6b, 0x69, 0x6c, 0x00, 0x00, // seq, pid
            0x07, 0x00, 0x00, 0x00, // ndmsg: AF_BRIDGE
            0x06, 0x00, 0x00, 0x00, //   ifindex 6 (vx9)
            0xc0, 0x00, 0x02, 0x01, //   state NOARP|PERMANENT, flags SELF, type 1
            0x0a, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, // NDA_LLADDR 00:00:00:00:00:00
            0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, 0x0a, 0x00, 0x00,
            0x02, // NDA_DST 10.0.0.2
            0x14, 0x00, 0x03, 0x00, // NDA_CACHEINFO (20)
            0x00, 0x00, 0x00, 0x00, 0x28, 0x04, 0x00, 0x00, 0x28, 0x04, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x00);
    RtnlMessage m = roundTrip(msg);
    FdbEntry e = Decoders.fdb(m);
    assertThat(e.index()).isEqualTo(6);
    assertThat(e.mac().isZero()).isTrue();
    assertThat(InetAddresses.format(e.dst())).isEqualTo("10.0.0.2");
    assertThat(e.state()).isEqualTo(FdbEntry.DEFAULT_STATE);
    assertThat(e.flags()).isEqualTo(FdbEntry.NTF_SELF);
    assertThat(e.vlan()).isZero();
    assertThat(e.master()).isZero();
  }

  @Test
  void errorWithExtendedAck() {
    // ip route add 10.0.0.0/8 via 1.2.3.4   -> ENETUNREACH with an extended-ack message
    byte[] msg =
        b(
            0x60, 0x00, 0x00, 0x00, // nlmsg_len 96
            0x02, 0x00, 0x00, 0x02, // NLMSG_ERROR, flags ACK_TLVS
            0xdf, 0x25, 0x0a, 0x6b, 0x75, 0x6c, 0x00, 0x00, // seq, pid
            0x9b, 0xff, 0xff, 0xff, // error -101 (ENETUNREACH)
            0x2c, 0x00, 0x00, 0x00, 0x18, 0x00, 0x05,
            0x06, // echoed request: len 44, RTM_NEWROUTE, flags
            0xdf, 0x25, 0x0a, 0x6b, 0x00, 0x00, 0x00, 0x00, //   seq, pid
            0x02, 0x08, 0x00, 0x00, 0xfe, 0x03, 0x00, 0x01, //   rtmsg
            0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, 0x0a, 0x00, 0x00,
            0x00, //   RTA_DST 10.0.0.0
            0x08, 0x00, 0x05, 0x00, 0x01, 0x02, 0x03, 0x04, //   RTA_GATEWAY 1.2.3.4
            0x20, 0x00, 0x01, 0x00, // NLMSGERR_ATTR_MSG (32)
            0x4e, 0x65, 0x78, 0x74, 0x68, 0x6f, 0x70, 0x20, //   "Nexthop has invalid gateway\0"
            0x68, 0x61, 0x73, 0x20, 0x69, 0x6e, 0x76, 0x61, 0x6c, 0x69, 0x64, 0x20, 0x67, 0x61,
            0x74, 0x65, 0x77, 0x61, 0x79, 0x00);
    NlError e = NlError.decode(ByteBuffer.wrap(msg), 0);
    assertThat(e.errno()).isEqualTo(101);
    assertThat(e.message()).isEqualTo("Nexthop has invalid gateway");
    // the echoed request is itself a decodable rtnetlink message
    byte[] echoed = java.util.Arrays.copyOfRange(msg, 20, 64);
    RtnlMessage req = roundTrip(echoed);
    assertThat(Decoders.route(req).dst()).hasToString("10.0.0.0/8");
  }

  @Test
  void plainAckHasNoMessage() {
    byte[] ack =
        b(
            0x24, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x01, // len 36, NLMSG_ERROR, flags CAPPED
            0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // seq 1, pid
            0x00, 0x00, 0x00, 0x00, // error 0 = ACK
            0x10, 0x00, 0x00, 0x00, 0x10, 0x00, 0x05, 0x06, // echoed header only (capped)
            0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00);
    assertThat(NlError.decode(ByteBuffer.wrap(ack), 0)).isEqualTo(new NlError(0, null));
  }

  @Test
  void newlinkVxlanFromKernel() throws IOException {
    // `ip -d link show vx9` reply (1332 bytes, full attribute set incl. stats and AF_SPEC), see
    // resource file
    byte[] msg;
    try (InputStream in = getClass().getResourceAsStream("/golden/newlink-vxlan.hex")) {
      msg =
          HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
    }
    RtnlMessage m = roundTrip(msg);
    assertThat(m.header().type()).isEqualTo(RTM_NEWLINK);
    assertThat(m.header().len()).isEqualTo(1332);
    Structs.IfInfoMsg ifi = m.ifinfo();
    assertThat(ifi.index()).isEqualTo(6);
    assertThat(ifi.type()).isEqualTo(1); // ARPHRD_ETHER
    Link l = Decoders.link(m);
    assertThat(l.name()).isEqualTo("vx9");
    assertThat(l.kind()).isEqualTo("vxlan");
    assertThat(l.mtu()).isEqualTo(1450);
    assertThat(l.txQueueLen()).isEqualTo(1000);
    assertThat(l.operState()).isEqualTo(OperState.DOWN);
    assertThat(l.isUp()).isFalse();
    assertThat(l.mac()).hasToString("26:2f:a0:23:9f:c7");
    assertThat(l.masterIndex()).isZero();
    assertThat(l.netnsId()).isEqualTo(-1);
    assertThat(l.bridge()).isNull();
    Link.VxlanInfo v = l.vxlan();
    assertThat(v.vni()).isEqualTo(42);
    assertThat(InetAddresses.format(v.local())).isEqualTo("10.0.0.1");
    assertThat(v.group()).isNull();
    assertThat(v.linkIndex()).isEqualTo(3);
    assertThat(v.port()).isEqualTo(4789);
    assertThat(v.learning()).isFalse();
    assertThat(v.ttl()).isEqualTo(5);
    assertThat(v.tos()).isEqualTo(0x10);
  }

  @Test
  void bridgeVlanDumpEntryHandAssembled() {
    // HAND-ASSEMBLED (this kernel has no CONFIG_BRIDGE_VLAN_FILTERING, so no capture): the layout
    // of an AF_BRIDGE
    // RTM_NEWLINK dumped with IFLA_EXT_MASK=RTEXT_FILTER_BRVLAN (net/bridge/br_netlink.c
    // br_fill_ifvlaninfo)
    byte[] msg =
        b(
            0x54, 0x00, 0x00, 0x00, 0x10, 0x00, 0x02, 0x00, // len 84, RTM_NEWLINK, MULTI
            0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // seq, pid
            0x07, 0x00, 0x01, 0x00, 0x04, 0x00, 0x00,
            0x00, // ifinfomsg: AF_BRIDGE, ARPHRD_ETHER, index 4
            0x43, 0x10, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, //   flags UP|..., change 0
            0x07, 0x00, 0x03, 0x00, 0x70, 0x39, 0x00, 0x00, // IFLA_IFNAME "p9"
            0x24, 0x00, 0x1a, 0x00, // IFLA_AF_SPEC (36)
            0x08, 0x00, 0x02, 0x00, 0x06, 0x00, 0x0a, 0x00, //   VLAN_INFO PVID|UNTAGGED vid 10
            0x08, 0x00, 0x02, 0x00, 0x08, 0x00, 0x14, 0x00, //   VLAN_INFO RANGE_BEGIN vid 20
            0x08, 0x00, 0x02, 0x00, 0x10, 0x00, 0x19, 0x00, //   VLAN_INFO RANGE_END vid 25
            0x08, 0x00, 0x02, 0x00, 0x00, 0x00, 0x1e, 0x00, //   VLAN_INFO vid 30
            0x08, 0x00, 0x0a, 0x00, 0x02, 0x00, 0x00, 0x00); // IFLA_MASTER 2
    RtnlMessage m = roundTrip(msg);
    assertThat(Decoders.bridgeVlans(m))
        .containsExactly(
            new dev.jcni.netlink.BridgeVlan(4, 10, 10, true, true),
            new dev.jcni.netlink.BridgeVlan(4, 20, 25, false, false),
            new dev.jcni.netlink.BridgeVlan(4, 30, 30, false, false));
  }
}
