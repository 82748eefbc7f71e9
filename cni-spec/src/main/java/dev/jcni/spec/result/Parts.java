package dev.jcni.spec.result;

import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.Result;
import dev.jcni.spec.json.Json;
import dev.jcni.spec.net.Cidr;
import dev.jcni.spec.net.InetAddresses;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pieces the three shapes share (libcni's types.Route and DNS), and the typed readers and
 * writers.
 */
final class Parts {
  private Parts() {}

  static final Result.Dns EMPTY_DNS = new Result.Dns(null, null, null, null);

  /** One route as libcni's {@code types.Route}: ints are 0 when unset, table/scope are pointers. */
  static final class Rt {
    Cidr dst;
    InetAddress gw;
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

    static Rt of(Result.Route rt) {
      Rt o = new Rt();
      o.dst = rt.dst();
      o.gw = rt.gw();
      o.mtu = rt.mtu() == null ? 0 : rt.mtu();
      o.advmss = rt.advmss() == null ? 0 : rt.advmss();
      o.priority = rt.priority() == null ? 0 : rt.priority();
      o.table = rt.table();
      o.scope = rt.scope();
      return o;
    }

    Result.Route toModel() {
      return new Result.Route(
          dst,
          gw,
          mtu == 0 ? null : mtu,
          advmss == 0 ? null : advmss,
          priority == 0 ? null : priority,
          table,
          scope);
    }
  }

  /** One interface; {@code mtu}, {@code socketPath} and {@code pciID} exist in types100 only. */
  static final class If {
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

  /** One IP config; the {@code version} label exists in types040 only. */
  static final class Ip {
    String label = "";
    Integer iface;
    Cidr address;
    InetAddress gateway;
  }

  // ------------------------------------------------------------------------------------------------- reading

  /** The interfaces list; {@code full} reads types100's extra keys. */
  static List<If> readInterfaces(Map<String, Object> m, boolean full) {
    List<Object> l = list(Json.get(m, "interfaces"), "interfaces");
    List<If> out = new ArrayList<>(l.size());
    for (int i = 0; i < l.size(); i++) {
      String p = "interfaces[" + i + "]";
      Map<String, Object> o = object(l.get(i), p);
      If f = new If();
      String name = str(o, "name", p);
      f.name = name == null ? "" : name;
      f.mac = emptyToNull(str(o, "mac", p));
      f.sandbox = emptyToNull(str(o, "sandbox", p));
      if (full) {
        f.mtu = intOr0(o, "mtu", p);
        f.socketPath = emptyToNull(str(o, "socketPath", p));
        f.pciID = emptyToNull(str(o, "pciID", p));
      }
      out.add(f);
    }
    return out;
  }

  /** The ips list; {@code labelled} reads types040's per-IP "version". */
  static List<Ip> readIps(Map<String, Object> m, boolean labelled) {
    List<Object> l = list(Json.get(m, "ips"), "ips");
    List<Ip> out = new ArrayList<>(l.size());
    for (int i = 0; i < l.size(); i++) {
      String p = "ips[" + i + "]";
      Map<String, Object> o = object(l.get(i), p);
      Ip ip = new Ip();
      if (labelled) {
        String label = str(o, "version", p);
        ip.label = label == null ? "" : label;
      }
      ip.iface = integer(Json.get(o, "interface"), Json.child(p, "interface"));
      ip.address = cidr(Json.get(o, "address"), Json.child(p, "address"));
      ip.gateway = address(Json.get(o, "gateway"), Json.child(p, "gateway"));
      out.add(ip);
    }
    return out;
  }

  static List<Rt> readRoutes(Object v, String path) {
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

  static Result.Dns readDns(Object v) {
    if (v == null) {
      return EMPTY_DNS;
    }
    return dns(Json.bind(v, Result.Dns.class, "dns"));
  }

  /** The model's DNS as the wire holds it: an empty domain is no domain. */
  static Result.Dns dns(Result.Dns d) {
    return d == null
        ? EMPTY_DNS
        : new Result.Dns(d.nameservers(), emptyToNull(d.domain()), d.search(), d.options());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object v, String path) {
    if (!(v instanceof Map)) {
      throw new CniException(
          ErrorCodes.DECODING_FAILURE,
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
      throw new CniException(
          ErrorCodes.DECODING_FAILURE,
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

  static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** A required CIDR (host bits kept); written back as Go's net.IPNet.String() would. */
  static Cidr cidr(Object v, String path) {
    if (v == null) {
      throw new CniException(ErrorCodes.DECODING_FAILURE, "\"" + path + "\": missing CIDR address");
    }
    String s = Json.bind(v, String.class, path);
    Cidr c = Cidr.tryParse(s);
    if (c == null) {
      throw new CniException(
          ErrorCodes.DECODING_FAILURE, "\"" + path + "\": invalid CIDR address: " + s);
    }
    return c;
  }

  /** An optional IP address ("" means none, as Go's net.IP). */
  static InetAddress address(Object v, String path) {
    String s = Json.bind(v, String.class, path);
    if (s == null || s.isEmpty()) {
      return null;
    }
    byte[] b = InetAddresses.parseBytes(s);
    if (b == null) {
      throw new CniException(
          ErrorCodes.DECODING_FAILURE, "\"" + path + "\": invalid IP address: " + s);
    }
    return InetAddresses.fromBytes(b);
  }

  /** Go's canonical text of an optional address. */
  static String text(InetAddress a) {
    return a == null ? null : InetAddresses.format(a);
  }

  // ------------------------------------------------------------------------------------------------- writing

  static List<Object> writeRoutes(List<Rt> routes, boolean sorted) {
    List<Object> l = new ArrayList<>(routes.size());
    for (Rt r : routes) {
      Map<String, Object> o = new LinkedHashMap<>();
      if (sorted) {
        putNonZero(o, "advmss", r.advmss);
        o.put("dst", r.dst.toString());
        putIf(o, "gw", text(r.gw));
        putNonZero(o, "mtu", r.mtu);
        putNonZero(o, "priority", r.priority);
        putInt(o, "scope", r.scope);
        putInt(o, "table", r.table);
      } else {
        o.put("dst", r.dst.toString());
        putIf(o, "gw", text(r.gw));
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

  static Map<String, Object> writeDns(Result.Dns d, boolean sorted) {
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

  static void putIf(Map<String, Object> o, String k, Object v) {
    if (v != null) {
      o.put(k, v);
    }
  }

  /**
   * Numbers go into the tree as Long, as {@link Json#parse} produces them, so trees compare equal.
   */
  static void putNonZero(Map<String, Object> o, String k, int v) {
    if (v != 0) {
      o.put(k, (long) v);
    }
  }

  static void putInt(Map<String, Object> o, String k, Integer v) {
    if (v != null) {
      o.put(k, v.longValue());
    }
  }

  private static void putList(Map<String, Object> o, String k, List<String> v) {
    if (v != null && !v.isEmpty()) {
      o.put(k, v);
    }
  }

  static List<Result.Route> routesToModel(List<Rt> routes) {
    List<Result.Route> out = new ArrayList<>(routes.size());
    for (Rt r : routes) {
      out.add(r.toModel());
    }
    return out;
  }

  static List<Rt> routesOf(Result r) {
    List<Rt> out = new ArrayList<>(r.routes().size());
    for (Result.Route rt : r.routes()) {
      out.add(Rt.of(rt));
    }
    return out;
  }
}
