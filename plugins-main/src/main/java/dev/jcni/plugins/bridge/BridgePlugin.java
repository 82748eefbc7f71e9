package dev.jcni.plugins.bridge;

import com.google.auto.service.AutoService;
import dev.jcni.api.Attachment;
import dev.jcni.api.CniPlugin;
import dev.jcni.api.CniType;
import dev.jcni.api.CrashPoint;
import dev.jcni.api.Delegate;
import dev.jcni.api.Invocation;
import dev.jcni.netlink.BridgeVlan;
import dev.jcni.netlink.Family;
import dev.jcni.netlink.Link;
import dev.jcni.netlink.MacAddress;
import dev.jcni.netlink.Netlink;
import dev.jcni.plugins.common.Bridges;
import dev.jcni.plugins.common.Failures;
import dev.jcni.plugins.common.IfaceCheck;
import dev.jcni.plugins.common.IfaceConfig;
import dev.jcni.plugins.common.IpMasq;
import dev.jcni.plugins.common.MacSpoofCheck;
import dev.jcni.plugins.common.Owner;
import dev.jcni.plugins.common.Steps;
import dev.jcni.plugins.common.Sysctls;
import dev.jcni.plugins.common.TargetNetns;
import dev.jcni.plugins.common.Undo;
import dev.jcni.plugins.common.Veths;
import dev.jcni.plugins.common.firewall.Firewall;
import dev.jcni.spec.CniVersion;
import dev.jcni.spec.Result;
import dev.jcni.spec.net.Cidr;
import dev.jcni.system.NetNs;
import dev.jcni.system.Sysctl;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code bridge} plugin: a veth pair per pod with the host end on a Linux bridge, addresses
 * from IPAM, the bridge optionally the pods' gateway, masquerading, VLANs and MAC spoof checking.
 * Behaviour and messages follow Go's reference plugin (containernetworking/plugins
 * plugins/main/bridge); where Go leaks state (masquerade rules after the netns is gone, partial
 * state after a failed ADD, no GC) this one does not.
 */
@AutoService(CniPlugin.class)
@CniType("bridge")
public final class BridgePlugin implements CniPlugin {
  /**
   * Where the pod's interface stands in the result: after the bridge and the host veth, as in Go.
   */
  private static final int CONTAINER_INDEX = 2;

  private final Firewall firewall;

  public BridgePlugin() {
    this(Firewall.system());
  }

  BridgePlugin(Firewall firewall) {
    this.firewall = firewall;
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
    try (TargetNetns target = TargetNetns.open(inv.netns())) {
      NetNs contNs = target.ns();
      Netlink cont = target.netlink();
      Netlink host = target.node();
      Link br =
          Bridges.ensure(
              host, new Bridges.Spec(s.bridge(), s.mtu(), s.vlanFiltering(), s.promiscMode()));
      CrashPoint.reached("bridge-made");
      try {
        Veths.Pair pair = Veths.create(host, contNs, cont, inv.ifname(), s.mtu(), mac);
        String hostVeth = pair.host().name();
        undo.push(Steps.deleteLink(host, hostVeth));
        CrashPoint.reached("veth-made");
        attachPort(host, br, hostVeth, s);

        if (s.macspoofchk()) {
          MacSpoofCheck sc = MacSpoofCheck.of(firewall);
          sc.setup(owner, hostVeth, str(pair.container().mac()));
          undo.push(Steps.spoofTeardown(sc, owner));
        }

        // the result's addresses and routes; its interfaces are listed once, at the end, as they
        // are then
        Result result = Result.empty(CniVersion.CURRENT);
        Link vlanGateway = null;
        if (s.isLayer3()) {
          Delegate ipam = inv.ipam();
          Result ipamResult = ipam.add();
          undo.push(Steps.ipamDel(ipam));
          CrashPoint.reached("address-reserved");
          if (ipamResult.ips().isEmpty()) {
            throw new IllegalStateException("IPAM plugin returned missing IP config");
          }
          Gateways.Plan plan =
              Gateways.calc(ipamResult, s.isGateway(), s.isDefaultGateway(), CONTAINER_INDEX);
          result = plan.result();

          Sysctls pod = new Sysctls();
          if (s.enabledad()) {
            pod.trySet("net/ipv6/conf/" + inv.ifname() + "/enhanced_dad", "1")
                .trySet("net/ipv6/conf/" + inv.ifname() + "/accept_dad", "1");
          } else {
            pod.trySet("net/ipv6/conf/" + inv.ifname() + "/accept_dad", "0");
          }
          pod.trySet("net/ipv4/conf/" + inv.ifname() + "/arp_notify", "1").apply(contNs);
          IfaceConfig.configure(contNs, cont, inv.ifname(), result.ips(), result.routes());

          if (s.isGateway()) {
            String gwLink = br.name();
            if (s.vlan() != 0 && !(plan.v4().isEmpty() && plan.v6().isEmpty())) {
              vlanGateway = ensureVlanInterface(host, br, s);
              gwLink = vlanGateway.name();
            }
            for (Cidr gw : plan.v4()) {
              Bridges.ensureAddress(host, gwLink, gw, s.forceAddress());
            }
            for (Cidr gw : plan.v6()) {
              Bridges.ensureAddress(host, gwLink, gw, s.forceAddress());
            }
            if (!plan.v4().isEmpty() || !plan.v6().isEmpty()) {
              Sysctl.enableIpForward(null, !plan.v4().isEmpty(), !plan.v6().isEmpty());
            }
          }

          if (s.ipMasq()) {
            List<Cidr> ips = IpMasq.addresses(result.ips());
            IpMasq.choose(s.masqBackend(), firewall).setup(owner, ips);
            undo.push(Steps.masqTeardown(firewall, owner));
            CrashPoint.reached("masquerade-added");
          }
        } else if (!s.disableContainerInterface()) {
          cont.linkSetUp(inv.ifname());
        }

        // the bridge's and the host veth's MACs can change as ports join and addresses are pinned:
        // read them now
        Link hostLink =
            s.disableContainerInterface()
                ? host.linkByName(hostVeth)
                : Bridges.waitForPort(host, hostVeth);
        Link brNow = host.linkByName(br.name());
        List<Result.Interface> ifaces = new ArrayList<>(4);
        ifaces.add(Result.Interface.of(brNow.name(), str(brNow.mac()), null));
        ifaces.add(Result.Interface.of(hostVeth, str(hostLink.mac()), null));
        ifaces.add(Result.Interface.of(inv.ifname(), str(pair.container().mac()), inv.netns()));
        if (vlanGateway != null) {
          ifaces.add(Result.Interface.of(vlanGateway.name(), str(vlanGateway.mac()), null));
        }
        result = result.withInterfaces(ifaces);
        return undo.commit(s.dnsOverride() == null ? result : result.withDns(s.dnsOverride()));
      } catch (RuntimeException e) {
        throw undo.rollback(e);
      } catch (Error e) {
        throw undo.rollback(e);
      }
    }
  }

  /**
   * Enslaves the host veth, sets hairpin/isolation, then the VLANs (access port, trunk, or both).
   */
  static void attachPort(Netlink host, Link br, String port, BridgeSettings s) {
    Bridges.attach(host, br, port, s.hairpinMode(), s.portIsolation());
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

  /**
   * {@code <bridge>.<vlan>}: a host-namespace veth whose peer is an access port of the VLAN (the
   * gateway).
   */
  static Link ensureVlanInterface(Netlink host, Link br, BridgeSettings s) {
    String name = br.name() + "." + s.vlan();
    Optional<Link> existing = host.linkGet(name);
    if (existing.isPresent()) {
      return existing.get();
    }
    Veths.Pair pair = Veths.create(host, null, host, name, br.mtu(), null);
    BridgeSettings access =
        new BridgeSettings(
            s.network(),
            s.bridge(),
            false,
            false,
            false,
            false,
            null,
            0,
            false,
            false,
            s.vlan(),
            List.of(),
            true,
            s.preserveDefaultVlan(),
            false,
            false,
            false,
            false,
            null,
            null,
            null);
    attachPort(host, br, pair.host().name(), access);
    host.linkSetUp(name);
    return host.linkByName(name);
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
    if (!inv.netns().isEmpty() && f.run(Steps.deleteInNetns(inv.netns(), inv.ifname()))) {
      CrashPoint.reached("del-veth-deleted");
    }
    if (s.isLayer3() && f.run(Steps.ipamDel(inv))) {
      CrashPoint.reached("del-address-released");
    }
    if (s.macspoofchk()) {
      f.run(Steps.spoofTeardown(MacSpoofCheck.of(firewall), owner));
    }
    if (s.isLayer3() && s.ipMasq()) {
      // keyed by identity: works after the netns (and the pod's addresses) are gone, unlike Go
      f.run(Steps.masqTeardown(firewall, owner));
    }
    f.throwIfAny();
  }

  // ------------------------------------------------------------------------------------------------- CHECK

  @Override
  public void check(Invocation inv) {
    BridgeSettings s = settings(inv);
    Owner owner = new Owner(s.network(), inv.containerId(), inv.ifname());
    // Go calls IPAM CHECK even for L2 configs and then fails with "no plugin name"; only L3 has an
    // IPAM
    if (s.isLayer3()) {
      inv.ipam().check();
    }
    Result prev = inv.prevResult();
    if (prev == null) {
      throw new IllegalStateException("Required prevResult missing");
    }
    Result.Interface brMap = null;
    for (Result.Interface itf : prev.interfaces()) {
      if (s.bridge().equals(itf.name())) {
        brMap = itf;
      }
    }
    int contIdx = IfaceCheck.podInterfaceIndex(prev, inv.ifname(), inv.netns());
    Result.Interface contMap = contIdx < 0 ? null : prev.interfaces().get(contIdx);
    try (TargetNetns target = TargetNetns.open(inv.netns())) {
      Netlink cont = target.netlink();
      Netlink host = target.node();
      if (brMap == null) {
        throw new IllegalStateException(
            "CNI created bridge " + s.bridge() + " in host namespace was not found");
      }
      Optional<Link> brLink = host.linkGet(brMap.name());
      if (brLink.isEmpty()) {
        throw new IllegalStateException("Interface name " + s.bridge() + " not found");
      }
      Link br = brLink.get();
      if (!"bridge".equals(br.kind())) {
        throw new IllegalStateException(
            "Interface " + br.name() + " does not have link type of bridge");
      }
      if (brMap.mac() != null
          && !brMap.mac().isEmpty()
          && !brMap.mac().equalsIgnoreCase(str(br.mac()))) {
        throw new IllegalStateException(
            "Bridge interface " + br.name() + " Mac doesn't match: " + brMap.mac());
      }
      if (br.isPromisc() != s.promiscMode()) {
        throw new IllegalStateException(
            "Bridge interface "
                + br.name()
                + " configured Promisc Mode "
                + s.promiscMode()
                + " doesn't match current state: "
                + br.isPromisc());
      }
      if (contMap == null) {
        throw new IllegalStateException(
            "Sandbox in prevResult doesn't match configured netns: " + inv.netns());
      }
      Link c =
          IfaceCheck.podVeth(
              cont,
              inv.ifname(),
              contMap,
              "CNI created interface in container " + inv.ifname() + " not found",
              "Error: Container interface " + inv.ifname() + " not of type veth");
      if (IfaceCheck.hostPeer(host, prev, c, br.index()) == null) {
        throw new IllegalStateException(
            "CNI veth created for bridge " + s.bridge() + " was not found");
      }
      IfaceCheck.addresses(inv.ifname(), cont.addrList(inv.ifname(), Family.ALL), prev, contIdx);
      IfaceCheck.routes(IfaceCheck.allRoutes(cont), prev);
    }
    if (s.isLayer3() && s.ipMasq()) {
      List<Cidr> ips = IpMasq.addresses(prev.ips());
      if (!ips.isEmpty() && !IpMasq.presentAny(firewall, owner, ips)) {
        throw new IllegalStateException("ipMasq rules for " + owner.describe() + " are missing");
      }
    }
    if (s.macspoofchk() && !MacSpoofCheck.of(firewall).present(owner)) {
      throw new IllegalStateException("macspoofchk rules for " + owner.describe() + " are missing");
    }
  }

  // -------------------------------------------------------------------------------------------
  // STATUS, GC

  @Override
  public void status(Invocation inv) {
    BridgeSettings s = settings(inv);
    if (s.isLayer3()) {
      inv.ipam().status();
    }
  }

  /**
   * Removes firewall state of attachments that are no longer valid (Go has no GC), then forwards to
   * IPAM.
   */
  @Override
  public void gc(Invocation inv) {
    BridgeSettings s = settings(inv);
    List<Owner> keep = new ArrayList<>();
    for (Attachment a : inv.validAttachments()) {
      keep.add(new Owner(s.network(), a.containerId(), a.ifname()));
    }
    Failures f = new Failures("GC");
    f.run(Steps.masqGc(firewall, s.network(), keep));
    f.run(Steps.spoofGc(MacSpoofCheck.of(firewall), s.network(), keep));
    if (s.isLayer3()) {
      f.run(Steps.ipamGc(inv));
    }
    f.throwIfAny();
  }
}
