package dev.jcni.plugins.ptp;

import dev.jcni.plugins.common.IpMasq;
import dev.jcni.plugins.common.firewall.Backend;
import dev.jcni.spec.CniException;
import dev.jcni.spec.Result;
import java.util.Map;

/**
 * The ptp plugin's configuration keys (named after the JSON keys, bound with {@link
 * dev.jcni.spec.json.Json#bind}).
 */
public record PtpConf(
    String cniVersion,
    String name,
    String type,
    boolean ipMasq,
    String ipMasqBackend,
    Integer mtu,
    Map<String, Object> ipam,
    Result.Dns dns) {

  /**
   * Validated ptp settings.
   *
   * @param masqBackend explicit backend or null (automatic)
   * @param dnsOverride {@code dns} when any field is set, else null (IPAM's DNS is kept)
   */
  public record Settings(
      String network,
      boolean ipMasq,
      Backend masqBackend,
      int mtu,
      String ipamType,
      Result.Dns dnsOverride) {}

  /**
   * Validates: {@code ipam.type} is required, {@code mtu} 0..65535, a known {@code ipMasqBackend};
   * else code 7.
   */
  public Settings validate() {
    Object t = ipam == null ? null : ipam.get("type");
    if (!(t instanceof String s) || s.isEmpty()) {
      throw CniException.invalidConfig("ipam: type is required (ptp needs an IPAM plugin)");
    }
    int m = mtu == null ? 0 : mtu;
    // checked here rather than by the kernel so a bad value fails before anything is created
    if (m != 0 && (m < 68 || m > 65535)) {
      throw CniException.invalidConfig(
          "mtu: invalid MTU " + m + " (must be 0 for the default, or 68-65535)");
    }
    return new Settings(
        name,
        ipMasq,
        IpMasq.parseBackend(ipMasqBackend),
        m,
        (String) t,
        dns != null && !dns.isEmpty() ? dns : null);
  }
}
