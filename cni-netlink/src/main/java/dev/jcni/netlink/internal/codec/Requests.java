package dev.jcni.netlink.internal.codec;

import static dev.jcni.netlink.internal.codec.Rtnl.*;

import dev.jcni.netlink.Address;
import dev.jcni.netlink.BridgeOptions;
import dev.jcni.netlink.FdbEntry;
import dev.jcni.netlink.IpNet;
import dev.jcni.netlink.Neigh;
import dev.jcni.netlink.Route;
import dev.jcni.netlink.VethOptions;
import dev.jcni.netlink.VxlanOptions;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Request bodies, appended to a writer whose nlmsghdr is already written. Attribute order follows iproute2
 * (per-argument attributes, then IFLA_IFNAME, then IFLA_LINKINFO) so captured {@code ip} requests serve as golden
 * bytes. Pure: no socket, no namespace; the peer namespace enters as a plain fd number.
 */
public final class Requests {
  private Requests() {}

  /** {@code ip link add NAME type veth peer name PEER [netns FD]}. peerNsFd &lt; 0 = same namespace. */
  public static void vethAdd(MsgWriter w, VethOptions o, int peerNsFd) {
    w.ifinfomsg(AF_UNSPEC, 0, 0, 0, 0);
    if (o.mtu() > 0) w.attrU32(IFLA_MTU, o.mtu());
    if (o.mac() != null) w.attr(IFLA_ADDRESS, o.mac().bytes());
    w.attrString(IFLA_IFNAME, o.name());
    int li = w.nestStart(IFLA_LINKINFO);
    w.attrChars(IFLA_INFO_KIND, "veth");
    int data = w.nestStart(IFLA_INFO_DATA);
    int peer = w.nestStart(VETH_INFO_PEER);
    w.ifinfomsg(AF_UNSPEC, 0, 0, 0, 0);
    if (o.mtu() > 0) w.attrU32(IFLA_MTU, o.mtu());
    if (o.peerMac() != null) w.attr(IFLA_ADDRESS, o.peerMac().bytes());
    if (peerNsFd >= 0) w.attrU32(IFLA_NET_NS_FD, peerNsFd);
    w.attrString(IFLA_IFNAME, o.peerName());
    w.nestEnd(peer);
    w.nestEnd(data);
    w.nestEnd(li);
  }

  /** {@code ip link add NAME type bridge [vlan_filtering B]}. */
  public static void bridgeAdd(MsgWriter w, String name, BridgeOptions o) {
    w.ifinfomsg(AF_UNSPEC, 0, 0, 0, 0);
    if (o.mtu() > 0) w.attrU32(IFLA_MTU, o.mtu());
    if (o.mac() != null) w.attr(IFLA_ADDRESS, o.mac().bytes());
    w.attrString(IFLA_IFNAME, name);
    int li = w.nestStart(IFLA_LINKINFO);
    w.attrChars(IFLA_INFO_KIND, "bridge");
    if (o.vlanFiltering() != null) {
      int data = w.nestStart(IFLA_INFO_DATA);
      w.attrU8(IFLA_BR_VLAN_FILTERING, o.vlanFiltering() ? 1 : 0);
      w.nestEnd(data);
    }
    w.nestEnd(li);
  }

  /** {@code ip link add NAME type vxlan id VNI ...}. */
  public static void vxlanAdd(MsgWriter w, String name, VxlanOptions o) {
    w.ifinfomsg(AF_UNSPEC, 0, 0, 0, 0);
    if (o.mtu() > 0) w.attrU32(IFLA_MTU, o.mtu());
    if (o.mac() != null) w.attr(IFLA_ADDRESS, o.mac().bytes());
    w.attrString(IFLA_IFNAME, name);
    int li = w.nestStart(IFLA_LINKINFO);
    w.attrChars(IFLA_INFO_KIND, "vxlan");
    int data = w.nestStart(IFLA_INFO_DATA);
    if (o.devIndex() > 0) w.attrU32(IFLA_VXLAN_LINK, o.devIndex());
    if (o.ttl() > 0) w.attrU8(IFLA_VXLAN_TTL, o.ttl());
    if (o.tos() > 0) w.attrU8(IFLA_VXLAN_TOS, o.tos());
    w.attrU32(IFLA_VXLAN_ID, o.vni());
    if (o.group() != null) {
      w.attrAddr(o.group() instanceof Inet4Address ? IFLA_VXLAN_GROUP : IFLA_VXLAN_GROUP6, o.group());
    }
    if (o.local() != null) {
      w.attrAddr(o.local() instanceof Inet4Address ? IFLA_VXLAN_LOCAL : IFLA_VXLAN_LOCAL6, o.local());
    }
    if (o.learning() != null) w.attrU8(IFLA_VXLAN_LEARNING, o.learning() ? 1 : 0);
    if (o.port() > 0) w.attrBe16(IFLA_VXLAN_PORT, o.port());
    w.nestEnd(data);
    w.nestEnd(li);
  }

  /** Selects a link by index, or by IFLA_IFNAME when index is 0. */
  public static void linkSelect(MsgWriter w, int family, int index, String name, int flags, int change) {
    w.ifinfomsg(family, 0, index, flags, change);
    if (index == 0 && name != null) w.attrString(IFLA_IFNAME, name);
  }

  /** RTM_GETLINK body (single or dump); skips statistics to keep replies small. */
  public static void linkGet(MsgWriter w, int index, String name) {
    w.ifinfomsg(AF_UNSPEC, 0, index, 0, 0);
    w.attrU32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
    if (index == 0 && name != null) w.attrString(IFLA_IFNAME, name);
  }

  /** {@code bridge vlan add|del vid V[-E] dev L [pvid] [untagged] [self] [master]} (RTM_SETLINK/RTM_DELLINK). */
  public static void bridgeVlan(MsgWriter w, int index, int vid, int vidEnd, boolean pvid, boolean untagged,
      boolean self, boolean master) {
    w.ifinfomsg(AF_BRIDGE, 0, index, 0, 0);
    int spec = w.nestStart(IFLA_AF_SPEC);
    int bflags = (self ? BRIDGE_FLAGS_SELF : 0) | (master ? BRIDGE_FLAGS_MASTER : 0);
    if (bflags != 0) w.attrU16(IFLA_BRIDGE_FLAGS, bflags);
    int vflags = (pvid ? BRIDGE_VLAN_INFO_PVID : 0) | (untagged ? BRIDGE_VLAN_INFO_UNTAGGED : 0);
    if (vidEnd > vid) {
      w.attr(IFLA_BRIDGE_VLAN_INFO, vlanInfo(vflags | BRIDGE_VLAN_INFO_RANGE_BEGIN, vid));
      w.attr(IFLA_BRIDGE_VLAN_INFO, vlanInfo(vflags | BRIDGE_VLAN_INFO_RANGE_END, vidEnd));
    } else {
      w.attr(IFLA_BRIDGE_VLAN_INFO, vlanInfo(vflags, vid));
    }
    w.nestEnd(spec);
  }

  private static byte[] vlanInfo(int flags, int vid) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.nativeOrder());
    b.putShort((short) flags).putShort((short) vid);
    return b.array();
  }

  /** {@code bridge link set dev L hairpin|learning|isolated on|off} (RTM_SETLINK, IFLA_PROTINFO). Null = keep. */
  public static void bridgePort(MsgWriter w, int index, Boolean hairpin, Boolean learning, Boolean isolated) {
    w.ifinfomsg(AF_BRIDGE, 0, index, 0, 0);
    int p = w.nestStart(IFLA_PROTINFO | NLA_F_NESTED);
    if (hairpin != null) w.attrU8(IFLA_BRPORT_MODE, hairpin ? 1 : 0);
    if (learning != null) w.attrU8(IFLA_BRPORT_LEARNING, learning ? 1 : 0);
    if (isolated != null) w.attrU8(IFLA_BRPORT_ISOLATED, isolated ? 1 : 0);
    w.nestEnd(p);
  }

  /** {@code ip addr add|replace|del}: IFA_LOCAL + IFA_ADDRESS (+ brd +), like iproute2. */
  public static void addr(MsgWriter w, int index, Address a, boolean forDelete) {
    IpNet net = a.net();
    InetAddress local = net.address();
    boolean v4 = local instanceof Inet4Address;
    w.ifaddrmsg(v4 ? AF_INET : AF_INET6, net.prefixLength(), a.flags() & 0xff, a.scope(), index);
    w.attrAddr(IFA_LOCAL, local);
    w.attrAddr(IFA_ADDRESS, a.peer() != null ? a.peer() : local);
    if (!forDelete) {
      InetAddress brd = a.broadcast();
      if (brd == null && v4 && a.peer() == null && net.prefixLength() < 31) brd = net.lastAddress();
      if (brd != null && v4) w.attrAddr(IFA_BROADCAST, brd);
      if (a.label() != null) w.attrString(IFA_LABEL, a.label());
      if ((a.flags() & ~0xff) != 0) w.attrU32(IFA_FLAGS, a.flags());
      if (a.validLft() != Address.FOREVER || a.preferredLft() != Address.FOREVER) {
        java.nio.ByteBuffer ci = java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.nativeOrder());
        ci.putInt((int) a.preferredLft()).putInt((int) a.validLft()).putInt(0).putInt(0);
        w.attr(IFA_CACHEINFO, ci.array());
      }
    }
  }

  /** {@code ip route add|replace|del}, with iproute2's defaults for unset fields. */
  public static void route(MsgWriter w, Route r, boolean forDelete) {
    int af = r.family().af();
    int table = r.table() == Route.UNSET || r.table() == 0 ? RT_TABLE_MAIN : r.table();
    int type = r.type() == Route.UNSET ? (forDelete ? RTN_UNSPEC : RTN_UNICAST) : r.type();
    int protocol = r.protocol() == Route.UNSET ? (forDelete ? RTPROT_UNSPEC : RTPROT_BOOT) : r.protocol();
    int scope = r.scope();
    if (scope == Route.UNSET) {
      if (forDelete) scope = RT_SCOPE_NOWHERE;
      else if (type == RTN_LOCAL) scope = RT_SCOPE_HOST;
      else if (type == RTN_BROADCAST || type == RTN_MULTICAST || type == RTN_ANYCAST) scope = RT_SCOPE_LINK;
      else if ((type == RTN_UNICAST || type == RTN_UNSPEC) && r.gateway() == null && r.nexthops().isEmpty()) {
        scope = RT_SCOPE_LINK;
      } else {
        scope = RT_SCOPE_UNIVERSE;
      }
    }
    int dstLen = r.dst() == null ? 0 : r.dst().prefixLength();
    w.rtmsg(af, dstLen, 0, 0, table < 256 ? table : RT_TABLE_UNSPEC, protocol, scope, type, r.flags());
    if (table >= 256) w.attrU32(RTA_TABLE, table);
    if (r.dst() != null) w.attrAddr(RTA_DST, r.dst().network().address());
    if (r.src() != null) w.attrAddr(RTA_PREFSRC, r.src());
    if (r.gateway() != null) w.attrAddr(RTA_GATEWAY, r.gateway());
    if (r.priority() > 0) w.attrU32(RTA_PRIORITY, r.priority());
    if (r.mtu() > 0 || r.advmss() > 0) {
      int m = w.nestStart(RTA_METRICS);
      if (r.mtu() > 0) w.attrU32(RTAX_MTU, r.mtu());
      if (r.advmss() > 0) w.attrU32(RTAX_ADVMSS, r.advmss());
      w.nestEnd(m);
    }
    if (!r.nexthops().isEmpty()) {
      // struct rtnexthop {u16 len; u8 flags; u8 hops; i32 ifindex} + RTA_GATEWAY, each 4-aligned
      MsgWriter nh = new MsgWriter(64);
      for (Route.Nexthop h : r.nexthops()) {
        int gwLen = h.gateway() == null ? 0 : 4 + h.gateway().getAddress().length;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(align(8 + gwLen)).order(java.nio.ByteOrder.nativeOrder());
        b.putShort((short) (8 + gwLen)).put((byte) h.flags()).put((byte) Math.max(0, h.weight() - 1))
            .putInt(h.oif());
        if (h.gateway() != null) {
          b.putShort((short) gwLen).putShort((short) RTA_GATEWAY).put(h.gateway().getAddress());
        }
        nh.raw(b.array());
      }
      w.attr(RTA_MULTIPATH, nh.toByteArray());
    }
    if (r.oif() > 0) w.attrU32(RTA_OIF, r.oif()); // iproute2 adds "dev" last
  }

  /** {@code ip route get ADDR}. */
  public static void routeGet(MsgWriter w, InetAddress dst) {
    int bits = dst.getAddress().length * 8;
    w.rtmsg(dst instanceof Inet4Address ? AF_INET : AF_INET6, bits, 0, 0, 0, 0, 0, 0, 0);
    w.attrAddr(RTA_DST, dst);
  }

  /** {@code ip neigh add|replace|del IP lladdr MAC dev L nud STATE}. */
  public static void neigh(MsgWriter w, Neigh n) {
    w.ndmsg(n.ip() instanceof Inet4Address ? AF_INET : AF_INET6, n.index(), n.state(), n.flags(), 0);
    w.attrAddr(NDA_DST, n.ip());
    if (n.mac() != null) w.attr(NDA_LLADDR, n.mac().bytes());
  }

  /** {@code bridge fdb add|append|replace|del MAC dev L [dst IP] [vlan V] [vni N] [port P] [self|master]}. */
  public static void fdb(MsgWriter w, FdbEntry e) {
    int flags = e.flags();
    if ((flags & (NTF_SELF | NTF_MASTER)) == 0) flags |= NTF_SELF; // iproute2's default
    w.ndmsg(AF_BRIDGE, e.index(), e.state() == 0 ? NUD_NOARP | NUD_PERMANENT : e.state(), flags, 0);
    w.attr(NDA_LLADDR, e.mac().bytes());
    if (e.dst() != null) w.attrAddr(NDA_DST, e.dst());
    if (e.port() > 0) w.attrBe16(NDA_PORT, e.port());
    if (e.vni() > 0) w.attrU32(NDA_VNI, e.vni());
    if (e.vlan() > 0) w.attrU16(NDA_VLAN, e.vlan());
  }

  /** Convenience for tests: a fresh writer with a header. */
  public static MsgWriter writer(int type, int flags, int seq) {
    return new MsgWriter().header(type, flags, seq, 0);
  }

}
