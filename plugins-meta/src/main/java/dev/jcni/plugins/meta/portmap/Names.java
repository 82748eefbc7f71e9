package dev.jcni.plugins.meta.portmap;

import dev.jcni.plugins.common.firewall.FwValues;

/**
 * Names of what portmap creates, keyed by (network name, container ID) hashes so DEL and GC find a
 * container's rules with nothing but its ID. All are distinct from Go's portmap names ({@code
 * CNI-HOSTPORT-*}, {@code CNI-DN-*}, table {@code cni_hostport}), so both plugins can run on one
 * node without touching each other's rules.
 */
public final class Names {
  private Names() {}

  /** nft: one table per container, family inet. */
  public static final String NFT_FAMILY = "inet";

  /**
   * iptables: the shared entry chain, jumped to from PREROUTING and OUTPUT for local destinations.
   */
  public static final String DNAT_CHAIN = "JCNI-HOSTPORT-DNAT";

  /**
   * iptables: the shared masquerade chain, jumped to from POSTROUTING, one rule per mark bit in
   * use.
   */
  public static final String MASQ_CHAIN = "JCNI-HOSTPORT-MASQ";

  static final String DN_PREFIX = "JCNI-DN-";
  static final String TABLE_PREFIX = "jcni_hp_";
  static final String COMMENT_PREFIX = "jcni-portmap";

  /**
   * {@code jcni_hp_<net hash 8>_} : every table of one network starts with this (GC scopes by it).
   */
  public static String tablePrefix(String network) {
    return TABLE_PREFIX + FwValues.sha512Hex(network).substring(0, 8) + "_";
  }

  /** {@code jcni_hp_<net hash 8>_<net+id hash 16>}. */
  public static String table(String network, String containerId) {
    return tablePrefix(network) + FwValues.sha512Hex(network, "\0", containerId).substring(0, 16);
  }

  /** {@code JCNI-DN-<net+id hash 20>} (28 characters, the iptables limit). */
  public static String dnChain(String network, String containerId) {
    return DN_PREFIX + FwValues.sha512Hex(network, "\0", containerId).substring(0, 20);
  }

  /** The network part of comments: the name, or a hash of it when long. */
  static String netTag(String network) {
    return network.length() <= 64 ? network : "sha-" + FwValues.sha512Hex(network).substring(0, 16);
  }

  /** Comment on a container's entry rules / table: {@code jcni-portmap net: N id: CID}. */
  public static String comment(String network, String containerId) {
    String id =
        containerId.length() <= 100
            ? containerId
            : "sha-" + FwValues.sha512Hex(containerId).substring(0, 16);
    return FwValues.comment(netPrefix(network) + "id: " + id, "comment");
  }

  /** {@code jcni-portmap net: N } : the start of every comment of one network. */
  static String netPrefix(String network) {
    return COMMENT_PREFIX + " net: " + netTag(network) + " ";
  }
}
