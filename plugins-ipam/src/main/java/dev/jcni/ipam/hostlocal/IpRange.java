package dev.jcni.ipam.hostlocal;

import dev.jcni.spec.CniException;
import dev.jcni.spec.net.Cidr;
import dev.jcni.spec.net.InetAddresses;
import java.net.InetAddress;

/**
 * One allocation range of a range set, canonicalized as Go's host-local does: the subnet must be
 * the network address and leave room for hosts (IPv4 /31, /32 and IPv6 /127, /128 are refused),
 * {@code gateway} defaults to network+1, {@code rangeStart} to network+1 (the gateway is skipped
 * while iterating), {@code rangeEnd} to the last address (IPv4: broadcast-1).
 *
 * @param subnet the subnet (network address / prefix)
 * @param start the first allocatable address, inclusive
 * @param end the last allocatable address, inclusive
 * @param gateway never allocated, reported as the result's gateway
 */
public record IpRange(Cidr subnet, InetAddress start, InetAddress end, InetAddress gateway) {

  /**
   * Validates and fills in one range. {@code key} names it in error messages (for example {@code
   * ipam.ranges[0][1]}); every failure is a code 7 error naming the offending key.
   */
  public static IpRange of(
      String key, String subnet, String rangeStart, String rangeEnd, String gateway) {
    if (subnet == null || subnet.isEmpty()) {
      throw CniException.invalidConfig(key + ".subnet: required");
    }
    Cidr net;
    try {
      net = Addrs.parseSubnet(subnet);
    } catch (IllegalArgumentException e) {
      throw CniException.invalidConfig(key + ".subnet: " + e.getMessage());
    }
    if (net.prefixLength() > net.bits() - 2) {
      throw CniException.invalidConfig(
          key + ".subnet: network " + net + " too small to allocate from");
    }
    if (!net.isNetwork()) {
      throw CniException.invalidConfig(
          key
              + ".subnet: "
              + net
              + " has host bits set; for a prefix length of "
              + net.prefixLength()
              + " the network address is "
              + Addrs.text(net.networkAddress()));
    }
    InetAddress gw = InetAddresses.next(net.address());
    if (gateway != null && !gateway.isEmpty()) {
      gw = inSubnet(key + ".gateway", gateway, net);
    }
    InetAddress start = InetAddresses.next(net.address());
    if (rangeStart != null && !rangeStart.isEmpty()) {
      start = inSubnet(key + ".rangeStart", rangeStart, net);
    }
    InetAddress end = net.lastAddress();
    if (!Addrs.isV6(end)) {
      end = InetAddresses.previous(end);
    }
    if (rangeEnd != null && !rangeEnd.isEmpty()) {
      end = inSubnet(key + ".rangeEnd", rangeEnd, net);
      if (Addrs.compare(end, start) < 0) {
        throw CniException.invalidConfig(
            key + ".rangeEnd: " + Addrs.text(end) + " is before rangeStart " + Addrs.text(start));
      }
    }
    return new IpRange(net, start, end, gw);
  }

  private static InetAddress inSubnet(String key, String value, Cidr net) {
    InetAddress ip = Addrs.parseOrNull(value);
    if (ip == null) {
      throw CniException.invalidConfig(key + ": invalid IP address \"" + value + "\"");
    }
    if (!Addrs.sameFamily(ip, net.address())) {
      throw CniException.invalidConfig(
          key + ": " + Addrs.text(ip) + " is not the same address family as subnet " + net);
    }
    if (!net.contains(ip)) {
      throw CniException.invalidConfig(key + ": " + Addrs.text(ip) + " not in network " + net);
    }
    return ip;
  }

  /**
   * Whether {@code ip} is allocatable from this range: same family, inside the subnet, within
   * start..end.
   */
  public boolean contains(InetAddress ip) {
    return Addrs.sameFamily(ip, start)
        && subnet.contains(ip)
        && Addrs.compare(ip, start) >= 0
        && Addrs.compare(ip, end) <= 0;
  }

  /** Whether the two ranges share an address. */
  public boolean overlaps(IpRange o) {
    return Addrs.sameFamily(start, o.start)
        && Addrs.compare(start, o.end) <= 0
        && Addrs.compare(o.start, end) <= 0;
  }

  /** The address with this range's prefix length, as a result's {@code address}. */
  public Cidr cidrOf(InetAddress ip) {
    return Cidr.of(ip, subnet.prefixLength());
  }

  /** {@code start-end}, as Go prints ranges in its errors. */
  @Override
  public String toString() {
    return Addrs.text(start) + "-" + Addrs.text(end);
  }
}
