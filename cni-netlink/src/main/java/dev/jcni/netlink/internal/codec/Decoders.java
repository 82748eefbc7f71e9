package dev.jcni.netlink.internal.codec;

import static dev.jcni.netlink.internal.codec.Rtnl.*;

import dev.jcni.netlink.Address;
import dev.jcni.netlink.BridgeVlan;
import dev.jcni.netlink.Family;
import dev.jcni.netlink.FdbEntry;
import dev.jcni.netlink.Link;
import dev.jcni.netlink.MacAddress;
import dev.jcni.netlink.Neigh;
import dev.jcni.netlink.OperState;
import dev.jcni.netlink.Qdisc;
import dev.jcni.netlink.Route;
import dev.jcni.netlink.TcClass;
import dev.jcni.netlink.TcFilter;
import dev.jcni.spec.net.Cidr;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Kernel messages to public value types. Pure: works on any buffer holding the message. */
public final class Decoders {
  private Decoders() {}

  // Function objects as plain classes rather than method references: every CNI call is a fresh JVM
  // and the first
  // lambda/method-ref bootstrap costs milliseconds.
  public static final Function<RtnlMessage, Link> LINK =
      new Function<>() {
        @Override
        public Link apply(RtnlMessage m) {
          return link(m);
        }
      };
  public static final Function<RtnlMessage, List<BridgeVlan>> BRIDGE_VLANS =
      new Function<>() {
        @Override
        public List<BridgeVlan> apply(RtnlMessage m) {
          return bridgeVlans(m);
        }
      };
  public static final Function<RtnlMessage, Address> ADDRESS =
      new Function<>() {
        @Override
        public Address apply(RtnlMessage m) {
          return address(m);
        }
      };
  public static final Function<RtnlMessage, Route> ROUTE =
      new Function<>() {
        @Override
        public Route apply(RtnlMessage m) {
          return route(m);
        }
      };

  /** Routes without kernel-cached clones (RTM_F_CLONED), as {@code ip route show} lists them. */
  public static final Function<RtnlMessage, Route> ROUTE_NOT_CLONED =
      new Function<>() {
        @Override
        public Route apply(RtnlMessage m) {
          return (m.rtmsg().flags() & RTM_F_CLONED) != 0 ? null : route(m);
        }
      };

  public static final Function<RtnlMessage, Neigh> NEIGH =
      new Function<>() {
        @Override
        public Neigh apply(RtnlMessage m) {
          return neigh(m);
        }
      };
  public static final Function<RtnlMessage, FdbEntry> FDB =
      new Function<>() {
        @Override
        public FdbEntry apply(RtnlMessage m) {
          return fdb(m);
        }
      };

  public static final Function<RtnlMessage, TcFilter> FILTER =
      new Function<>() {
        @Override
        public TcFilter apply(RtnlMessage m) {
          return filter(m);
        }
      };

  /**
   * RTM_NEWQDISC to {@link Qdisc}, for a scheduler with {@code tickInUsec} ticks per microsecond.
   */
  public static Function<RtnlMessage, Qdisc> qdiscDecoder(double tickInUsec) {
    return new Function<>() {
      @Override
      public Qdisc apply(RtnlMessage m) {
        return qdisc(m, tickInUsec);
      }
    };
  }

  /**
   * RTM_NEWQDISC to {@link Qdisc}; tbf's burst is derived from its buffer ticks like {@code tc}
   * prints it.
   */
  public static Qdisc qdisc(RtnlMessage m, double tickInUsec) {
    Structs.TcMsg t = m.tcmsg();
    Attrs a = m.attrs();
    String kind = a.string(TCA_KIND);
    Qdisc.Tbf tbf = null;
    if (Qdisc.TBF.equals(kind)) {
      Attrs o = a.nest(TCA_OPTIONS);
      int p = o.valueOffset(TCA_TBF_PARMS);
      if (p >= 0 && o.valueLength(TCA_TBF_PARMS) >= 36) {
        ByteBuffer b = o.buffer();
        long rate = b.getInt(p + 8) & 0xFFFFFFFFL;
        if (o.has(TCA_TBF_RATE64)) rate = o.u64(TCA_TBF_RATE64, rate);
        int mpu = b.getShort(p + 6) & 0xffff;
        long limit = b.getInt(p + 24) & 0xFFFFFFFFL;
        long buffer = b.getInt(p + 28) & 0xFFFFFFFFL;
        int mtu = b.getInt(p + 32);
        long burst = xmitSize(rate, buffer, tickInUsec);
        if (rate > 0) tbf = new Qdisc.Tbf(rate, burst, limit, buffer, mtu, mpu);
      }
    }
    Qdisc.Htb htb = null;
    if (Qdisc.HTB.equals(kind)) {
      Attrs o = a.nest(TCA_OPTIONS);
      int p = o.valueOffset(TCA_HTB_INIT);
      if (p >= 0 && o.valueLength(TCA_HTB_INIT) >= 12) {
        htb = new Qdisc.Htb(o.buffer().getInt(p + 8), o.buffer().getInt(p + 4));
      } else {
        htb = new Qdisc.Htb(0, 10);
      }
    }
    return new Qdisc(t.index(), t.handle(), t.parent(), kind, tbf, htb);
  }

  /**
   * RTM_NEWTCLASS to {@link TcClass}, for a scheduler with {@code tickInUsec} ticks per
   * microsecond.
   */
  public static Function<RtnlMessage, TcClass> classDecoder(double tickInUsec) {
    return new Function<>() {
      @Override
      public TcClass apply(RtnlMessage m) {
        return tclass(m, tickInUsec);
      }
    };
  }

  /**
   * RTM_NEWTCLASS to {@link TcClass}; htb bursts derived from the buffers as {@code tc} prints
   * them.
   */
  public static TcClass tclass(RtnlMessage m, double tickInUsec) {
    Structs.TcMsg t = m.tcmsg();
    Attrs a = m.attrs();
    String kind = a.string(TCA_KIND);
    TcClass.Htb htb = null;
    if (Qdisc.HTB.equals(kind)) {
      Attrs o = a.nest(TCA_OPTIONS);
      int p = o.valueOffset(TCA_HTB_PARMS);
      if (p >= 0 && o.valueLength(TCA_HTB_PARMS) >= 44) {
        ByteBuffer b = o.buffer();
        long rate = o.u64(TCA_HTB_RATE64, b.getInt(p + 8) & 0xFFFFFFFFL);
        long ceil = o.u64(TCA_HTB_CEIL64, b.getInt(p + 20) & 0xFFFFFFFFL);
        long buffer = b.getInt(p + 24) & 0xFFFFFFFFL;
        long cbuffer = b.getInt(p + 28) & 0xFFFFFFFFL;
        if (rate > 0 && ceil > 0) {
          htb =
              new TcClass.Htb(
                  rate,
                  ceil,
                  xmitSize(rate, buffer, tickInUsec),
                  xmitSize(ceil, cbuffer, tickInUsec),
                  buffer,
                  cbuffer,
                  b.getInt(p + 32),
                  b.getInt(p + 40));
        }
      }
    }
    return new TcClass(t.index(), t.handle(), t.parent(), kind, htb);
  }

  /** tc's tc_calc_xmitsize: the bytes sent at {@code rate} during {@code ticks}. */
  private static long xmitSize(long rate, long ticks, double tickInUsec) {
    return (long) ((double) rate * (ticks / tickInUsec) / 1000000.0);
  }

  /**
   * RTM_NEWTFILTER to {@link TcFilter}: u32 keys, classid and mirred actions (other actions are
   * skipped).
   */
  public static TcFilter filter(RtnlMessage m) {
    Structs.TcMsg t = m.tcmsg();
    Attrs a = m.attrs();
    String kind = a.string(TCA_KIND);
    int prio = t.info() >>> 16;
    int protocol = ((t.info() & 0xff) << 8) | ((t.info() >>> 8) & 0xff);
    List<TcFilter.U32Key> keys = new ArrayList<>();
    List<TcFilter.Mirred> actions = new ArrayList<>();
    int classId = 0;
    if (TcFilter.U32.equals(kind)) {
      Attrs o = a.nest(TCA_OPTIONS);
      classId = o.u32(TCA_U32_CLASSID, 0);
      int s = o.valueOffset(TCA_U32_SEL);
      if (s >= 0 && o.valueLength(TCA_U32_SEL) >= 16) {
        ByteBuffer b = o.buffer();
        int nkeys = b.get(s + 2) & 0xff;
        int len = o.valueLength(TCA_U32_SEL);
        for (int i = 0; i < nkeys && 16 + 16 * (i + 1) <= len; i++) {
          int k = s + 16 + 16 * i;
          keys.add(
              new TcFilter.U32Key(be32(b, k), be32(b, k + 4), b.getInt(k + 8), b.getInt(k + 12)));
        }
      }
      Attrs acts = o.nest(TCA_U32_ACT);
      for (int i = 0; i < acts.size(); i++) {
        Attrs act = acts.nested(i);
        if (!"mirred".equals(act.string(TCA_ACT_KIND))) continue;
        Attrs opt = act.nest(TCA_ACT_OPTIONS);
        int p = opt.valueOffset(TCA_MIRRED_PARMS);
        if (p < 0 || opt.valueLength(TCA_MIRRED_PARMS) < 28) continue;
        ByteBuffer b = opt.buffer();
        actions.add(new TcFilter.Mirred(b.getInt(p + 20), b.getInt(p + 24), b.getInt(p + 8)));
      }
    }
    return new TcFilter(
        t.index(), t.parent(), prio, protocol, t.handle(), kind, classId, keys, actions);
  }

  private static int be32(ByteBuffer b, int off) {
    return ((b.get(off) & 0xff) << 24)
        | ((b.get(off + 1) & 0xff) << 16)
        | ((b.get(off + 2) & 0xff) << 8)
        | (b.get(off + 3) & 0xff);
  }

  /** RTM_NEWLINK to {@link Link}. */
  public static Link link(RtnlMessage m) {
    Structs.IfInfoMsg ifi = m.ifinfo();
    Attrs a = m.attrs();
    byte[] mac = a.bytes(IFLA_ADDRESS);
    Attrs info = a.nest(IFLA_LINKINFO);
    String kind = info.string(IFLA_INFO_KIND);
    String slaveKind = info.string(IFLA_INFO_SLAVE_KIND);
    Attrs data = info.nest(IFLA_INFO_DATA);
    Link.VxlanInfo vx = null;
    Link.BridgeInfo br = null;
    Link.BridgePortInfo port = null;
    if ("vxlan".equals(kind)) {
      InetAddress local = data.addr(IFLA_VXLAN_LOCAL);
      if (local == null) local = data.addr(IFLA_VXLAN_LOCAL6);
      InetAddress group = data.addr(IFLA_VXLAN_GROUP);
      if (group == null) group = data.addr(IFLA_VXLAN_GROUP6);
      vx =
          new Link.VxlanInfo(
              data.u32(IFLA_VXLAN_ID, 0),
              local,
              group,
              data.u32(IFLA_VXLAN_LINK, 0),
              data.be16(IFLA_VXLAN_PORT, 0),
              data.u8(IFLA_VXLAN_LEARNING, 1) != 0,
              data.u8(IFLA_VXLAN_TTL, 0),
              data.u8(IFLA_VXLAN_TOS, 0));
    } else if ("bridge".equals(kind)) {
      br =
          new Link.BridgeInfo(
              data.u8(IFLA_BR_VLAN_FILTERING, 0) != 0, data.u16(IFLA_BR_VLAN_DEFAULT_PVID, 1));
    }
    if ("bridge".equals(slaveKind)) {
      Attrs sd = info.nest(IFLA_INFO_SLAVE_DATA);
      port = brport(sd);
    }
    return new Link(
        ifi.index(),
        a.string(IFLA_IFNAME),
        kind,
        a.u32(IFLA_MTU, 0),
        mac == null || mac.length == 0 ? null : MacAddress.of(mac),
        ifi.flags(),
        a.u32(IFLA_MASTER, 0),
        OperState.of(a.u8(IFLA_OPERSTATE, 0)),
        a.string(IFLA_IFALIAS),
        a.has(IFLA_LINK_NETNSID) ? a.u32(IFLA_LINK_NETNSID, -1) : -1,
        a.u32(IFLA_LINK, 0),
        a.u32(IFLA_PROMISCUITY, 0),
        a.u32(IFLA_TXQLEN, 0),
        slaveKind,
        vx,
        br,
        port);
  }

  private static Link.BridgePortInfo brport(Attrs sd) {
    return new Link.BridgePortInfo(
        sd.u8(IFLA_BRPORT_STATE, 0),
        sd.u8(IFLA_BRPORT_MODE, 0) != 0,
        sd.u8(IFLA_BRPORT_LEARNING, 1) != 0,
        sd.u8(IFLA_BRPORT_ISOLATED, 0) != 0,
        sd.u8(IFLA_BRPORT_UNICAST_FLOOD, 1) != 0);
  }

  /** AF_BRIDGE RTM_NEWLINK (dumped with RTEXT_FILTER_BRVLAN) to its VLAN entries. */
  public static List<BridgeVlan> bridgeVlans(RtnlMessage m) {
    int index = m.ifinfo().index();
    Attrs spec = m.attrs().nest(IFLA_AF_SPEC);
    List<BridgeVlan> out = new ArrayList<>();
    int rangeStart = -1;
    for (byte[] v : spec.all(IFLA_BRIDGE_VLAN_INFO)) {
      ByteBuffer b = ByteBuffer.wrap(v).order(ByteOrder.nativeOrder());
      int flags = b.getShort(0) & 0xffff;
      int vid = b.getShort(2) & 0xffff;
      boolean pvid = (flags & BRIDGE_VLAN_INFO_PVID) != 0;
      boolean untagged = (flags & BRIDGE_VLAN_INFO_UNTAGGED) != 0;
      if ((flags & BRIDGE_VLAN_INFO_RANGE_BEGIN) != 0) {
        rangeStart = vid;
      } else if ((flags & BRIDGE_VLAN_INFO_RANGE_END) != 0 && rangeStart >= 0) {
        out.add(new BridgeVlan(index, rangeStart, vid, pvid, untagged));
        rangeStart = -1;
      } else {
        out.add(new BridgeVlan(index, vid, vid, pvid, untagged));
      }
    }
    return out;
  }

  /** RTM_NEWADDR to {@link Address}. */
  public static Address address(RtnlMessage m) {
    Structs.IfAddrMsg ifa = m.ifaddr();
    Attrs a = m.attrs();
    InetAddress local = a.addr(IFA_LOCAL);
    InetAddress address = a.addr(IFA_ADDRESS);
    InetAddress main = local != null ? local : address;
    if (main == null) return null;
    InetAddress peer = local != null && address != null && !address.equals(local) ? address : null;
    int flags = a.has(IFA_FLAGS) ? a.u32(IFA_FLAGS, 0) : ifa.flags();
    long preferred = Address.FOREVER, valid = Address.FOREVER;
    int ci = a.valueOffset(IFA_CACHEINFO);
    if (ci >= 0 && a.valueLength(IFA_CACHEINFO) >= 8) {
      preferred = a.buffer().getInt(ci) & 0xffffffffL;
      valid = a.buffer().getInt(ci + 4) & 0xffffffffL;
    }
    return new Address(
        ifa.index(),
        Cidr.of(main, ifa.prefixLen()),
        peer,
        a.addr(IFA_BROADCAST),
        a.string(IFA_LABEL),
        ifa.scope(),
        flags,
        valid,
        preferred);
  }

  /** RTM_NEWROUTE to {@link Route}. */
  public static Route route(RtnlMessage m) {
    Structs.RtMsg rt = m.rtmsg();
    Attrs a = m.attrs();
    Family fam =
        rt.family() == AF_INET ? Family.V4 : rt.family() == AF_INET6 ? Family.V6 : Family.ALL;
    InetAddress dstAddr = a.addr(RTA_DST);
    Cidr dst = dstAddr != null ? Cidr.of(dstAddr, rt.dstLen()) : null;
    Attrs metrics = a.nest(RTA_METRICS);
    List<Route.Nexthop> hops = new ArrayList<>();
    int mp = a.valueOffset(RTA_MULTIPATH);
    if (mp >= 0) {
      ByteBuffer b = a.buffer();
      int end = mp + a.valueLength(RTA_MULTIPATH);
      int p = mp;
      while (p + 8 <= end) {
        int len = b.getShort(p) & 0xffff;
        if (len < 8 || p + len > end) break;
        int flags = b.get(p + 2) & 0xff;
        int hopsByte = b.get(p + 3) & 0xff;
        int ifindex = b.getInt(p + 4);
        Attrs na = Attrs.parse(b, p + 8, p + len);
        hops.add(new Route.Nexthop(na.addr(RTA_GATEWAY), ifindex, hopsByte + 1, flags));
        p += align(len);
      }
    }
    return new Route(
        fam,
        dst,
        a.addr(RTA_PREFSRC),
        a.addr(RTA_GATEWAY),
        a.u32(RTA_OIF, 0),
        a.has(RTA_TABLE) ? a.u32(RTA_TABLE, rt.table()) : rt.table(),
        rt.scope(),
        rt.protocol(),
        rt.type(),
        a.u32(RTA_PRIORITY, 0),
        rt.flags(),
        metrics.u32(RTAX_MTU, 0),
        metrics.u32(RTAX_ADVMSS, 0),
        hops);
  }

  /** RTM_NEWNEIGH (AF_INET/AF_INET6) to {@link Neigh}. */
  public static Neigh neigh(RtnlMessage m) {
    Structs.NdMsg nd = m.ndmsg();
    Attrs a = m.attrs();
    InetAddress ip = a.addr(NDA_DST);
    if (ip == null) return null;
    byte[] mac = a.bytes(NDA_LLADDR);
    return new Neigh(
        nd.index(),
        ip,
        mac == null || mac.length == 0 ? null : MacAddress.of(mac),
        nd.state(),
        nd.flags());
  }

  /** RTM_NEWNEIGH (AF_BRIDGE) to {@link FdbEntry}. */
  public static FdbEntry fdb(RtnlMessage m) {
    Structs.NdMsg nd = m.ndmsg();
    Attrs a = m.attrs();
    byte[] mac = a.bytes(NDA_LLADDR);
    if (mac == null || mac.length == 0) return null;
    return new FdbEntry(
        nd.index(),
        MacAddress.of(mac),
        a.addr(NDA_DST),
        a.u16(NDA_VLAN, 0),
        a.u32(NDA_VNI, 0),
        a.be16(NDA_PORT, 0),
        a.u32(NDA_MASTER, 0),
        nd.state(),
        nd.flags());
  }
}
