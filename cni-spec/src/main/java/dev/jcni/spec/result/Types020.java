package dev.jcni.spec.result;

import dev.jcni.spec.Result;
import dev.jcni.spec.json.Json;
import dev.jcni.spec.net.Cidr;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * libcni's types020: 0.1.0 and 0.2.0, at most one {@code ip4} and one {@code ip6}, each with its
 * own routes.
 */
final class Types020 extends WireResult {
  /** One address family's block. */
  static final class Ip02 {
    Cidr ip;
    InetAddress gateway;
    List<Parts.Rt> routes = new ArrayList<>();

    static Ip02 of(Parts.Ip ip) {
      Ip02 o = new Ip02();
      o.ip = ip.address;
      o.gateway = ip.gateway;
      return o;
    }
  }

  Ip02 ip4;
  Ip02 ip6;

  Types020(String version) {
    super(version);
  }

  static Types020 fromWire(Map<String, Object> m, String version) {
    Types020 w = new Types020(version);
    w.dns = Parts.readDns(Json.get(m, "dns"));
    w.ip4 = readIp02(Json.get(m, "ip4"), "ip4");
    w.ip6 = readIp02(Json.get(m, "ip6"), "ip6");
    return w;
  }

  private static Ip02 readIp02(Object v, String path) {
    if (v == null) {
      return null;
    }
    Map<String, Object> o = Parts.object(v, path);
    Ip02 ip = new Ip02();
    ip.ip = Parts.cidr(Json.get(o, "ip"), Json.child(path, "ip"));
    ip.gateway = Parts.address(Json.get(o, "gateway"), Json.child(path, "gateway"));
    ip.routes = Parts.readRoutes(Json.get(o, "routes"), Json.child(path, "routes"));
    return ip;
  }

  /**
   * The first address of each family; routes go to the block of their dst's family (dropped when it
   * has none).
   */
  static Types020 fromModel(Result r) {
    Types020 w = new Types020(r.cniVersion().toString());
    w.dns = Parts.dns(r.dns());
    for (Result.IpConfig ip : r.ips()) {
      Cidr addr = ip.address();
      boolean v6 = !addr.isIpv4();
      if ((v6 ? w.ip6 : w.ip4) != null) {
        continue;
      }
      Ip02 o = new Ip02();
      o.ip = addr;
      o.gateway = ip.gateway();
      if (v6) {
        w.ip6 = o;
      } else {
        w.ip4 = o;
      }
    }
    for (Parts.Rt rt : Parts.routesOf(r)) {
      Ip02 owner = rt.dst.isIpv4() ? w.ip4 : w.ip6;
      if (owner != null) {
        owner.routes.add(rt);
      }
    }
    return w;
  }

  @Override
  WireResult relabel(String to) {
    Types020 w = new Types020(to);
    w.ip4 = ip4;
    w.ip6 = ip6;
    w.dns = dns;
    return w;
  }

  @Override
  public Result toModel() {
    List<Result.IpConfig> ips = new ArrayList<>();
    List<Result.Route> routes = new ArrayList<>();
    for (Ip02 ip : new Ip02[] {ip4, ip6}) {
      if (ip != null) {
        ips.add(new Result.IpConfig(null, ip.ip, ip.gateway));
        routes.addAll(Parts.routesToModel(ip.routes));
      }
    }
    return new Result(cniVersion(), List.of(), ips, routes, dns.isEmpty() ? null : dns);
  }

  @Override
  public Map<String, Object> write() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cniVersion", version);
    if (ip4 != null) {
      m.put("ip4", writeIp02(ip4));
    }
    if (ip6 != null) {
      m.put("ip6", writeIp02(ip6));
    }
    m.put("dns", Parts.writeDns(dns, false));
    return m;
  }

  private static Map<String, Object> writeIp02(Ip02 ip) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("ip", ip.ip.toString());
    Parts.putIf(o, "gateway", Parts.text(ip.gateway));
    if (!ip.routes.isEmpty()) {
      o.put("routes", Parts.writeRoutes(ip.routes, false));
    }
    return o;
  }
}
