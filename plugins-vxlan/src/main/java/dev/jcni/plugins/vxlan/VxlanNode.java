package dev.jcni.plugins.vxlan;

import dev.jcni.netlink.Address;
import dev.jcni.netlink.Family;
import dev.jcni.netlink.Link;
import dev.jcni.netlink.MacAddress;
import dev.jcni.netlink.Netlink;
import dev.jcni.netlink.VxlanOptions;
import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.net.Cidr;
import dev.jcni.system.ErrnoException;
import dev.jcni.system.NetNs;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The host-side work of one node, shared by the plugin and the node agent: resolve the underlay,
 * ensure the VTEP device (VNI, port, local address, lower device, no learning, MTU, derived MAC,
 * the node subnet's network address as /32, up), then reconcile the per-peer neighbour/FDB/route
 * entries. Runs in the namespace of {@code ns} through a socket opened there (null: the caller's
 * namespace, i.e. the plugin process's own, the node's).
 */
public final class VxlanNode {
  private VxlanNode() {}

  /**
   * The underlay as resolved on this node: device, its address used as VTEP source, and the VTEP
   * MTU.
   */
  public record Underlay(Link link, InetAddress address, int vtepMtu) {}

  /**
   * Ensures the VTEP and reconciles its entries to {@code allPeers} (this node's own entry is
   * skipped).
   */
  public static Reconciler.Outcome sync(
      VxlanConfig cfg, List<Peer> allPeers, NetNs ns, Consumer<String> log) {
    try (Netlink nl = open(ns)) {
      Underlay u = underlay(nl, cfg);
      List<Peer> remote = cfg.remotePeers(allPeers, u.address());
      Link vtep = ensureVtep(nl, cfg, u, log);
      return Reconciler.reconcile(
          new NetlinkVtep(nl, vtep.index()), VtepEntries.desired(remote), log);
    }
  }

  /**
   * GC: when the VTEP exists, removes entries of peers no longer listed (and repairs the others);
   * creates nothing when it does not. Returns null when there was no VTEP.
   */
  public static Reconciler.Outcome collect(
      VxlanConfig cfg, List<Peer> allPeers, NetNs ns, Consumer<String> log) {
    try (Netlink nl = open(ns)) {
      Optional<Link> vtep = nl.linkGet(cfg.vtepName());
      if (vtep.isEmpty()) {
        return null;
      }
      Underlay u = underlay(nl, cfg);
      if (!compatible(vtep.get(), cfg, u)) {
        return null; // left for the next ADD or the agent to recreate
      }
      List<Peer> remote = cfg.remotePeers(allPeers, u.address());
      return Reconciler.reconcile(
          new NetlinkVtep(nl, vtep.get().index()), VtepEntries.desired(remote), log);
    }
  }

  /**
   * CHECK: the VTEP exists as configured (VNI, port, local address, MTU, MAC, address, up) and
   * every remote peer has its neighbour, FDB entry and route. Lists every problem found.
   */
  public static List<String> problems(VxlanConfig cfg, List<Peer> allPeers, NetNs ns) {
    List<String> out = new ArrayList<>();
    try (Netlink nl = open(ns)) {
      Underlay u = underlay(nl, cfg);
      Optional<Link> found = nl.linkGet(cfg.vtepName());
      if (found.isEmpty()) {
        out.add("VTEP " + cfg.vtepName() + " does not exist");
        return out;
      }
      Link l = found.get();
      if (!compatible(l, cfg, u)) {
        out.add(
            "VTEP "
                + cfg.vtepName()
                + " is not a vxlan device with vni "
                + cfg.vni()
                + ", port "
                + cfg.port()
                + ", local "
                + Peer.format(u.address())
                + " on "
                + u.link().name());
        return out;
      }
      if (l.mtu() != u.vtepMtu()) {
        out.add("VTEP " + cfg.vtepName() + " has MTU " + l.mtu() + ", expected " + u.vtepMtu());
      }
      MacAddress mac = VtepMac.forUnderlay(u.address());
      if (l.mac() == null || !mac.equals(l.mac())) {
        out.add("VTEP " + cfg.vtepName() + " has MAC " + l.mac() + ", expected " + mac);
      }
      if (!l.isUp()) {
        out.add("VTEP " + cfg.vtepName() + " is down");
      }
      Cidr addr = vtepAddress(cfg);
      if (nl.addrList(l.index(), Family.V4).stream().noneMatch(a -> a.net().equals(addr))) {
        out.add("VTEP " + cfg.vtepName() + " lacks address " + addr);
      }
      List<Peer> remote = cfg.remotePeers(allPeers, u.address());
      ReconcilePlan plan =
          ReconcilePlan.diff(VtepEntries.desired(remote), new NetlinkVtep(nl, l.index()).read());
      for (ReconcilePlan.Op op : plan.ops()) {
        if (!op.isDelete()) {
          out.add("missing or wrong: " + op.entry());
        }
      }
    }
    return out;
  }

  /**
   * STATUS: code 50 when the underlay is missing or the agent's ready file (if configured) is
   * absent.
   */
  public static void status(VxlanConfig cfg, NetNs ns) {
    try (Netlink nl = open(ns)) {
      underlay(nl, cfg);
    } catch (CniException e) {
      throw new CniException(ErrorCodes.PLUGIN_NOT_AVAILABLE, e.msg(), e.details());
    }
    if (cfg.readyFile() != null && !java.nio.file.Files.exists(cfg.readyFile())) {
      throw new CniException(
          ErrorCodes.PLUGIN_NOT_AVAILABLE,
          "readyFile: " + cfg.readyFile() + " does not exist (the vxlan node agent is not ready)");
    }
  }

  private static Netlink open(NetNs ns) {
    return ns == null ? Netlink.open() : Netlink.openAt(ns);
  }

  /**
   * Finds the underlay device and address. With {@code underlayInterface}: that device and {@code
   * localIP} or its first global IPv4 (else IPv6) address; with only {@code localIP}: the device
   * holding that address. Code 11 (try again later) when missing: the underlay may still be coming
   * up.
   */
  public static Underlay underlay(Netlink nl, VxlanConfig cfg) {
    Link link;
    InetAddress local = cfg.localIP();
    if (cfg.underlayInterface() != null) {
      link =
          nl.linkGet(cfg.underlayInterface())
              .orElseThrow(
                  () ->
                      new CniException(
                          ErrorCodes.TRY_AGAIN_LATER,
                          "underlayInterface: device " + cfg.underlayInterface() + " not found"));
      if (local == null) {
        List<Address> addrs = nl.addrList(link.index(), Family.V4);
        if (addrs.stream().noneMatch(a -> a.scope() == 0)) {
          addrs = nl.addrList(link.index(), Family.V6);
        }
        local =
            addrs.stream()
                .filter(a -> a.scope() == 0 && !a.isTentative())
                .map(a -> a.net().address())
                .findFirst()
                .orElseThrow(
                    () ->
                        new CniException(
                            ErrorCodes.TRY_AGAIN_LATER,
                            "underlayInterface: "
                                + cfg.underlayInterface()
                                + " has no global address"));
      }
    } else {
      InetAddress want = local;
      int index =
          nl.addrList(0, Family.of(want)).stream()
              .filter(a -> a.net().address().equals(want))
              .mapToInt(Address::index)
              .findFirst()
              .orElseThrow(
                  () ->
                      new CniException(
                          ErrorCodes.TRY_AGAIN_LATER,
                          "localIP: " + Peer.format(want) + " is not assigned to any interface"));
      link =
          nl.linkGet(index)
              .orElseThrow(
                  () ->
                      new CniException(
                          ErrorCodes.TRY_AGAIN_LATER,
                          "localIP: the device holding " + Peer.format(want) + " disappeared"));
    }
    int overhead = local instanceof Inet4Address ? VxlanConfig.OVERHEAD : VxlanConfig.OVERHEAD + 20;
    int mtu = cfg.mtu() != null ? cfg.mtu() : link.mtu() - overhead;
    if (mtu < 68) {
      throw CniException.invalidConfig(
          "mtu: the VTEP MTU would be "
              + mtu
              + " (underlay "
              + link.name()
              + " has "
              + link.mtu()
              + ")");
    }
    return new Underlay(link, local, mtu);
  }

  static Cidr vtepAddress(VxlanConfig cfg) {
    return Cidr.ofHost(cfg.nodeSubnet().networkAddress());
  }

  /**
   * The existing device can be kept: same kind, VNI, port, source address and lower device, no
   * learning.
   */
  static boolean compatible(Link l, VxlanConfig cfg, Underlay u) {
    Link.VxlanInfo v = l.vxlan();
    return "vxlan".equals(l.kind())
        && v != null
        && v.vni() == cfg.vni()
        && v.port() == cfg.port()
        && Objects.equals(v.local(), u.address())
        && v.group() == null
        && v.linkIndex() == u.link().index()
        && !v.learning();
  }

  /** Creates or repairs the VTEP; tolerant of a concurrent ADD creating it at the same moment. */
  public static Link ensureVtep(Netlink nl, VxlanConfig cfg, Underlay u, Consumer<String> log) {
    String name = cfg.vtepName();
    MacAddress mac = VtepMac.forUnderlay(u.address());
    Optional<Link> cur = nl.linkGet(name);
    if (cur.isPresent() && !compatible(cur.get(), cfg, u)) {
      log.accept("VTEP " + name + " has other settings; recreating it");
      try {
        nl.linkDel(cur.get().index());
      } catch (ErrnoException e) {
        if (!e.isNotFound()) {
          throw e;
        }
      }
      cur = Optional.empty();
    }
    if (cur.isEmpty()) {
      try {
        nl.linkAddVxlan(
            name,
            VxlanOptions.builder(cfg.vni())
                .local(u.address())
                .devIndex(u.link().index())
                .port(cfg.port())
                .learning(false)
                .mtu(u.vtepMtu())
                .mac(mac)
                .build());
        log.accept(
            "created VTEP "
                + name
                + " vni "
                + cfg.vni()
                + " port "
                + cfg.port()
                + " local "
                + Peer.format(u.address())
                + " dev "
                + u.link().name()
                + " mtu "
                + u.vtepMtu()
                + " mac "
                + mac);
      } catch (ErrnoException e) {
        if (!e.isExists()) {
          throw new CniException(
              ErrorCodes.IO_FAILURE, "cannot create VTEP " + name + ": " + e.getMessage());
        }
      }
      cur = nl.linkGet(name);
      if (cur.isEmpty() || !compatible(cur.get(), cfg, u)) {
        throw new CniException(
            ErrorCodes.TRY_AGAIN_LATER, "VTEP " + name + " changed under us; try again");
      }
    }
    Link l = cur.get();
    if (l.mtu() != u.vtepMtu()) {
      nl.linkSetMtu(name, u.vtepMtu());
      log.accept("VTEP " + name + " mtu " + l.mtu() + " -> " + u.vtepMtu());
    }
    if (l.mac() == null || !mac.equals(l.mac())) {
      nl.linkSetMac(name, mac);
      log.accept("VTEP " + name + " mac -> " + mac);
    }
    Cidr want = vtepAddress(cfg);
    boolean has = false;
    for (Address a : nl.addrList(l.index(), Family.V4)) {
      if (a.net().equals(want)) {
        has = true;
      } else {
        nl.addrDel(name, a.net()); // the node subnet changed: the old /32 would attract traffic
        log.accept("VTEP " + name + " address " + a.net() + " removed");
      }
    }
    if (!has) {
      try {
        nl.addrAdd(name, want);
        log.accept("VTEP " + name + " address " + want);
      } catch (ErrnoException e) {
        if (!e.isExists()) {
          throw e;
        }
      }
    }
    if (!l.isUp()) {
      nl.linkSetUp(l.index());
    }
    return l;
  }
}
