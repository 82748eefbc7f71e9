package dev.jcni.plugins.common;

import dev.jcni.plugins.common.firewall.Firewall;
import java.util.Collection;

/**
 * {@code macspoofchk}: frames entering the bridge from the pod's host-side veth are dropped unless
 * their source MAC is the pod's. Go's bridge plugin implements it with nftables only, and so do we:
 * {@link MacSpoofCheckNft}. State is keyed by the attachment's {@link Owner}, so DEL needs neither
 * the veth name nor the MAC and never touches Go's rules.
 */
public interface MacSpoofCheck {

  /**
   * Installs (or replaces) the check for the pod's host-side veth {@code hostIfname} and its {@code
   * mac}.
   */
  void setup(Owner o, String hostIfname, String mac);

  /** Removes it; nothing there, or nftables not installed or not usable, is success. */
  void teardown(Owner o);

  /** True when it is installed (for CHECK). */
  boolean present(Owner o);

  /** Removes the checks of every attachment of {@code network} not in {@code keep}. */
  void gc(String network, Collection<Owner> keep);

  /** The implementation on {@code fw}. */
  static MacSpoofCheck of(Firewall fw) {
    return new MacSpoofCheckNft(fw);
  }
}
