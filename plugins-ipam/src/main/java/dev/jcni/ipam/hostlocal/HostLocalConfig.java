package dev.jcni.ipam.hostlocal;

import dev.jcni.spec.CniException;
import dev.jcni.spec.CniVersion;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.Result;
import dev.jcni.spec.net.Cidr;
import java.net.InetAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * host-local's configuration, read from the whole network config as Go's {@code
 * allocator.LoadIPAMConfig} reads it. Range sets come in Go's order, which fixes the {@code
 * last_reserved_ip.<index>} file each one uses: {@code runtimeConfig.ipRanges}, then the legacy
 * top-level {@code ipam.subnet} range, then {@code ipam.ranges}.
 *
 * @param name the network name (the directory under {@code dataDir})
 * @param cniVersion the config's version
 * @param dataDir the state root ({@code /var/lib/cni/networks} by default)
 * @param rangeSets the validated range sets (empty when parsed with {@code ranges=false})
 * @param routes {@code ipam.routes}, copied into the result
 * @param resolvConf {@code ipam.resolvConf} or null
 * @param requestedIps every requested address: {@code CNI_ARGS IP=}, {@code args.cni.ips}, {@code
 *     runtimeConfig.ips}
 */
public record HostLocalConfig(
    String name,
    CniVersion cniVersion,
    Path dataDir,
    List<RangeSet> rangeSets,
    List<Result.Route> routes,
    String resolvConf,
    List<InetAddress> requestedIps) {

  public static final Path DEFAULT_DATA_DIR = Path.of("/var/lib/cni/networks");

  public HostLocalConfig {
    rangeSets = List.copyOf(rangeSets);
    routes = List.copyOf(routes);
    requestedIps = List.copyOf(requestedIps);
  }

  /** The per-network directory, {@code <dataDir>/<name>}. */
  public Path networkDir() {
    return dataDir.resolve(name);
  }

  /**
   * Reads the config. {@code cniArgsIp} is the {@code IP} value of CNI_ARGS (or null). With {@code
   * ranges=false} (DEL and GC, which only need the directory) range sets are neither read nor
   * validated, so a config edited into an invalid state cannot block the release of addresses.
   */
  public static HostLocalConfig parse(Map<String, Object> raw, String cniArgsIp, boolean ranges) {
    HostLocalConf conf = HostLocalConf.bind(raw);
    String name = Tree.asStringOrNull(conf.name(), "name");
    checkName(name);
    CniVersion version = CniVersion.parse(Tree.asStringOrNull(conf.cniVersion(), "cniVersion"));
    HostLocalConf.Ipam ipam =
        HostLocalConf.bindObject(conf.ipam(), HostLocalConf.Ipam.class, "ipam");
    if (ipam == null) {
      throw CniException.invalidConfig("ipam: required (the IPAM config is missing)");
    }
    String dataDirText = Tree.asStringOrNull(ipam.dataDir(), "ipam.dataDir");
    Path dataDir = DEFAULT_DATA_DIR;
    if (dataDirText != null && !dataDirText.isEmpty()) {
      try {
        dataDir = Path.of(dataDirText);
      } catch (InvalidPathException e) {
        throw CniException.invalidConfig("ipam.dataDir: invalid path \"" + dataDirText + "\"");
      }
    }
    Path abs = dataDir.toAbsolutePath().normalize();
    if (!abs.equals(abs.resolve(name).normalize().getParent())) {
      throw CniException.invalidConfig(
          "name: \"" + name + "\" cannot be used as a directory under " + dataDir);
    }
    if (!ranges) {
      return new HostLocalConfig(name, version, dataDir, List.of(), List.of(), null, List.of());
    }
    String resolvConf = Tree.asStringOrNull(ipam.resolvConf(), "ipam.resolvConf");
    List<Result.Route> routes = routes(ipam);
    HostLocalConf.RuntimeConfig runtimeConfig =
        HostLocalConf.bindObject(
            conf.runtimeConfig(), HostLocalConf.RuntimeConfig.class, "runtimeConfig");
    List<InetAddress> requested = requestedIps(conf, runtimeConfig, cniArgsIp);
    List<RangeSet> sets = rangeSets(ipam, runtimeConfig);

    int v4 = 0;
    int v6 = 0;
    for (RangeSet s : sets) {
      if (s.isV6()) {
        v6++;
      } else {
        v4++;
      }
    }
    if ((v4 > 1 || v6 > 1) && !version.atLeast(CniVersion.V0_3_0)) {
      throw CniException.invalidConfig(
          "ipam.ranges: CNI version "
              + version
              + " does not support more than 1 address per family");
    }
    for (int i = 0; i < sets.size(); i++) {
      for (int j = i + 1; j < sets.size(); j++) {
        if (sets.get(i).overlaps(sets.get(j))) {
          throw CniException.invalidConfig(
              "ipam.ranges: range set "
                  + i
                  + " ("
                  + sets.get(i)
                  + ") overlaps with range set "
                  + j
                  + " ("
                  + sets.get(j)
                  + ")");
        }
      }
    }
    return new HostLocalConfig(name, version, dataDir, sets, routes, resolvConf, requested);
  }

  /** The network name becomes a directory: it must be one plain path component. */
  static void checkName(String name) {
    if (name == null || name.isEmpty()) {
      throw CniException.invalidConfig("name: required");
    }
    if (name.equals(".")
        || name.equals("..")
        || name.indexOf('/') >= 0
        || name.indexOf('\0') >= 0) {
      throw CniException.invalidConfig(
          "name: \"" + name + "\" is not allowed: it would escape the data directory");
    }
  }

  private static List<RangeSet> rangeSets(
      HostLocalConf.Ipam ipam, HostLocalConf.RuntimeConfig runtimeConfig) {
    List<RangeSet> sets = new ArrayList<>();
    List<?> ipRanges =
        runtimeConfig == null
            ? null
            : Tree.asList(runtimeConfig.ipRanges(), "runtimeConfig.ipRanges");
    if (ipRanges != null) {
      addSets(sets, ipRanges, "runtimeConfig.ipRanges");
    }
    // the legacy single range counts only when it has a subnet, as in Go
    String subnet = Tree.asStringOrNull(ipam.subnet(), "ipam.subnet");
    if (subnet != null && !subnet.isEmpty()) {
      sets.add(
          RangeSet.of(
              "ipam",
              List.of(
                  IpRange.of(
                      "ipam",
                      subnet,
                      Tree.asStringOrNull(ipam.rangeStart(), "ipam.rangeStart"),
                      Tree.asStringOrNull(ipam.rangeEnd(), "ipam.rangeEnd"),
                      Tree.asStringOrNull(ipam.gateway(), "ipam.gateway")))));
    }
    List<?> configured = Tree.asList(ipam.ranges(), "ipam.ranges");
    if (configured != null) {
      addSets(sets, configured, "ipam.ranges");
    }
    if (sets.isEmpty()) {
      throw CniException.invalidConfig(
          "ipam.ranges: no IP ranges specified (give ipam.ranges or ipam.subnet)");
    }
    return sets;
  }

  private static void addSets(List<RangeSet> sets, List<?> list, String key) {
    for (int i = 0; i < list.size(); i++) {
      String setKey = key + "[" + i + "]";
      List<?> set = Tree.asList(list.get(i), setKey);
      if (set == null) {
        throw CniException.invalidConfig(setKey + ": empty range set");
      }
      List<IpRange> ranges = new ArrayList<>();
      for (int j = 0; j < set.size(); j++) {
        String rk = setKey + "[" + j + "]";
        HostLocalConf.Range r = HostLocalConf.bindObject(set.get(j), HostLocalConf.Range.class, rk);
        if (r == null) {
          throw CniException.invalidConfig(rk + ": expected an object, got null");
        }
        ranges.add(
            IpRange.of(
                rk,
                Tree.asStringOrNull(r.subnet(), rk + ".subnet"),
                Tree.asStringOrNull(r.rangeStart(), rk + ".rangeStart"),
                Tree.asStringOrNull(r.rangeEnd(), rk + ".rangeEnd"),
                Tree.asStringOrNull(r.gateway(), rk + ".gateway")));
      }
      sets.add(RangeSet.of(setKey, ranges));
    }
  }

  private static List<Result.Route> routes(HostLocalConf.Ipam ipam) {
    List<?> list = Tree.asList(ipam.routes(), "ipam.routes");
    if (list == null) {
      return List.of();
    }
    List<Result.Route> routes = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String k = "ipam.routes[" + i + "]";
      HostLocalConf.Route r = HostLocalConf.bindObject(list.get(i), HostLocalConf.Route.class, k);
      if (r == null) {
        throw CniException.invalidConfig(k + ": expected an object, got null");
      }
      String dst = Tree.asStringOrNull(r.dst(), k + ".dst");
      if (dst == null) {
        throw CniException.invalidConfig(k + ".dst: required");
      }
      Cidr d;
      try {
        d = Addrs.parseSubnet(dst);
      } catch (IllegalArgumentException e) {
        throw CniException.invalidConfig(k + ".dst: " + e.getMessage());
      }
      String gw = Tree.asStringOrNull(r.gw(), k + ".gw");
      InetAddress g = gw == null || gw.isEmpty() ? null : Addrs.parseOrNull(gw);
      if (gw != null && !gw.isEmpty() && g == null) {
        throw CniException.invalidConfig(k + ".gw: invalid IP address \"" + gw + "\"");
      }
      routes.add(
          new Result.Route(
              d,
              g,
              Tree.integer(r.mtu(), k + ".mtu"),
              Tree.integer(r.advmss(), k + ".advmss"),
              Tree.integer(r.priority(), k + ".priority"),
              Tree.integer(r.table(), k + ".table"),
              Tree.integer(r.scope(), k + ".scope")));
    }
    return routes;
  }

  private static List<InetAddress> requestedIps(
      HostLocalConf conf, HostLocalConf.RuntimeConfig runtimeConfig, String cniArgsIp) {
    Set<InetAddress> ips = new LinkedHashSet<>();
    if (cniArgsIp != null && !cniArgsIp.isEmpty()) {
      InetAddress ip = Addrs.parseOrNull(cniArgsIp);
      if (ip == null) {
        throw new CniException(
            ErrorCodes.INVALID_ENVIRONMENT_VARIABLES,
            "CNI_ARGS: IP=" + cniArgsIp + " is not an IP address");
      }
      ips.add(ip);
    }
    HostLocalConf.Args args =
        HostLocalConf.bindObject(conf.args(), HostLocalConf.Args.class, "args");
    HostLocalConf.CniArgs cni =
        args == null
            ? null
            : HostLocalConf.bindObject(args.cni(), HostLocalConf.CniArgs.class, "args.cni");
    addIps(ips, cni == null ? null : Tree.asList(cni.ips(), "args.cni.ips"), "args.cni.ips");
    addIps(
        ips,
        runtimeConfig == null ? null : Tree.asList(runtimeConfig.ips(), "runtimeConfig.ips"),
        "runtimeConfig.ips");
    return new ArrayList<>(ips);
  }

  private static void addIps(Set<InetAddress> ips, List<?> list, String key) {
    if (list == null) {
      return;
    }
    for (int i = 0; i < list.size(); i++) {
      String text = Tree.asString(list.get(i), key + "[" + i + "]");
      // "ip" or "ip/prefix" (the ips capability allows a prefix; only the address is requested)
      int slash = text.indexOf('/');
      InetAddress ip = null;
      if (slash < 0) {
        ip = Addrs.parseOrNull(text);
      } else {
        try {
          ip = Addrs.parseSubnet(text).address();
        } catch (IllegalArgumentException e) {
          // reported below
        }
      }
      if (ip == null) {
        throw CniException.invalidConfig(
            key + "[" + i + "]: \"" + text + "\" is not an IP address");
      }
      ips.add(ip);
    }
  }
}
