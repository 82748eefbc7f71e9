package dev.jcni.plugins.meta.portmap;

import dev.jcni.plugins.common.firewall.CommandRunner;
import dev.jcni.plugins.common.firewall.FwValues;
import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.ErrorText;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Host-side adjustments besides the rules: {@code route_localnet} so 127.0.0.1 can be DNATed off
 * the node, and the UDP conntrack flush after ADD. Both act on the calling thread's network
 * namespace (the plugin's host).
 */
final class HostTweaks {
  private HostTweaks() {}

  private static final int RTF_UP = 0x1;

  /**
   * The interface the main routing table uses to reach {@code dst}, from {@code
   * /proc/thread-self/net/route} (longest prefix, then lowest metric); null when no route matches.
   * Reading procfs avoids loading a native netlink binding into a plugin that otherwise needs none.
   */
  static String routeInterface(String procRoute, Inet4Address dst) {
    byte[] d = dst.getAddress();
    long target =
        ((d[0] & 0xffL) << 24) | ((d[1] & 0xffL) << 16) | ((d[2] & 0xffL) << 8) | (d[3] & 0xffL);
    String best = null;
    int bestLen = -1;
    long bestMetric = Long.MAX_VALUE;
    for (String line : procRoute.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 8 || f[0].equals("Iface")) {
        continue;
      }
      try {
        long dest = le(f[1]);
        int flags = Integer.parseInt(f[3], 16);
        long metric = Long.parseLong(f[6]);
        long mask = le(f[7]);
        if ((flags & RTF_UP) == 0 || (target & mask) != dest) {
          continue;
        }
        int len = Long.bitCount(mask);
        if (len > bestLen || (len == bestLen && metric < bestMetric)) {
          best = f[0];
          bestLen = len;
          bestMetric = metric;
        }
      } catch (NumberFormatException e) {
        // not a route line
      }
    }
    return best;
  }

  /** /proc/net/route prints addresses as host-order (little-endian) hex. */
  private static long le(String hex) {
    long v = Long.parseLong(hex, 16);
    return ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >> 8) & 0xff00) | ((v >> 24) & 0xff);
  }

  /**
   * Sets {@code net.ipv4.conf.<dev>.route_localnet=1} on the interface that routes to {@code pod}.
   */
  static void enableRouteLocalnet(InetAddress pod) {
    if (!(pod instanceof Inet4Address v4)) {
      return;
    }
    String ifc;
    try {
      ifc = routeInterface(Files.readString(Path.of("/proc/thread-self/net/route")), v4);
    } catch (IOException e) {
      throw new CniException(
          ErrorCodes.IO_FAILURE, "cannot read the routing table: " + ErrorText.of(e));
    }
    if (ifc == null) {
      return; // nothing routes there (yet); localhost access just won't work, as with Go
    }
    FwValues.interfaceName(ifc, "route interface");
    Path p = Path.of("/proc/sys/net/ipv4/conf", ifc, "route_localnet");
    try {
      if (!"1".equals(Files.readString(p).trim())) {
        Files.write(p, "1".getBytes(StandardCharsets.US_ASCII));
      }
    } catch (IOException e) {
      throw new CniException(
          ErrorCodes.IO_FAILURE, "cannot set route_localnet on " + ifc + ": " + ErrorText.of(e));
    }
  }

  /**
   * Deletes UDP conntrack entries whose original destination port is {@code port}, so traffic
   * already "connected" to the host port before the DNAT existed follows the new rule. Failures
   * (including "0 entries deleted", exit 1) are informative only, as in Go.
   */
  static void flushUdp(CommandRunner runner, int port, boolean v6) {
    runner.run(
        List.of(
            "conntrack",
            "-D",
            "-f",
            v6 ? "ipv6" : "ipv4",
            "-p",
            "udp",
            "--orig-port-dst",
            Integer.toString(port)),
        null);
  }
}
