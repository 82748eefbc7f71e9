package dev.jcni.plugins.vxlan;

import dev.jcni.spec.json.Json;
import java.util.Map;

/**
 * The vxlan plugin's keys in a network config, bound with {@link Json#bind} (Go's key matching:
 * exact, else case-insensitive). The values are the JSON values as given: {@link
 * VxlanConfig#from(VxlanConf)} checks their types and ranges, so a wrong type is reported as a
 * config error (code 7) in the plugin's own words.
 */
public record VxlanConf(
    Object vni,
    Object port,
    Object underlayInterface,
    Object localIP,
    Object mtu,
    Object nodeSubnet,
    Object peers,
    Object peersFile,
    Object vtepName,
    Object readyFile) {

  /** Binds the plugin's keys of a parsed config object ({@code NetConf.raw()}). */
  public static VxlanConf bind(Map<String, Object> raw) {
    return Json.bind(raw, VxlanConf.class);
  }
}
