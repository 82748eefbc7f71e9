package dev.jcni.plugins.meta.bandwidth;

import com.google.auto.service.AutoService;
import dev.jcni.api.Attachment;
import dev.jcni.api.CniPlugin;
import dev.jcni.api.CniType;
import dev.jcni.api.Invocation;
import dev.jcni.netlink.Link;
import dev.jcni.netlink.Netlink;
import dev.jcni.netlink.Qdisc;
import dev.jcni.netlink.TcFilter;
import dev.jcni.netlink.TcHandle;
import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.Result;
import dev.jcni.system.ErrnoException;
import dev.jcni.system.NetNs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code bandwidth} meta plugin: Go's traffic shaping (tbf on the host veth for pod ingress, an
 * ifb with a u32 + mirred redirect for pod egress), programmed over rtnetlink. Limits come from the
 * config or the {@code bandwidth} capability ({@link BandwidthConfig}). See the module README.
 */
@AutoService(CniPlugin.class)
@CniType("bandwidth")
public final class BandwidthPlugin implements CniPlugin {

  @Override
  public Result add(Invocation inv) {
    BandwidthConfig c = BandwidthConfig.parse(inv.config().raw());
    Result prev = inv.prevResult();
    if (prev == null) {
      throw CniException.invalidConfig(
          "prevResult: bandwidth must be called as a chained plugin (no prevResult)");
    }
    if (!c.shapes()) {
      return prev;
    }
    String net = inv.config().name();
    try (Netlink nl = Netlink.open()) {
      Link host = hostInterface(nl, prev, inv.netns(), inv.ifname());
      Shaping.Undo undo = new Shaping.Undo();
      try {
        Result out = prev;
        if (c.shapesIngress()) {
          Shaping.addIngress(nl, host, c, undo);
        }
        if (c.shapesEgress()) {
          String name = Shaping.ifbName(net, inv.containerId());
          Link ifb =
              Shaping.addEgress(nl, host, name, Shaping.alias(net, inv.containerId()), c, undo);
          List<Result.Interface> ifs = new ArrayList<>(prev.interfaces());
          ifs.add(
              Result.Interface.of(
                  ifb.name(), ifb.mac() == null ? null : ifb.mac().toString(), null));
          out = prev.withInterfaces(ifs);
        }
        return out;
      } catch (RuntimeException e) {
        throw undo.rollback(nl, e);
      }
    }
  }

  /**
   * Removes the ifb (and with it its tbf), and, when the host veth can still be found (through the
   * netns or prevResult), the tbf and ingress qdisc ADD put on it. Works without netns and without
   * prevResult, and twice. Unlike ADD it does not refuse bad limit values: a DEL must always be
   * able to clean up.
   */
  @Override
  public void del(Invocation inv) {
    String net = inv.config().name();
    String ifbName = Shaping.ifbName(net, inv.containerId());
    BandwidthConfig c;
    try {
      c = BandwidthConfig.parse(inv.config().raw());
    } catch (CniException e) {
      c = null; // unknown limits: clean whatever of ours is there
    }
    try (Netlink nl = Netlink.open()) {
      Optional<Link> ifb = nl.linkGet(ifbName);
      for (Link host : hostCandidates(nl, inv)) {
        if (c == null || c.shapesEgress()) {
          removeIngressRedirect(nl, host, ifb.isPresent() ? ifb.get().index() : -1);
        }
        if (c == null || c.shapesIngress()) {
          for (Qdisc q : nl.qdiscList(host.index())) {
            if (q.isRoot()
                && (q.tbf() != null || q.htb() != null)
                && q.handle() == Shaping.TBF_HANDLE) {
              qdiscDelIfPresent(nl, Qdisc.root(host.index()));
            }
          }
        }
      }
      if (ifb.isPresent()) {
        try {
          nl.linkDel(ifbName);
        } catch (ErrnoException e) {
          if (!e.isNotFound()) {
            throw e;
          }
        }
      }
    }
  }

  /**
   * Deletes the host veth's ingress qdisc when its only filters are the redirect ADD installs (to
   * our ifb).
   */
  private static void removeIngressRedirect(Netlink nl, Link host, int ifbIndex) {
    boolean hasIngress = false;
    for (Qdisc q : nl.qdiscList(host.index())) {
      hasIngress |= q.isIngress();
    }
    if (!hasIngress) {
      return;
    }
    boolean ours = false;
    for (TcFilter f : nl.filterList(host.index(), TcHandle.INGRESS_HANDLE)) {
      if (f.keys().isEmpty()) {
        continue; // u32 hash-table header
      }
      if (!Shaping.isRedirectFilter(f)) {
        return; // someone else's filter: leave the qdisc
      }
      int target = f.actions().get(0).ifindex();
      // our ifb, or a dangling redirect (the ifb is already gone: the kernel reports target 0)
      ours = target == ifbIndex || (ifbIndex < 0 && (target <= 0 || nl.linkGet(target).isEmpty()));
      if (!ours) {
        return;
      }
    }
    if (ours) {
      qdiscDelIfPresent(nl, Qdisc.ingress(host.index()));
    }
  }

  @Override
  public void check(Invocation inv) {
    BandwidthConfig c = BandwidthConfig.parse(inv.config().raw());
    Result prev = inv.prevResult();
    if (prev == null) {
      throw CniException.invalidConfig(
          "prevResult: bandwidth must be called as a chained plugin (no prevResult)");
    }
    List<String> bad = new ArrayList<>();
    try (Netlink nl = Netlink.open()) {
      Link host = hostInterface(nl, prev, inv.netns(), inv.ifname());
      if (c.shapesIngress()) {
        bad.addAll(
            c.hasSubnets()
                ? Shaping.checkHtb(nl, host, c.ingressRate(), c.ingressBurst(), c)
                : Shaping.checkTbf(nl, host, c.ingressRate(), c.ingressBurst()));
      }
      if (c.shapesEgress()) {
        String name = Shaping.ifbName(inv.config().name(), inv.containerId());
        Optional<Link> ifb = nl.linkGet(name);
        if (ifb.isEmpty()) {
          bad.add("ifb device " + name + " not found");
        } else {
          bad.addAll(
              c.hasSubnets()
                  ? Shaping.checkHtb(nl, ifb.get(), c.egressRate(), c.egressBurst(), c)
                  : Shaping.checkTbf(nl, ifb.get(), c.egressRate(), c.egressBurst()));
          boolean redirect = false;
          for (TcFilter f : nl.filterList(host.index(), TcHandle.INGRESS_HANDLE)) {
            redirect |= Shaping.isRedirectFilter(f) && f.redirectsTo(ifb.get().index());
          }
          if (!redirect) {
            bad.add("no ingress filter on " + host.name() + " redirecting to " + name);
          }
        }
      }
    }
    if (!bad.isEmpty()) {
      throw new CniException(ErrorCodes.INTERNAL, "bandwidth: " + String.join("; ", bad));
    }
  }

  /**
   * Removes ifbs of this network (found by our alias) whose container is not among the valid
   * attachments.
   */
  @Override
  public void gc(Invocation inv) {
    String net = inv.config().name();
    Set<String> keep = new HashSet<>();
    for (Attachment a : inv.validAttachments()) {
      keep.add(Shaping.alias(net, a.containerId()));
    }
    String mine = Shaping.ALIAS_PREFIX + net + " id: ";
    List<String> errors = new ArrayList<>();
    try (Netlink nl = Netlink.open()) {
      for (Link l : nl.linkList()) {
        if ("ifb".equals(l.kind())
            && l.alias() != null
            && l.alias().startsWith(mine)
            && !keep.contains(l.alias())) {
          try {
            nl.linkDel(l.index());
          } catch (ErrnoException e) {
            if (!e.isNotFound()) {
              errors.add(e.getMessage());
            }
          }
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new CniException(
          ErrorCodes.INTERNAL,
          "bandwidth: garbage collection failed: " + String.join("; ", errors));
    }
  }

  /** Ready whenever the config is valid: tc needs nothing but the kernel. */
  @Override
  public void status(Invocation inv) {
    BandwidthConfig.parse(inv.config().raw());
  }

  /**
   * Go's getHostInterface: the veth peer (IFLA_LINK) of CNI_IFNAME in the pod, looked up by index
   * here, and it must be one of prevResult's host-side interfaces.
   */
  static Link hostInterface(Netlink nl, Result prev, String netns, String ifname) {
    if (prev.interfaces().isEmpty()) {
      throw new IllegalStateException("no interfaces provided");
    }
    int peer;
    try (NetNs pod = NetNs.open(Path.of(netns));
        Netlink podNl = Netlink.openAt(pod)) {
      Optional<Link> c = podNl.linkGet(ifname);
      peer = c.isPresent() && "veth".equals(c.get().kind()) ? c.get().linkIndex() : 0;
    } catch (ErrnoException e) {
      throw new IllegalStateException(
          "failed to open netns \"" + netns + "\": " + e.getMessage(), e);
    }
    if (peer <= 0) {
      throw new IllegalStateException("container interface " + ifname + " has no veth peer");
    }
    Optional<Link> host = nl.linkGet(peer);
    if (host.isEmpty()) {
      throw new IllegalStateException("veth peer with index " + peer + " is not in host ns");
    }
    for (Result.Interface i : prev.interfaces()) {
      if ((i.sandbox() == null || i.sandbox().isEmpty()) && host.get().name().equals(i.name())) {
        return host.get();
      }
    }
    throw new IllegalStateException("no veth peer of container interface found in host ns");
  }

  /**
   * The host veth for DEL: through the netns when it is still there, else prevResult's host-side
   * veths.
   */
  private static List<Link> hostCandidates(Netlink nl, Invocation inv) {
    Result prev = inv.prevResult();
    List<Link> out = new ArrayList<>();
    if (prev == null) {
      return out;
    }
    if (inv.netns() != null && !inv.netns().isEmpty()) {
      try {
        out.add(hostInterface(nl, prev, inv.netns(), inv.ifname()));
        return out;
      } catch (RuntimeException e) {
        // netns gone or pod interface deleted: fall back to prevResult's names
      }
    }
    for (Result.Interface i : prev.interfaces()) {
      if (i.sandbox() == null || i.sandbox().isEmpty()) {
        Optional<Link> l = nl.linkGet(i.name());
        if (l.isPresent() && "veth".equals(l.get().kind())) {
          out.add(l.get());
        }
      }
    }
    return out;
  }

  private static void qdiscDelIfPresent(Netlink nl, Qdisc q) {
    try {
      nl.qdiscDel(q);
    } catch (ErrnoException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
  }
}
