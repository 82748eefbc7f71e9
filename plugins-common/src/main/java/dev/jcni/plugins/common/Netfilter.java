package dev.jcni.plugins.common;

/**
 * The netfilter operations the masquerade and spoof-check backends need: one write transaction per call
 * ({@code nft -f -}, {@code iptables-restore --noflush}) plus the reads that find a container's own rules. A seam so
 * the rule logic is unit-tested without a kernel; {@link #system()} runs the real tools in the caller's netns.
 */
public interface Netfilter {

  /** {@code nft} can be run. */
  boolean nftAvailable();

  /** {@code iptables} (v4) can be run. */
  boolean iptablesAvailable();

  /**
   * nftables works right now (the tool runs and can list); used after a failed teardown to tell "nothing to tear
   * down here" from a real failure, as Go does.
   */
  default boolean nftUsable() {
    return nftAvailable();
  }

  /** iptables works right now (see {@link #nftUsable()}). */
  default boolean iptablesUsable() {
    return iptablesAvailable();
  }

  /** Applies an nft script atomically ({@code nft -f -}); fails with the tool's message. */
  void nft(String script);

  /** {@code nft list tables [family]}: stdout, or "" when nothing. */
  String nftListTables();

  /** True when {@code nft list table <family> <name>} succeeds. */
  boolean nftTableExists(String family, String name);

  /** Applies an iptables-restore script with {@code --noflush}; family 4 or 6. */
  void iptablesRestore(int family, String script);

  /** {@code iptables-save -t <table>} (or ip6tables-save); "" when the table is not present. */
  String iptablesSave(int family, String table);

  /** The real tools through the shared firewall runner (in the calling thread's network namespace). */
  static Netfilter system() {
    return of(dev.jcni.plugins.common.firewall.Firewall.system());
  }

  static Netfilter of(dev.jcni.plugins.common.firewall.Firewall fw) {
    return new FirewallNetfilter(fw);
  }
}
