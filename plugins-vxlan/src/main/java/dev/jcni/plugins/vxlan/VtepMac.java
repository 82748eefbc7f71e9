package dev.jcni.plugins.vxlan;

import dev.jcni.netlink.MacAddress;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The VTEP MAC of a node, computed from its underlay address alone. Flannel stores a random MAC in
 * a Node annotation; here the peers list carries only {@code underlayIP} and {@code podSubnet}, so
 * every node must be able to compute every other node's VTEP MAC, and the same node must get the
 * same MAC after a reboot or a recreated device (or remote FDB/neighbour entries would go stale).
 *
 * <p>Layout: {@code 0e:76} (locally administered, unicast; 0x76 = 'v') followed by the four IPv4
 * bytes, so the MAC of {@code 192.168.56.11} reads {@code 0e:76:c0:a8:38:0b}. An IPv6 underlay
 * address contributes the first four bytes of its SHA-256 instead.
 */
public final class VtepMac {
  private VtepMac() {}

  static final int OUI_HI = 0x0e;
  static final int OUI_LO = 0x76;

  public static MacAddress forUnderlay(InetAddress underlay) {
    byte[] tail;
    if (underlay instanceof Inet4Address) {
      tail = underlay.getAddress();
    } else {
      try {
        tail = MessageDigest.getInstance("SHA-256").digest(underlay.getAddress());
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    return MacAddress.of(new byte[] {OUI_HI, OUI_LO, tail[0], tail[1], tail[2], tail[3]});
  }
}
