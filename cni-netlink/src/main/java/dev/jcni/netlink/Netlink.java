package dev.jcni.netlink;

import static dev.jcni.netlink.internal.codec.Rtnl.*;

import dev.jcni.netlink.internal.codec.Decoders;
import dev.jcni.netlink.internal.codec.MsgWriter;
import dev.jcni.netlink.internal.codec.Requests;
import dev.jcni.netlink.internal.transport.NlSocket;
import dev.jcni.spec.net.Cidr;
import dev.jcni.spec.net.InetAddresses;
import dev.jcni.system.ErrnoException;
import dev.jcni.system.NetNs;
import dev.jcni.system.internal.NetNsAccess;
import dev.jcni.system.internal.nativ.Errno;
import dev.jcni.system.internal.nativ.Native;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * An rtnetlink handle bound to one network namespace: the namespace the socket was created in.
 * Methods are named after iproute2 verbs ({@code ip link add} → {@link #linkAddVeth}, {@code ip
 * route replace} → {@link #routeReplace}...). Links are named by interface name (looked up by the
 * kernel in this handle's namespace) or by index. A handle is thread-safe (calls are serialized)
 * and can be used from any thread, including virtual threads, because the socket stays in its
 * namespace.
 *
 * <pre>{@code
 * try (NetNs ns = NetNs.open(Path.of(cniNetns)); Netlink nl = Netlink.openAt(ns)) {
 *   nl.linkSetUp("eth0");
 *   nl.addrAdd("eth0", Cidr.parse("10.1.0.5/24"));
 * }
 * }</pre>
 *
 * <p>Every failure is an {@link ErrnoException} with the errno, e.g. {@code "linkAdd veth0: File
 * exists (EEXIST)"}.
 */
public final class Netlink implements AutoCloseable {
  private final NlSocket sock;

  private Netlink(NlSocket sock) {
    this.sock = sock;
  }

  /** A handle on the calling thread's current network namespace. */
  public static Netlink open() {
    return new Netlink(NlSocket.open(Native.syscalls()));
  }

  /**
   * A handle on {@code ns}: the socket is created on a temporary platform thread inside ns
   * ("socket-at") and then used from any thread (virtual threads included: the caller's thread
   * never changes namespace).
   */
  public static Netlink openAt(NetNs ns) {
    Objects.requireNonNull(ns, "ns");
    return new Netlink(NetNsAccess.runInside(ns, OPEN_SOCKET));
  }

  /**
   * Opens the socket on the namespace thread (a class, not a lambda: no bootstrap cost at startup).
   */
  private static final NetNs.Task<NlSocket, RuntimeException> OPEN_SOCKET =
      new NetNs.Task<>() {
        @Override
        public NlSocket call() {
          return NlSocket.open(Native.syscalls());
        }
      };

  @Override
  public void close() {
    sock.close();
  }

  private MsgWriter req(int type, int flags) {
    return sock.writer(type, flags);
  }

  // ------------------------------------------------------------------ links

  /** {@code ip link add NAME [mtu M] type veth peer name PEER [netns NS]}. */
  public void linkAddVeth(String name, String peerName, NetNs peerNs, int mtu) {
    linkAddVeth(VethOptions.builder(name, peerName).peerNs(peerNs).mtu(mtu).build());
  }

  /**
   * {@code ip link add NAME [mtu M] [address MAC] type veth peer name PEER [netns NS] [address
   * PEERMAC]}.
   */
  public void linkAddVeth(VethOptions o) {
    MsgWriter w = req(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
    Requests.vethAdd(w, o, o.peerNs() == null ? -1 : o.peerNs().fd());
    sock.ack(w, "linkAdd", o.name());
  }

  /** {@code ip link add NAME type bridge}. */
  public void linkAddBridge(String name) {
    linkAddBridge(name, BridgeOptions.DEFAULT);
  }

  /** {@code ip link add NAME [mtu M] [address MAC] type bridge [vlan_filtering 0|1]}. */
  public void linkAddBridge(String name, BridgeOptions o) {
    MsgWriter w = req(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
    Requests.bridgeAdd(w, name, o);
    sock.ack(w, "linkAdd", name);
  }

  /**
   * {@code ip link add NAME type vxlan id VNI [local IP] [group|remote IP] [dev D] [dstport P]
   * ...}.
   */
  public void linkAddVxlan(String name, VxlanOptions o) {
    MsgWriter w = req(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
    Requests.vxlanAdd(w, name, o);
    sock.ack(w, "linkAdd", name);
  }

  /** {@code ip link add NAME [mtu M] [up] type ifb} (mtu 0 = the kernel's default). */
  public void linkAddIfb(String name, int mtu, boolean up) {
    MsgWriter w = req(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
    Requests.ifbAdd(w, name, mtu, up);
    sock.ack(w, "linkAdd", name);
  }

  /** {@code ip link del NAME}. Throws {@link ErrnoException#isNotFound()} if absent. */
  public void linkDel(String name) {
    MsgWriter w = req(RTM_DELLINK, 0);
    Requests.linkSelect(w, AF_UNSPEC, 0, name, 0, 0);
    sock.ack(w, "linkDel", name);
  }

  /** {@code ip link del dev IFINDEX}. */
  public void linkDel(int index) {
    MsgWriter w = req(RTM_DELLINK, 0);
    Requests.linkSelect(w, AF_UNSPEC, index, null, 0, 0);
    sock.ack(w, "linkDel", "#" + index);
  }

  /** {@code ip -d link show NAME}; empty when there is no such link. */
  public Optional<Link> linkGet(String name) {
    return linkGet0(0, name);
  }

  /** The link with this ifindex; empty when absent. */
  public Optional<Link> linkGet(int index) {
    return linkGet0(index, null);
  }

  private Optional<Link> linkGet0(int index, String name) {
    MsgWriter w = req(RTM_GETLINK, 0);
    Requests.linkGet(w, index, name);
    try {
      return Optional.ofNullable(
          sock.request(w, "linkGet", name != null ? name : "#" + index, Decoders.LINK));
    } catch (ErrnoException e) {
      if (e.isNotFound()) return Optional.empty();
      throw e;
    }
  }

  /** Like {@link #linkGet(String)} but throws a not-found {@link ErrnoException} when absent. */
  public Link linkByName(String name) {
    Optional<Link> l = linkGet(name);
    if (l.isEmpty()) throw new ErrnoException(Errno.ENODEV, "linkGet", name);
    return l.get();
  }

  /** {@code ip -d link show}. */
  public List<Link> linkList() {
    MsgWriter w = req(RTM_GETLINK, 0);
    Requests.linkGet(w, 0, null);
    return sock.dump(w, "linkList", "", Decoders.LINK);
  }

  private void linkSet(String op, String name, int index, int flags, int change, MsgWriter w) {
    sock.ack(
        w == null ? linkSetReq(name, index, flags, change) : w,
        op,
        name != null ? name : "#" + index);
  }

  private MsgWriter linkSetReq(String name, int index, int flags, int change) {
    MsgWriter w = req(RTM_NEWLINK, 0);
    Requests.linkSelect(w, AF_UNSPEC, index, name, flags, change);
    return w;
  }

  /** {@code ip link set NAME up}. */
  public void linkSetUp(String name) {
    linkSet("linkSetUp", name, 0, IFF_UP, IFF_UP, null);
  }

  public void linkSetUp(int index) {
    linkSet("linkSetUp", null, index, IFF_UP, IFF_UP, null);
  }

  /** {@code ip link set NAME down}. */
  public void linkSetDown(String name) {
    linkSet("linkSetDown", name, 0, 0, IFF_UP, null);
  }

  public void linkSetDown(int index) {
    linkSet("linkSetDown", null, index, 0, IFF_UP, null);
  }

  /** {@code ip link set NAME mtu M}. */
  public void linkSetMtu(String name, int mtu) {
    linkSet("linkSetMtu", name, 0, 0, 0, linkSetReq(name, 0, 0, 0).attrU32(IFLA_MTU, mtu));
  }

  /** {@code ip link set NAME address MAC}. */
  public void linkSetMac(String name, MacAddress mac) {
    linkSet("linkSetMac", name, 0, 0, 0, linkSetReq(name, 0, 0, 0).attr(IFLA_ADDRESS, mac.bytes()));
  }

  /** {@code ip link set NAME master BRIDGE}. */
  public void linkSetMaster(String name, String master) {
    int mi = linkByName(master).index();
    linkSetMaster(name, mi);
  }

  /** {@code ip link set NAME master IFINDEX}. */
  public void linkSetMaster(String name, int masterIndex) {
    linkSet(
        "linkSetMaster",
        name,
        0,
        0,
        0,
        linkSetReq(name, 0, 0, 0).attrU32(IFLA_MASTER, masterIndex));
  }

  /** {@code ip link set NAME nomaster}. */
  public void linkSetNoMaster(String name) {
    linkSet("linkSetNoMaster", name, 0, 0, 0, linkSetReq(name, 0, 0, 0).attrU32(IFLA_MASTER, 0));
  }

  /**
   * {@code ip link set NAME netns NS}: moves the link (it disappears from this handle's namespace).
   */
  public void linkSetNetNs(String name, NetNs ns) {
    int fd = ns.fd();
    linkSet("linkSetNetNs", name, 0, 0, 0, linkSetReq(name, 0, 0, 0).attrU32(IFLA_NET_NS_FD, fd));
  }

  /** {@code ip link set NAME name NEWNAME} (the link must be down for most kinds). */
  public void linkSetName(String name, String newName) {
    int index = linkByName(name).index();
    linkSet(
        "linkSetName",
        name,
        index,
        0,
        0,
        linkSetReq(null, index, 0, 0).attrString(IFLA_IFNAME, newName));
  }

  /** {@code ip link set NAME promisc on|off}. */
  public void linkSetPromisc(String name, boolean on) {
    linkSet("linkSetPromisc", name, 0, on ? IFF_PROMISC : 0, IFF_PROMISC, null);
  }

  /** {@code ip link set NAME allmulticast on|off}. */
  public void linkSetAllmulti(String name, boolean on) {
    linkSet("linkSetAllmulti", name, 0, on ? IFF_ALLMULTI : 0, IFF_ALLMULTI, null);
  }

  /** {@code ip link set NAME txqueuelen N}. */
  public void linkSetTxQLen(String name, int qlen) {
    if (qlen < 0) throw new IllegalArgumentException("txqueuelen must not be negative: " + qlen);
    linkSet("linkSetTxQLen", name, 0, 0, 0, linkSetReq(name, 0, 0, 0).attrU32(IFLA_TXQLEN, qlen));
  }

  /** {@code ip link set NAME alias TEXT} (empty text clears it). */
  public void linkSetAlias(String name, String alias) {
    linkSet(
        "linkSetAlias", name, 0, 0, 0, linkSetReq(name, 0, 0, 0).attrString(IFLA_IFALIAS, alias));
  }

  // ------------------------------------------------------------------ bridge ports and VLANs

  /** {@code bridge link set dev NAME hairpin on|off}. */
  public void linkSetHairpin(String name, boolean on) {
    bridgePortSet(name, on, null, null);
  }

  /** {@code bridge link set dev NAME learning on|off}. */
  public void linkSetLearning(String name, boolean on) {
    bridgePortSet(name, null, on, null);
  }

  /** {@code bridge link set dev NAME isolated on|off}. */
  public void linkSetIsolated(String name, boolean on) {
    bridgePortSet(name, null, null, on);
  }

  /**
   * Sets bridge-port flags in one request (IFLA_PROTINFO, AF_BRIDGE); null leaves a flag unchanged.
   */
  public void bridgePortSet(String name, Boolean hairpin, Boolean learning, Boolean isolated) {
    int index = linkByName(name).index();
    MsgWriter w = req(RTM_SETLINK, 0);
    Requests.bridgePort(w, index, hairpin, learning, isolated);
    sock.ack(w, "bridgePortSet", name);
  }

  /**
   * {@code bridge vlan add vid VID dev NAME [pvid] [untagged] [self]}. Without {@code self} the
   * entry goes to the port's master bridge (the iproute2 default); use {@code self} for the bridge
   * device itself.
   */
  public void bridgeVlanAdd(String name, int vid, boolean pvid, boolean untagged, boolean self) {
    bridgeVlan(RTM_SETLINK, "bridgeVlanAdd", name, vid, vid, pvid, untagged, self);
  }

  /** {@code bridge vlan add vid START-END dev NAME [untagged] [self]}. */
  public void bridgeVlanAddRange(
      String name, int vidStart, int vidEnd, boolean untagged, boolean self) {
    bridgeVlan(RTM_SETLINK, "bridgeVlanAdd", name, vidStart, vidEnd, false, untagged, self);
  }

  /** {@code bridge vlan del vid VID dev NAME [self]}. */
  public void bridgeVlanDel(String name, int vid, boolean self) {
    bridgeVlan(RTM_DELLINK, "bridgeVlanDel", name, vid, vid, false, false, self);
  }

  private void bridgeVlan(
      int type,
      String op,
      String name,
      int vid,
      int vidEnd,
      boolean pvid,
      boolean untagged,
      boolean self) {
    if (vid < 1 || vid > 4094 || vidEnd < vid || vidEnd > 4094) {
      throw new IllegalArgumentException("VLAN id out of range 1..4094: " + vid + "-" + vidEnd);
    }
    int index = linkByName(name).index();
    MsgWriter w = req(type, 0);
    Requests.bridgeVlan(w, index, vid, vidEnd, pvid, untagged, self, false);
    sock.ack(w, op, name + " vid " + vid);
  }

  /**
   * {@code bridge vlan show}: entries of every port (and bridge) in this namespace, ranges expanded
   * as given.
   */
  public List<BridgeVlan> bridgeVlanList() {
    MsgWriter w = req(RTM_GETLINK, 0);
    w.ifinfomsg(AF_BRIDGE, 0, 0, 0, 0);
    w.attrU32(IFLA_EXT_MASK, RTEXT_FILTER_BRVLAN);
    List<List<BridgeVlan>> parts = sock.dump(w, "bridgeVlanList", "", Decoders.BRIDGE_VLANS);
    List<BridgeVlan> out = new ArrayList<>();
    for (List<BridgeVlan> p : parts) out.addAll(p);
    return out;
  }

  /** {@code bridge vlan show dev NAME}. */
  public List<BridgeVlan> bridgeVlanList(String name) {
    int index = linkByName(name).index();
    List<BridgeVlan> out = new ArrayList<>();
    for (BridgeVlan v : bridgeVlanList()) if (v.index() == index) out.add(v);
    return out;
  }

  // ------------------------------------------------------------------ addresses

  /** {@code ip addr add CIDR [brd +] dev NAME}. */
  public void addrAdd(String link, Cidr net) {
    addrAdd(link, Address.of(net));
  }

  /** {@code ip addr add ... dev NAME} with flags/scope/label/lifetimes. */
  public void addrAdd(String link, Address a) {
    addr(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, "addrAdd", link, a);
  }

  /** {@code ip addr replace ... dev NAME}. */
  public void addrReplace(String link, Address a) {
    addr(RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, "addrReplace", link, a);
  }

  /** {@code ip addr del CIDR dev NAME}. */
  public void addrDel(String link, Cidr net) {
    addr(RTM_DELADDR, 0, "addrDel", link, Address.of(net));
  }

  private void addr(int type, int flags, String op, String link, Address a) {
    int index = linkByName(link).index();
    MsgWriter w = req(type, flags);
    Requests.addr(w, index, a, type == RTM_DELADDR);
    sock.ack(w, op, a.net() + " dev " + link);
  }

  /** {@code ip addr show [dev NAME]} for a family (null link = all links). */
  public List<Address> addrList(String link, Family family) {
    int index = link == null ? 0 : linkByName(link).index();
    return addrList(index, family);
  }

  /** Addresses of a link by ifindex (0 = all links). */
  public List<Address> addrList(int index, Family family) {
    MsgWriter w = req(RTM_GETADDR, 0);
    w.ifaddrmsg(family.af(), 0, 0, 0, 0);
    List<Address> all = sock.dump(w, "addrList", "", Decoders.ADDRESS);
    if (index == 0) return all;
    List<Address> out = new ArrayList<>();
    for (Address a : all) if (a.index() == index) out.add(a);
    return out;
  }

  // ------------------------------------------------------------------ routes

  /** {@code ip route add ...}. */
  public void routeAdd(Route r) {
    route(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, "routeAdd", r);
  }

  /** {@code ip route replace ...}. */
  public void routeReplace(Route r) {
    route(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, "routeReplace", r);
  }

  /** {@code ip route del ...} (unset scope/protocol/type match anything). */
  public void routeDel(Route r) {
    route(RTM_DELROUTE, 0, "routeDel", r);
  }

  private void route(int type, int flags, String op, Route r) {
    MsgWriter w = req(type, flags);
    Requests.route(w, r, type == RTM_DELROUTE);
    sock.ack(w, op, describe(r));
  }

  private static String describe(Route r) {
    StringBuilder sb = new StringBuilder(r.dst() == null ? "default" : r.dst().toString());
    if (r.gateway() != null) sb.append(" via ").append(InetAddresses.format(r.gateway()));
    if (r.oif() > 0) sb.append(" dev #").append(r.oif());
    return sb.toString();
  }

  /** {@code ip route show [table main]}: routes of the main table, without cached clones. */
  public List<Route> routeList(Family family) {
    return routeList(family, RouteFilter.MAIN);
  }

  /** {@code ip route show table T [dev D] [proto P]...}. */
  public List<Route> routeList(Family family, RouteFilter filter) {
    MsgWriter w = req(RTM_GETROUTE, 0);
    w.rtmsg(family.af(), 0, 0, 0, 0, 0, 0, 0, 0);
    List<Route> all = sock.dump(w, "routeList", "", Decoders.ROUTE_NOT_CLONED);
    List<Route> out = new ArrayList<>();
    for (Route r : all) if (filter.test(r)) out.add(r);
    return out;
  }

  /** {@code ip route get ADDR}: the route the kernel would use. */
  public Route routeGet(InetAddress dst) {
    MsgWriter w = req(RTM_GETROUTE, 0);
    Requests.routeGet(w, dst);
    return sock.request(w, "routeGet", InetAddresses.format(dst), Decoders.ROUTE);
  }

  /** Route list filters; null / 0 fields match anything. */
  public record RouteFilter(Integer table, int oif, Cidr dst, Integer protocol)
      implements Predicate<Route> {
    /** The main table only (what {@code ip route show} prints). */
    public static final RouteFilter MAIN = new RouteFilter(RT_TABLE_MAIN, 0, null, null);

    /** Every table. */
    public static final RouteFilter ALL_TABLES = new RouteFilter(null, 0, null, null);

    public static RouteFilter table(int table) {
      return new RouteFilter(table, 0, null, null);
    }

    public RouteFilter withOif(int oif) {
      return new RouteFilter(table, oif, dst, protocol);
    }

    public RouteFilter withDst(Cidr dst) {
      return new RouteFilter(table, oif, dst, protocol);
    }

    public RouteFilter withProtocol(int protocol) {
      return new RouteFilter(table, oif, dst, protocol);
    }

    @Override
    public boolean test(Route r) {
      if (table != null && r.table() != table) return false;
      if (oif != 0 && r.oif() != oif && !viaNexthop(r, oif)) return false;
      if (dst != null && !dst.network().equals(r.dst() == null ? null : r.dst().network()))
        return false;
      return protocol == null || r.protocol() == protocol;
    }

    private static boolean viaNexthop(Route r, int oif) {
      for (Route.Nexthop h : r.nexthops()) if (h.oif() == oif) return true;
      return false;
    }
  }

  // ------------------------------------------------------------------ neighbours

  /** {@code ip neigh add IP lladdr MAC dev L nud STATE}. */
  public void neighAdd(Neigh n) {
    neigh(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_EXCL, "neighAdd", n);
  }

  /** {@code ip neigh replace ...}. */
  public void neighReplace(Neigh n) {
    neigh(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE, "neighReplace", n);
  }

  /** {@code ip neigh del IP dev L}. */
  public void neighDel(Neigh n) {
    neigh(RTM_DELNEIGH, 0, "neighDel", n);
  }

  private void neigh(int type, int flags, String op, Neigh n) {
    MsgWriter w = req(type, flags);
    Requests.neigh(w, n);
    sock.ack(w, op, InetAddresses.format(n.ip()) + " dev #" + n.index());
  }

  /** {@code ip neigh show [dev L]} (index 0 = all links). */
  public List<Neigh> neighList(int index, Family family) {
    MsgWriter w = req(RTM_GETNEIGH, 0);
    w.ndmsg(family.af(), 0, 0, 0, 0);
    List<Neigh> all = sock.dump(w, "neighList", "", Decoders.NEIGH);
    if (index == 0) return all;
    List<Neigh> out = new ArrayList<>();
    for (Neigh n : all) if (n.index() == index) out.add(n);
    return out;
  }

  // ------------------------------------------------------------------ bridge FDB

  /**
   * {@code bridge fdb append MAC dev L dst IP ...}: adds another remote for the same MAC (vxlan
   * flooding).
   */
  public void fdbAppend(FdbEntry e) {
    fdb(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_APPEND, "fdbAppend", e);
  }

  /** {@code bridge fdb add MAC dev L ...}. */
  public void fdbAdd(FdbEntry e) {
    fdb(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_EXCL, "fdbAdd", e);
  }

  /** {@code bridge fdb replace MAC dev L ...}. */
  public void fdbReplace(FdbEntry e) {
    fdb(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE, "fdbReplace", e);
  }

  /** {@code bridge fdb del MAC dev L [dst IP]}. */
  public void fdbDel(FdbEntry e) {
    fdb(RTM_DELNEIGH, 0, "fdbDel", e);
  }

  private void fdb(int type, int flags, String op, FdbEntry e) {
    MsgWriter w = req(type, flags);
    Requests.fdb(w, e);
    sock.ack(
        w,
        op,
        e.mac()
            + " dev #"
            + e.index()
            + (e.dst() == null ? "" : " dst " + InetAddresses.format(e.dst())));
  }

  /** {@code bridge fdb show [dev L]} (index 0 = all). */
  public List<FdbEntry> fdbList(int index) {
    MsgWriter w = req(RTM_GETNEIGH, 0);
    w.ndmsg(AF_BRIDGE, 0, 0, 0, 0);
    List<FdbEntry> all = sock.dump(w, "fdbList", "", Decoders.FDB);
    if (index == 0) return all;
    List<FdbEntry> out = new ArrayList<>();
    for (FdbEntry e : all) if (e.index() == index) out.add(e);
    return out;
  }

  // ------------------------------------------------------------------ traffic control

  /**
   * {@code tc qdisc add dev D parent P handle H KIND ...} ({@link Qdisc#tbfRoot}, {@link
   * Qdisc#ingress}). Fails with EEXIST when a qdisc of that kind already sits there.
   */
  public void qdiscAdd(Qdisc q) {
    qdisc(RTM_NEWQDISC, NLM_F_CREATE | NLM_F_EXCL, "qdiscAdd", q);
  }

  /** {@code tc qdisc replace dev D parent P handle H KIND ...}: creates or swaps in place. */
  public void qdiscReplace(Qdisc q) {
    qdisc(RTM_NEWQDISC, NLM_F_CREATE | NLM_F_REPLACE, "qdiscReplace", q);
  }

  /**
   * {@code tc qdisc del dev D root} ({@link Qdisc#root}) / {@code tc qdisc del dev D ingress}
   * ({@link Qdisc#ingress}). Throws a not-found {@link ErrnoException} (ENOENT) when nothing is
   * there.
   */
  public void qdiscDel(Qdisc q) {
    qdisc(RTM_DELQDISC, 0, "qdiscDel", q);
  }

  private void qdisc(int type, int flags, String op, Qdisc q) {
    MsgWriter w = req(type, flags);
    Requests.qdisc(w, q, Psched.tickInUsec());
    sock.ack(
        w,
        op,
        (q.kind() == null ? "" : q.kind() + " ")
            + TcHandle.format(q.parent())
            + " dev #"
            + q.index());
  }

  /** {@code tc qdisc show [dev D]} (index 0 = every device). */
  public List<Qdisc> qdiscList(int index) {
    MsgWriter w = req(RTM_GETQDISC, 0);
    w.tcmsg(AF_UNSPEC, index, 0, 0, 0);
    List<Qdisc> all =
        sock.dump(
            w,
            "qdiscList",
            index == 0 ? "" : "dev #" + index,
            Decoders.qdiscDecoder(Psched.tickInUsec()));
    if (index == 0) return all;
    List<Qdisc> out = new ArrayList<>();
    for (Qdisc q : all) if (q.index() == index) out.add(q);
    return out;
  }

  /** {@code tc class add dev D parent P classid C htb rate R ceil C burst B cburst CB}. */
  public void classAdd(TcClass c) {
    tclass(RTM_NEWTCLASS, NLM_F_CREATE | NLM_F_EXCL, "classAdd", c);
  }

  /** {@code tc class replace dev D parent P classid C htb ...}. */
  public void classReplace(TcClass c) {
    tclass(RTM_NEWTCLASS, NLM_F_CREATE | NLM_F_REPLACE, "classReplace", c);
  }

  /** {@code tc class del dev D classid C}. */
  public void classDel(int index, int classId) {
    tclass(RTM_DELTCLASS, 0, "classDel", new TcClass(index, classId, 0, null, null));
  }

  private void tclass(int type, int flags, String op, TcClass c) {
    MsgWriter w = req(type, flags);
    Requests.tclass(w, c, Psched.tickInUsec());
    sock.ack(w, op, TcHandle.format(c.classId()) + " dev #" + c.index());
  }

  /** {@code tc class show dev D}. */
  public List<TcClass> classList(int index) {
    MsgWriter w = req(RTM_GETTCLASS, 0);
    w.tcmsg(AF_UNSPEC, index, 0, 0, 0);
    return sock.dump(w, "classList", "dev #" + index, Decoders.classDecoder(Psched.tickInUsec()));
  }

  /**
   * {@code tc filter add dev D parent P protocol PROTO prio N u32 ... [classid C] [action mirred
   * ...]}.
   */
  public void filterAdd(TcFilter f) {
    MsgWriter w = req(RTM_NEWTFILTER, NLM_F_CREATE | NLM_F_EXCL);
    Requests.filter(w, f);
    sock.ack(
        w,
        "filterAdd",
        f.kind()
            + " prio "
            + f.prio()
            + " parent "
            + TcHandle.format(f.parent())
            + " dev #"
            + f.index());
  }

  /** {@code tc filter del dev D parent P [protocol PROTO] prio N} (protocol 0 = any). */
  public void filterDel(int index, int parent, int prio, int protocol) {
    MsgWriter w = req(RTM_DELTFILTER, 0);
    Requests.filterDel(w, index, parent, prio, protocol);
    sock.ack(
        w, "filterDel", "prio " + prio + " parent " + TcHandle.format(parent) + " dev #" + index);
  }

  /**
   * {@code tc filter show dev D parent P}: every entry the kernel dumps, including u32's hash-table
   * headers (no keys, handle {@code 800:}) before the filters themselves ({@code 800::800}).
   */
  public List<TcFilter> filterList(int index, int parent) {
    MsgWriter w = req(RTM_GETTFILTER, 0);
    w.tcmsg(AF_UNSPEC, index, 0, parent, 0);
    return sock.dump(w, "filterList", TcHandle.format(parent) + " dev #" + index, Decoders.FILTER);
  }
}
