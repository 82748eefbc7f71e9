package dev.jcni.netlink;

/** RFC 2863 operational state (IFLA_OPERSTATE), as {@code ip link} prints it. */
public enum OperState {
  UNKNOWN,
  NOTPRESENT,
  DOWN,
  LOWERLAYERDOWN,
  TESTING,
  DORMANT,
  UP;

  public static OperState of(int v) {
    OperState[] all = values();
    return v >= 0 && v < all.length ? all[v] : UNKNOWN;
  }
}
