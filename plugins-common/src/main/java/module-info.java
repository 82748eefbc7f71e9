/** Shared plugin pieces: Veths, IfaceConfig, typed nft/iptables firewall builders. */
module dev.jcni.plugins.common {
  requires transitive dev.jcni.api;
  requires transitive dev.jcni.netlink;

  exports dev.jcni.plugins.common;
  exports dev.jcni.plugins.common.firewall;
}
