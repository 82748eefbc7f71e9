package dev.jcni.spec.result;

import dev.jcni.spec.Result;
import dev.jcni.spec.json.Json;
import dev.jcni.spec.net.Cidr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What types040 and types100 have in common: lists of interfaces, IPs (pointing at an interface by
 * index) and routes. They differ in the per-IP {@code version} label (040 only), the interface
 * extras (100 only) and the key order (types100 is marshalled through a map, so its keys come out
 * sorted).
 */
abstract class ListResult extends WireResult {
  List<Parts.If> ifs = new ArrayList<>();
  List<Parts.Ip> ips = new ArrayList<>();
  List<Parts.Rt> routes = new ArrayList<>();

  ListResult(String version) {
    super(version);
  }

  /** Does this shape label its IPs ("version": "4"/"6")? */
  abstract boolean labelled();

  /** Does this shape have the interface extras (mtu, socketPath, pciID) and sorted keys? */
  abstract boolean full();

  /** Reads the keys this shape has. */
  final void readFrom(Map<String, Object> m) {
    dns = Parts.readDns(Json.get(m, "dns"));
    ifs = Parts.readInterfaces(m, full());
    ips = Parts.readIps(m, labelled());
    routes = Parts.readRoutes(Json.get(m, "routes"), "routes");
  }

  /** The model in this shape. */
  final void fillFrom(Result r) {
    dns = Parts.dns(r.dns());
    for (Result.Interface i : r.interfaces()) {
      Parts.If f = new Parts.If();
      f.name = i.name() == null ? "" : i.name();
      f.mac = Parts.emptyToNull(i.mac());
      f.sandbox = Parts.emptyToNull(i.sandbox());
      if (full()) {
        f.mtu = i.mtu() == null ? 0 : i.mtu();
        f.socketPath = Parts.emptyToNull(i.socketPath());
        f.pciID = Parts.emptyToNull(i.pciID());
      }
      ifs.add(f);
    }
    for (Result.IpConfig ip : r.ips()) {
      Parts.Ip o = new Parts.Ip();
      o.address = ip.address();
      o.label = labelled() ? familyLabel(o.address) : "";
      o.iface = ip.interfaceIndex();
      o.gateway = ip.gateway();
      ips.add(o);
    }
    routes = Parts.routesOf(r);
  }

  static String familyLabel(Cidr address) {
    return address.isIpv4() ? "4" : "6";
  }

  /** The same lists under another version label (of this shape or of the other list shape). */
  final <T extends ListResult> T copyInto(T w) {
    w.dns = dns;
    w.ifs = ifs;
    w.ips = ips;
    w.routes = routes;
    return w;
  }

  @Override
  public final Result toModel() {
    List<Result.Interface> mi = new ArrayList<>(ifs.size());
    for (Parts.If i : ifs) {
      mi.add(
          new Result.Interface(
              i.name, i.mac, i.mtu == 0 ? null : i.mtu, i.sandbox, i.socketPath, i.pciID));
    }
    List<Result.IpConfig> mips = new ArrayList<>(ips.size());
    for (Parts.Ip ip : ips) {
      mips.add(new Result.IpConfig(ip.iface, ip.address, ip.gateway));
    }
    return new Result(
        cniVersion(), mi, mips, Parts.routesToModel(routes), dns.isEmpty() ? null : dns);
  }

  @Override
  public final Map<String, Object> write() {
    boolean sorted = full();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cniVersion", version);
    if (sorted && !dns.isEmpty()) {
      m.put("dns", Parts.writeDns(dns, true));
    }
    if (!ifs.isEmpty()) {
      List<Object> l = new ArrayList<>(ifs.size());
      for (Parts.If i : ifs) {
        Map<String, Object> o = new LinkedHashMap<>();
        if (sorted) {
          Parts.putIf(o, "mac", i.mac);
          Parts.putNonZero(o, "mtu", i.mtu);
          o.put("name", i.name);
          Parts.putIf(o, "pciID", i.pciID);
          Parts.putIf(o, "sandbox", i.sandbox);
          Parts.putIf(o, "socketPath", i.socketPath);
        } else {
          o.put("name", i.name);
          Parts.putIf(o, "mac", i.mac);
          Parts.putIf(o, "sandbox", i.sandbox);
        }
        l.add(o);
      }
      m.put("interfaces", l);
    }
    if (!ips.isEmpty()) {
      List<Object> l = new ArrayList<>(ips.size());
      for (Parts.Ip ip : ips) {
        Map<String, Object> o = new LinkedHashMap<>();
        if (sorted) {
          o.put("address", ip.address.toString());
          Parts.putIf(o, "gateway", Parts.text(ip.gateway));
          Parts.putInt(o, "interface", ip.iface);
        } else {
          o.put("version", ip.label);
          Parts.putInt(o, "interface", ip.iface);
          o.put("address", ip.address.toString());
          Parts.putIf(o, "gateway", Parts.text(ip.gateway));
        }
        l.add(o);
      }
      m.put("ips", l);
    }
    if (!routes.isEmpty()) {
      m.put("routes", Parts.writeRoutes(routes, sorted));
    }
    if (!sorted) {
      m.put("dns", Parts.writeDns(dns, false));
    }
    return m;
  }
}
