package dev.jcni.ipam.hostlocal;

import dev.jcni.spec.CniException;
import java.net.InetAddress;
import java.util.List;
import java.util.stream.Collectors;

/** A range set: disjoint ranges of one address family; host-local allocates one address per set. */
public record RangeSet(List<IpRange> ranges) {

  public RangeSet {
    ranges = List.copyOf(ranges);
  }

  /**
   * Validates a set: not empty, one family, no overlapping ranges. {@code key} names it in errors.
   */
  public static RangeSet of(String key, List<IpRange> ranges) {
    if (ranges.isEmpty()) {
      throw CniException.invalidConfig(key + ": empty range set");
    }
    IpRange first = ranges.get(0);
    for (int i = 1; i < ranges.size(); i++) {
      if (!Addrs.sameFamily(ranges.get(i).start(), first.start())) {
        throw CniException.invalidConfig(
            key
                + ": mixed address families ("
                + first.subnet()
                + " and "
                + ranges.get(i).subnet()
                + ")");
      }
    }
    for (int i = 0; i < ranges.size(); i++) {
      for (int j = i + 1; j < ranges.size(); j++) {
        if (ranges.get(i).overlaps(ranges.get(j))) {
          throw CniException.invalidConfig(
              key + ": ranges " + ranges.get(i) + " and " + ranges.get(j) + " overlap");
        }
      }
    }
    return new RangeSet(ranges);
  }

  public boolean isV6() {
    return Addrs.isV6(ranges.get(0).start());
  }

  /** The range containing {@code ip}, or null. */
  public IpRange rangeFor(InetAddress ip) {
    for (IpRange r : ranges) {
      if (r.contains(ip)) {
        return r;
      }
    }
    return null;
  }

  public boolean contains(InetAddress ip) {
    return rangeFor(ip) != null;
  }

  /** Whether any range of this set overlaps any range of {@code o}. */
  public boolean overlaps(RangeSet o) {
    for (IpRange a : ranges) {
      for (IpRange b : o.ranges) {
        if (a.overlaps(b)) {
          return true;
        }
      }
    }
    return false;
  }

  /** {@code start-end,start-end}, as Go prints a range set. */
  @Override
  public String toString() {
    return ranges.stream().map(IpRange::toString).collect(Collectors.joining(","));
  }
}
