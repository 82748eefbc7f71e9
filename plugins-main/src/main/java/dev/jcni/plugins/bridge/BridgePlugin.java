package dev.jcni.plugins.bridge;

import com.google.auto.service.AutoService;
import dev.jcni.api.Attachment;
import dev.jcni.api.CniPlugin;
import dev.jcni.api.CniType;
import dev.jcni.api.CrashPoint;
import dev.jcni.api.Delegate;
import dev.jcni.api.Invocation;
import dev.jcni.netlink.Address;
import dev.jcni.netlink.BridgeOptions;
import dev.jcni.netlink.BridgeVlan;
import dev.jcni.netlink.Family;
import dev.jcni.netlink.Link;
import dev.jcni.netlink.MacAddress;
import dev.jcni.netlink.NetNs;
import dev.jcni.netlink.Netlink;
import dev.jcni.netlink.NetlinkException;
import dev.jcni.netlink.OperState;
import dev.jcni.netlink.Sysctl;
import dev.jcni.plugins.common.Failures;
import dev.jcni.plugins.common.IfaceCheck;
import dev.jcni.plugins.common.IfaceConfig;
import dev.jcni.plugins.common.IpMasq;
import dev.jcni.plugins.common.MacSpoofCheck;
import dev.jcni.plugins.common.Netfilter;
import dev.jcni.plugins.common.Owner;
import dev.jcni.plugins.common.Steps;
import dev.jcni.plugins.common.Sysctls;
import dev.jcni.plugins.common.TargetNetns;
import dev.jcni.plugins.common.Undo;
import dev.jcni.plugins.common.Veths;
import dev.jcni.spec.CniException;
import dev.jcni.spec.CniVersion;
import dev.jcni.spec.Result;
import dev.jcni.spec.net.Cidr;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code bridge} plugin: a veth pair per pod with the host end on a Linux bridge, addresses from IPAM, the
 * bridge optionally the pods' gateway, masquerading, VLANs and MAC spoof checking. Behaviour and messages follow
 * Go's reference plugin (containernetworking/plugins plugins/main/bridge); where Go leaks state (masquerade rules
 * after the netns is gone, partial state after a failed ADD, no GC) this one does not.
 */
@AutoService(CniPlugin.class)
@CniType("bridge")
public final class BridgePlugin implements CniPlugin {
  private static final int[] PORT_WAIT_MS = {0, 10, 50, 100, 250, 500, 1000, 1000};
  private static final int BR_STATE_FORWARDING = 3;

  private final Netfilter netfilter;

  public BridgePlugin() {
    this(Netfilter.system());
  }

  BridgePlugin(Netfilter netfilter) {
    this.netfilter = netfilter;
  }

  static BridgeSettings settings(Invocation inv) {
    return BridgeSettings.of(inv.config(BridgeConf.class), inv.args());
  }

  // ------------------------------------------------------------------------------------------------- ADD

  @Override
  public Result add(Invocation inv) {
    BridgeSettings s = settings(inv);
    Owner owner = new Owner(s.network(), inv.containerId(), inv.ifname());
    MacAddress mac = s.mac() == null ? null : MacAddress.parse(s.mac());
    Undo undo = new Undo();
    // resources close before a catch clause runs, so the rollback sits inside the innermost try
    // the pod's namespace is opened (and proven a network namespace) before the bridge is made
    try (TargetNetns target = TargetNetns.open(inv.netns()); Netlink host = Netlink.open()) {
      NetNs contNs = target.ns();
      Netlink cont = target.netlink();
      Link br = ensureBridge(host, s);
      CrashPoint.reached("bridge-made");
      try {
        Veths.Pair pair = Veths.create(host, contNs, cont, inv.ifname(), s.mtu(), mac);
        String hostVeth = pair.host().name();
        undo.push(Steps.deleteLink(host, hostVeth));
        CrashPoint.reached("veth-made");
        attachPort(host, br, hostVeth, s);

        List<Result.Interface> ifaces = new ArrayList<>();
        ifaces.add(Result.Interface.of(br.name(), str(br.mac()), null));
        ifaces.add(Result.Interface.of(hostVeth, str(pair.host().mac()), null));
        ifaces.add(Result.Interface.of(inv.ifname(), str(pair.container().mac()), inv.netns()));
        Result result = Result.empty(CniVersion.CURRENT).withInterfaces(ifaces);

        if (s.macspoofchk()) {
          MacSpoofCheck sc = new MacSpoofCheck(netfilter);
          sc.setup(owner, hostVeth, str(pair.container().mac()));
          undo.push(Steps.spoofTeardown(sc, owner));
        }

        if (s.isLayer3()) {
          Delegate ipam = inv.ipam();
          Result ipamResult = ipam.add();
          undo.push(Steps.ipamDel(ipam));
          CrashPoint.reached("address-reserved");
          if (ipamResult.ips().isEmpty()) {
            throw new IllegalStateException("IPAM plugin returned missing IP config");
          }
          Gateways.Plan plan = Gateways.calc(ipamResult.withInterfaces(ifaces), s.isGateway(),
              s.isDefaultGateway(), 2);
          result = plan.result().withInterfaces(ifaces);

          Sysctls pod = new Sysctls();
          if (s.enabledad()) {
            pod.trySet("net/ipv6/conf/" + inv.ifname() + "/enhanced_dad", "1")
                .trySet("net/ipv6/conf/" + inv.ifname() + "/accept_dad", "1");
          } else {
            pod.trySet("net/ipv6/conf/" + inv.ifname() + "/accept_dad", "0");
          }
          pod.trySet("net/ipv4/conf/" + inv.ifname() + "/arp_notify", "1").apply(contNs);
          IfaceConfig.configure(contNs, cont, inv.ifname(), result, 2);

          if (s.isGateway()) {
            String gwLink = br.name();
            if (s.vlan() != 0 && !(plan.v4().isEmpty() && plan.v6().isEmpty())) {
              Link vl = ensureVlanInterface(host, br, s);
              gwLink = vl.name();
              List<Result.Interface> withVlan = new ArrayList<>(result.interfaces());
              withVlan.add(Result.Interface.of(vl.name(), str(vl.mac()), null));
              result = result.withInterfaces(withVlan);
            }
            for (Cidr gw : plan.v4()) {
              ensureAddr(host, gwLink, gw, s.forceAddress());
            }
            for (Cidr gw : plan.v6()) {
              ensureAddr(host, gwLink, gw, s.forceAddress());
            }
            if (!plan.v4().isEmpty() || !plan.v6().isEmpty()) {
              Sysctl.enableIpForward(null, !plan.v4().isEmpty(), !plan.v6().isEmpty());
            }
          }

          if (s.ipMasq()) {
            List<Cidr> ips = IpMasq.addresses(result.ips());
            IpMasq masq = new IpMasq(netfilter);
            masq.setup(s.masqBackend(), owner, ips);
            undo.push(Steps.masqTeardown(masq, owner));
            CrashPoint.reached("masquerade-added");
          }
        } else if (!s.disableContainerInterface()) {
          cont.linkSetUp(inv.ifname());
        }

        Link hostLink = s.disableContainerInterface() ? host.linkByName(hostVeth) : waitForPort(host, hostVeth);
        Link brNow = host.linkByName(br.name());
        List<Result.Interface> fresh = new ArrayList<>(result.interfaces());
        fresh.set(0, Result.Interface.of(brNow.name(), str(brNow.mac()), null));
        fresh.set(1, Result.Interface.of(hostVeth, str(hostLink.mac()), null));
        result = result.withInterfaces(fresh);
        if (s.dnsOverride() != null) {
          result = result.withDns(s.dnsOverride());
        }
        undo.commit();
        return result;
      } catch (RuntimeException e) {
        throw undo.rollback(e);
      } catch (Error e) {
        throw undo.rollback(e);
      }
    }
  }

  /** Creates the bridge unless it exists; an existing link of another kind is refused (code 7). */
  static Link ensureBridge(Netlink host, BridgeSettings s) {
    Optional<Link> existing = host.linkGet(s.bridge());
    if (existing.isPresent() && !"bridge".equals(existing.get().kind())) {
      throw CniException.invalidConfig("bridge: \"" + s.bridge() + "\" already exists but is not a bridge");
    }
    if (existing.isEmpty()) {
      BridgeOptions.Builder b = BridgeOptions.builder().mtu(s.mtu());
      if (s.vlanFiltering()) {
        b.vlanFiltering(true);
      }
      try {
        host.linkAddBridge(s.bridge(), b.build());
      } catch (NetlinkException e) {
        if (!e.isExists()) {
          String hint = s.vlanFiltering() && e.errno() == 95
              ? " (vlan/vlanTrunk need a kernel with bridge VLAN filtering)" : "";
          throw new IllegalStateException("failed to create bridge \"" + s.bridge() + "\": " + e.getMessage()
              + hint, e);
        }
      }
    }
    if (s.promiscMode()) {
      host.linkSetPromisc(s.bridge(), true);
    }
    Link br = host.linkByName(s.bridge());
    if (!"bridge".equals(br.kind())) {
      throw CniException.invalidConfig("bridge: \"" + s.bridge() + "\" already exists but is not a bridge");
    }
    // we want to own the routes for this interface
    new Sysctls().trySet("net/ipv6/conf/" + s.bridge() + "/accept_ra", "0").apply(null);
    if (!br.isUp()) {
      host.linkSetUp(s.bridge());
    }
    return br;
  }

  /** Enslaves the host veth, sets hairpin/isolation, then the VLANs (access port, trunk, or both). */
  static void attachPort(Netlink host, Link br, String port, BridgeSettings s) {
    host.linkSetMaster(port, br.index());
    host.bridgePortSet(port, s.hairpinMode(), null, s.portIsolation());
    List<BridgeVlan> existing = VlanPlan.needsExisting(s) ? host.bridgeVlanList(port) : List.of();
    for (VlanPlan.Op op : VlanPlan.plan(s, existing)) {
      switch (op.kind()) {
        case DEL:
          host.bridgeVlanDel(port, op.vid(), false);
          break;
        case ADD:
          host.bridgeVlanAdd(port, op.vid(), op.pvid(), op.untagged(), false);
          break;
        default:
          host.bridgeVlanAddRange(port, op.vid(), op.vidEnd(), op.untagged(), false);
          break;
      }
    }
  }

  /** {@code <bridge>.<vlan>}: a host-namespace veth whose peer is an access port of the VLAN (the gateway). */
  static Link ensureVlanInterface(Netlink host, Link br, BridgeSettings s) {
    String name = br.name() + "." + s.vlan();
    Optional<Link> existing = host.linkGet(name);
    if (existing.isPresent()) {
      return existing.get();
    }
    Veths.Pair pair = Veths.create(host, null, host, name, br.mtu(), null);
    BridgeSettings access = new BridgeSettings(s.network(), s.bridge(), false, false, false, false, null, 0, false,
        false, s.vlan(), List.of(), true, s.preserveDefaultVlan(), false, false, false, false, null, null, null);
    attachPort(host, br, pair.host().name(), access);
    host.linkSetUp(name);
    return host.linkByName(name);
  }

  /** Go's ensureAddr: the gateway address on the bridge, refusing (or with forceAddress replacing) conflicts. */
  static void ensureAddr(Netlink host, String link, Cidr gw, boolean force) {
    Cidr want = gw;
    Family fam = gw.isIpv4() ? Family.V4 : Family.V6;
    for (Address a : host.addrList(link, fam)) {
      if (a.net().equals(want)) {
        return;
      }
      Cidr have = a.net();
      if (gw.isIpv4() || have.contains(gw.address()) || gw.contains(have.address())) {
        if (force) {
          host.addrDel(link, a.net());
        } else {
          throw new IllegalStateException("\"" + link + "\" already has an IP address different from " + gw);
        }
      }
    }
    try {
      host.addrAdd(link, want);
    } catch (NetlinkException e) {
      if (!e.isExists()) {
        throw new IllegalStateException("could not add IP address " + gw + " to \"" + link + "\": "
            + e.getMessage(), e);
      }
    }
    // pin the bridge's MAC so it stops following the lowest port MAC as ports come and go
    Link l = host.linkByName(link);
    if (l.mac() != null) {
      host.linkSetMac(link, l.mac());
    }
  }

  /**
   * Waits (about 3 s at most) for the host veth to be up and its bridge port forwarding. A port that is up but
   * still in an STP listening/learning state after that is accepted, as Go accepts any port that is up (STP on a
   * reused bridge takes 30 s to forward); a port that is not up is Go's "bridge port in error state".
   */
  static Link waitForPort(Netlink host, String port) {
    Link l = null;
    for (int ms : PORT_WAIT_MS) {
      sleep(ms);
      l = host.linkByName(port);
      boolean forwarding = l.bridgePort() == null || l.bridgePort().state() == BR_STATE_FORWARDING;
      if (l.operState() == OperState.UP && forwarding) {
        return l;
      }
    }
    if (l.operState() == OperState.UP) {
      return l;
    }
    throw new IllegalStateException("bridge port in error state: " + l.operState());
  }

  private static void sleep(int ms) {
    if (ms <= 0) {
      return;
    }
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }

  static String str(MacAddress m) {
    return m == null ? null : m.toString();
  }

  // ------------------------------------------------------------------------------------------------- DEL

  @Override
  public void del(Invocation inv) {
    BridgeSettings s = settings(inv);
    Owner owner = new Owner(s.network(), inv.containerId(), inv.ifname());
    Failures f = new Failures("DEL");
    if (!inv.netns().isEmpty()) {
      try {
        Veths.deleteInNetns(inv.netns(), inv.ifname());
        CrashPoint.reached("del-veth-deleted");
      } catch (RuntimeException e) {
        f.add(e);
      }
    }
    if (s.isLayer3()) {
      try {
        inv.ipam().del();
        CrashPoint.reached("del-address-released");
      } catch (RuntimeException e) {
        f.add(e);
      }
    }
    if (s.macspoofchk()) {
      try {
        new MacSpoofCheck(netfilter).teardown(owner);
      } catch (RuntimeException e) {
        f.add(e);
      }
    }
    if (s.isLayer3() && s.ipMasq()) {
      // keyed by identity: works after the netns (and the pod's addresses) are gone, unlike Go
      try {
        new IpMasq(netfilter).teardown(owner);
      } catch (RuntimeException e) {
        f.add(e);
      }
    }
    f.throwIfAny();
  }

  // ------------------------------------------------------------------------------------------------- CHECK

  @Override
  public void check(Invocation inv) {
    BridgeSettings s = settings(inv);
    Owner owner = new Owner(s.network(), inv.containerId(), inv.ifname());
    // Go calls IPAM CHECK even for L2 configs and then fails with "no plugin name"; only L3 has an IPAM
    if (s.isLayer3()) {
      inv.ipam().check();
    }
    Result prev = inv.prevResult();
    if (prev == null) {
      throw new IllegalStateException("Required prevResult missing");
    }
    Result.Interface brMap = null;
    Result.Interface contMap = null;
    int contIdx = -1;
    for (int i = 0; i < prev.interfaces().size(); i++) {
      Result.Interface itf = prev.interfaces().get(i);
      if (s.bridge().equals(itf.name())) {
        brMap = itf;
      } else if (inv.ifname().equals(itf.name()) && inv.netns().equals(itf.sandbox())) {
        contMap = itf;
        contIdx = i;
      }
    }
    try (TargetNetns target = TargetNetns.open(inv.netns()); Netlink host = Netlink.open()) {
      Netlink cont = target.netlink();
      if (brMap == null) {
        throw new IllegalStateException("CNI created bridge " + s.bridge() + " in host namespace was not found");
      }
      Optional<Link> brLink = host.linkGet(brMap.name());
      if (brLink.isEmpty()) {
        throw new IllegalStateException("Interface name " + s.bridge() + " not found");
      }
      Link br = brLink.get();
      if (!"bridge".equals(br.kind())) {
        throw new IllegalStateException("Interface " + br.name() + " does not have link type of bridge");
      }
      if (brMap.mac() != null && !brMap.mac().isEmpty() && !brMap.mac().equalsIgnoreCase(str(br.mac()))) {
        throw new IllegalStateException("Bridge interface " + br.name() + " Mac doesn't match: " + brMap.mac());
      }
      if (br.isPromisc() != s.promiscMode()) {
        throw new IllegalStateException("Bridge interface " + br.name() + " configured Promisc Mode "
            + s.promiscMode() + " doesn't match current state: " + br.isPromisc());
      }
      if (contMap == null) {
        throw new IllegalStateException("Sandbox in prevResult doesn't match configured netns: " + inv.netns());
      }
      Optional<Link> cLink = cont.linkGet(inv.ifname());
      if (cLink.isEmpty()) {
        throw new IllegalStateException("CNI created interface in container " + inv.ifname() + " not found");
      }
      Link c = cLink.get();
      if (!"veth".equals(c.kind())) {
        throw new IllegalStateException("Error: Container interface " + c.name() + " not of type veth");
      }
      if (contMap.mac() != null && !contMap.mac().isEmpty() && !contMap.mac().equalsIgnoreCase(str(c.mac()))) {
        throw new IllegalStateException("Interface " + c.name() + " Mac " + contMap.mac()
            + " doesn't match container Mac: " + str(c.mac()));
      }
      boolean vethFound = false;
      for (Result.Interface itf : prev.interfaces()) {
        if (itf == brMap || itf == contMap || (itf.sandbox() != null && !itf.sandbox().isEmpty())) {
          continue;
        }
        Optional<Link> l = host.linkGet(itf.name());
        if (l.isEmpty() || !"veth".equals(l.get().kind())) {
          continue;
        }
        Link v = l.get();
        if (v.index() == c.vethPeerIndex() && v.masterIndex() == br.index()) {
          if (itf.mac() != null && !itf.mac().isEmpty() && !itf.mac().equalsIgnoreCase(str(v.mac()))) {
            throw new IllegalStateException("Interface " + v.name() + " Mac doesn't match: " + itf.mac()
                + " not found");
          }
          vethFound = true;
          break;
        }
      }
      if (!vethFound) {
        throw new IllegalStateException("CNI veth created for bridge " + s.bridge() + " was not found");
      }
      IfaceCheck.addresses(inv.ifname(), cont.addrList(inv.ifname(), Family.ALL), prev, contIdx);
      IfaceCheck.routes(routesOf(cont), prev);
    }
    if (s.isLayer3() && s.ipMasq()) {
      List<Cidr> ips = IpMasq.addresses(prev.ips());
      if (!ips.isEmpty() && !new IpMasq(netfilter).present(owner, ips)) {
        throw new IllegalStateException("ipMasq rules for " + owner.describe() + " are missing");
      }
    }
    if (s.macspoofchk() && !new MacSpoofCheck(netfilter).present(owner)) {
      throw new IllegalStateException("macspoofchk rules for " + owner.describe() + " are missing");
    }
  }

  static List<dev.jcni.netlink.Route> routesOf(Netlink nl) {
    List<dev.jcni.netlink.Route> all = new ArrayList<>(nl.routeList(Family.V4, Netlink.RouteFilter.ALL_TABLES));
    all.addAll(nl.routeList(Family.V6, Netlink.RouteFilter.ALL_TABLES));
    return all;
  }

  // ------------------------------------------------------------------------------------------- STATUS, GC

  @Override
  public void status(Invocation inv) {
    BridgeSettings s = settings(inv);
    if (s.isLayer3()) {
      inv.ipam().status();
    }
  }

  /** Removes firewall state of attachments that are no longer valid (Go has no GC), then forwards to IPAM. */
  @Override
  public void gc(Invocation inv) {
    BridgeSettings s = settings(inv);
    List<Owner> keep = new ArrayList<>();
    for (Attachment a : inv.validAttachments()) {
      keep.add(new Owner(s.network(), a.containerId(), a.ifname()));
    }
    Failures f = new Failures("GC");
    try {
      new IpMasq(netfilter).gc(s.network(), keep);
    } catch (RuntimeException e) {
      f.add(e);
    }
    try {
      new MacSpoofCheck(netfilter).gc(s.network(), keep);
    } catch (RuntimeException e) {
      f.add(e);
    }
    if (s.isLayer3()) {
      try {
        inv.ipam().gc();
      } catch (RuntimeException e) {
        f.add(e);
      }
    }
    f.throwIfAny();
  }
}
