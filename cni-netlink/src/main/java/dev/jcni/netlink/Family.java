package dev.jcni.netlink;

import java.net.Inet4Address;
import java.net.InetAddress;

/** Address family filter for list operations. */
public enum Family {
  ALL(0),
  V4(2),
  V6(10);

  private final int af;

  Family(int af) {
    this.af = af;
  }

  /** The AF_* constant (0, AF_INET, AF_INET6). */
  public int af() {
    return af;
  }

  public static Family of(InetAddress a) {
    return a instanceof Inet4Address ? V4 : V6;
  }

  static Family ofAf(int af) {
    return af == 2 ? V4 : af == 10 ? V6 : ALL;
  }
}
