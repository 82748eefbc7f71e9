package dev.jcni.plugins.common;

import dev.jcni.api.Delegate;
import dev.jcni.netlink.Netlink;
import dev.jcni.system.ErrnoException;

/**
 * The {@link Undo} steps of the main plugins, as plain classes rather than lambdas: every CNI call is a fresh JVM,
 * and the first lambda costs a noticeable share of a call's start-up.
 */
public final class Steps {
  private Steps() {}

  /** Deletes a link (a veth: both ends go); a missing link is fine. */
  public static Runnable deleteLink(Netlink nl, String name) {
    return new Runnable() {
      @Override
      public void run() {
        try {
          nl.linkDel(name);
        } catch (ErrnoException e) {
          if (!e.isNotFound()) {
            throw e;
          }
        }
      }
    };
  }

  /** Releases what the IPAM delegate reserved. */
  public static Runnable ipamDel(Delegate ipam) {
    return new Runnable() {
      @Override
      public void run() {
        ipam.del();
      }
    };
  }

  public static Runnable masqTeardown(IpMasq masq, Owner owner) {
    return new Runnable() {
      @Override
      public void run() {
        masq.teardown(owner);
      }
    };
  }

  public static Runnable spoofTeardown(MacSpoofCheck sc, Owner owner) {
    return new Runnable() {
      @Override
      public void run() {
        sc.teardown(owner);
      }
    };
  }
}
