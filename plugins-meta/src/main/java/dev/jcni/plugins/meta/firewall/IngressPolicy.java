package dev.jcni.plugins.meta.firewall;

import dev.jcni.plugins.common.firewall.FwValues;
import dev.jcni.spec.CniException;

/**
 * The {@code ingressPolicy} values (Go: {@code open} and {@code same-bridge}; later Go adds {@code
 * isolated}).
 */
enum IngressPolicy {
  /** Nothing beyond admitting the pod (the default). */
  OPEN("open"),
  /** Traffic from another isolated bridge into this pod's bridge is dropped. */
  SAME_BRIDGE("same-bridge"),
  /** Like same-bridge, and traffic between pods of the same bridge is dropped too. */
  ISOLATED("isolated");

  private final String configName;

  IngressPolicy(String configName) {
    this.configName = configName;
  }

  String configName() {
    return configName;
  }

  /** Null or empty means open, as in Go; anything unknown is code 7. */
  static IngressPolicy parse(String v) {
    if (v == null || v.isEmpty()) {
      return OPEN;
    }
    for (IngressPolicy p : values()) {
      if (p.configName.equals(v)) {
        return p;
      }
    }
    throw CniException.invalidConfig(
        "ingressPolicy: unknown ingress policy \""
            + FwValues.printable(v)
            + "\" (expected \"open\", \"same-bridge\" or \"isolated\")");
  }
}
