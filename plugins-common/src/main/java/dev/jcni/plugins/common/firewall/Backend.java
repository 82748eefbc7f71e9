package dev.jcni.plugins.common.firewall;

import dev.jcni.spec.CniException;
import java.util.Locale;

/** The firewall backends: the iptables family of tools, or native nftables through {@code nft}. */
public enum Backend {
  IPTABLES("iptables"),
  NFTABLES("nftables");

  private final String configName;

  Backend(String configName) {
    this.configName = configName;
  }

  /** The config spelling ({@code "iptables"} / {@code "nftables"}), as Go's plugins use it. */
  public String configName() {
    return configName;
  }

  /**
   * Parses a config value ({@code iptables} / {@code nftables}, case-insensitive); null or empty
   * gives null (use the default). Anything else is code 7 naming {@code key}.
   */
  public static Backend parse(String value, String key) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    switch (value.toLowerCase(Locale.ROOT)) {
      case "iptables":
        return IPTABLES;
      case "nftables":
        return NFTABLES;
      default:
        throw CniException.invalidConfig(
            key
                + ": unknown backend \""
                + FwValues.printable(value)
                + "\" (expected \"iptables\" or \"nftables\")");
    }
  }

  @Override
  public String toString() {
    return configName;
  }
}
