package dev.jcni.spec;

import dev.jcni.spec.json.Json;
import dev.jcni.spec.net.Cidr;
import dev.jcni.spec.net.InetAddresses;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes results at every spec version and converts between versions exactly as libcni does
 * (see shared/reference/cni-facts.md §1.11): lossy down-conversion to 0.1.0/0.2.0, "cannot convert: no valid IP
 * addresses", unknown target versions failing with code 1.
 *
 * <p>Internally a result is held in one of libcni's three wire shapes (types020 for 0.1.0/0.2.0, types040 for
 * 0.3.x/0.4.0, types100 for 1.x) and converted with libcni's converter table, so {@link #convert} reproduces
 * libcni's output for every pair of versions (checked against the shared/fixtures/conversion golden files),
 * including its quirks: the 0.x {@code version} label decides which IP becomes {@code ip4}/{@code ip6}, 1.1.0 route
 * fields survive into 0.4.0, an empty dns is written as {@code "dns":{}} in 0.x and omitted in 1.x, addresses are
 * canonicalized, zero {@code mtu}/{@code advmss}/{@code priority} are dropped while zero {@code table}/{@code scope}
 * /{@code interface} are kept, and 1.x keys are sorted (libcni marshals 1.x through a map).
 *
 * <p>{@link #decode}/{@link #encode} go through the canonical {@link Result} model, which has no 0.x
 * {@code version} label: encoding derives it from the address family.
 *
 * <p>Errors: an unknown input version ({@code unsupported CNI result version "X"}), a missing converter
 * ({@code no converter for CNI result version X to Y}) and {@code cannot convert: no valid IP addresses} are code
 * 1; malformed content is code 6 naming the key.
 */
public final class ResultCodec {
  private ResultCodec() {}

  private static final int K020 = 2;
  private static final int K040 = 4;
  private static final int K100 = 100;

  // ------------------------------------------------------------------------------------------------- public API

  /**
   * Reads a result from its wire form. Its version is the {@code cniVersion} key (case-insensitive, so the
   * {@code CNIVersion} that libcni injects works); when absent, {@code fallback} (libcni assumes the config's
   * version); when {@code fallback} is null too, 0.1.0.
   */
  public static Result decode(Map<String, Object> wire, CniVersion fallback) {
    String version = versionOf(wire);
    if (version.isEmpty()) {
      version = fallback == null ? "0.1.0" : fallback.toString();
    }
    return toModel(create(wire, version));
  }

  public static Result decode(byte[] json, CniVersion fallback) {
    return decode(Json.parseObject(json), fallback);
  }

  /** The wire form of {@code result} converted to {@code target} (libcni's GetAsVersion + JSON encoding). */
  public static Map<String, Object> encode(Result result, CniVersion target) {
    return write(convert(fromModel(result), CniVersion.requireNonNull(target).toString()));
  }

  /** {@link #encode} to bytes. */
  public static byte[] toJson(Result result, CniVersion target) {
    return Json.write(encode(result, target));
  }

  /**
   * Converts a wire result to the target version given as a string ("" means 0.1.0; an unknown version fails
   * with code 1 and libcni's message). This is what the shared/fixtures/conversion cases exercise. The input's
   * version is its own {@code cniVersion}, 0.1.0 when absent (libcni's {@code CreateFromBytes}).
   */
  public static Map<String, Object> convert(Map<String, Object> wire, String targetVersion) {
    String version = versionOf(wire);
    W w = create(wire, version.isEmpty() ? "0.1.0" : version);
    return write(convert(w, targetVersion == null ? "" : targetVersion));
  }

  /** {@link #convert(Map, String)} on bytes. */
  public static byte[] convert(byte[] json, String targetVersion) {
    return Json.write(convert(Json.parseObject(json), targetVersion));
  }

  // ------------------------------------------------------------------------------------------------- wire model

  /** One route as libcni's {@code types.Route}: ints are 0 when unset, table/scope are pointers. */
  private static final class Rt {
    String dst;
    String gw;
    int mtu;
    int advmss;
    int priority;
    Integer table;
    Integer scope;

    Rt basic() {
      Rt r = new Rt();
      r.dst = dst;
      r.gw = gw;
      return r;
    }
  }

  private static final class Ip02 {
    String ip;
    String gateway;
    List<Rt> routes = new ArrayList<>();
  }

  private static final class If {
    String name = "";
    String mac;
    int mtu;
    String sandbox;
    String socketPath;
    String pciID;

    If trimmed() {
      If i = new If();
      i.name = name;
      i.mac = mac;
      i.sandbox = sandbox;
      return i;
    }
  }

  private static final class Ip {
    String label = ""; // types040 only
    Integer iface;
    String address;
    String gateway;
  }

  /** A result in one of libcni's three shapes. */
  private static final class W {
    final int kind;
    String version;
    Ip02 ip4;
    Ip02 ip6;
    List<If> ifs = new ArrayList<>();
    List<Ip> ips = new ArrayList<>();
    List<Rt> routes = new ArrayList<>();
    Result.Dns dns = EMPTY_DNS;

    W(int kind, String version) {
      this.kind = kind;
      this.version = version;
    }
  }

  private static final Result.Dns EMPTY_DNS = new Result.Dns(null, null, null, null);

  private static int kindOf(String version) {
    switch (version) {
      case "0.1.0":
      case "0.2.0":
        return K020;
      case "0.3.0":
      case "0.3.1":
      case "0.4.0":
        return K040;
      case "1.0.0":
      case "1.1.0":
        return K100;
      default:
        return 0;
    }
  }

  // ------------------------------------------------------------------------------------------------- conversion

  private static W convert(W from, String to) {
    if (to.isEmpty()) {
      to = "0.1.0";
    }
    String fv = from.version;
    if (fv.equals(to)) {
      return from;
    }
    int tk = kindOf(to);
    if (tk == from.kind) {
      return relabel(from, to);
    }
    switch (from.kind) {
      case K020:
        if (tk == K040) {
          return from02x(from, to);
        }
        if (tk == K100) {
          return from04x(convert(from, "0.4.0"), to);
        }
        break;
      case K040:
        if (tk == K020) {
          return to02x(from, to);
        }
        if (tk == K100) {
          return from04x(from, to);
        }
        break;
      case K100:
        if (tk == K040) {
          return to04x(from, to);
        }
        if (tk == K020) {
          return convert(to04x(from, "0.4.0"), to);
        }
        break;
      default:
        break;
    }
    throw new CniException(ErrorCodes.INCOMPATIBLE_CNI_VERSION,
        "no converter for CNI result version " + fv + " to " + to);
  }

  /**
   * Same shape, another version (types020 convertFrom010/convertTo010, types040 convertInternal, types100's own
   * versions): the same content under a new label.
   */
  private static W relabel(W from, String to) {
    W w = new W(from.kind, to);
    w.ip4 = from.ip4;
    w.ip6 = from.ip6;
    w.ifs = from.ifs;
    w.ips = from.ips;
    w.routes = from.routes;
    w.dns = from.dns;
    return w;
  }

  /** types040 convertFrom02x: ip4 then ip6 become labelled ips; their routes, ip4's first, go to the top level. */
  private static W from02x(W from, String to) {
    W w = new W(K040, to);
    w.dns = from.dns;
    for (int f = 4; f <= 6; f += 2) {
      Ip02 src = f == 4 ? from.ip4 : from.ip6;
      if (src == null) {
        continue;
      }
      Ip ip = new Ip();
      ip.label = f == 4 ? "4" : "6";
      ip.address = src.ip;
      ip.gateway = src.gateway;
      w.ips.add(ip);
      w.routes.addAll(src.routes);
    }
    return w;
  }

  /**
   * types040 convertTo02x: the first IP labelled "4" and the first labelled "6" (the label, not the address, is
   * trusted); routes go by the family of their dst, only dst and gw kept, dropped when that family has no IP.
   */
  private static W to02x(W from, String to) {
    W w = new W(K020, to);
    w.dns = from.dns;
    for (Ip ip : from.ips) {
      if (ip.label.equals("4") && w.ip4 == null) {
        w.ip4 = ip02(ip);
      } else if (ip.label.equals("6") && w.ip6 == null) {
        w.ip6 = ip02(ip);
      }
      if (w.ip4 != null && w.ip6 != null) {
        break;
      }
    }
    for (Rt r : from.routes) {
      boolean is4 = r.dst.indexOf(':') < 0;
      if (is4 && w.ip4 != null) {
        w.ip4.routes.add(r.basic());
      } else if (!is4 && w.ip6 != null) {
        w.ip6.routes.add(r.basic());
      }
    }
    if (w.ip4 == null && w.ip6 == null) {
      throw new CniException(ErrorCodes.INCOMPATIBLE_CNI_VERSION, "cannot convert: no valid IP addresses");
    }
    return w;
  }

  private static Ip02 ip02(Ip ip) {
    Ip02 o = new Ip02();
    o.ip = ip.address;
    o.gateway = ip.gateway;
    return o;
  }

  /** types100 convertFrom04x: labels dropped; interfaces keep name, mac, sandbox; routes copied whole. */
  private static W from04x(W from, String to) {
    return between04and100(from, K100, to);
  }

  /** types100 convertTo04x: labels from the address family; interface extras dropped; routes copied whole. */
  private static W to04x(W from, String to) {
    return between04and100(from, K040, to);
  }

  // both directions keep the same fields; only 0.4.0's per-IP "version" label differs
  private static W between04and100(W from, int kind, String to) {
    W w = new W(kind, to);
    w.dns = from.dns;
    for (If i : from.ifs) {
      w.ifs.add(i.trimmed());
    }
    for (Ip ip : from.ips) {
      Ip o = new Ip();
      if (kind == K040) {
        o.label = ip.address.indexOf(':') >= 0 ? "6" : "4";
      }
      o.iface = ip.iface;
      o.address = ip.address;
      o.gateway = ip.gateway;
      w.ips.add(o);
    }
    w.routes.addAll(from.routes);
    return w;
  }

  // ------------------------------------------------------------------------------------------------- reading

  private static String versionOf(Map<String, Object> wire) {
    Object v = Json.get(wire, "cniVersion");
    if (v == null) {
      return "";
    }
    if (!(v instanceof String)) {
      throw new CniException(ErrorCodes.DECODING_FAILURE,
          "\"cniVersion\": expected a string, got " + Json.describe(v));
    }
    return (String) v;
  }

  /** libcni's creators: pick the shape by version and read the keys that shape has (unknown keys ignored). */
  private static W create(Map<String, Object> m, String version) {
    int kind = kindOf(version);
    if (kind == 0) {
      throw new CniException(ErrorCodes.INCOMPATIBLE_CNI_VERSION,
          "unsupported CNI result version \"" + version + "\"");
    }
    W w = new W(kind, version);
    w.dns = readDns(Json.get(m, "dns"));
    if (kind == K020) {
      w.ip4 = readIp02(Json.get(m, "ip4"), "ip4");
      w.ip6 = readIp02(Json.get(m, "ip6"), "ip6");
      return w;
    }
    List<Object> ifs = list(Json.get(m, "interfaces"), "interfaces");
    for (int i = 0; i < ifs.size(); i++) {
      String p = "interfaces[" + i + "]";
      Map<String, Object> o = object(ifs.get(i), p);
      If f = new If();
      String name = str(o, "name", p);
      f.name = name == null ? "" : name;
      f.mac = emptyToNull(str(o, "mac", p));
      f.sandbox = emptyToNull(str(o, "sandbox", p));
      if (kind == K100) {
        f.mtu = intOr0(o, "mtu", p);
        f.socketPath = emptyToNull(str(o, "socketPath", p));
        f.pciID = emptyToNull(str(o, "pciID", p));
      }
      w.ifs.add(f);
    }
    List<Object> ips = list(Json.get(m, "ips"), "ips");
    for (int i = 0; i < ips.size(); i++) {
      String p = "ips[" + i + "]";
      Map<String, Object> o = object(ips.get(i), p);
      Ip ip = new Ip();
      if (kind == K040) {
        String label = str(o, "version", p);
        ip.label = label == null ? "" : label;
      }
      ip.iface = integer(Json.get(o, "interface"), Json.child(p, "interface"));
      ip.address = cidr(Json.get(o, "address"), Json.child(p, "address"));
      ip.gateway = address(Json.get(o, "gateway"), Json.child(p, "gateway"));
      w.ips.add(ip);
    }
    w.routes = readRoutes(Json.get(m, "routes"), "routes");
    return w;
  }

  private static Ip02 readIp02(Object v, String path) {
    if (v == null) {
      return null;
    }
    Map<String, Object> o = object(v, path);
    Ip02 ip = new Ip02();
    ip.ip = cidr(Json.get(o, "ip"), Json.child(path, "ip"));
    ip.gateway = address(Json.get(o, "gateway"), Json.child(path, "gateway"));
    ip.routes = readRoutes(Json.get(o, "routes"), Json.child(path, "routes"));
    return ip;
  }

  private static List<Rt> readRoutes(Object v, String path) {
    List<Object> l = list(v, path);
    List<Rt> out = new ArrayList<>(l.size());
    for (int i = 0; i < l.size(); i++) {
      String p = path + "[" + i + "]";
      Map<String, Object> o = object(l.get(i), p);
      Rt r = new Rt();
      r.dst = cidr(Json.get(o, "dst"), Json.child(p, "dst"));
      r.gw = address(Json.get(o, "gw"), Json.child(p, "gw"));
      r.mtu = intOr0(o, "mtu", p);
      r.advmss = intOr0(o, "advmss", p);
      r.priority = intOr0(o, "priority", p);
      r.table = integer(Json.get(o, "table"), Json.child(p, "table"));
      r.scope = integer(Json.get(o, "scope"), Json.child(p, "scope"));
      out.add(r);
    }
    return out;
  }

  private static Result.Dns readDns(Object v) {
    if (v == null) {
      return EMPTY_DNS;
    }
    Result.Dns d = Json.bind(v, Result.Dns.class, "dns");
    return new Result.Dns(d.nameservers(), emptyToNull(d.domain()), d.search(), d.options());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object v, String path) {
    if (!(v instanceof Map)) {
      throw new CniException(ErrorCodes.DECODING_FAILURE,
          "\"" + path + "\": expected an object, got " + Json.describe(v));
    }
    return (Map<String, Object>) v;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object v, String path) {
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List)) {
      throw new CniException(ErrorCodes.DECODING_FAILURE,
          "\"" + path + "\": expected an array, got " + Json.describe(v));
    }
    return (List<Object>) v;
  }

  private static String str(Map<String, Object> o, String key, String path) {
    return Json.bind(Json.get(o, key), String.class, Json.child(path, key));
  }

  private static Integer integer(Object v, String path) {
    return Json.bind(v, Integer.class, path);
  }

  private static int intOr0(Map<String, Object> o, String key, String path) {
    Integer i = integer(Json.get(o, key), Json.child(path, key));
    return i == null ? 0 : i;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** A required CIDR, canonicalized as Go's net.IPNet.String(); host bits kept. */
  private static String cidr(Object v, String path) {
    if (v == null) {
      throw new CniException(ErrorCodes.DECODING_FAILURE, "\"" + path + "\": missing CIDR address");
    }
    String s = Json.bind(v, String.class, path);
    Cidr c = Cidr.tryParse(s);
    if (c == null) {
      throw new CniException(ErrorCodes.DECODING_FAILURE, "\"" + path + "\": invalid CIDR address: " + s);
    }
    return c.toString();
  }

  /** An optional IP address ("" means none, as Go's net.IP), canonicalized. */
  private static String address(Object v, String path) {
    String s = Json.bind(v, String.class, path);
    if (s == null || s.isEmpty()) {
      return null;
    }
    byte[] b = InetAddresses.parseBytes(s);
    if (b == null) {
      throw new CniException(ErrorCodes.DECODING_FAILURE, "\"" + path + "\": invalid IP address: " + s);
    }
    return InetAddresses.format(b);
  }

  // ------------------------------------------------------------------------------------------------- model

  private static Result toModel(W w) {
    List<Result.Interface> ifs = new ArrayList<>(w.ifs.size());
    List<Result.IpConfig> ips = new ArrayList<>();
    List<Result.Route> routes = new ArrayList<>();
    if (w.kind == K020) {
      for (Ip02 ip : new Ip02[] {w.ip4, w.ip6}) {
        if (ip != null) {
          ips.add(new Result.IpConfig(null, ip.ip, ip.gateway));
          for (Rt r : ip.routes) {
            routes.add(route(r));
          }
        }
      }
    } else {
      for (If i : w.ifs) {
        ifs.add(new Result.Interface(i.name, i.mac, i.mtu == 0 ? null : i.mtu, i.sandbox, i.socketPath, i.pciID));
      }
      for (Ip ip : w.ips) {
        ips.add(new Result.IpConfig(ip.iface, ip.address, ip.gateway));
      }
      for (Rt r : w.routes) {
        routes.add(route(r));
      }
    }
    return new Result(CniVersion.parse(w.version), ifs, ips, routes, w.dns.isEmpty() ? null : w.dns);
  }

  private static Result.Route route(Rt r) {
    return new Result.Route(r.dst, r.gw, r.mtu == 0 ? null : r.mtu, r.advmss == 0 ? null : r.advmss,
        r.priority == 0 ? null : r.priority, r.table, r.scope);
  }

  /** The result in libcni's shape for its own version (lossy only where that shape cannot hold the data). */
  private static W fromModel(Result r) {
    String version = r.cniVersion().toString();
    int kind = kindOf(version);
    if (kind == 0) {
      throw new CniException(ErrorCodes.INCOMPATIBLE_CNI_VERSION,
          "unsupported CNI result version \"" + version + "\"");
    }
    W w = new W(kind, version);
    w.dns = r.dns() == null ? EMPTY_DNS
        : new Result.Dns(r.dns().nameservers(), emptyToNull(r.dns().domain()), r.dns().search(), r.dns().options());
    List<Rt> routes = new ArrayList<>(r.routes().size());
    for (Result.Route rt : r.routes()) {
      Rt o = new Rt();
      o.dst = modelCidr(rt.dst(), "route dst");
      o.gw = modelAddress(rt.gw());
      o.mtu = rt.mtu() == null ? 0 : rt.mtu();
      o.advmss = rt.advmss() == null ? 0 : rt.advmss();
      o.priority = rt.priority() == null ? 0 : rt.priority();
      o.table = rt.table();
      o.scope = rt.scope();
      routes.add(o);
    }
    if (kind == K020) {
      for (Result.IpConfig ip : r.ips()) {
        String addr = modelCidr(ip.address(), "ip address");
        boolean v6 = addr.indexOf(':') >= 0;
        if ((v6 ? w.ip6 : w.ip4) != null) {
          continue;
        }
        Ip02 o = new Ip02();
        o.ip = addr;
        o.gateway = modelAddress(ip.gateway());
        if (v6) {
          w.ip6 = o;
        } else {
          w.ip4 = o;
        }
      }
      for (Rt rt : routes) {
        Ip02 owner = rt.dst.indexOf(':') >= 0 ? w.ip6 : w.ip4;
        if (owner != null) {
          owner.routes.add(rt);
        }
      }
      return w;
    }
    for (Result.Interface i : r.interfaces()) {
      If f = new If();
      f.name = i.name() == null ? "" : i.name();
      f.mac = emptyToNull(i.mac());
      f.sandbox = emptyToNull(i.sandbox());
      if (kind == K100) {
        f.mtu = i.mtu() == null ? 0 : i.mtu();
        f.socketPath = emptyToNull(i.socketPath());
        f.pciID = emptyToNull(i.pciID());
      }
      w.ifs.add(f);
    }
    for (Result.IpConfig ip : r.ips()) {
      Ip o = new Ip();
      o.address = modelCidr(ip.address(), "ip address");
      o.label = kind == K040 ? (o.address.indexOf(':') >= 0 ? "6" : "4") : "";
      o.iface = ip.interfaceIndex();
      o.gateway = modelAddress(ip.gateway());
      w.ips.add(o);
    }
    w.routes = routes;
    return w;
  }

  private static String modelCidr(String s, String what) {
    Cidr c = Cidr.tryParse(s);
    if (c == null) {
      throw new IllegalArgumentException("invalid " + what + " in result: " + s);
    }
    return c.toString();
  }

  private static String modelAddress(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    byte[] b = InetAddresses.parseBytes(s);
    if (b == null) {
      throw new IllegalArgumentException("invalid gateway address in result: " + s);
    }
    return InetAddresses.format(b);
  }

  // ------------------------------------------------------------------------------------------------- writing

  /** Marshals like libcni: struct field order for 0.x, sorted keys for 1.x (types100 goes through a map). */
  private static Map<String, Object> write(W w) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cniVersion", w.version);
    if (w.kind == K020) {
      if (w.ip4 != null) {
        m.put("ip4", writeIp02(w.ip4));
      }
      if (w.ip6 != null) {
        m.put("ip6", writeIp02(w.ip6));
      }
      m.put("dns", writeDns(w.dns, false));
      return m;
    }
    boolean sorted = w.kind == K100;
    if (sorted && !w.dns.isEmpty()) {
      m.put("dns", writeDns(w.dns, true));
    }
    if (!w.ifs.isEmpty()) {
      List<Object> l = new ArrayList<>(w.ifs.size());
      for (If i : w.ifs) {
        Map<String, Object> o = new LinkedHashMap<>();
        if (sorted) {
          putIf(o, "mac", i.mac);
          putNonZero(o, "mtu", i.mtu);
          o.put("name", i.name);
          putIf(o, "pciID", i.pciID);
          putIf(o, "sandbox", i.sandbox);
          putIf(o, "socketPath", i.socketPath);
        } else {
          o.put("name", i.name);
          putIf(o, "mac", i.mac);
          putIf(o, "sandbox", i.sandbox);
        }
        l.add(o);
      }
      m.put("interfaces", l);
    }
    if (!w.ips.isEmpty()) {
      List<Object> l = new ArrayList<>(w.ips.size());
      for (Ip ip : w.ips) {
        Map<String, Object> o = new LinkedHashMap<>();
        if (sorted) {
          o.put("address", ip.address);
          putIf(o, "gateway", ip.gateway);
          putInt(o, "interface", ip.iface);
        } else {
          o.put("version", ip.label);
          putInt(o, "interface", ip.iface);
          o.put("address", ip.address);
          putIf(o, "gateway", ip.gateway);
        }
        l.add(o);
      }
      m.put("ips", l);
    }
    if (!w.routes.isEmpty()) {
      m.put("routes", writeRoutes(w.routes, sorted));
    }
    if (!sorted) {
      m.put("dns", writeDns(w.dns, false));
    }
    return m;
  }

  private static Map<String, Object> writeIp02(Ip02 ip) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("ip", ip.ip);
    putIf(o, "gateway", ip.gateway);
    if (!ip.routes.isEmpty()) {
      o.put("routes", writeRoutes(ip.routes, false));
    }
    return o;
  }

  private static List<Object> writeRoutes(List<Rt> routes, boolean sorted) {
    List<Object> l = new ArrayList<>(routes.size());
    for (Rt r : routes) {
      Map<String, Object> o = new LinkedHashMap<>();
      if (sorted) {
        putNonZero(o, "advmss", r.advmss);
        o.put("dst", r.dst);
        putIf(o, "gw", r.gw);
        putNonZero(o, "mtu", r.mtu);
        putNonZero(o, "priority", r.priority);
        putInt(o, "scope", r.scope);
        putInt(o, "table", r.table);
      } else {
        o.put("dst", r.dst);
        putIf(o, "gw", r.gw);
        putNonZero(o, "mtu", r.mtu);
        putNonZero(o, "advmss", r.advmss);
        putNonZero(o, "priority", r.priority);
        putInt(o, "table", r.table);
        putInt(o, "scope", r.scope);
      }
      l.add(o);
    }
    return l;
  }

  private static Map<String, Object> writeDns(Result.Dns d, boolean sorted) {
    Map<String, Object> o = new LinkedHashMap<>();
    if (sorted) {
      putIf(o, "domain", d.domain());
      putList(o, "nameservers", d.nameservers());
      putList(o, "options", d.options());
      putList(o, "search", d.search());
    } else {
      putList(o, "nameservers", d.nameservers());
      putIf(o, "domain", d.domain());
      putList(o, "search", d.search());
      putList(o, "options", d.options());
    }
    return o;
  }

  private static void putIf(Map<String, Object> o, String k, Object v) {
    if (v != null) {
      o.put(k, v);
    }
  }

  /** Numbers go into the tree as Long, as {@link Json#parse} produces them, so trees compare equal. */
  private static void putNonZero(Map<String, Object> o, String k, int v) {
    if (v != 0) {
      o.put(k, (long) v);
    }
  }

  private static void putInt(Map<String, Object> o, String k, Integer v) {
    if (v != null) {
      o.put(k, v.longValue());
    }
  }

  private static void putList(Map<String, Object> o, String k, List<String> v) {
    if (v != null && !v.isEmpty()) {
      o.put(k, v);
    }
  }
}
