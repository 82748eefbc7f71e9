package dev.jcni.netlink;

/**
 * A network interface as the kernel reports it ({@code ip -d link show}).
 *
 * @param index ifindex
 * @param name IFLA_IFNAME
 * @param kind IFLA_INFO_KIND ({@code "veth"}, {@code "bridge"}, {@code "vxlan"}...), null for
 *     devices without one (loopback, physical)
 * @param mtu IFLA_MTU
 * @param mac IFLA_ADDRESS, null when the device has none
 * @param flags ifi_flags (IFF_UP = 0x1, IFF_PROMISC = 0x100, IFF_ALLMULTI = 0x200, IFF_LOWER_UP =
 *     0x10000...)
 * @param masterIndex IFLA_MASTER (the bridge this port belongs to), 0 if none
 * @param operState IFLA_OPERSTATE
 * @param alias IFLA_IFALIAS, null if unset
 * @param netnsId IFLA_LINK_NETNSID (the namespace id, as seen from this one, where the peer/lower
 *     device lives), -1 if none
 * @param linkIndex IFLA_LINK (veth: the peer's ifindex; vxlan/vlan: the lower device), 0 if none
 * @param promiscuity IFLA_PROMISCUITY counter
 * @param txQueueLen IFLA_TXQLEN
 * @param slaveKind IFLA_INFO_SLAVE_KIND ({@code "bridge"} for a bridge port), null if none
 * @param vxlan vxlan attributes when kind is vxlan, else null
 * @param bridge bridge attributes when kind is bridge, else null
 * @param bridgePort bridge-port attributes when this is a bridge port, else null
 */
public record Link(
    int index,
    String name,
    String kind,
    int mtu,
    MacAddress mac,
    int flags,
    int masterIndex,
    OperState operState,
    String alias,
    int netnsId,
    int linkIndex,
    int promiscuity,
    int txQueueLen,
    String slaveKind,
    VxlanInfo vxlan,
    BridgeInfo bridge,
    BridgePortInfo bridgePort) {

  /** Administratively up (IFF_UP). */
  public boolean isUp() {
    return (flags & 0x1) != 0;
  }

  /** Carrier present (IFF_LOWER_UP). */
  public boolean isLowerUp() {
    return (flags & 0x10000) != 0;
  }

  /** IFF_PROMISC set. */
  public boolean isPromisc() {
    return (flags & 0x100) != 0;
  }

  /** IFF_ALLMULTI set (receives all multicast). */
  public boolean isAllmulti() {
    return (flags & 0x200) != 0;
  }

  /**
   * For a veth: the peer's ifindex (in the namespace given by {@link #netnsId()} if that is set),
   * else 0.
   */
  public int vethPeerIndex() {
    return "veth".equals(kind) ? linkIndex : 0;
  }

  /**
   * Vxlan attributes read back from IFLA_INFO_DATA. Port is host order; group is the
   * remote/multicast group.
   */
  public record VxlanInfo(
      int vni,
      java.net.InetAddress local,
      java.net.InetAddress group,
      int linkIndex,
      int port,
      boolean learning,
      int ttl,
      int tos) {}

  /** Bridge attributes read back from IFLA_INFO_DATA. */
  public record BridgeInfo(boolean vlanFiltering, int vlanDefaultPvid) {}

  /**
   * Bridge-port attributes (IFLA_INFO_SLAVE_DATA of a port): STP state, hairpin (IFLA_BRPORT_MODE),
   * learning, isolated, unicast flooding.
   */
  public record BridgePortInfo(
      int state, boolean hairpin, boolean learning, boolean isolated, boolean unicastFlood) {}
}
