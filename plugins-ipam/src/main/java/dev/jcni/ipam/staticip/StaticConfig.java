package dev.jcni.ipam.staticip;

import dev.jcni.spec.CniArgs;
import dev.jcni.spec.CniException;
import dev.jcni.spec.CniVersion;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.Result;
import dev.jcni.spec.json.ConfigKeys;
import dev.jcni.spec.net.Cidr;
import dev.jcni.spec.net.InetAddresses;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * static's configuration, read from the whole network config the way Go's {@code LoadIPAMConfig}
 * reads it, with Go's precedence for the addresses:
 *
 * <ol>
 *   <li>{@code ipam.addresses}, then the {@code CNI_ARGS} {@code IP=} addresses appended
 *       (comma-separated CIDRs); {@code CNI_ARGS} {@code GATEWAY=} (comma-separated) becomes the
 *       gateway of each {@code IP=} address whose subnet contains it (not of the config's
 *       addresses, as in Go);
 *   <li>{@code args.cni.ips}, when non-empty, replaces all of them (no gateways);
 *   <li>{@code runtimeConfig.ips} (the {@code ips} capability), when non-empty, replaces all of
 *       them.
 * </ol>
 *
 * Every error is code 7 naming the key (code 4 for {@code CNI_ARGS}), with Go's wording after the
 * key.
 *
 * @param name the network name
 * @param cniVersion the config's version
 * @param addresses the addresses in result order
 * @param routes {@code ipam.routes}
 * @param dns {@code ipam.dns}, or null when absent
 */
public record StaticConfig(
    String name,
    CniVersion cniVersion,
    List<StaticAddress> addresses,
    List<Result.Route> routes,
    Result.Dns dns) {

  /**
   * CNI_ARGS keys static knows (libcni's strict {@code LoadArgs}: others fail unless {@code
   * IgnoreUnknown}).
   */
  static final List<String> CNI_ARGS_KEYS = List.of("IP", "GATEWAY");

  public StaticConfig {
    addresses = List.copyOf(addresses);
    routes = List.copyOf(routes);
  }

  /** One address: host address with prefix ({@code 10.0.0.5/24}) and an optional gateway. */
  public record StaticAddress(Cidr address, InetAddress gateway) {
    Result.IpConfig toIpConfig() {
      return new Result.IpConfig(null, address, gateway);
    }
  }

  /** Reads the config; {@code args} is CNI_ARGS (may be null). */
  public static StaticConfig parse(Map<String, Object> conf, CniArgs args) {
    String name = ConfigKeys.string(conf, "name", "name");
    String versionText = ConfigKeys.string(conf, "cniVersion", "cniVersion");
    CniVersion version = CniVersion.parse(versionText == null ? "" : versionText);
    Map<String, Object> ipam = ConfigKeys.object(ConfigKeys.get(conf, "ipam"), "ipam");
    if (ipam == null) {
      throw CniException.invalidConfig("ipam: IPAM config missing 'ipam' key");
    }
    List<StaticAddress> addresses = configAddresses(ipam);
    if (args != null && !args.isEmpty()) {
      cniArgs(args, addresses);
    }
    Map<String, Object> argsObj = ConfigKeys.object(ConfigKeys.get(conf, "args"), "args");
    Map<String, Object> cni = ConfigKeys.object(ConfigKeys.get(argsObj, "cni"), "args.cni");
    List<String> argIps = ConfigKeys.strings(cni, "ips", "args.cni.ips");
    if (!argIps.isEmpty()) {
      addresses = ipList(argIps, "args.cni.ips");
    }
    Map<String, Object> runtimeConfig =
        ConfigKeys.object(ConfigKeys.get(conf, "runtimeConfig"), "runtimeConfig");
    List<String> rcIps = ConfigKeys.strings(runtimeConfig, "ips", "runtimeConfig.ips");
    if (!rcIps.isEmpty()) {
      addresses = ipList(rcIps, "runtimeConfig.ips");
    }

    int v4 = 0;
    int v6 = 0;
    for (StaticAddress a : addresses) {
      if (a.address().isIpv4()) {
        v4++;
      } else {
        v6++;
      }
    }
    if ((v4 > 1 || v6 > 1) && !version.atLeast(CniVersion.V0_3_0)) {
      throw CniException.invalidConfig(
          "ipam.addresses: CNI version "
              + version
              + " does not support more than 1 address per family");
    }
    return new StaticConfig(name, version, addresses, routes(ipam), dns(ipam));
  }

  private static List<StaticAddress> configAddresses(Map<String, Object> ipam) {
    List<?> list = ConfigKeys.list(ConfigKeys.get(ipam, "addresses"), "ipam.addresses");
    List<StaticAddress> out = new ArrayList<>();
    if (list == null) {
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      String k = "ipam.addresses[" + i + "]";
      Map<String, Object> a = ConfigKeys.object(list.get(i), k);
      if (a == null) {
        throw CniException.invalidConfig(k + ": expected an object, got null");
      }
      String text = ConfigKeys.string(a, "address", k + ".address");
      Cidr cidr = Cidr.tryParse(text);
      if (cidr == null) {
        throw CniException.invalidConfig(
            k
                + ".address: the 'address' field is expected to be in CIDR notation, got: '"
                + (text == null ? "" : text)
                + "'");
      }
      String gw = ConfigKeys.string(a, "gateway", k + ".gateway");
      InetAddress gateway = null;
      if (gw != null && !gw.isEmpty()) {
        byte[] b = InetAddresses.parseBytes(gw);
        if (b == null) {
          throw CniException.invalidConfig(k + ".gateway: invalid IP address: " + gw);
        }
        gateway = InetAddresses.fromBytes(b);
      }
      out.add(new StaticAddress(cidr, gateway));
    }
    return out;
  }

  /**
   * {@code IP=a/p,b/q} appended; {@code GATEWAY=g,...} goes to each of those whose subnet holds it.
   */
  private static void cniArgs(CniArgs args, List<StaticAddress> addresses) {
    args.requireKnown(CNI_ARGS_KEYS);
    // GATEWAY applies to the IP= addresses only: Go matches it against addresses parsed so far, and
    // the config's
    // own addresses are parsed after CNI_ARGS there
    List<StaticAddress> fromArgs = new ArrayList<>();
    String ip = args.get("IP");
    if (ip != null && !ip.isEmpty()) {
      for (String item : ip.split(",", -1)) {
        String s = item.trim();
        Cidr c = Cidr.tryParse(s);
        if (c == null) {
          throw new CniException(
              ErrorCodes.INVALID_ENVIRONMENT_VARIABLES,
              "CNI_ARGS IP: the 'ip' field is expected to be in CIDR notation, got: '" + s + "'");
        }
        fromArgs.add(new StaticAddress(c, null));
      }
    }
    String gw = args.get("GATEWAY");
    if (gw != null && !gw.isEmpty()) {
      for (String item : gw.split(",", -1)) {
        byte[] b = InetAddresses.parseBytes(item.trim());
        if (b == null) {
          throw new CniException(
              ErrorCodes.INVALID_ENVIRONMENT_VARIABLES,
              "CNI_ARGS GATEWAY: invalid gateway address: " + item);
        }
        InetAddress g = InetAddresses.fromBytes(b);
        for (int i = 0; i < fromArgs.size(); i++) {
          StaticAddress a = fromArgs.get(i);
          if (a.address().contains(g)) {
            fromArgs.set(i, new StaticAddress(a.address(), g));
          }
        }
      }
    }
    addresses.addAll(fromArgs);
  }

  private static List<StaticAddress> ipList(List<String> ips, String key) {
    List<StaticAddress> out = new ArrayList<>(ips.size());
    for (int i = 0; i < ips.size(); i++) {
      Cidr c = Cidr.tryParse(ips.get(i));
      if (c == null) {
        throw CniException.invalidConfig(
            key
                + "["
                + i
                + "]: an entry in the 'ips' field is NOT in CIDR notation, got: '"
                + ips.get(i)
                + "'");
      }
      out.add(new StaticAddress(c, null));
    }
    return out;
  }

  private static List<Result.Route> routes(Map<String, Object> ipam) {
    List<?> list = ConfigKeys.list(ConfigKeys.get(ipam, "routes"), "ipam.routes");
    if (list == null) {
      return List.of();
    }
    List<Result.Route> routes = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      String k = "ipam.routes[" + i + "]";
      Map<String, Object> r = ConfigKeys.object(list.get(i), k);
      if (r == null) {
        throw CniException.invalidConfig(k + ": expected an object, got null");
      }
      String dst = ConfigKeys.string(r, "dst", k + ".dst");
      Cidr d = Cidr.tryParse(dst);
      if (d == null) {
        throw CniException.invalidConfig(
            k + ".dst: invalid CIDR address: " + (dst == null ? "" : dst));
      }
      String gw = ConfigKeys.string(r, "gw", k + ".gw");
      InetAddress gateway = null;
      if (gw != null && !gw.isEmpty()) {
        byte[] b = InetAddresses.parseBytes(gw);
        if (b == null) {
          throw CniException.invalidConfig(k + ".gw: invalid IP address: " + gw);
        }
        gateway = InetAddresses.fromBytes(b);
      }
      // the spec 1.1 route fields (Go's static has them since libcni 1.2); printed at 1.1.0 only
      routes.add(
          new Result.Route(
              d,
              gateway,
              ConfigKeys.integer(r, "mtu", k + ".mtu"),
              ConfigKeys.integer(r, "advmss", k + ".advmss"),
              ConfigKeys.integer(r, "priority", k + ".priority"),
              ConfigKeys.integer(r, "table", k + ".table"),
              ConfigKeys.integer(r, "scope", k + ".scope")));
    }
    return routes;
  }

  private static Result.Dns dns(Map<String, Object> ipam) {
    Map<String, Object> d = ConfigKeys.object(ConfigKeys.get(ipam, "dns"), "ipam.dns");
    if (d == null) {
      return null;
    }
    Result.Dns dns =
        new Result.Dns(
            ConfigKeys.strings(d, "nameservers", "ipam.dns.nameservers"),
            ConfigKeys.string(d, "domain", "ipam.dns.domain"),
            ConfigKeys.strings(d, "search", "ipam.dns.search"),
            ConfigKeys.strings(d, "options", "ipam.dns.options"));
    return dns.isEmpty() ? null : dns;
  }

  /** The result of ADD (canonical model; the dispatcher prints it at the config's version). */
  public Result result() {
    List<Result.IpConfig> ips = new ArrayList<>(addresses.size());
    for (StaticAddress a : addresses) {
      ips.add(a.toIpConfig());
    }
    return new Result(CniVersion.CURRENT, List.of(), ips, routes, dns);
  }
}
