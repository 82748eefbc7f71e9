package dev.jcni.plugins.meta.portmap;

import dev.jcni.plugins.common.firewall.Backend;
import dev.jcni.plugins.common.firewall.Conditions;
import dev.jcni.plugins.common.firewall.FwValues;
import dev.jcni.spec.CniException;
import dev.jcni.spec.json.Json;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * portmap's configuration, parsed from the raw config object and fully validated before any rule is
 * written. Keys are matched case-insensitively (exact wins), because containerd sends {@code
 * HostPort}, {@code Protocol}... Every failure is code 7 with the key path in the message.
 *
 * @param snat hairpin / localhost masquerading (default true)
 * @param masqAll masquerade DNATed traffic from any source, not just the pod subnet (and localhost)
 * @param markMasqBit iptables: the mark bit (default 13); null when {@code externalSetMarkChain} is
 *     used
 * @param markMasqBitGiven whether the config set {@code markMasqBit} (an iptables-only option)
 * @param externalSetMarkChain iptables: an existing chain that marks for masquerade, or null
 * @param conditionsV4 validated extra matches for IPv4 DNAT entries, or null
 * @param conditionsV6 same for IPv6
 * @param backend the backend asked for, or null (Go's default applies)
 * @param mappings the port mappings (empty means: touch nothing)
 */
public record PortMapConfig(
    boolean snat,
    boolean masqAll,
    Integer markMasqBit,
    boolean markMasqBitGiven,
    String externalSetMarkChain,
    Conditions conditionsV4,
    Conditions conditionsV6,
    Backend backend,
    List<PortMapping> mappings) {

  public static final int DEFAULT_MARK_BIT = 13;

  /** Parses and validates the raw config object (as received on stdin). */
  public static PortMapConfig parse(Map<String, Object> raw) {
    return from(PortMapConf.bind(raw));
  }

  /** Validates the bound keys. */
  public static PortMapConfig from(PortMapConf raw) {
    boolean snat = bool(raw.snat(), "snat", true);
    boolean masqAll = bool(raw.masqAll(), "masqAll", false);
    Object bitRaw = raw.markMasqBit();
    Object extRaw = raw.externalSetMarkChain();
    if (bitRaw != null && extRaw != null) {
      throw CniException.invalidConfig("markMasqBit and externalSetMarkChain cannot both be set");
    }
    Integer bit = null;
    String ext = null;
    if (extRaw != null) {
      if (!(extRaw instanceof String s)) {
        throw CniException.invalidConfig("externalSetMarkChain: must be a string");
      }
      ext = FwValues.chain(s, "externalSetMarkChain");
    } else {
      long b = bitRaw == null ? DEFAULT_MARK_BIT : integer(bitRaw, "markMasqBit");
      if (b < 0 || b > 31) {
        throw CniException.invalidConfig("markMasqBit: " + b + " is out of range (0-31)");
      }
      bit = (int) b;
    }
    Object backendRaw = raw.backend();
    if (backendRaw != null && !(backendRaw instanceof String)) {
      throw CniException.invalidConfig("backend: must be a string");
    }
    Backend backend = Backend.parse((String) backendRaw, "backend");

    List<String> c4 = strings(raw.conditionsV4(), "conditionsV4");
    List<String> c6 = strings(raw.conditionsV6(), "conditionsV6");

    // Which backend the options themselves require (Go's ensureBackend).
    List<String> iptOnly = new ArrayList<>();
    List<String> nftOnly = new ArrayList<>();
    if (bitRaw != null) {
      iptOnly.add("markMasqBit");
    }
    if (extRaw != null) {
      iptOnly.add("externalSetMarkChain");
    }
    for (Map.Entry<String, List<String>> e :
        Map.of(
                "conditionsV4",
                c4 == null ? List.<String>of() : c4,
                "conditionsV6",
                c6 == null ? List.<String>of() : c6)
            .entrySet()) {
      Backend b = Conditions.detect(e.getValue());
      if (b == Backend.IPTABLES) {
        iptOnly.add(e.getKey());
      } else if (b == Backend.NFTABLES) {
        nftOnly.add(e.getKey());
      }
    }
    iptOnly.sort(null);
    nftOnly.sort(null);
    if (!iptOnly.isEmpty() && !nftOnly.isEmpty()) {
      throw CniException.invalidConfig(
          "configuration mixes iptables-specific options "
              + iptOnly
              + " and nftables-specific options "
              + nftOnly);
    }
    if (backend == Backend.IPTABLES && !nftOnly.isEmpty()) {
      throw CniException.invalidConfig(
          "iptables backend was requested but configuration contains "
              + "nftables-specific options "
              + nftOnly);
    }
    if (backend == Backend.NFTABLES && !iptOnly.isEmpty()) {
      throw CniException.invalidConfig(
          "nftables backend was requested but configuration contains "
              + "iptables-specific options "
              + iptOnly);
    }
    Backend condBackend = !nftOnly.isEmpty() ? Backend.NFTABLES : Backend.IPTABLES;
    Conditions cond4 = c4 == null ? null : Conditions.parse(c4, condBackend, "conditionsV4");
    Conditions cond6 = c6 == null ? null : Conditions.parse(c6, condBackend, "conditionsV6");

    List<PortMapping> mappings = mappings(raw.runtimeConfig());
    return new PortMapConfig(
        snat, masqAll, bit, bitRaw != null, ext, cond4, cond6, backend, mappings);
  }

  /**
   * The backend the options force, if any: nft-syntax conditions need nftables; mark options or
   * iptables-syntax conditions need iptables. Null when the options are neutral.
   */
  public Backend backendRequiredByOptions() {
    if ((conditionsV4 != null && conditionsV4.backend() == Backend.NFTABLES)
        || (conditionsV6 != null && conditionsV6.backend() == Backend.NFTABLES)) {
      return Backend.NFTABLES;
    }
    if (markMasqBitGiven
        || externalSetMarkChain != null
        || (conditionsV4 != null && conditionsV4.backend() == Backend.IPTABLES)
        || (conditionsV6 != null && conditionsV6.backend() == Backend.IPTABLES)) {
      return Backend.IPTABLES;
    }
    return null;
  }

  static List<PortMapping> mappings(Object rc) {
    if (rc == null) {
      return List.of();
    }
    if (!(rc instanceof Map)) {
      throw CniException.invalidConfig("runtimeConfig: must be an object");
    }
    Object pm = Json.bind(rc, PortMapConf.RuntimeConfig.class).portMappings();
    if (pm == null) {
      return List.of();
    }
    if (!(pm instanceof List<?> list)) {
      throw CniException.invalidConfig("runtimeConfig.portMappings: must be an array");
    }
    List<PortMapping> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String key = "runtimeConfig.portMappings[" + i + "]";
      if (!(list.get(i) instanceof Map)) {
        throw CniException.invalidConfig(key + ": must be an object");
      }
      PortMapConf.Mapping e = Json.bind(list.get(i), PortMapConf.Mapping.class);
      int hostPort =
          FwValues.port(
              integer(required(e.hostPort(), "hostPort", key), key + ".hostPort"),
              key + ".hostPort");
      int containerPort =
          FwValues.port(
              integer(required(e.containerPort(), "containerPort", key), key + ".containerPort"),
              key + ".containerPort");
      Object protoRaw = e.protocol();
      String proto;
      if (protoRaw == null || "".equals(protoRaw)) {
        proto = "tcp"; // Kubernetes' default protocol
      } else if (protoRaw instanceof String s) {
        proto = s.toLowerCase(Locale.ROOT);
        if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
          throw CniException.invalidConfig(
              key + ".protocol: \"" + FwValues.printable(s) + "\" is not tcp, udp or sctp");
        }
      } else {
        throw CniException.invalidConfig(key + ".protocol: must be a string");
      }
      Object hip = e.hostIP();
      InetAddress hostIp = null;
      if (hip != null && !"".equals(hip)) {
        if (!(hip instanceof String s)) {
          throw CniException.invalidConfig(key + ".hostIP: must be a string");
        }
        hostIp = FwValues.address(s, key + ".hostIP");
        if (FwValues.isUnspecified(hostIp)) {
          hostIp = null;
        }
      }
      out.add(new PortMapping(hostPort, containerPort, proto, hostIp));
    }
    return List.copyOf(out);
  }

  private static Object required(Object v, String k, String key) {
    if (v == null) {
      throw CniException.invalidConfig(key + "." + k + ": is required");
    }
    return v;
  }

  private static boolean bool(Object v, String key, boolean dflt) {
    if (v == null) {
      return dflt;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw CniException.invalidConfig(key + ": must be a boolean");
  }

  private static long integer(Object v, String key) {
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger b) {
      return b.signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    if (v instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
      return d.longValue();
    }
    throw CniException.invalidConfig(key + ": must be an integer");
  }

  private static List<String> strings(Object v, String key) {
    if (v == null) {
      return null;
    }
    if (!(v instanceof List<?> l)) {
      throw CniException.invalidConfig(key + ": must be an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (Object o : l) {
      if (!(o instanceof String s)) {
        throw CniException.invalidConfig(key + ": must be an array of strings");
      }
      out.add(s);
    }
    return out;
  }
}
