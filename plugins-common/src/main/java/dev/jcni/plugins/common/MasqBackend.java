package dev.jcni.plugins.common;

import dev.jcni.spec.CniException;

/** The {@code ipMasqBackend} values. */
public enum MasqBackend {
  IPTABLES("iptables"), NFTABLES("nftables");

  private final String key;

  MasqBackend(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }

  /** Parses the config value; null means automatic. An unknown value: code 7 naming the key. */
  public static MasqBackend parse(String v) {
    if (v == null) {
      return null;
    }
    for (MasqBackend b : values()) {
      if (b.key.equals(v)) {
        return b;
      }
    }
    throw CniException.invalidConfig(
        "ipMasqBackend: unknown ipmasq backend \"" + v + "\" (must be \"iptables\" or \"nftables\")");
  }

  /**
   * Go's automatic choice (SetupIPMasqForNetworks): iptables when it is usable, else nftables when that is usable,
   * else iptables (whose failure then names the problem). Usable means the tool runs and can list, as Go checks.
   */
  public static MasqBackend auto(Netfilter nf) {
    if (nf.iptablesAvailable() && nf.iptablesUsable()) {
      return IPTABLES;
    }
    return nf.nftAvailable() && nf.nftUsable() ? NFTABLES : IPTABLES;
  }
}
