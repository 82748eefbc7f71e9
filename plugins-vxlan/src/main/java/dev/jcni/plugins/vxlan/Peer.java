package dev.jcni.plugins.vxlan;

import dev.jcni.netlink.MacAddress;
import dev.jcni.spec.CniException;
import dev.jcni.spec.net.Cidr;
import dev.jcni.spec.net.InetAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Map;

/**
 * One remote node: its underlay address (where VXLAN packets for it go) and its pod subnet.
 *
 * @param underlayIP the node's underlay (InternalIP) address
 * @param podSubnet the node's pod subnet (IPv4, the network itself, see {@link Ipv4Subnets})
 * @param name an optional label (the agent writes the Node name), used only in logs; may be null
 */
public record Peer(InetAddress underlayIP, Cidr podSubnet, String name) {

  public Peer {
    if (underlayIP == null || podSubnet == null) {
      throw new IllegalArgumentException("underlayIP and podSubnet are required");
    }
  }

  public static Peer of(String underlayIP, String podSubnet) {
    return new Peer(
        parseAddress(underlayIP, "underlayIP"), Ipv4Subnets.parse(podSubnet, "podSubnet"), null);
  }

  /** The remote VTEP's MAC (derived, see {@link VtepMac}). */
  public MacAddress vtepMac() {
    return VtepMac.forUnderlay(underlayIP);
  }

  /** The remote subnet's network address: the on-link gateway and neighbour key for this peer. */
  public Inet4Address gateway() {
    return Ipv4Subnets.networkAddress(podSubnet);
  }

  /**
   * Parses one {@code {"underlayIP": ..., "podSubnet": ...}} object; {@code key} prefixes error
   * messages.
   */
  static Peer fromJson(Object tree, String key) {
    if (!(tree instanceof Map<?, ?> m)) {
      throw CniException.invalidConfig(key + ": must be an object with underlayIP and podSubnet");
    }
    Object ip = Keys.get(m, "underlayIP");
    Object subnet = Keys.get(m, "podSubnet");
    Object name = Keys.get(m, "name");
    if (!(ip instanceof String ips) || ips.isEmpty()) {
      throw CniException.invalidConfig(key + ".underlayIP: required (a string IP address)");
    }
    if (!(subnet instanceof String ss) || ss.isEmpty()) {
      throw CniException.invalidConfig(key + ".podSubnet: required (a string IPv4 CIDR)");
    }
    return new Peer(
        parseAddress(ips, key + ".underlayIP"),
        Ipv4Subnets.parse(ss, key + ".podSubnet"),
        name instanceof String n && !n.isEmpty() ? n : null);
  }

  /** Parses an IP literal without ever resolving names; code 7 naming {@code key} otherwise. */
  public static InetAddress parseAddress(String s, String key) {
    byte[] b = InetAddresses.parseBytes(s);
    // an IPv4 address written as IPv6 (::ffff:a.b.c.d) is refused: underlay addresses are plain v4
    // or v6
    if (b == null || (b.length == 4 && s.indexOf(':') >= 0)) {
      throw CniException.invalidConfig(key + ": \"" + s + "\" is not an IP address");
    }
    return InetAddresses.fromBytes(b);
  }

  /** Address text as {@code ip} prints it. */
  public static String format(InetAddress a) {
    return InetAddresses.format(a);
  }

  @Override
  public String toString() {
    return (name == null ? "" : name + " ") + format(underlayIP) + " " + podSubnet;
  }
}
