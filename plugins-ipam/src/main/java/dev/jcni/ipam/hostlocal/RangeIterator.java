package dev.jcni.ipam.hostlocal;

import dev.jcni.spec.net.InetAddresses;
import java.net.InetAddress;

/**
 * Go host-local's round-robin walk over one range set: it starts after the last reserved address
 * when that address is in the set (otherwise at the first range's start), skips each range's
 * gateway, moves to the next range (wrapping) after a range's end, and is exhausted when it comes
 * back to where it started. Identical order to Go's {@code RangeIter}, so Java and Go processes
 * sharing a directory hand out addresses in the same sequence.
 */
final class RangeIterator {
  private final RangeSet set;
  private int rangeIdx;
  private InetAddress cur;
  private InetAddress startIp;

  RangeIterator(RangeSet set, InetAddress lastReserved) {
    this.set = set;
    rangeIdx = -1;
    if (lastReserved != null) {
      for (int i = 0; i < set.ranges().size() && rangeIdx < 0; i++) {
        if (set.ranges().get(i).contains(lastReserved)) {
          rangeIdx = i;
        }
      }
    }
    if (rangeIdx >= 0) {
      cur = lastReserved; // the first next() returns lastReserved + 1
    } else {
      rangeIdx = 0;
      startIp = set.ranges().get(0).start();
    }
  }

  /** The range the last address returned by {@link #next()} belongs to. */
  IpRange range() {
    return set.ranges().get(rangeIdx);
  }

  /** The next candidate address, or null when the whole set has been visited. */
  InetAddress next() {
    while (true) {
      IpRange r = set.ranges().get(rangeIdx);
      if (cur == null) {
        cur = r.start();
        startIp = cur;
        if (cur.equals(r.gateway())) {
          continue;
        }
        return cur;
      }
      if (cur.equals(r.end())) {
        rangeIdx = (rangeIdx + 1) % set.ranges().size();
        r = set.ranges().get(rangeIdx);
        cur = r.start();
      } else {
        cur = InetAddresses.next(cur);
      }
      if (startIp == null) {
        startIp = cur;
      } else if (cur.equals(startIp)) {
        return null;
      }
      if (cur.equals(r.gateway())) {
        continue;
      }
      return cur;
    }
  }
}
