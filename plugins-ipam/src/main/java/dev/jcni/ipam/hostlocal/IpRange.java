package dev.jcni.ipam.hostlocal;

import dev.jcni.spec.CniException;

/**
 * One allocation range of a range set, canonicalized as Go's host-local does: the subnet must be the network
 * address and leave room for hosts (IPv4 /31, /32 and IPv6 /127, /128 are refused), {@code gateway} defaults to
 * network+1, {@code rangeStart} to network+1 (the gateway is skipped while iterating), {@code rangeEnd} to the last
 * address (IPv4: broadcast-1).
 *
 * @param subnet the subnet (network address / prefix)
 * @param start the first allocatable address, inclusive
 * @param end the last allocatable address, inclusive
 * @param gateway never allocated, reported as the result's gateway
 */
public record IpRange(Cidr subnet, Ip start, Ip end, Ip gateway) {

  /**
   * Validates and fills in one range. {@code key} names it in error messages (for example
   * {@code ipam.ranges[0][1]}); every failure is a code 7 error naming the offending key.
   */
  public static IpRange of(String key, String subnet, String rangeStart, String rangeEnd, String gateway) {
    if (subnet == null || subnet.isEmpty()) {
      throw CniException.invalidConfig(key + ".subnet: required");
    }
    Cidr net;
    try {
      net = Cidr.parse(subnet);
    } catch (IllegalArgumentException e) {
      throw CniException.invalidConfig(key + ".subnet: " + e.getMessage());
    }
    if (net.prefix() > net.address().bits() - 2) {
      throw CniException.invalidConfig(key + ".subnet: network " + net + " too small to allocate from");
    }
    if (!net.isNetworkAddress()) {
      throw CniException.invalidConfig(key + ".subnet: " + net + " has host bits set; for a prefix length of "
          + net.prefix() + " the network address is " + net.network());
    }
    Ip gw = net.address().next();
    if (gateway != null && !gateway.isEmpty()) {
      gw = inSubnet(key + ".gateway", gateway, net);
    }
    Ip start = net.address().next();
    if (rangeStart != null && !rangeStart.isEmpty()) {
      start = inSubnet(key + ".rangeStart", rangeStart, net);
    }
    Ip end = net.last();
    if (!end.isV6()) {
      end = end.prev();
    }
    if (rangeEnd != null && !rangeEnd.isEmpty()) {
      end = inSubnet(key + ".rangeEnd", rangeEnd, net);
      if (end.compareTo(start) < 0) {
        throw CniException.invalidConfig(key + ".rangeEnd: " + end + " is before rangeStart " + start);
      }
    }
    return new IpRange(net, start, end, gw);
  }

  private static Ip inSubnet(String key, String value, Cidr net) {
    Ip ip = Ip.parseOrNull(value);
    if (ip == null) {
      throw CniException.invalidConfig(key + ": invalid IP address \"" + value + "\"");
    }
    if (!ip.sameFamily(net.address())) {
      throw CniException.invalidConfig(key + ": " + ip + " is not the same address family as subnet " + net);
    }
    if (!net.contains(ip)) {
      throw CniException.invalidConfig(key + ": " + ip + " not in network " + net);
    }
    return ip;
  }

  /** Whether {@code ip} is allocatable from this range: same family, inside the subnet, within start..end. */
  public boolean contains(Ip ip) {
    return ip.sameFamily(start) && subnet.contains(ip) && ip.compareTo(start) >= 0 && ip.compareTo(end) <= 0;
  }

  /** Whether the two ranges share an address. */
  public boolean overlaps(IpRange o) {
    return start.sameFamily(o.start) && start.compareTo(o.end) <= 0 && o.start.compareTo(end) <= 0;
  }

  /** The address with this range's prefix length, as a result's {@code address}. */
  public String cidrOf(Ip ip) {
    return ip + "/" + subnet.prefix();
  }

  /** {@code start-end}, as Go prints ranges in its errors. */
  @Override
  public String toString() {
    return start + "-" + end;
  }
}
