package dev.jcni.ipam.hostlocal;

import dev.jcni.spec.json.Json;
import java.util.Map;

/**
 * The keys host-local reads from a network config, bound with {@link Json#bind} (Go's key matching:
 * exact, else the last case-insensitive match), one record per JSON object. The values are the JSON
 * values as given: {@link HostLocalConfig#parse} checks their types in Go's order, so a wrong type
 * is a config error (code 7) naming the key path, as before.
 */
public record HostLocalConf(
    Object name, Object cniVersion, Object ipam, Object runtimeConfig, Object args) {

  /**
   * {@code ipam}: the legacy single range ({@code subnet}...) and {@code ranges}, plus the shared
   * keys.
   */
  public record Ipam(
      Object dataDir,
      Object resolvConf,
      Object routes,
      Object subnet,
      Object rangeStart,
      Object rangeEnd,
      Object gateway,
      Object ranges) {}

  /** One range of a range set. */
  public record Range(Object subnet, Object rangeStart, Object rangeEnd, Object gateway) {}

  /** One {@code ipam.routes} entry. */
  public record Route(
      Object dst,
      Object gw,
      Object mtu,
      Object advmss,
      Object priority,
      Object table,
      Object scope) {}

  /** {@code runtimeConfig}: the {@code ipRanges} and {@code ips} capabilities. */
  public record RuntimeConfig(Object ipRanges, Object ips) {}

  /** {@code args}: only {@code args.cni.ips} is read. */
  public record Args(Object cni) {}

  public record CniArgs(Object ips) {}

  /** Binds the top level of a parsed config object ({@code NetConf.raw()}). */
  public static HostLocalConf bind(Map<String, Object> conf) {
    return Json.bind(conf, HostLocalConf.class);
  }

  /** Binds {@code value} to {@code type} once it is known to be an object (or null: then null). */
  static <T> T bindObject(Object value, Class<T> type, String path) {
    Map<String, Object> m = Tree.asObject(value, path);
    return m == null ? null : Json.bind(m, type);
  }
}
