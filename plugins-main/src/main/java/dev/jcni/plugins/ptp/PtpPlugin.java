package dev.jcni.plugins.ptp;

import com.google.auto.service.AutoService;
import dev.jcni.api.Attachment;
import dev.jcni.api.CniPlugin;
import dev.jcni.api.CniType;
import dev.jcni.api.Delegate;
import dev.jcni.api.Invocation;
import dev.jcni.netlink.Family;
import dev.jcni.netlink.Link;
import dev.jcni.netlink.Netlink;
import dev.jcni.netlink.Route;
import dev.jcni.plugins.common.Failures;
import dev.jcni.plugins.common.IfaceCheck;
import dev.jcni.plugins.common.IfaceConfig;
import dev.jcni.plugins.common.IpMasq;
import dev.jcni.plugins.common.Owner;
import dev.jcni.plugins.common.Steps;
import dev.jcni.plugins.common.TargetNetns;
import dev.jcni.plugins.common.Undo;
import dev.jcni.plugins.common.Veths;
import dev.jcni.plugins.common.firewall.Firewall;
import dev.jcni.spec.Result;
import dev.jcni.spec.net.Cidr;
import dev.jcni.system.ErrnoException;
import dev.jcni.system.NetNs;
import dev.jcni.system.Sysctl;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ptp} plugin: a veth pair per pod, routed rather than bridged. The pod gets its IPAM
 * address with the subnet route replaced by "gateway/32 dev eth0" and "subnet via gateway", so
 * everything goes through the host; the host end carries the gateway as a /32 (the same on every
 * ptp veth) and a host route to the pod. Behaviour follows Go's plugins/main/ptp; masquerade rules
 * are keyed by attachment and removed even when the netns is gone.
 */
@AutoService(CniPlugin.class)
@CniType("ptp")
public final class PtpPlugin implements CniPlugin {
  private final Firewall firewall;

  public PtpPlugin() {
    this(Firewall.system());
  }

  PtpPlugin(Firewall firewall) {
    this.firewall = firewall;
  }

  static PtpConf.Settings settings(Invocation inv) {
    return inv.config(PtpConf.class).validate();
  }

  @Override
  public Result add(Invocation inv) {
    PtpConf.Settings s = settings(inv);
    Owner owner = new Owner(s.network(), inv.containerId(), inv.ifname());
    Undo undo = new Undo();
    // the pod's namespace is opened (and proven a network namespace) before IPAM or the host is
    // touched
    // resources close before a catch clause runs, so the rollback sits inside the
    // try-with-resources
    try (TargetNetns target = TargetNetns.open(inv.netns())) {
      try {
        NetNs contNs = target.ns();
        Netlink cont = target.netlink();
        Delegate ipam = inv.ipam();
        Result r = ipam.add();
        undo.push(Steps.ipamDel(ipam));
        if (r.ips().isEmpty()) {
          throw new IllegalStateException("IPAM plugin returned missing IP config");
        }
        for (Result.IpConfig ip : r.ips()) {
          if (ip.gateway() == null) {
            // Go would configure a route "via <nil>" and fail obscurely; say what is missing
            throw new IllegalStateException(
                "IPAM result for " + ip.address() + " has no gateway (ptp needs one)");
          }
        }
        boolean v4 = false;
        boolean v6 = false;
        for (Result.IpConfig ip : r.ips()) {
          v4 |= ip.family() == 4;
          v6 |= ip.family() == 6;
        }
        try {
          Sysctl.enableIpForward(null, v4, v6);
        } catch (RuntimeException e) {
          throw new IllegalStateException("Could not enable IP forwarding: " + e.getMessage(), e);
        }
        Netlink host = target.node();
        Veths.Pair pair = Veths.create(host, contNs, cont, inv.ifname(), s.mtu(), null);
        String hostVeth = pair.host().name();
        undo.push(Steps.deleteLink(host, hostVeth));
        List<Result.Interface> ifaces =
            List.of(
                Result.Interface.of(hostVeth, str(pair.host()), null),
                Result.Interface.of(inv.ifname(), str(pair.container()), inv.netns()));
        List<Result.IpConfig> ips = new ArrayList<>();
        for (Result.IpConfig ip : r.ips()) {
          ips.add(new Result.IpConfig(1, ip.address(), ip.gateway()));
        }
        Result result = r.withInterfaces(ifaces).withIps(ips);
        IfaceConfig.configure(contNs, cont, inv.ifname(), result, 1);
        int contIndex = pair.container().index();
        for (Result.IpConfig ip : ips) {
          Cidr addr = ip.address();
          Cidr subnet = addr.network();
          InetAddress gw = ip.gateway();
          // replace the kernel's subnet route by "gw/32 scope link" + "subnet via gw": every packet
          // goes to the host
          try {
            cont.routeDel(Route.builder().dst(subnet).oif(contIndex).build());
          } catch (ErrnoException e) {
            throw new IllegalStateException(
                "failed to delete route " + subnet + ": " + e.getMessage(), e);
          }
          cont.routeAdd(
              Route.builder()
                  .dst(Cidr.ofHost(gw))
                  .oif(contIndex)
                  .scope(Route.SCOPE_LINK)
                  .src(addr.address())
                  .build());
          cont.routeAdd(
              Route.builder()
                  .dst(subnet)
                  .oif(contIndex)
                  .gateway(gw)
                  .scope(Route.SCOPE_UNIVERSE)
                  .src(addr.address())
                  .build());
        }
        // host side: the gateway as /32 on the veth and a host route to the pod's address
        for (Result.IpConfig ip : ips) {
          Cidr addr = ip.address();
          Cidr gw = Cidr.ofHost(ip.gateway());
          try {
            host.addrAdd(hostVeth, gw);
          } catch (ErrnoException e) {
            throw new IllegalStateException(
                "failed to add IP addr " + gw + " to veth: " + e.getMessage(), e);
          }
          try {
            host.routeAdd(
                Route.builder()
                    .dst(Cidr.ofHost(addr.address()))
                    .oif(pair.host().index())
                    .scope(Route.SCOPE_HOST)
                    .build());
          } catch (ErrnoException e) {
            if (!e.isExists()) {
              throw new IllegalStateException("failed to add route on host: " + e.getMessage(), e);
            }
          }
        }
        if (s.ipMasq()) {
          List<Cidr> masq = IpMasq.addresses(ips);
          IpMasq.choose(s.masqBackend(), firewall).setup(owner, masq);
          undo.push(Steps.masqTeardown(firewall, owner));
        }
        return undo.commit(s.dnsOverride() == null ? result : result.withDns(s.dnsOverride()));
      } catch (RuntimeException e) {
        throw undo.rollback(e);
      } catch (Error e) {
        throw undo.rollback(e);
      }
    }
  }

  private static String str(Link l) {
    return l.mac() == null ? null : l.mac().toString();
  }

  /** IPAM DEL first (as Go), then the pod's link, then masquerading; missing pieces are fine. */
  @Override
  public void del(Invocation inv) {
    PtpConf.Settings s = settings(inv);
    Owner owner = new Owner(s.network(), inv.containerId(), inv.ifname());
    Failures f = new Failures("DEL");
    f.run(Steps.ipamDel(inv));
    if (!inv.netns().isEmpty()) {
      f.run(Steps.deleteInNetns(inv.netns(), inv.ifname()));
    }
    if (s.ipMasq()) {
      f.run(Steps.masqTeardown(firewall, owner));
    }
    f.throwIfAny();
  }

  /**
   * Go's CHECK: IPAM, then the pod interface (a veth with the recorded MAC), its addresses and
   * routes.
   */
  @Override
  public void check(Invocation inv) {
    PtpConf.Settings s = settings(inv);
    inv.ipam().check();
    Result prev = inv.prevResult();
    if (prev == null) {
      throw new IllegalStateException("Required prevResult missing");
    }
    int idx = IfaceCheck.podInterfaceIndex(prev, inv.ifname(), inv.netns());
    if (idx < 0) {
      throw new IllegalStateException(
          "Sandbox in prevResult doesn't match configured netns: " + inv.netns());
    }
    try (TargetNetns target = TargetNetns.open(inv.netns())) {
      Netlink cont = target.netlink();
      IfaceCheck.podVeth(
          cont,
          inv.ifname(),
          prev.interfaces().get(idx),
          "Interface name " + inv.ifname() + " not found",
          "Error: Container interface " + inv.ifname() + " not of type veth/p2p");
      IfaceCheck.addresses(inv.ifname(), cont.addrList(inv.ifname(), Family.ALL), prev, idx);
      IfaceCheck.routes(IfaceCheck.allRoutes(cont), prev);
    }
    if (s.ipMasq()) {
      Owner owner = new Owner(s.network(), inv.containerId(), inv.ifname());
      List<Cidr> ips = IpMasq.addresses(prev.ips());
      if (!ips.isEmpty() && !IpMasq.presentAny(firewall, owner, ips)) {
        throw new IllegalStateException("ipMasq rules for " + owner.describe() + " are missing");
      }
    }
  }

  @Override
  public void status(Invocation inv) {
    settings(inv);
    inv.ipam().status();
  }

  /**
   * Removes masquerading of attachments no longer valid (Go has no GC), then forwards GC to IPAM.
   */
  @Override
  public void gc(Invocation inv) {
    PtpConf.Settings s = settings(inv);
    List<Owner> keep = new ArrayList<>();
    for (Attachment a : inv.validAttachments()) {
      keep.add(new Owner(s.network(), a.containerId(), a.ifname()));
    }
    Failures f = new Failures("GC");
    f.run(Steps.masqGc(firewall, s.network(), keep));
    f.run(Steps.ipamGc(inv));
    f.throwIfAny();
  }
}
