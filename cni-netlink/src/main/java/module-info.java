/** rtnetlink: links, addresses, routes, neighbours, FDB, traffic control. */
module dev.jcni.netlink {
  // NetNs and ErrnoException are in Netlink's signatures; IpNet converts to and from cni-spec's Cidr
  requires transitive dev.jcni.system;
  requires transitive dev.jcni.spec;

  exports dev.jcni.netlink;
}
