package dev.jcni.netlink;

import java.net.InetAddress;

/**
 * A bridge forwarding database entry ({@code bridge fdb}, AF_BRIDGE neighbours). For vxlan devices,
 * {@code dst} is the remote VTEP: {@code bridge fdb append 00:00:00:00:00:00 dev vxlan0 dst
 * 10.0.0.2} floods to it.
 *
 * @param index ifindex of the port / vxlan device
 * @param mac NDA_LLADDR
 * @param dst NDA_DST (vxlan remote), null if none
 * @param vlan NDA_VLAN, 0 if none
 * @param vni NDA_VNI, 0 if none
 * @param port NDA_PORT (vxlan UDP port, host order), 0 if none
 * @param master NDA_MASTER (bridge ifindex) as reported, 0 if none
 * @param state NUD_* (iproute2's default is NOARP|PERMANENT = 0xc0, static; REACHABLE = 0x02
 *     dynamic); vxlan devices accept only PERMANENT or REACHABLE entries
 * @param flags NTF_SELF = 0x02 (the device's own table, default), NTF_MASTER = 0x04 (its bridge's)
 */
public record FdbEntry(
    int index,
    MacAddress mac,
    InetAddress dst,
    int vlan,
    int vni,
    int port,
    int master,
    int state,
    int flags) {
  public static final int NTF_SELF = 0x02, NTF_MASTER = 0x04;

  /** iproute2's default state for {@code bridge fdb add}: NOARP|PERMANENT. */
  public static final int DEFAULT_STATE = Neigh.NUD_NOARP | Neigh.NUD_PERMANENT;

  /**
   * {@code bridge fdb append|replace MAC dev LINK dst IP} with iproute2's defaults: state
   * NOARP|PERMANENT, self.
   */
  public static FdbEntry vxlanRemote(int index, MacAddress mac, InetAddress dst) {
    return new FdbEntry(index, mac, dst, 0, 0, 0, 0, DEFAULT_STATE, NTF_SELF);
  }

  public FdbEntry withState(int state) {
    return new FdbEntry(index, mac, dst, vlan, vni, port, master, state, flags);
  }

  public FdbEntry withFlags(int flags) {
    return new FdbEntry(index, mac, dst, vlan, vni, port, master, state, flags);
  }

  public FdbEntry withVlan(int vlan) {
    return new FdbEntry(index, mac, dst, vlan, vni, port, master, state, flags);
  }

  public FdbEntry withVni(int vni) {
    return new FdbEntry(index, mac, dst, vlan, vni, port, master, state, flags);
  }
}
