package dev.jcni.plugins.common;

import dev.jcni.plugins.common.firewall.Firewall;
import dev.jcni.plugins.common.firewall.FirewallException;
import dev.jcni.plugins.common.firewall.NftScript;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One nftables table per attachment, {@code <family> <prefix><net hash>_<attachment hash>}: what
 * the nft backends of masquerading and MAC spoof-checking have in common. Removal is {@code add
 * table; delete table} in one transaction (idempotent, no listing); GC lists the tables and removes
 * the network's tables of attachments that are not kept.
 */
final class OwnerTables {
  private final String family;
  private final String prefix;

  OwnerTables(String family, String prefix) {
    this.family = family;
    this.prefix = prefix;
  }

  String family() {
    return family;
  }

  String table(Owner o) {
    return prefix + o.networkHash() + "_" + o.instanceHash();
  }

  /** The transaction removing the given tables (each one whether or not it exists). */
  NftScript deleteScript(Collection<String> tables) {
    NftScript s = new NftScript();
    for (String t : tables) {
      s.deleteTableIfExists(family, t);
    }
    return s;
  }

  /**
   * Removes the attachment's table. A failure is reported only when nftables is usable: on a node
   * without nft, or without nf_tables in the kernel, there is nothing to remove and DEL must not
   * get stuck (Go does the same).
   */
  void delete(Firewall fw, Owner o) {
    try {
      fw.nft(deleteScript(List.of(table(o))));
    } catch (FirewallException e) {
      if (e.exitCode() != 127 && fw.nftUsable()) {
        throw e;
      }
    }
  }

  /** True when the attachment's table exists (false too when nft cannot be run or listed). */
  boolean exists(Firewall fw, Owner o) {
    try {
      return fw.nftListTable(family, table(o), false).isPresent();
    } catch (FirewallException e) {
      return false;
    }
  }

  /** The tables of {@code network} in the listing whose attachment is not in {@code keep}. */
  List<String> stale(List<Firewall.NftTableRef> listing, String network, Collection<Owner> keep) {
    Set<String> kept = new HashSet<>();
    for (Owner k : keep) {
      kept.add(table(k));
    }
    String netPrefix = prefix + new Owner(network, "", "").networkHash() + "_";
    List<String> out = new java.util.ArrayList<>();
    for (Firewall.NftTableRef t : listing) {
      String n = t.name();
      if (t.family().equals(family)
          && n.startsWith(netPrefix)
          && n.length() == netPrefix.length() + 16
          && isHex(n.substring(netPrefix.length()))
          && !kept.contains(n)
          && !out.contains(n)) {
        out.add(n);
      }
    }
    return out;
  }

  /** GC: removes stale tables; nft not installed is nothing to do, any other failure is thrown. */
  void gc(Firewall fw, String network, Collection<Owner> keep) {
    List<Firewall.NftTableRef> listing;
    try {
      listing = fw.nftTables();
    } catch (FirewallException e) {
      if (e.exitCode() == 127) {
        return;
      }
      throw e;
    }
    List<String> stale = stale(listing, network, keep);
    if (!stale.isEmpty()) {
      fw.nft(deleteScript(stale));
    }
  }

  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
