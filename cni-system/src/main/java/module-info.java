/**
 * Linux system calls: network namespaces, sysctl, flock, AF_UNIX sockets, ErrnoException; the libc
 * binding.
 */
// jffi and jnr-ffi are automatic modules (Automatic-Module-Name org.jnrproject.jffi /
// org.jnrproject.ffi in their
// manifests, stable since jffi 1.2.18 / jnr-ffi 2.1.10); the qualified exports name modules of this
// build that
// javac does not see while compiling this one.
@SuppressWarnings({"requires-automatic", "module"})
module dev.jcni.system {
  // ErrnoException.toCniException returns cni-spec's CniException
  requires transitive dev.jcni.spec;
  requires org.jnrproject.jffi;
  requires org.jnrproject.ffi;

  exports dev.jcni.system;
  // the libc binding: netlink sockets (cni-netlink), setns of a passed fd (cni-daemon); not API
  exports dev.jcni.system.internal.nativ to
      dev.jcni.netlink,
      dev.jcni.daemon;
  // NetNsAccess: Netlink.openAt's way into a namespace from any thread
  exports dev.jcni.system.internal to
      dev.jcni.netlink;
}
