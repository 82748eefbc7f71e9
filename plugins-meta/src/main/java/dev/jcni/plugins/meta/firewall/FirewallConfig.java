package dev.jcni.plugins.meta.firewall;

import dev.jcni.plugins.common.firewall.Backend;
import dev.jcni.plugins.common.firewall.FwValues;
import dev.jcni.spec.CniException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The firewall plugin's configuration (Go's keys), fully validated before anything is written. Keys
 * match case-insensitively, exact match first, as Go's encoding/json does. Failures are code 7
 * naming the key.
 *
 * @param backend the backend asked for, or null for the default (iptables unless only nftables is
 *     usable)
 * @param firewalld {@code "backend": "firewalld"} was asked for (not available in jcni)
 * @param adminChain {@code iptablesAdminChainName}, default {@code CNI-ADMIN}; also names the nft
 *     admin chain
 * @param firewalldZone {@code firewalldZone}, default {@code trusted} (firewalld only)
 * @param ingressPolicy {@code ingressPolicy}
 */
record FirewallConfig(
    Backend backend,
    boolean firewalld,
    String adminChain,
    String firewalldZone,
    IngressPolicy ingressPolicy) {

  /** Names the admin chain cannot take: built-in chains and the chains the plugin jumps from. */
  private static final Set<String> RESERVED =
      Set.of(
          "INPUT",
          "OUTPUT",
          "FORWARD",
          "PREROUTING",
          "POSTROUTING",
          Names.PRIV_CHAIN,
          Names.STAGE1,
          Names.STAGE2,
          "ACCEPT",
          "DROP",
          "RETURN",
          "REJECT",
          Names.NFT_FORWARD);

  static FirewallConfig parse(Map<String, Object> raw) {
    String b = string(raw, "backend");
    boolean firewalld = false;
    Backend backend = null;
    if (b != null && !b.isEmpty()) {
      if (b.toLowerCase(Locale.ROOT).equals("firewalld")) {
        firewalld = true;
      } else {
        try {
          backend = Backend.parse(b, "backend");
        } catch (CniException e) {
          throw CniException.invalidConfig(
              "backend: unknown backend \""
                  + FwValues.printable(b)
                  + "\" (expected \"iptables\", \"nftables\" or \"firewalld\")");
        }
      }
    }
    String admin = string(raw, "iptablesAdminChainName");
    if (admin == null || admin.isEmpty()) {
      admin = Names.DEFAULT_ADMIN_CHAIN;
    } else {
      FwValues.chain(admin, "iptablesAdminChainName");
      if (RESERVED.contains(admin)) {
        throw CniException.invalidConfig(
            "iptablesAdminChainName: \""
                + admin
                + "\" is a built-in or plugin-owned chain and cannot be the admin chain");
      }
    }
    String zone = string(raw, "firewalldZone");
    if (zone == null || zone.isEmpty()) {
      zone = "trusted";
    }
    IngressPolicy policy = IngressPolicy.parse(string(raw, "ingressPolicy"));
    return new FirewallConfig(backend, firewalld, admin, zone, policy);
  }

  private static String string(Map<String, Object> raw, String key) {
    Object v = get(raw, key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw CniException.invalidConfig(key + ": must be a string");
    }
    return s;
  }

  /** Exact key first, then the last case-insensitive match (Go's encoding/json). */
  static Object get(Map<String, ?> m, String key) {
    if (m.containsKey(key)) {
      return m.get(key);
    }
    Object found = null;
    for (Map.Entry<String, ?> e : m.entrySet()) {
      if (e.getKey().equalsIgnoreCase(key)) {
        found = e.getValue();
      }
    }
    return found;
  }
}
