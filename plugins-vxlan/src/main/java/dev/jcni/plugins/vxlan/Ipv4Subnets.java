package dev.jcni.plugins.vxlan;

import dev.jcni.spec.CniException;
import dev.jcni.spec.net.Cidr;
import java.net.Inet4Address;

/**
 * The overlay's pod subnets: IPv4 {@link Cidr}s normalised to their network ({@code 10.244.1.7/24}
 * is the subnet {@code 10.244.1.0/24}), parsed with cni-spec's Go rules and refused with a code 7
 * message naming the key.
 */
public final class Ipv4Subnets {
  private Ipv4Subnets() {}

  /**
   * Parses {@code a.b.c.d/len} into its network; anything else (IPv6 included) is code 7 naming
   * {@code key}.
   */
  public static Cidr parse(String text, String key) {
    if (text == null || text.isEmpty()) {
      throw CniException.invalidConfig(key + ": missing subnet");
    }
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw CniException.invalidConfig(key + ": \"" + text + "\" is not a CIDR (a.b.c.d/len)");
    }
    Cidr c = Cidr.tryParse(text);
    // written as IPv6 (::ffff:a.b.c.d/120 included) is not an IPv4 subnet here
    if (c == null || !c.isIpv4() || text.lastIndexOf(':', slash) >= 0) {
      boolean badPrefix = c == null && Cidr.tryParse(text.substring(0, slash) + "/0") != null;
      throw CniException.invalidConfig(
          key
              + ": \""
              + text
              + "\" "
              + (badPrefix ? "has an invalid prefix length" : "is not an IPv4 CIDR"));
    }
    return c.network();
  }

  /**
   * The subnet's network address, e.g. {@code 10.244.2.0}: flannel's per-node gateway and VTEP
   * address.
   */
  public static Inet4Address networkAddress(Cidr subnet) {
    return (Inet4Address) subnet.networkAddress();
  }
}
