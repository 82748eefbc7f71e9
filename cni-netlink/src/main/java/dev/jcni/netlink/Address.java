package dev.jcni.netlink;

import dev.jcni.spec.net.Cidr;
import java.net.InetAddress;
import java.util.Objects;

/**
 * An interface address ({@code ip addr}). As a request, {@code index} is ignored (the link is given
 * separately), and a null IPv4 {@code broadcast} means "compute it" like {@code brd +} (none for
 * /31 and /32).
 *
 * @param index ifindex of the link
 * @param net local address and prefix length (IFA_LOCAL for IPv4, IFA_ADDRESS for IPv6)
 * @param peer point-to-point peer (IFA_ADDRESS when it differs from the local address), usually
 *     null
 * @param broadcast IPv4 broadcast (IFA_BROADCAST), null if none
 * @param label IFA_LABEL (IPv4), null if none
 * @param scope RT_SCOPE_* (0 universe, 253 link, 254 host)
 * @param flags IFA_F_* (NODAD = 0x02, NOPREFIXROUTE = 0x200, PERMANENT = 0x80, TENTATIVE = 0x40...)
 * @param validLft seconds, 0xffffffff = forever
 * @param preferredLft seconds, 0xffffffff = forever
 */
public record Address(
    int index,
    Cidr net,
    InetAddress peer,
    InetAddress broadcast,
    String label,
    int scope,
    int flags,
    long validLft,
    long preferredLft) {
  public static final int IFA_F_NODAD = 0x02;
  public static final int IFA_F_PERMANENT = 0x80;
  public static final int IFA_F_TENTATIVE = 0x40;
  public static final int IFA_F_DADFAILED = 0x08;
  public static final int IFA_F_NOPREFIXROUTE = 0x200;
  public static final long FOREVER = 0xffffffffL;

  public Address {
    Objects.requireNonNull(net, "net");
  }

  /** A plain request: universe scope, no flags, automatic IPv4 broadcast. */
  public static Address of(Cidr net) {
    return new Address(0, net, null, null, null, 0, 0, FOREVER, FOREVER);
  }

  public static Address of(String cidr) {
    return of(Cidr.parse(cidr));
  }

  public Family family() {
    return Family.of(net.address());
  }

  public Address withFlags(int flags) {
    return new Address(index, net, peer, broadcast, label, scope, flags, validLft, preferredLft);
  }

  /** Adds IFA_F_NODAD (IPv6: skip duplicate address detection). */
  public Address nodad() {
    return withFlags(flags | IFA_F_NODAD);
  }

  /** Adds IFA_F_NOPREFIXROUTE (no automatic prefix route). */
  public Address noprefixroute() {
    return withFlags(flags | IFA_F_NOPREFIXROUTE);
  }

  public Address withScope(int scope) {
    return new Address(index, net, peer, broadcast, label, scope, flags, validLft, preferredLft);
  }

  public Address withBroadcast(InetAddress brd) {
    return new Address(index, net, peer, brd, label, scope, flags, validLft, preferredLft);
  }

  public Address withLabel(String label) {
    return new Address(index, net, peer, broadcast, label, scope, flags, validLft, preferredLft);
  }

  public Address withPeer(InetAddress peer) {
    return new Address(index, net, peer, broadcast, label, scope, flags, validLft, preferredLft);
  }

  public Address withLifetimes(long valid, long preferred) {
    return new Address(index, net, peer, broadcast, label, scope, flags, valid, preferred);
  }

  public boolean isTentative() {
    return (flags & IFA_F_TENTATIVE) != 0;
  }

  public boolean isDadFailed() {
    return (flags & IFA_F_DADFAILED) != 0;
  }
}
