package dev.jcni.plugins.common;

import dev.jcni.netlink.Address;
import dev.jcni.netlink.BridgeOptions;
import dev.jcni.netlink.Family;
import dev.jcni.netlink.Link;
import dev.jcni.netlink.Netlink;
import dev.jcni.netlink.OperState;
import dev.jcni.spec.CniException;
import dev.jcni.spec.net.Cidr;
import dev.jcni.system.ErrnoException;
import java.util.Optional;

/**
 * Linux bridge mechanics for plugins that put pods on a bridge, as Go's bridge plugin does them:
 * make (or adopt) the bridge, enslave a host-side veth as a port, put the gateway address on the
 * bridge, and wait for the port to forward. Every method works in the namespace of the given {@link
 * Netlink} handle (the node's, usually).
 *
 * <p><b>Public SDK API</b>, beside {@link Veths} and {@link IfaceConfig}:
 *
 * <pre>{@code
 * try (TargetNetns pod = TargetNetns.open(inv.netns()); Netlink node = Netlink.open()) {
 *   Link br = Bridges.ensure(node, new Bridges.Spec("cni0", 1500, false, false));
 *   Veths.Pair veth = Veths.create(node, pod.ns(), pod.netlink(), inv.ifname(), 1500, null);
 *   Bridges.attach(node, br, veth.host().name(), false, false);
 *   Bridges.ensureAddress(node, "cni0", Cidr.parse("10.22.0.1/24"), false);
 *   Link port = Bridges.waitForPort(node, veth.host().name());
 * }
 * }</pre>
 */
public final class Bridges {
  private static final int[] PORT_WAIT_MS = {0, 10, 50, 100, 250, 500, 1000, 1000};
  private static final int BR_STATE_FORWARDING = 3;
  private static final int EOPNOTSUPP = 95;

  private Bridges() {}

  /**
   * How a bridge is made when it does not exist yet, and what is enforced when it does.
   *
   * @param name the bridge's name
   * @param mtu the MTU a new bridge gets (0: the kernel default); an existing bridge keeps its own
   * @param vlanFiltering whether a new bridge filters VLANs (needed for VLAN ports)
   * @param promisc whether the bridge is put in promiscuous mode (existing bridges too)
   */
  public record Spec(String name, int mtu, boolean vlanFiltering, boolean promisc) {}

  /**
   * Creates the bridge unless it exists (a concurrent creation is fine), sets promiscuous mode when
   * asked, turns off router advertisements on it (routes on the bridge are ours) and brings it up.
   *
   * @return the bridge as it is now
   * @throws CniException code 7 when a link of that name exists but is not a bridge
   * @throws IllegalStateException when the kernel refuses to create it (with a hint when VLAN
   *     filtering is unsupported)
   */
  public static Link ensure(Netlink host, Spec spec) {
    String name = spec.name();
    Optional<Link> existing = host.linkGet(name);
    if (existing.isPresent() && !"bridge".equals(existing.get().kind())) {
      throw notABridge(name);
    }
    if (existing.isEmpty()) {
      BridgeOptions.Builder b = BridgeOptions.builder().mtu(spec.mtu());
      if (spec.vlanFiltering()) {
        b.vlanFiltering(true);
      }
      try {
        host.linkAddBridge(name, b.build());
      } catch (ErrnoException e) {
        if (!e.isExists()) {
          String hint =
              spec.vlanFiltering() && e.errno() == EOPNOTSUPP
                  ? " (vlan/vlanTrunk need a kernel with bridge VLAN filtering)"
                  : "";
          throw new IllegalStateException(
              "failed to create bridge \"" + name + "\": " + e.getMessage() + hint, e);
        }
      }
    }
    if (spec.promisc()) {
      host.linkSetPromisc(name, true);
    }
    Link br = host.linkByName(name);
    if (!"bridge".equals(br.kind())) {
      throw notABridge(name);
    }
    new Sysctls().trySet("net/ipv6/conf/" + name + "/accept_ra", "0").apply(null);
    if (!br.isUp()) {
      host.linkSetUp(name);
    }
    return br;
  }

  private static CniException notABridge(String name) {
    return CniException.invalidConfig(
        "bridge: \"" + name + "\" already exists but is not a bridge");
  }

  /**
   * Makes {@code port} a port of {@code bridge} with the given hairpin and isolation flags. VLAN
   * membership, if any, is the caller's next step ({@link Netlink#bridgeVlanAdd} and friends).
   */
  public static void attach(
      Netlink host, Link bridge, String port, boolean hairpin, boolean isolated) {
    host.linkSetMaster(port, bridge.index());
    host.bridgePortSet(port, hairpin, null, isolated);
  }

  /**
   * Go's {@code ensureAddr}: puts {@code gw} (gateway address with the subnet's prefix) on {@code
   * link}. Present already: nothing to do. Another IPv4 address, or an IPv6 address of an
   * overlapping prefix, is a conflict: refused, or with {@code force} replaced. Afterwards the
   * link's MAC is pinned, so a bridge stops following the lowest port MAC as ports come and go.
   */
  public static void ensureAddress(Netlink host, String link, Cidr gw, boolean force) {
    Cidr want = gw;
    for (Address a : host.addrList(link, gw.isIpv4() ? Family.V4 : Family.V6)) {
      if (a.net().equals(want)) {
        return;
      }
      Cidr have = a.net();
      if (gw.isIpv4() || have.contains(gw.address()) || gw.contains(have.address())) {
        if (force) {
          host.addrDel(link, a.net());
        } else {
          throw new IllegalStateException(
              "\"" + link + "\" already has an IP address different from " + gw);
        }
      }
    }
    try {
      host.addrAdd(link, want);
    } catch (ErrnoException e) {
      if (!e.isExists()) {
        throw new IllegalStateException(
            "could not add IP address " + gw + " to \"" + link + "\": " + e.getMessage(), e);
      }
    }
    Link l = host.linkByName(link);
    if (l.mac() != null) {
      host.linkSetMac(link, l.mac());
    }
  }

  /**
   * Waits (about 3 s at most) for {@code port} to be up and, when it is a bridge port, forwarding.
   * A port that is up but still in an STP listening/learning state after that is accepted, as Go
   * accepts any port that is up (STP on a reused bridge takes 30 s to forward); a port that is not
   * up is Go's "bridge port in error state".
   *
   * @return the port's link as last read
   */
  public static Link waitForPort(Netlink host, String port) {
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
}
