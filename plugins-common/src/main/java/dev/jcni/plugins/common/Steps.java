package dev.jcni.plugins.common;

import dev.jcni.api.Delegate;
import dev.jcni.api.Invocation;
import dev.jcni.netlink.Netlink;
import dev.jcni.plugins.common.firewall.Firewall;
import dev.jcni.system.ErrnoException;

/**
 * The {@link Undo} steps of the main plugins, as plain classes rather than lambdas: every CNI call
 * is a fresh JVM, and the first lambda costs a noticeable share of a call's start-up.
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

  /** Removes the attachment's masquerading from both backends. */
  public static Runnable masqTeardown(Firewall fw, Owner owner) {
    return new Runnable() {
      @Override
      public void run() {
        IpMasq.teardownAll(fw, owner);
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

  /** DEL of the pod's interface ({@link Veths#deleteInNetns}); a gone namespace or link is fine. */
  public static Runnable deleteInNetns(String netns, String ifname) {
    return new Runnable() {
      @Override
      public void run() {
        Veths.deleteInNetns(netns, ifname);
      }
    };
  }

  /**
   * IPAM DEL of the call (the delegate is resolved when the step runs, so its failure is the
   * step's).
   */
  public static Runnable ipamDel(Invocation inv) {
    return new Runnable() {
      @Override
      public void run() {
        inv.ipam().del();
      }
    };
  }

  /** IPAM GC of the call. */
  public static Runnable ipamGc(Invocation inv) {
    return new Runnable() {
      @Override
      public void run() {
        inv.ipam().gc();
      }
    };
  }

  /** Masquerade GC over both backends. */
  public static Runnable masqGc(Firewall fw, String network, java.util.Collection<Owner> keep) {
    return new Runnable() {
      @Override
      public void run() {
        IpMasq.gcAll(fw, network, keep);
      }
    };
  }

  /** Spoof-check GC. */
  public static Runnable spoofGc(
      MacSpoofCheck sc, String network, java.util.Collection<Owner> keep) {
    return new Runnable() {
      @Override
      public void run() {
        sc.gc(network, keep);
      }
    };
  }
}
