package dev.jcni.netlink;

import java.net.InetAddress;

/**
 * A neighbour (ARP/NDP) entry ({@code ip neigh}).
 *
 * @param index ifindex
 * @param ip NDA_DST
 * @param mac NDA_LLADDR, null if incomplete
 * @param state NUD_* (PERMANENT = 0x80, REACHABLE = 0x02, STALE = 0x04, NOARP = 0x40...)
 * @param flags NTF_* (ROUTER = 0x80, PROXY = 0x08)
 */
public record Neigh(int index, InetAddress ip, MacAddress mac, int state, int flags) {
  public static final int NUD_INCOMPLETE = 0x01,
      NUD_REACHABLE = 0x02,
      NUD_STALE = 0x04,
      NUD_DELAY = 0x08,
      NUD_PROBE = 0x10,
      NUD_FAILED = 0x20,
      NUD_NOARP = 0x40,
      NUD_PERMANENT = 0x80;

  /** A permanent entry: {@code ip neigh add IP lladdr MAC dev LINK nud permanent}. */
  public static Neigh permanent(int index, InetAddress ip, MacAddress mac) {
    return new Neigh(index, ip, mac, NUD_PERMANENT, 0);
  }

  public Family family() {
    return Family.of(ip);
  }
}
