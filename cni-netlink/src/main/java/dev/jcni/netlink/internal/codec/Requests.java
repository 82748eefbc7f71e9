package dev.jcni.netlink.internal.codec;

import static dev.jcni.netlink.internal.codec.Rtnl.*;

import dev.jcni.netlink.Address;
import dev.jcni.netlink.BridgeOptions;
import dev.jcni.netlink.FdbEntry;
import dev.jcni.netlink.Neigh;
import dev.jcni.netlink.Qdisc;
import dev.jcni.netlink.Route;
import dev.jcni.netlink.TcClass;
import dev.jcni.netlink.TcFilter;
import dev.jcni.netlink.VethOptions;
import dev.jcni.netlink.VxlanOptions;
import dev.jcni.spec.net.Cidr;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Request bodies, appended to a writer whose nlmsghdr is already written. Attribute order follows
 * iproute2 (per-argument attributes, then IFLA_IFNAME, then IFLA_LINKINFO) so captured {@code ip}
 * requests serve as golden bytes. Pure: no socket, no namespace; the peer namespace enters as a
 * plain fd number.
 */
public final class Requests {
  private Requests() {}

  /**
   * {@code ip link add NAME type veth peer name PEER [netns FD]}. peerNsFd &lt; 0 = same namespace.
   */
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
      w.attrAddr(
          o.group() instanceof Inet4Address ? IFLA_VXLAN_GROUP : IFLA_VXLAN_GROUP6, o.group());
    }
    if (o.local() != null) {
      w.attrAddr(
          o.local() instanceof Inet4Address ? IFLA_VXLAN_LOCAL : IFLA_VXLAN_LOCAL6, o.local());
    }
    if (o.learning() != null) w.attrU8(IFLA_VXLAN_LEARNING, o.learning() ? 1 : 0);
    if (o.port() > 0) w.attrBe16(IFLA_VXLAN_PORT, o.port());
    w.nestEnd(data);
    w.nestEnd(li);
  }

  /** Selects a link by index, or by IFLA_IFNAME when index is 0. */
  public static void linkSelect(
      MsgWriter w, int family, int index, String name, int flags, int change) {
    w.ifinfomsg(family, 0, index, flags, change);
    if (index == 0 && name != null) w.attrString(IFLA_IFNAME, name);
  }

  /** RTM_GETLINK body (single or dump); skips statistics to keep replies small. */
  public static void linkGet(MsgWriter w, int index, String name) {
    w.ifinfomsg(AF_UNSPEC, 0, index, 0, 0);
    w.attrU32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
    if (index == 0 && name != null) w.attrString(IFLA_IFNAME, name);
  }

  /**
   * {@code bridge vlan add|del vid V[-E] dev L [pvid] [untagged] [self] [master]}
   * (RTM_SETLINK/RTM_DELLINK).
   */
  public static void bridgeVlan(
      MsgWriter w,
      int index,
      int vid,
      int vidEnd,
      boolean pvid,
      boolean untagged,
      boolean self,
      boolean master) {
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

  /**
   * {@code bridge link set dev L hairpin|learning|isolated on|off} (RTM_SETLINK, IFLA_PROTINFO).
   * Null = keep.
   */
  public static void bridgePort(
      MsgWriter w, int index, Boolean hairpin, Boolean learning, Boolean isolated) {
    w.ifinfomsg(AF_BRIDGE, 0, index, 0, 0);
    int p = w.nestStart(IFLA_PROTINFO | NLA_F_NESTED);
    if (hairpin != null) w.attrU8(IFLA_BRPORT_MODE, hairpin ? 1 : 0);
    if (learning != null) w.attrU8(IFLA_BRPORT_LEARNING, learning ? 1 : 0);
    if (isolated != null) w.attrU8(IFLA_BRPORT_ISOLATED, isolated ? 1 : 0);
    w.nestEnd(p);
  }

  /** {@code ip addr add|replace|del}: IFA_LOCAL + IFA_ADDRESS (+ brd +), like iproute2. */
  public static void addr(MsgWriter w, int index, Address a, boolean forDelete) {
    Cidr net = a.net();
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
        java.nio.ByteBuffer ci =
            java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.nativeOrder());
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
    int protocol =
        r.protocol() == Route.UNSET ? (forDelete ? RTPROT_UNSPEC : RTPROT_BOOT) : r.protocol();
    int scope = r.scope();
    if (scope == Route.UNSET) {
      if (forDelete) scope = RT_SCOPE_NOWHERE;
      else if (type == RTN_LOCAL) scope = RT_SCOPE_HOST;
      else if (type == RTN_BROADCAST || type == RTN_MULTICAST || type == RTN_ANYCAST)
        scope = RT_SCOPE_LINK;
      else if ((type == RTN_UNICAST || type == RTN_UNSPEC)
          && r.gateway() == null
          && r.nexthops().isEmpty()) {
        scope = RT_SCOPE_LINK;
      } else {
        scope = RT_SCOPE_UNIVERSE;
      }
    }
    int dstLen = r.dst() == null ? 0 : r.dst().prefixLength();
    w.rtmsg(
        af, dstLen, 0, 0, table < 256 ? table : RT_TABLE_UNSPEC, protocol, scope, type, r.flags());
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
        java.nio.ByteBuffer b =
            java.nio.ByteBuffer.allocate(align(8 + gwLen)).order(java.nio.ByteOrder.nativeOrder());
        b.putShort((short) (8 + gwLen))
            .put((byte) h.flags())
            .put((byte) Math.max(0, h.weight() - 1))
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
    w.ndmsg(
        n.ip() instanceof Inet4Address ? AF_INET : AF_INET6, n.index(), n.state(), n.flags(), 0);
    w.attrAddr(NDA_DST, n.ip());
    if (n.mac() != null) w.attr(NDA_LLADDR, n.mac().bytes());
  }

  /**
   * {@code bridge fdb add|append|replace|del MAC dev L [dst IP] [vlan V] [vni N] [port P]
   * [self|master]}.
   */
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

  /** {@code ip link add NAME [mtu M] [up] type ifb}. */
  public static void ifbAdd(MsgWriter w, String name, int mtu, boolean up) {
    w.ifinfomsg(AF_UNSPEC, 0, 0, up ? IFF_UP : 0, up ? IFF_UP : 0);
    if (mtu > 0) w.attrU32(IFLA_MTU, mtu);
    w.attrString(IFLA_IFNAME, name);
    int li = w.nestStart(IFLA_LINKINFO);
    w.attrChars(IFLA_INFO_KIND, "ifb");
    w.nestEnd(li);
  }

  // ---- traffic control

  /**
   * tcmsg {@code info} of a filter: prio in the upper half, the ethertype in network order in the
   * lower.
   */
  public static int filterInfo(int prio, int protocol) {
    return (prio << 16) | ((protocol & 0xff) << 8) | ((protocol >>> 8) & 0xff);
  }

  /**
   * {@code tc qdisc add|replace|del dev D parent P handle H KIND [options]}. Attributes as {@code
   * tc} sends them: TCA_KIND (with NUL), then TCA_OPTIONS; a deletion without kind carries none.
   * tbf options need the scheduler's ticks per microsecond ({@code /proc/net/psched}) for the
   * buffer and the rate table.
   */
  public static void qdisc(MsgWriter w, Qdisc q, double tickInUsec) {
    w.tcmsg(AF_UNSPEC, q.index(), q.handle(), q.parent(), 0);
    if (q.kind() != null) w.attrString(TCA_KIND, q.kind());
    if (q.tbf() != null) tbfOptions(w, q.tbf(), tickInUsec);
    if (q.htb() != null) {
      // struct tc_htb_glob: version, rate2quantum, defcls, debug, direct_pkts
      java.nio.ByteBuffer g =
          java.nio.ByteBuffer.allocate(20).order(java.nio.ByteOrder.nativeOrder());
      g.putInt(TC_HTB_PROTOVER)
          .putInt(q.htb().r2q())
          .putInt(q.htb().defaultMinor())
          .putInt(0)
          .putInt(0);
      int opts = w.nestStart(TCA_OPTIONS);
      w.attr(TCA_HTB_INIT, g.array());
      w.nestEnd(opts);
    }
  }

  /**
   * {@code tbf rate R burst B limit L [mtu M] [mpu P]}: iproute2's tbf_parse_opt, peakrate
   * unsupported.
   */
  static void tbfOptions(MsgWriter w, Qdisc.Tbf t, double tickInUsec) {
    int[] rtab = new int[256];
    int cellLog = rateTable(t.rate(), t.mpu(), t.mtu(), tickInUsec, rtab);
    // like tc, the buffer is computed with the 32-bit rate field (saturated above 2^32-1 bytes/s)
    long buffer =
        t.buffer() > 0
            ? t.buffer()
            : xmitTime(Math.min(t.rate(), 0xFFFFFFFFL), t.burst(), tickInUsec);
    java.nio.ByteBuffer p =
        java.nio.ByteBuffer.allocate(36).order(java.nio.ByteOrder.nativeOrder());
    // struct tc_ratespec rate: cell_log, linklayer, overhead, cell_align, mpu, rate (32 bits; ~0
    // when >= 2^32)
    p.put((byte) cellLog)
        .put((byte) TC_LINKLAYER_ETHERNET)
        .putShort((short) 0)
        .putShort((short) -1)
        .putShort((short) t.mpu())
        .putInt(t.rate() >= (1L << 32) ? -1 : (int) t.rate());
    p.put(new byte[12]); // peakrate
    p.putInt((int) t.limit())
        .putInt((int) buffer)
        .putInt(0); // limit, buffer (ticks), mtu (peakrate's)
    int opts = w.nestStart(TCA_OPTIONS);
    w.attr(TCA_TBF_PARMS, p.array());
    w.attrU32(TCA_TBF_BURST, (int) t.burst());
    if (t.rate() >= (1L << 32)) w.attrU64(TCA_TBF_RATE64, t.rate());
    java.nio.ByteBuffer rt =
        java.nio.ByteBuffer.allocate(1024).order(java.nio.ByteOrder.nativeOrder());
    for (int v : rtab) rt.putInt(v);
    w.attr(TCA_TBF_RTAB, rt.array());
    w.nestEnd(opts);
  }

  /**
   * {@code tc class add|replace|del dev D parent P classid C htb rate R ceil C burst B cburst CB
   * [quantum Q]}: iproute2's htb_parse_class_opt (RATE64/CEIL64 above 2^32-1 bytes/s, PARMS, RTAB,
   * CTAB). A deletion carries no options.
   */
  public static void tclass(MsgWriter w, TcClass c, double tickInUsec) {
    w.tcmsg(AF_UNSPEC, c.index(), c.classId(), c.parent(), 0);
    if (c.kind() != null) w.attrString(TCA_KIND, c.kind());
    TcClass.Htb h = c.htb();
    if (h == null) return;
    int[] rtab = new int[256];
    int[] ctab = new int[256];
    int rcell = rateTable(h.rate(), 0, 0, tickInUsec, rtab);
    int ccell = rateTable(h.ceil(), 0, 0, tickInUsec, ctab);
    // unlike tbf, tc's htb computes the buffers with the full 64-bit rates
    long buffer = h.buffer() > 0 ? h.buffer() : xmitTime(h.rate(), h.burst(), tickInUsec);
    long cbuffer = h.cbuffer() > 0 ? h.cbuffer() : xmitTime(h.ceil(), h.cburst(), tickInUsec);
    java.nio.ByteBuffer p =
        java.nio.ByteBuffer.allocate(44).order(java.nio.ByteOrder.nativeOrder());
    ratespec(p, rcell, h.rate());
    ratespec(p, ccell, h.ceil());
    p.putInt((int) buffer)
        .putInt((int) cbuffer)
        .putInt(h.quantum())
        .putInt(0)
        .putInt(h.prio()); // level 0
    int opts = w.nestStart(TCA_OPTIONS);
    if (h.rate() >= (1L << 32)) w.attrU64(TCA_HTB_RATE64, h.rate());
    if (h.ceil() >= (1L << 32)) w.attrU64(TCA_HTB_CEIL64, h.ceil());
    w.attr(TCA_HTB_PARMS, p.array());
    w.attr(TCA_HTB_RTAB, table(rtab));
    w.attr(TCA_HTB_CTAB, table(ctab));
    w.nestEnd(opts);
  }

  /** struct tc_ratespec for an ethernet link, the 32-bit rate saturated like tc does. */
  private static void ratespec(java.nio.ByteBuffer p, int cellLog, long rate) {
    p.put((byte) cellLog)
        .put((byte) TC_LINKLAYER_ETHERNET)
        .putShort((short) 0)
        .putShort((short) -1)
        .putShort((short) 0)
        .putInt(rate >= (1L << 32) ? -1 : (int) rate);
  }

  private static byte[] table(int[] t) {
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.allocate(1024).order(java.nio.ByteOrder.nativeOrder());
    for (int v : t) b.putInt(v);
    return b.array();
  }

  /**
   * iproute2's tc_calc_rtable: the time (ticks) to send (i+1) cells of 2^cell_log bytes at {@code
   * rate}, 256 slots; the cell size grows until {@code mtu} (2047 when 0) fits in the table. The
   * kernel uses it only to detect the link layer, but it is part of the request {@code tc} sends.
   * Returns cell_log.
   */
  public static int rateTable(long rate, int mpu, int mtu, double tickInUsec, int[] rtab) {
    int m = mtu == 0 ? 2047 : mtu;
    int cellLog = 0;
    while ((m >> cellLog) > 255) cellLog++;
    long bps =
        rate >= (1L << 32) ? 0xFFFFFFFFL : rate; // tc computes the table with the 32-bit field
    for (int i = 0; i < 256; i++) {
      long sz = Math.max((long) (i + 1) << cellLog, mpu);
      rtab[i] = (int) xmitTime(bps, sz, tickInUsec);
    }
    return cellLog;
  }

  /**
   * iproute2's tc_calc_xmittime: ticks to send {@code size} bytes at {@code rate} bytes/s (C
   * truncations kept).
   */
  public static long xmitTime(long rate, long size, double tickInUsec) {
    long usec =
        (long) (1000000.0 * ((double) size / (double) rate)) & 0xFFFFFFFFL; // (unsigned) time
    return (long) (usec * tickInUsec) & 0xFFFFFFFFL;
  }

  /**
   * {@code tc filter add|replace dev D parent P protocol PROTO prio N u32 [classid C] [action
   * mirred ...] match ...}: TCA_KIND, then TCA_OPTIONS with CLASSID, ACT and SEL in the order
   * {@code tc} emits them.
   */
  public static void filter(MsgWriter w, TcFilter f) {
    w.tcmsg(AF_UNSPEC, f.index(), f.handle(), f.parent(), filterInfo(f.prio(), f.protocol()));
    w.attrString(TCA_KIND, f.kind());
    int opts = w.nestStart(TCA_OPTIONS);
    if (f.classId() != 0) w.attrU32(TCA_U32_CLASSID, f.classId());
    if (!f.actions().isEmpty()) {
      int acts = w.nestStart(TCA_U32_ACT);
      int prio = 1;
      for (TcFilter.Mirred m : f.actions()) {
        int a = w.nestStart(prio++);
        w.attrString(TCA_ACT_KIND, "mirred");
        int o = w.nestStart(TCA_ACT_OPTIONS | NLA_F_NESTED);
        java.nio.ByteBuffer p =
            java.nio.ByteBuffer.allocate(28).order(java.nio.ByteOrder.nativeOrder());
        // struct tc_mirred: index, capab, action, refcnt, bindcnt, eaction, ifindex
        p.putInt(0)
            .putInt(0)
            .putInt(m.verdict())
            .putInt(0)
            .putInt(0)
            .putInt(m.eaction())
            .putInt(m.ifindex());
        w.attr(TCA_MIRRED_PARMS, p.array());
        w.nestEnd(o);
        w.nestEnd(a);
      }
      w.nestEnd(acts);
    }
    // struct tc_u32_sel (16 bytes) + nkeys * struct tc_u32_key (16 bytes; mask and val in network
    // order)
    java.nio.ByteBuffer s =
        java.nio.ByteBuffer.allocate(16 + 16 * f.keys().size())
            .order(java.nio.ByteOrder.nativeOrder());
    boolean terminal = f.classId() != 0 || !f.actions().isEmpty();
    s.put((byte) (terminal ? TC_U32_TERMINAL : 0))
        .put((byte) 0)
        .put((byte) f.keys().size())
        .put((byte) 0);
    s.putInt(0).putInt(0).putInt(0);
    for (TcFilter.U32Key k : f.keys()) {
      s.order(java.nio.ByteOrder.BIG_ENDIAN).putInt(k.mask()).putInt(k.value());
      s.order(java.nio.ByteOrder.nativeOrder()).putInt(k.off()).putInt(k.offmask());
    }
    w.attr(TCA_U32_SEL, s.array());
    w.nestEnd(opts);
  }

  /** {@code tc filter del dev D parent P [protocol PROTO] prio N} (protocol 0 = any). */
  public static void filterDel(MsgWriter w, int index, int parent, int prio, int protocol) {
    w.tcmsg(AF_UNSPEC, index, 0, parent, filterInfo(prio, protocol));
  }

  /** Convenience for tests: a fresh writer with a header. */
  public static MsgWriter writer(int type, int flags, int seq) {
    return new MsgWriter().header(type, flags, seq, 0);
  }
}
