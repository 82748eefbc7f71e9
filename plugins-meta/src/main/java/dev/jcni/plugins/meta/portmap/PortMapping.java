package dev.jcni.plugins.meta.portmap;

import java.net.InetAddress;

/**
 * One validated {@code runtimeConfig.portMappings} entry.
 *
 * @param hostPort 1-65535
 * @param containerPort 1-65535
 * @param protocol {@code tcp}, {@code udp} or {@code sctp}
 * @param hostIp the host address to match, or null for any (absent, empty, 0.0.0.0 or ::)
 */
public record PortMapping(int hostPort, int containerPort, String protocol, InetAddress hostIp) {

  /** Whether this mapping applies to an address family: no hostIP, or a hostIP of that family. */
  public boolean appliesTo(boolean v6) {
    return hostIp == null || (hostIp instanceof java.net.Inet6Address) == v6;
  }
}
