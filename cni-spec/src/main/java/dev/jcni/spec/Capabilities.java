package dev.jcni.spec;

import dev.jcni.spec.json.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Typed views of the conventional capabilities in {@code runtimeConfig} (CONVENTIONS.md) and of
 * {@code args.cni}. Everything is bound with {@link Json#bind}, so keys match case-insensitively:
 * containerd's {@code {"HostPort","ContainerPort","Protocol","HostIP"}} port mappings read the same
 * as the lower-case form. Absent values give an empty list or null; a value of the wrong shape is
 * code 6 naming the key path (e.g. {@code "runtimeConfig.portMappings[0].hostPort": expected a
 * number}).
 *
 * <p>These read {@code runtimeConfig} whether or not the plugin declared the capability: libcni
 * only injects a capability the plugin declared, so its presence already implies the declaration.
 */
public final class Capabilities {
  private Capabilities() {}

  public static final String PORT_MAPPINGS = "portMappings";
  public static final String IP_RANGES = "ipRanges";
  public static final String BANDWIDTH = "bandwidth";
  public static final String DNS = "dns";
  public static final String IPS = "ips";
  public static final String MAC = "mac";
  public static final String INFINIBAND_GUID = "infinibandGUID";
  public static final String DEVICE_ID = "deviceID";
  public static final String ALIASES = "aliases";
  public static final String CGROUP_PATH = "cgroupPath";

  /**
   * One entry of {@code runtimeConfig.portMappings}; {@code protocol} as sent ("tcp", "udp", "sctp"
   * or "").
   */
  public record PortMapping(int hostPort, int containerPort, String protocol, String hostIP) {}

  /** {@code runtimeConfig.bandwidth}: rates in bit/s, bursts in bits; 0 when absent. */
  public record Bandwidth(long ingressRate, long ingressBurst, long egressRate, long egressBurst) {}

  /**
   * One range of {@code runtimeConfig.ipRanges} (host-local's range shape): {@code subnet} in CIDR
   * notation, the others addresses, each null when absent. Parse with {@link
   * dev.jcni.spec.net.Cidr} as needed.
   */
  public record IpRange(String subnet, String rangeStart, String rangeEnd, String gateway) {}

  /**
   * {@code runtimeConfig.dns}: {@code {servers, searches, options}} (the Windows plugins'
   * capability).
   */
  public record DnsCapability(List<String> servers, List<String> searches, List<String> options) {
    public DnsCapability {
      servers = servers == null ? List.of() : servers;
      searches = searches == null ? List.of() : searches;
      options = options == null ? List.of() : options;
    }
  }

  /** One of {@code args.cni.labels}. */
  public record Label(String key, String value) {}

  /** {@code runtimeConfig.portMappings}; empty when absent. */
  public static List<PortMapping> portMappings(NetConf conf) {
    return listOf(conf.runtimeConfig(), PORT_MAPPINGS, "runtimeConfig", PortMapping.class);
  }

  /** {@code runtimeConfig.ipRanges}: range sets, each a list of ranges; empty when absent. */
  public static List<List<IpRange>> ipRanges(NetConf conf) {
    Object v = Json.get(conf.runtimeConfig(), IP_RANGES);
    String path = "runtimeConfig." + IP_RANGES;
    List<?> sets = v == null ? List.of() : Json.bind(v, List.class, path);
    List<List<IpRange>> out = new ArrayList<>(sets.size());
    for (int i = 0; i < sets.size(); i++) {
      String p = path + "[" + i + "]";
      List<?> set = sets.get(i) == null ? List.of() : Json.bind(sets.get(i), List.class, p);
      List<IpRange> ranges = new ArrayList<>(set.size());
      for (int j = 0; j < set.size(); j++) {
        ranges.add(Json.bind(set.get(j), IpRange.class, p + "[" + j + "]"));
      }
      out.add(Collections.unmodifiableList(ranges));
    }
    return Collections.unmodifiableList(out);
  }

  /** {@code runtimeConfig.ips}: {@code "ip[/prefix]"} strings; empty when absent. */
  public static List<String> ips(NetConf conf) {
    return listOf(conf.runtimeConfig(), IPS, "runtimeConfig", String.class);
  }

  /** {@code runtimeConfig.mac}, or null. */
  public static String mac(NetConf conf) {
    return Json.bind(Json.get(conf.runtimeConfig(), MAC), String.class, "runtimeConfig." + MAC);
  }

  /** {@code runtimeConfig.bandwidth}, or null. */
  public static Bandwidth bandwidth(NetConf conf) {
    return Json.bind(
        Json.get(conf.runtimeConfig(), BANDWIDTH), Bandwidth.class, "runtimeConfig." + BANDWIDTH);
  }

  /** {@code runtimeConfig.dns}, or null. */
  public static DnsCapability dnsCapability(NetConf conf) {
    return Json.bind(
        Json.get(conf.runtimeConfig(), DNS), DnsCapability.class, "runtimeConfig." + DNS);
  }

  /** {@code runtimeConfig.aliases}; empty when absent. */
  public static List<String> aliases(NetConf conf) {
    return listOf(conf.runtimeConfig(), ALIASES, "runtimeConfig", String.class);
  }

  /** {@code runtimeConfig.deviceID}, or null. */
  public static String deviceId(NetConf conf) {
    return Json.bind(
        Json.get(conf.runtimeConfig(), DEVICE_ID), String.class, "runtimeConfig." + DEVICE_ID);
  }

  /** {@code runtimeConfig.infinibandGUID}, or null. */
  public static String infinibandGuid(NetConf conf) {
    return Json.bind(
        Json.get(conf.runtimeConfig(), INFINIBAND_GUID),
        String.class,
        "runtimeConfig." + INFINIBAND_GUID);
  }

  /** {@code runtimeConfig.cgroupPath}, or null. */
  public static String cgroupPath(NetConf conf) {
    return Json.bind(
        Json.get(conf.runtimeConfig(), CGROUP_PATH), String.class, "runtimeConfig." + CGROUP_PATH);
  }

  /** {@code args.cni}; empty when absent. */
  public static Map<String, Object> argsCni(NetConf conf) {
    Object v = Json.get(conf.args(), "cni");
    if (v == null) {
      return Map.of();
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = Json.bind(v, Map.class, "args.cni");
    return Collections.unmodifiableMap(m);
  }

  /** {@code args.cni.ips}; empty when absent. */
  public static List<String> argsCniIps(NetConf conf) {
    return listOf(argsCni(conf), "ips", "args.cni", String.class);
  }

  /** {@code args.cni.mac}, or null. */
  public static String argsCniMac(NetConf conf) {
    return Json.bind(Json.get(argsCni(conf), "mac"), String.class, "args.cni.mac");
  }

  /** {@code args.cni.labels}; empty when absent. */
  public static List<Label> argsCniLabels(NetConf conf) {
    return listOf(argsCni(conf), "labels", "args.cni", Label.class);
  }

  private static <T> List<T> listOf(
      Map<String, Object> parent, String key, String parentPath, Class<T> type) {
    Object v = Json.get(parent, key);
    if (v == null) {
      return List.of();
    }
    String path = parentPath + "." + key;
    List<?> l = Json.bind(v, List.class, path);
    List<T> out = new ArrayList<>(l.size());
    for (int i = 0; i < l.size(); i++) {
      out.add(Json.bind(l.get(i), type, path + "[" + i + "]"));
    }
    return Collections.unmodifiableList(out);
  }
}
