package dev.jcni.plugins.meta.portmap;

import dev.jcni.spec.json.Json;
import java.util.Map;

/**
 * portmap's keys in a network config, bound with {@link Json#bind} (Go's key matching: exact, else
 * the last case-insensitive match, so containerd's {@code HostPort}, {@code Protocol}... are
 * found). The values are the JSON values as given: {@link PortMapConfig#from(PortMapConf)} checks
 * types and ranges, so every error is a config error (code 7) naming the key path in portmap's own
 * words.
 */
public record PortMapConf(
    Object snat,
    Object masqAll,
    Object markMasqBit,
    Object externalSetMarkChain,
    Object backend,
    Object conditionsV4,
    Object conditionsV6,
    Object runtimeConfig) {

  /** {@code runtimeConfig}: the {@code portMappings} capability. */
  public record RuntimeConfig(Object portMappings) {}

  /** One {@code runtimeConfig.portMappings} entry. */
  public record Mapping(Object hostPort, Object containerPort, Object protocol, Object hostIP) {}

  /** Binds the plugin's keys of a parsed config object ({@code NetConf.raw()}). */
  public static PortMapConf bind(Map<String, Object> raw) {
    return Json.bind(raw, PortMapConf.class);
  }
}
