package dev.jcni.plugins.common;

import dev.jcni.netlink.Link;
import dev.jcni.netlink.MacAddress;
import dev.jcni.netlink.Netlink;
import dev.jcni.netlink.VethOptions;
import dev.jcni.system.ErrnoException;
import dev.jcni.system.NetNs;

/**
 * Go's ip.SetupVeth: a veth pair whose container end is {@code CNI_IFNAME} inside the pod's
 * namespace and whose host end gets a random {@code veth%08x} name (retried on a name clash), is
 * up, and does not accept router advertisements. Created from the host side with the peer placed
 * directly in the pod's namespace, so no link ever has to move between namespaces.
 *
 * <p><b>Public SDK API</b> (like Go's {@code pkg/ip}), kept stable for plugins outside this
 * repository; the examples module's {@code mycni} shows it in use:
 *
 * <pre>{@code
 * try (NetNs pod = NetNs.open(Path.of(inv.netns())); Netlink node = Netlink.open(); Netlink podNl = Netlink.openAt(pod)) {
 *   Veths.Pair veth = Veths.create(node, pod, podNl, inv.ifname(), 1500, null);
 *   node.linkSetMaster(veth.host().name(), "cni0");
 * }
 * // DEL: Veths.deleteInNetns(inv.netns(), inv.ifname());
 * }</pre>
 */
public final class Veths {
  private Veths() {}

  /** Both ends as created. */
  public record Pair(Link host, Link container) {}

  /**
   * Creates the pair.
   *
   * @param host handle on the host (the caller's) namespace
   * @param contNs the pod's namespace
   * @param cont handle on the pod's namespace
   * @param mtu 0 for the kernel default
   * @param mac the container end's MAC, or null
   * @throws IllegalStateException when {@code ifname} already exists in the pod (the spec requires
   *     an error)
   */
  public static Pair create(
      Netlink host, NetNs contNs, Netlink cont, String ifname, int mtu, MacAddress mac) {
    if (cont.linkGet(ifname).isPresent()) {
      throw new IllegalStateException("container veth name \"" + ifname + "\" already exists");
    }
    String name = null;
    for (int i = 0; i < 10 && name == null; i++) {
      String candidate = IfNames.randomVethName();
      try {
        host.linkAddVeth(
            VethOptions.builder(candidate, ifname).peerNs(contNs).mtu(mtu).peerMac(mac).build());
        name = candidate;
      } catch (ErrnoException e) {
        if (!e.isExists()) {
          throw new IllegalStateException("failed to make veth pair: " + e.getMessage(), e);
        }
        if (cont.linkGet(ifname).isPresent()) {
          throw new IllegalStateException(
              "container veth name \"" + ifname + "\" already exists", e);
        }
        // the random host name clashed: try another
      }
    }
    if (name == null) {
      throw new IllegalStateException("failed to find a unique veth name");
    }
    try {
      host.linkSetUp(name);
      new Sysctls().trySet("net/ipv6/conf/" + name + "/accept_ra", "0").apply(null);
      return new Pair(host.linkByName(name), cont.linkByName(ifname));
    } catch (RuntimeException e) {
      try {
        host.linkDel(name);
      } catch (RuntimeException ignored) {
        e.addSuppressed(ignored);
      }
      throw e;
    }
  }

  /**
   * Deletes the pod's end of the pair (which removes both). Idempotent: a missing link is fine.
   *
   * @return true when a link was deleted
   */
  public static boolean deleteInContainer(Netlink cont, String ifname) {
    try {
      cont.linkDel(ifname);
      return true;
    } catch (ErrnoException e) {
      if (e.isNotFound()) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Deletes {@code ifname} inside the namespace at {@code netns}; a missing namespace (or a path
   * that is no longer a network namespace) or interface is success (DEL is idempotent and may come
   * after the runtime removed the namespace).
   */
  public static void deleteInNetns(String netns, String ifname) {
    NetNs ns;
    try {
      ns = NetNs.open(java.nio.file.Path.of(netns));
    } catch (ErrnoException e) {
      // gone, or a file that is no longer a namespace (what an unmounted /run/netns/NAME leaves
      // behind)
      if (e.isNotFound() || e.errno() == 22) {
        return;
      }
      throw e;
    }
    Netlink cont;
    try {
      cont = Netlink.openAt(ns);
    } catch (ErrnoException e) {
      ns.close();
      if (e.errno() == 22) {
        return; // a namespace of another kind: no interface of ours can be in it
      }
      throw e;
    }
    try (ns;
        cont) {
      deleteInContainer(cont, ifname);
    }
  }
}
