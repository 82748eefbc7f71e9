package dev.jcni.ipam.hostlocal;

import dev.jcni.spec.net.Cidr;
import dev.jcni.spec.net.InetAddresses;
import java.net.InetAddress;

/**
 * host-local's view of addresses: {@link InetAddress} values (IPv4-mapped IPv6 is IPv4, as Go's
 * {@code To4}) and cni-spec's {@link Cidr}. Reservation files are named by {@link #text}, Go's
 * {@code net.IP.String()}, so Java and Go host-local can share a data directory; never {@link
 * InetAddress#toString()}, which prefixes a {@code /}.
 */
final class Addrs {
  private Addrs() {}

  /**
   * A literal with Go's rules (no leading zeros, no zone, no name lookup); null for anything else.
   */
  static InetAddress parseOrNull(String s) {
    byte[] b = InetAddresses.parseBytes(s);
    return b == null ? null : InetAddresses.fromBytes(b);
  }

  /**
   * A range's subnet with Go's {@code ParseCIDR} rules, a little stricter as host-local always was:
   * at most three prefix digits, and an IPv4-mapped subnet ({@code ::ffff:10.0.0.0/120} is the IPv4
   * block) not shorter than /96. IllegalArgumentException naming the text otherwise.
   */
  static Cidr parseSubnet(String s) {
    Cidr c = Cidr.tryParse(s);
    int slash = s == null ? -1 : s.indexOf('/');
    if (c == null
        || s.length() - slash > 4
        || (c.isIpv4()
            && s.lastIndexOf(':', slash) >= 0
            && Integer.parseInt(s, slash + 1, s.length(), 10) < 96)) {
      throw new IllegalArgumentException("invalid CIDR address \"" + s + "\"");
    }
    return c;
  }

  /** Go's text for an address: the reservation file name and what error messages print. */
  static String text(InetAddress a) {
    return InetAddresses.format(a);
  }

  static boolean isV6(InetAddress a) {
    return a.getAddress().length == 16;
  }

  static boolean sameFamily(InetAddress a, InetAddress b) {
    return isV6(a) == isV6(b);
  }

  /** Numeric order within a family (IPv4 before IPv6). */
  static int compare(InetAddress a, InetAddress b) {
    return InetAddresses.compare(a, b);
  }
}
