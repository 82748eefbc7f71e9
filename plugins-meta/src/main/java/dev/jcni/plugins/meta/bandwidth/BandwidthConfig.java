package dev.jcni.plugins.meta.bandwidth;

import dev.jcni.spec.CniException;
import dev.jcni.spec.json.Json;
import dev.jcni.spec.net.Cidr;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The bandwidth limits of one attachment, taken from the config exactly as Go's bandwidth plugin
 * takes them: the top-level keys {@code ingressRate}, {@code ingressBurst}, {@code egressRate},
 * {@code egressBurst} (and {@code shapedSubnets} / {@code unshapedSubnets}) when any of them is
 * present; otherwise {@code runtimeConfig.bandwidth} (the {@code bandwidth} capability, filled by
 * containerd from the {@code kubernetes.io/ingress-bandwidth} / {@code egress-bandwidth}
 * annotations). Rates are bits per second, bursts are bits. Validated fully before anything is
 * touched; every failure is code 7 naming the key.
 *
 * @param source where the limits came from: {@code ""} (top level), {@code
 *     "runtimeConfig.bandwidth."}, or null when neither has any (nothing to shape)
 * @param ingressRate bits/s for traffic into the pod, 0 = unlimited
 * @param ingressBurst bits
 * @param egressRate bits/s for traffic out of the pod, 0 = unlimited
 * @param egressBurst bits
 * @param shapedSubnets if not empty, only traffic to/from these subnets is shaped (Go v1.5)
 * @param unshapedSubnets traffic to these subnets is not shaped (Go v1.5); exclusive with
 *     shapedSubnets
 */
public record BandwidthConfig(
    String source,
    long ingressRate,
    long ingressBurst,
    long egressRate,
    long egressBurst,
    List<Cidr> shapedSubnets,
    List<Cidr> unshapedSubnets) {

  static final String[] KEYS = {
    "ingressRate", "ingressBurst", "egressRate", "egressBurst", "shapedSubnets", "unshapedSubnets"
  };

  /**
   * Go refuses a burst whose byte count does not fit tbf's 32-bit fields ({@code burst/8 >=
   * MaxUint32}).
   */
  static final long MAX_BURST_BYTES = 0xFFFFFFFFL;

  public static final BandwidthConfig NONE =
      new BandwidthConfig(null, 0, 0, 0, 0, List.of(), List.of());

  /** Parses and validates the raw config object. */
  public static BandwidthConfig parse(Map<String, Object> raw) {
    boolean topLevel = false;
    for (String k : KEYS) {
      if (Json.get(raw, k) != null) {
        topLevel = true;
      }
    }
    if (topLevel) {
      return entry(raw, "");
    }
    Object rc = Json.get(raw, "runtimeConfig");
    if (rc == null) {
      return NONE;
    }
    if (!(rc instanceof Map<?, ?> rcMap)) {
      throw CniException.invalidConfig("runtimeConfig: must be an object");
    }
    @SuppressWarnings("unchecked")
    Object bw = Json.get((Map<String, Object>) rcMap, "bandwidth");
    if (bw == null) {
      return NONE;
    }
    if (!(bw instanceof Map<?, ?> bwMap)) {
      throw CniException.invalidConfig("runtimeConfig.bandwidth: must be an object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) bwMap;
    return entry(m, "runtimeConfig.bandwidth.");
  }

  private static BandwidthConfig entry(Map<String, Object> m, String prefix) {
    long ir = uint(m, prefix, "ingressRate");
    long ib = uint(m, prefix, "ingressBurst");
    long er = uint(m, prefix, "egressRate");
    long eb = uint(m, prefix, "egressBurst");
    pair(prefix, "ingress", ir, ib);
    pair(prefix, "egress", er, eb);
    List<Cidr> shaped = subnets(m, prefix, "shapedSubnets");
    List<Cidr> unshaped = subnets(m, prefix, "unshapedSubnets");
    if (!shaped.isEmpty() && !unshaped.isEmpty()) {
      throw CniException.invalidConfig(
          prefix
              + "unshapedSubnets and "
              + prefix
              + "shapedSubnets cannot both be "
              + "specified, one of them should be discarded");
    }
    return new BandwidthConfig(prefix, ir, ib, er, eb, shaped, unshaped);
  }

  /**
   * Go's validateRateAndBurst, with the keys named; plus a rate below one byte per second, which
   * tbf cannot do.
   */
  private static void pair(String prefix, String dir, long rate, long burst) {
    String r = prefix + dir + "Rate";
    String b = prefix + dir + "Burst";
    if (burst == 0 && rate != 0) {
      throw CniException.invalidConfig(
          b + ": if rate is set, burst must also be set (" + r + " is " + rate + ")");
    }
    if (rate == 0 && burst != 0) {
      throw CniException.invalidConfig(
          r + ": if burst is set, rate must also be set (" + b + " is " + burst + ")");
    }
    if (burst / 8 >= MAX_BURST_BYTES) {
      throw CniException.invalidConfig(b + ": burst cannot be more than 4GB");
    }
    if (rate != 0 && rate < 8) {
      throw CniException.invalidConfig(
          r + ": " + rate + " bits/s is less than one byte per second");
    }
  }

  private static long uint(Map<String, Object> m, String prefix, String key) {
    Object v = Json.get(m, key);
    if (v == null) {
      return 0;
    }
    String name = prefix + key;
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      long l = ((Number) v).longValue();
      if (l < 0) {
        throw CniException.invalidConfig(name + ": must be a non-negative integer, got " + l);
      }
      return l;
    }
    if (v instanceof BigInteger b) {
      throw CniException.invalidConfig(
          name + ": " + b + (b.signum() < 0 ? " is negative" : " is too large"));
    }
    if (v instanceof Double d) {
      if (d == Math.rint(d) && d >= 0 && d < 9.2e18) {
        return d.longValue(); // 1e6 in JSON is a valid uint64 for Go
      }
      throw CniException.invalidConfig(name + ": must be a non-negative integer, got " + d);
    }
    throw CniException.invalidConfig(
        name + ": must be a number (bits" + (key.endsWith("Rate") ? "/s" : "") + ")");
  }

  private static List<Cidr> subnets(Map<String, Object> m, String prefix, String key) {
    Object v = Json.get(m, key);
    if (v == null) {
      return List.of();
    }
    String name = prefix + key;
    if (!(v instanceof List<?> l)) {
      throw CniException.invalidConfig(name + ": must be an array of CIDR strings");
    }
    List<Cidr> out = new ArrayList<>();
    for (int i = 0; i < l.size(); i++) {
      if (!(l.get(i) instanceof String s)) {
        throw CniException.invalidConfig(name + "[" + i + "]: must be a CIDR string");
      }
      Cidr n;
      try {
        n = s.indexOf('/') < 0 ? null : Cidr.parse(s);
      } catch (RuntimeException e) {
        n = null;
      }
      if (n == null) {
        throw CniException.invalidConfig(name + "[" + i + "]: bad subnet \"" + printable(s) + "\"");
      }
      out.add(n.network());
    }
    return List.copyOf(out);
  }

  /** Whether there is anything to shape (Go's isZero, inverted). */
  public boolean shapes() {
    return ingressRate > 0 || egressRate > 0;
  }

  /** Whether only some traffic is shaped: the htb layout instead of tbf. */
  public boolean hasSubnets() {
    return !shapedSubnets.isEmpty() || !unshapedSubnets.isEmpty();
  }

  public boolean shapesIngress() {
    return ingressRate > 0 && ingressBurst > 0;
  }

  public boolean shapesEgress() {
    return egressRate > 0 && egressBurst > 0;
  }

  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 64; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '?');
    }
    return b.toString();
  }
}
