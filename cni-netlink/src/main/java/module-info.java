/** rtnetlink: links, addresses, routes, neighbours, FDB, traffic control. */
module dev.jcni.netlink {
  // NetNs and ErrnoException are in Netlink's signatures, and so is cni-spec's Cidr (its address
  // type)
  requires transitive dev.jcni.system;
  requires transitive dev.jcni.spec;

  exports dev.jcni.netlink;
}
