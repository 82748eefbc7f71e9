package dev.jcni.plugins.meta.bandwidth;

import dev.jcni.netlink.Link;
import dev.jcni.netlink.Netlink;
import dev.jcni.netlink.Psched;
import dev.jcni.netlink.Qdisc;
import dev.jcni.netlink.TcClass;
import dev.jcni.netlink.TcFilter;
import dev.jcni.netlink.TcHandle;
import dev.jcni.plugins.common.firewall.FwValues;
import dev.jcni.spec.net.Cidr;
import dev.jcni.system.ErrnoException;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;

/**
 * Go's bandwidth layout on the node, programmed over rtnetlink:
 *
 * <ul>
 *   <li>pod ingress: {@code tc qdisc add dev HOSTVETH root handle 1: tbf rate R burst B limit L}
 *       (traffic leaving the host side of the veth enters the pod);
 *   <li>pod egress: an ifb device {@code bwp<sha512(net+id)[:12]>} (up, the veth's MTU), {@code tc
 *       qdisc add dev HOSTVETH handle ffff: ingress}, {@code tc filter add dev HOSTVETH parent
 *       ffff: protocol all prio 1 u32 match u32 0 0 classid 1:1 action mirred egress redirect dev
 *       IFB} and the same tbf on the ifb.
 * </ul>
 *
 * Numbers as Go computes them: bytes = bits / 8, {@code buffer} = ticks to send the burst at the
 * rate, {@code limit} = 25 ms of rate + burst (uint32 arithmetic).
 */
final class Shaping {
  private Shaping() {}

  static final String IFB_PREFIX = "bwp";
  static final int IFB_NAME_LENGTH = 15;
  static final int TBF_HANDLE = TcHandle.make(1, 0);
  static final int FILTER_PRIO = 1;
  static final int FILTER_CLASSID = TcHandle.make(1, 1);
  static final double LATENCY_USEC = 25_000;

  /**
   * The ifb's alias: lets GC find this network's devices without touching Go's or other networks'.
   */
  static final String ALIAS_PREFIX = "jcni-bandwidth net: ";

  /**
   * Go's name: {@code "bwp" + hex(sha512(network + containerID))}, cut to 15 characters. The
   * plain-Java SHA-512 of plugins-common: {@code MessageDigest} would start the JCA providers (~25
   * ms per call).
   */
  static String ifbName(String network, String containerId) {
    return (IFB_PREFIX + FwValues.sha512Hex(network + containerId)).substring(0, IFB_NAME_LENGTH);
  }

  static String alias(String network, String containerId) {
    return ALIAS_PREFIX + network + " id: " + containerId;
  }

  /** The tbf Go programs for {@code rateBits} / {@code burstBits}. */
  static Qdisc.Tbf tbf(long rateBits, long burstBits) {
    long rate = rateBits / 8;
    long burst = burstBits / 8;
    double tick = Psched.tickInUsec();
    long usec = (long) ((double) burst * 1_000_000.0 / (double) rate) & 0xFFFFFFFFL;
    long buffer = (long) (usec * tick) & 0xFFFFFFFFL;
    long limit =
        (((long) ((double) rate * LATENCY_USEC / 1_000_000.0) & 0xFFFFFFFFL) + burst) & 0xFFFFFFFFL;
    return new Qdisc.Tbf(rate, burst, limit, buffer, 0, 0);
  }

  /** What ADD created, so a failure can take exactly that back. */
  static final class Undo {
    Integer rootTbfOn;
    Integer ingressOn;
    String ifb;

    RuntimeException rollback(Netlink nl, RuntimeException cause) {
      if (ifb != null) {
        quietly(cause, () -> nl.linkDel(ifb));
      }
      if (ingressOn != null) {
        int i = ingressOn;
        quietly(cause, () -> nl.qdiscDel(Qdisc.ingress(i)));
      }
      if (rootTbfOn != null) {
        int i = rootTbfOn;
        quietly(cause, () -> nl.qdiscDel(Qdisc.root(i)));
      }
      return cause;
    }

    private static void quietly(RuntimeException cause, Runnable r) {
      try {
        r.run();
      } catch (RuntimeException e) {
        if (!(e instanceof ErrnoException ne && ne.isNotFound())) {
          cause.addSuppressed(e);
        }
      }
    }
  }

  /** Pod ingress: the tbf (or, with subnets, the htb) at the root of the host veth. */
  static void addIngress(Netlink nl, Link host, BandwidthConfig c, Undo undo) {
    if (c.hasSubnets()) {
      // the qdisc first, so a failure after it is undone by deleting the root
      addHtb(nl, host, c.ingressRate(), c.ingressBurst(), c, false, undo);
      return;
    }
    try {
      nl.qdiscAdd(Qdisc.tbfRoot(host.index(), TBF_HANDLE, tbf(c.ingressRate(), c.ingressBurst())));
    } catch (ErrnoException e) {
      throw new IllegalStateException("create qdisc on " + host.name() + ": " + e.getMessage(), e);
    }
    undo.rootTbfOn = host.index();
  }

  // ---- shapedSubnets / unshapedSubnets: Go v1.5's htb layout

  static final int SHAPED_MINOR = 0x30; // Go's ShapedClassMinorID 48
  static final int UNSHAPED_MINOR = 0x1; // Go's UnShapedClassMinorID
  static final long UNCAPPED_RATE = 100_000_000_000L; // bytes/s, Go's UncappedRate
  static final int PRIO_V4 = 16;
  static final int PRIO_V6 = 15;

  /**
   * {@code htb default 30|1} at the root of {@code link}: class 1:30 shaped (rate, ceil 2 x rate
   * and the burst as Go sets them), class 1:1 uncapped, and one u32 filter per subnet sending it to
   * 1:30 (shapedSubnets) or 1:1 (unshapedSubnets). Unclassified traffic takes the other class. The
   * filters match the remote side: the source on the host veth (traffic into the pod), the
   * destination on the ifb (traffic out of it).
   */
  static void addHtb(
      Netlink nl,
      Link link,
      long rateBits,
      long burstBits,
      BandwidthConfig c,
      boolean matchDst,
      Undo undo) {
    boolean shapedOnly = !c.shapedSubnets().isEmpty();
    int root = TBF_HANDLE;
    try {
      nl.qdiscAdd(
          Qdisc.htbRoot(
              link.index(), root, Qdisc.Htb.of(shapedOnly ? UNSHAPED_MINOR : SHAPED_MINOR)));
    } catch (ErrnoException e) {
      throw new IllegalStateException("create qdisc on " + link.name() + ": " + e.getMessage(), e);
    }
    if (!matchDst) {
      undo.rootTbfOn = link.index();
    }
    Qdisc.Tbf t = tbf(rateBits, burstBits);
    try {
      nl.classAdd(
          TcClass.htb(
              link.index(),
              root,
              TcHandle.make(1, SHAPED_MINOR),
              new TcClass.Htb(
                  t.rate(),
                  2 * t.rate(),
                  t.burst(),
                  t.burst(),
                  t.buffer(),
                  t.buffer(),
                  quantum(t.rate()),
                  0)));
      nl.classAdd(
          TcClass.htb(
              link.index(),
              root,
              TcHandle.make(1, UNSHAPED_MINOR),
              TcClass.Htb.of(UNCAPPED_RATE, UNCAPPED_RATE, link.mtu() + 14, link.mtu() + 14)
                  .withQuantum(200_000)));
      int target = TcHandle.make(1, shapedOnly ? SHAPED_MINOR : UNSHAPED_MINOR);
      for (Cidr n : shapedOnly ? c.shapedSubnets() : c.unshapedSubnets()) {
        boolean v4 = n.address() instanceof Inet4Address;
        nl.filterAdd(
            TcFilter.u32(
                link.index(),
                root,
                v4 ? PRIO_V4 : PRIO_V6,
                v4 ? TcFilter.ETH_P_IP : TcFilter.ETH_P_IPV6,
                TcFilter.matchAddress(n, matchDst),
                target,
                List.of()));
      }
    } catch (ErrnoException e) {
      throw new IllegalStateException(
          "create htb classes on " + link.name() + ": " + e.getMessage(), e);
    }
  }

  /** The kernel's default (rate / r2q 10), kept within the range it accepts without a warning. */
  static int quantum(long rate) {
    return (int) Math.max(1000, Math.min(200_000, rate / 10));
  }

  /** Mismatches of the htb layout at {@code link}'s root. */
  static List<String> checkHtb(
      Netlink nl, Link link, long rateBits, long burstBits, BandwidthConfig c) {
    List<String> out = new ArrayList<>();
    boolean shapedOnly = !c.shapedSubnets().isEmpty();
    Qdisc root = null;
    for (Qdisc q : nl.qdiscList(link.index())) {
      if (q.isRoot()) {
        root = q;
      }
    }
    if (root == null || root.htb() == null) {
      out.add(
          "no htb qdisc at the root of "
              + link.name()
              + (root == null ? "" : " (found " + root.kind() + ")"));
      return out;
    }
    if (root.htb().defaultMinor() != (shapedOnly ? UNSHAPED_MINOR : SHAPED_MINOR)) {
      out.add("default class of " + link.name() + " doesn't match");
    }
    Qdisc.Tbf want = tbf(rateBits, burstBits);
    TcClass shaped = null;
    for (TcClass k : nl.classList(link.index())) {
      if (k.classId() == TcHandle.make(1, SHAPED_MINOR)) {
        shaped = k;
      }
    }
    if (shaped == null || shaped.htb() == null) {
      out.add("no shaped class 1:30 on " + link.name());
    } else if (shaped.htb().rate() != want.rate()) {
      out.add(
          "rate of "
              + link.name()
              + " doesn't match ("
              + shaped.htb().rate()
              + " != "
              + want.rate()
              + " bytes/s)");
    }
    int filters = 0;
    for (TcFilter f : nl.filterList(link.index(), TBF_HANDLE)) {
      filters += f.keys().isEmpty() ? 0 : 1;
    }
    int want2 = shapedOnly ? c.shapedSubnets().size() : c.unshapedSubnets().size();
    if (filters != want2) {
      out.add("subnet filters on " + link.name() + ": " + filters + " != " + want2);
    }
    return out;
  }

  /**
   * Pod egress: ifb + ingress qdisc + redirect filter on the host veth, tbf on the ifb. Returns the
   * ifb.
   */
  static Link addEgress(
      Netlink nl, Link host, String ifbName, String alias, BandwidthConfig c, Undo undo) {
    try {
      nl.linkAddIfb(ifbName, host.mtu(), true);
    } catch (ErrnoException e) {
      throw new IllegalStateException("adding link " + ifbName + ": " + e.getMessage(), e);
    }
    undo.ifb = ifbName;
    nl.linkSetAlias(ifbName, alias);
    Link ifb = nl.linkByName(ifbName);
    try {
      nl.qdiscAdd(Qdisc.ingress(host.index()));
    } catch (ErrnoException e) {
      throw new IllegalStateException(
          "create ingress qdisc on " + host.name() + ": " + e.getMessage(), e);
    }
    undo.ingressOn = host.index();
    try {
      nl.filterAdd(redirectFilter(host.index(), ifb.index()));
    } catch (ErrnoException e) {
      throw new IllegalStateException("add filter on " + host.name() + ": " + e.getMessage(), e);
    }
    if (c.hasSubnets()) {
      addHtb(nl, ifb, c.egressRate(), c.egressBurst(), c, true, undo);
      return ifb;
    }
    try {
      nl.qdiscAdd(Qdisc.tbfRoot(ifb.index(), TBF_HANDLE, tbf(c.egressRate(), c.egressBurst())));
    } catch (ErrnoException e) {
      throw new IllegalStateException("create ifb qdisc: " + e.getMessage(), e);
    }
    return ifb;
  }

  static TcFilter redirectFilter(int hostIndex, int ifbIndex) {
    return TcFilter.u32(
        hostIndex,
        TcHandle.INGRESS_HANDLE,
        FILTER_PRIO,
        TcFilter.ETH_P_ALL,
        TcFilter.matchAll(),
        FILTER_CLASSID,
        List.of(TcFilter.Mirred.egressRedirect(ifbIndex)));
  }

  /** Whether a filter is the redirect ADD installs (for any target), i.e. ours or Go's. */
  static boolean isRedirectFilter(TcFilter f) {
    return f.prio() == FILTER_PRIO
        && f.protocol() == TcFilter.ETH_P_ALL
        && f.keys().equals(TcFilter.matchAll())
        && !f.actions().isEmpty()
        && f.actions().get(0).isEgressRedirect();
  }

  /** Mismatches between the tbf at {@code link}'s root and the one the config asks for. */
  static List<String> checkTbf(Netlink nl, Link link, long rateBits, long burstBits) {
    List<String> out = new ArrayList<>();
    Qdisc.Tbf want = tbf(rateBits, burstBits);
    Qdisc root = null;
    for (Qdisc q : nl.qdiscList(link.index())) {
      if (q.isRoot()) {
        root = q;
      }
    }
    if (root == null || root.tbf() == null) {
      out.add(
          "no tbf qdisc at the root of "
              + link.name()
              + (root == null ? "" : " (found " + root.kind() + ")"));
      return out;
    }
    Qdisc.Tbf got = root.tbf();
    if (got.rate() != want.rate()) {
      out.add(
          "rate of "
              + link.name()
              + " doesn't match ("
              + got.rate()
              + " != "
              + want.rate()
              + " bytes/s)");
    }
    if (got.limit() != want.limit()) {
      out.add(
          "limit of "
              + link.name()
              + " doesn't match ("
              + got.limit()
              + " != "
              + want.limit()
              + " bytes)");
    }
    // the kernel recomputes the buffer from the burst in nanoseconds: allow its rounding
    if (Math.abs(got.buffer() - want.buffer()) > Math.max(2, want.buffer() / 10000)) {
      out.add(
          "buffer of "
              + link.name()
              + " doesn't match ("
              + got.buffer()
              + " != "
              + want.buffer()
              + " ticks)");
    }
    return out;
  }
}
