package dev.jcni.plugins.meta.firewall;

import dev.jcni.plugins.common.firewall.FwValues;
import java.util.regex.Pattern;

/**
 * Names of what the firewall plugin writes. A pod's rules carry one comment derived from (network,
 * container, ifname), so DEL and GC find them without the netns or the pod's addresses. The comment
 * fits nft's 128-character limit; parts too long (or with unexpected characters) are replaced by a
 * hash.
 */
final class Names {
  private Names() {}

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.\\-]+");

  static final String COMMENT_PREFIX = "jcni-fw";

  /** iptables (table filter): Go's chains, shared with Go's firewall plugin. */
  static final String FILTER = "filter";

  static final String FORWARD = "FORWARD";
  static final String PRIV_CHAIN = "CNI-FORWARD";
  static final String DEFAULT_ADMIN_CHAIN = "CNI-ADMIN";
  static final String STAGE1 = "CNI-ISOLATION-STAGE-1";
  static final String STAGE2 = "CNI-ISOLATION-STAGE-2";

  /**
   * Go's comments, byte for byte, so Go's existence checks see our shared rules as theirs and vice
   * versa.
   */
  static final String GO_FILTER_COMMENT = "CNI firewall plugin rules";

  static final String GO_ADMIN_COMMENT = "CNI firewall plugin admin overrides";

  /** nftables: one shared table of ours. */
  static final String NFT_FAMILY = "inet";

  static final String NFT_TABLE = "jcni_firewall";
  static final String NFT_FORWARD = "forward";
  static final String NFT_BRIDGES = "isolated_bridges";
  static final String NFT_ISOLATION = "isolation";

  /**
   * Go v1.1.1's comment on every isolation rule; later Go releases name "isolated" on its own drop
   * rule.
   */
  static String policyComment(IngressPolicy p) {
    return "CNI firewall plugin rules (ingressPolicy: " + p.configName() + ")";
  }

  /** nft: the isolation chain of one bridge. */
  static String isoChain(String bridge) {
    return "iso_" + FwValues.sha512Hex(bridge).substring(0, 16);
  }

  /** {@code jcni-fw net: N id: C if: I}, at most 127 characters. */
  static String comment(String network, String containerId, String ifname) {
    return netPrefix(network) + "id: " + tag(containerId, 64) + " if: " + tag(ifname, 15);
  }

  /** {@code jcni-fw net: N }: the start of every comment of one network (GC scopes by it). */
  static String netPrefix(String network) {
    return COMMENT_PREFIX + " net: " + tag(network, 24) + " ";
  }

  private static String tag(String s, int max) {
    if (s != null && s.length() <= max && PLAIN.matcher(s).matches()) {
      return s;
    }
    return "sha-" + FwValues.sha512Hex(s == null ? "" : s).substring(0, 12);
  }
}
