package dev.jcni.spec;

import dev.jcni.spec.net.Cidr;
import dev.jcni.spec.net.InetAddresses;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * The canonical CNI result, modelled at spec 1.1.0. Wire forms of every other version are produced
 * and read by {@link ResultCodec}, which also implements libcni's conversion rules. {@code
 * cniVersion} records the version the result was read at (or produced for); it drives conversion
 * the way libcni's result types do.
 *
 * <p>All lists are non-null and immutable; absent optional scalars are null.
 */
public record Result(
    CniVersion cniVersion,
    List<Interface> interfaces,
    List<IpConfig> ips,
    List<Route> routes,
    Dns dns) {

  public Result {
    cniVersion = cniVersion == null ? CniVersion.CURRENT : cniVersion;
    interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
    ips = ips == null ? List.of() : List.copyOf(ips);
    routes = routes == null ? List.of() : List.copyOf(routes);
  }

  /** An empty result at {@code version} (no interfaces, ips, routes or dns). */
  public static Result empty(CniVersion version) {
    return new Result(version, List.of(), List.of(), List.of(), null);
  }

  public Result withVersion(CniVersion v) {
    return new Result(v, interfaces, ips, routes, dns);
  }

  public Result withInterfaces(List<Interface> v) {
    return new Result(cniVersion, v, ips, routes, dns);
  }

  public Result withIps(List<IpConfig> v) {
    return new Result(cniVersion, interfaces, v, routes, dns);
  }

  public Result withRoutes(List<Route> v) {
    return new Result(cniVersion, interfaces, ips, v, dns);
  }

  public Result withDns(Dns v) {
    return new Result(cniVersion, interfaces, ips, routes, v);
  }

  /** An interface entry; {@code mtu}, {@code socketPath} and {@code pciID} exist from 1.1.0 on. */
  public record Interface(
      String name, String mac, Integer mtu, String sandbox, String socketPath, String pciID) {
    public static Interface of(String name, String mac, String sandbox) {
      return new Interface(name, mac, null, sandbox, null, null);
    }
  }

  /**
   * An IP configuration: {@code address} is the interface address with its prefix ({@code
   * 10.1.0.5/24}, host bits kept), {@code gateway} an address or null, {@code interfaceIndex} an
   * index into {@link #interfaces()} or null.
   */
  public record IpConfig(Integer interfaceIndex, Cidr address, InetAddress gateway) {
    public IpConfig {
      Objects.requireNonNull(address, "address");
    }

    /**
     * From text (tests, fixtures): {@code address} a CIDR (else code 7), {@code gateway} null or a
     * literal.
     */
    public static IpConfig parse(Integer interfaceIndex, String address, String gateway) {
      return new IpConfig(
          interfaceIndex,
          Cidr.parse(address),
          gateway == null ? null : InetAddresses.parse(gateway));
    }

    /** 4 or 6, from the address family. */
    public int family() {
      return address.family();
    }
  }

  /**
   * A route; the fields after {@code gw} exist from 1.1.0 on. {@code gw} is null for a direct
   * route.
   */
  public record Route(
      Cidr dst,
      InetAddress gw,
      Integer mtu,
      Integer advmss,
      Integer priority,
      Integer table,
      Integer scope) {
    public Route {
      Objects.requireNonNull(dst, "dst");
    }

    public static Route of(Cidr dst, InetAddress gw) {
      return new Route(dst, gw, null, null, null, null, null);
    }

    /**
     * From text (tests, fixtures): {@code dst} as CIDR (code 7 when invalid), {@code gw} null or a
     * literal.
     */
    public static Route parse(String dst, String gw) {
      return of(Cidr.parse(dst), gw == null ? null : InetAddresses.parse(gw));
    }

    public int family() {
      return dst.family();
    }
  }

  /** DNS settings; every field may be null or empty. */
  public record Dns(
      List<String> nameservers, String domain, List<String> search, List<String> options) {
    public Dns {
      nameservers = nameservers == null ? List.of() : List.copyOf(nameservers);
      search = search == null ? List.of() : List.copyOf(search);
      options = options == null ? List.of() : List.copyOf(options);
    }

    public boolean isEmpty() {
      return nameservers.isEmpty()
          && (domain == null || domain.isEmpty())
          && search.isEmpty()
          && options.isEmpty();
    }
  }
}
