package dev.jcni.plugins.loopback;

import com.google.auto.service.AutoService;
import dev.jcni.api.CniPlugin;
import dev.jcni.api.CniType;
import dev.jcni.api.Invocation;
import dev.jcni.netlink.Address;
import dev.jcni.netlink.Family;
import dev.jcni.netlink.Link;
import dev.jcni.netlink.Netlink;
import dev.jcni.plugins.common.TargetNetns;
import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.Result;
import dev.jcni.spec.net.Cidr;
import dev.jcni.system.ErrnoException;
import dev.jcni.system.NetNs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code loopback} plugin: brings {@code lo} (CNI_IFNAME) up in the pod namespace. containerd
 * calls it for every pod from the same plugin directory as the main network, at 0.3.1, and DELs
 * twice (the second time with an empty CNI_NETNS), so DEL never fails on a missing namespace.
 */
@AutoService(CniPlugin.class)
@CniType("loopback")
public final class LoopbackPlugin implements CniPlugin {

  @Override
  public Result add(Invocation inv) {
    Cidr v4;
    Cidr v6;
    try (TargetNetns target = TargetNetns.open(inv.netns())) {
      Netlink nl = target.netlink();
      Link lo = nl.linkByName(inv.ifname());
      nl.linkSetUp(lo.index());
      v4 = loopbackAddress(nl, lo, Family.V4);
      v6 = loopbackAddress(nl, lo, Family.V6);
    } catch (ErrnoException e) {
      throw new CniException(
          ErrorCodes.INTERNAL, "failed to set " + inv.ifname() + " up: " + e.getMessage());
    }
    // A chained loopback hands the previous result on untouched, like Go's.
    if (inv.prevResult() != null) {
      return inv.prevResult();
    }
    List<Result.IpConfig> ips = new ArrayList<>(2);
    if (v4 != null) {
      ips.add(new Result.IpConfig(0, v4, null));
    }
    if (v6 != null) {
      ips.add(new Result.IpConfig(0, v6, null));
    }
    Result.Interface lo = Result.Interface.of(inv.ifname(), "00:00:00:00:00:00", inv.netns());
    return new Result(inv.cniVersion(), List.of(lo), ips, List.of(), null);
  }

  /**
   * The first address of the family, refusing a non-loopback one (someone configured lo
   * unexpectedly).
   */
  private static Cidr loopbackAddress(Netlink nl, Link lo, Family family) {
    Cidr first = null;
    for (Address a : nl.addrList(lo.index(), family)) {
      if (!a.net().address().isLoopbackAddress()) {
        throw new CniException(
            ErrorCodes.INTERNAL, "loopback interface found with non-loopback address " + a.net());
      }
      if (first == null) {
        first = a.net();
      }
    }
    return first;
  }

  @Override
  public void del(Invocation inv) {
    if (inv.netns().isEmpty()) {
      return;
    }
    try (NetNs ns = NetNs.open(Path.of(inv.netns()));
        Netlink nl = Netlink.openAt(ns)) {
      nl.linkSetDown(inv.ifname());
    } catch (ErrnoException e) {
      // The namespace (or lo in it) is gone: nothing is left to undo.
      if (!e.isNotFound() && !isBadNamespace(e)) {
        throw new CniException(
            ErrorCodes.INTERNAL, "failed to set " + inv.ifname() + " down: " + e.getMessage());
      }
    }
  }

  private static boolean isBadNamespace(ErrnoException e) {
    return "netnsOpen".equals(e.operation());
  }

  @Override
  public void check(Invocation inv) {
    try (TargetNetns target = TargetNetns.open(inv.netns())) {
      Link lo = target.netlink().linkByName(inv.ifname());
      if (!lo.isUp()) {
        throw new CniException(ErrorCodes.INTERNAL, "loopback interface is down");
      }
    } catch (ErrnoException e) {
      throw new CniException(
          ErrorCodes.INTERNAL, "failed to check " + inv.ifname() + ": " + e.getMessage());
    }
  }
}
