package dev.jcni.testkit;

import dev.jcni.spec.CniVersion;
import dev.jcni.spec.Result;
import dev.jcni.spec.net.Cidr;
import dev.jcni.spec.net.InetAddresses;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link Result} (e.g. the prevResult of a chained plugin under test):
 *
 * <pre>{@code
 * Result prev = Results.builder()
 *     .iface("eth0", "0a:58:0a:f4:00:05", "/run/netns/pod")   // following ips belong to it
 *     .ip("10.244.0.5/24", "10.244.0.1")
 *     .route("0.0.0.0/0", "10.244.0.1")
 *     .build();
 * }</pre>
 */
public final class Results {
  private CniVersion version = CniVersion.CURRENT;
  private final List<Result.Interface> interfaces = new ArrayList<>();
  private final List<Result.IpConfig> ips = new ArrayList<>();
  private final List<Result.Route> routes = new ArrayList<>();
  private Result.Dns dns;

  private Results() {}

  public static Results builder() {
    return new Results();
  }

  public Results version(String v) {
    version = CniVersion.parse(v);
    return this;
  }

  /**
   * Adds an interface; {@link #ip} calls after it refer to it. {@code sandbox} null for a host-side
   * one.
   */
  public Results iface(String name, String mac, String sandbox) {
    interfaces.add(Result.Interface.of(name, mac, sandbox));
    return this;
  }

  /**
   * An address (CIDR) of the last added interface (none when no interface was added), {@code
   * gateway} may be null.
   */
  public Results ip(String cidr, String gateway) {
    return ip(Cidr.parse(cidr), gateway == null ? null : InetAddresses.parse(gateway));
  }

  /** {@link #ip(String, String)} with typed values. */
  public Results ip(Cidr cidr, InetAddress gateway) {
    ips.add(
        new Result.IpConfig(interfaces.isEmpty() ? null : interfaces.size() - 1, cidr, gateway));
    return this;
  }

  /** An address belonging to no interface. */
  public Results unboundIp(String cidr, String gateway) {
    ips.add(Result.IpConfig.parse(null, cidr, gateway));
    return this;
  }

  /** A route; {@code gw} null for a direct one. */
  public Results route(String dst, String gw) {
    routes.add(Result.Route.parse(dst, gw));
    return this;
  }

  /** {@link #route(String, String)} with typed values. */
  public Results route(Cidr dst, InetAddress gw) {
    routes.add(Result.Route.of(dst, gw));
    return this;
  }

  public Results dns(List<String> nameservers, String domain) {
    dns = new Result.Dns(nameservers, domain, null, null);
    return this;
  }

  public Result build() {
    return new Result(version, interfaces, ips, routes, dns);
  }
}
