package dev.jcni.plugins.meta.portmap;

import com.google.auto.service.AutoService;
import dev.jcni.api.Attachment;
import dev.jcni.api.CniPlugin;
import dev.jcni.api.CniType;
import dev.jcni.api.CrashPoint;
import dev.jcni.api.Invocation;
import dev.jcni.plugins.common.TargetNetns;
import dev.jcni.plugins.common.firewall.Backend;
import dev.jcni.plugins.common.firewall.Firewall;
import dev.jcni.plugins.common.firewall.FirewallException;
import dev.jcni.plugins.common.firewall.FirewallLock;
import dev.jcni.plugins.common.firewall.FwValues;
import dev.jcni.plugins.common.firewall.IpFamily;
import dev.jcni.plugins.common.firewall.IptablesState;
import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.Result;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code portmap} meta plugin: forwards host ports to the pod (capability {@code
 * portMappings}), with an iptables or nftables backend, one atomic firewall transaction per family
 * and call. See the module README.
 */
@AutoService(CniPlugin.class)
@CniType("portmap")
public final class PortMapPlugin implements CniPlugin {
  /** Serialises iptables read-then-restore sequences of all portmap calls on the node. */
  static final String IPTABLES_LOCK = "portmap-iptables";

  private final Firewall firewall;

  public PortMapPlugin() {
    this(null);
  }

  /** For tests: a firewall whose commands run where the test wants them (null: the real tools). */
  public PortMapPlugin(Firewall firewall) {
    this.firewall = firewall;
  }

  private Firewall fw() {
    return firewall != null ? firewall : Firewall.system();
  }

  @Override
  @SuppressWarnings("try") // try-with-resources holds a lock for the block, which never reads it
  public Result add(Invocation inv) {
    Result prev = inv.prevResult();
    if (prev == null) {
      throw CniException.invalidConfig(
          "prevResult: portmap must be called as a chained plugin (no prevResult)");
    }
    PortMapConfig c = PortMapConfig.parse(inv.config().raw());
    if (c.mappings().isEmpty()) {
      return prev;
    }
    PodAddresses pod = PodAddresses.from(prev, inv.ifname());
    if (pod.isEmpty()) {
      return prev;
    }
    if (firewall == null) {
      // the pod's namespace must exist and be a network namespace before any rule points at it (a
      // recording
      // test firewall changes nothing, so its tests need no namespace)
      TargetNetns.validate(inv.netns());
    }
    String net = inv.config().name();
    String id = inv.containerId();
    Firewall fw = fw();
    Backend backend = chooseBackend(c, fw);
    if (backend == Backend.NFTABLES) {
      fw.nft(NftPortmap.add(net, id, c, pod));
    } else {
      try (FirewallLock lock = FirewallLock.acquire(IPTABLES_LOCK)) {
        List<IpFamily> done = new ArrayList<>();
        try {
          for (FwValues.Cidr a : new FwValues.Cidr[] {pod.v4(), pod.v6()}) {
            if (a != null) {
              IptablesState st = fw.iptablesSave(a.family(), IptablesPortmap.NAT);
              fw.iptablesRestore(a.family(), IptablesPortmap.add(a.family(), net, id, c, a, st));
              done.add(a.family());
            }
          }
        } catch (RuntimeException e) {
          // one restore per family: undo the family that went in, so a failed ADD leaves nothing
          // behind
          rollbackIptables(fw, done, net, id, e);
          throw e;
        }
      }
    }
    CrashPoint.reached("portmap-rules-added");
    if (c.snat() && pod.v4() != null) {
      try {
        HostTweaks.enableRouteLocalnet(pod.v4().address());
      } catch (RuntimeException e) {
        if (backend == Backend.NFTABLES) {
          try {
            fw.nft(NftPortmap.del(net, id));
          } catch (RuntimeException suppressed) {
            e.addSuppressed(suppressed);
          }
        } else {
          try (FirewallLock lock = FirewallLock.acquire(IPTABLES_LOCK)) {
            rollbackIptables(fw, List.of(IpFamily.V4, IpFamily.V6), net, id, e);
          }
        }
        throw e;
      }
    }
    // Stale UDP flows to the host port would keep bypassing the new DNAT; flush them (after the
    // rules exist).
    Set<Integer> udp = new LinkedHashSet<>();
    for (PortMapping m : c.mappings()) {
      if (m.protocol().equals("udp")) {
        udp.add(m.hostPort());
      }
    }
    for (int port : udp) {
      if (pod.v4() != null) {
        HostTweaks.flushUdp(fw.runner(), port, false);
      }
      if (pod.v6() != null) {
        HostTweaks.flushUdp(fw.runner(), port, true);
      }
    }
    return prev;
  }

  @Override
  public void del(Invocation inv) {
    PortMapConfig c = PortMapConfig.parse(inv.config().raw());
    if (c.mappings().isEmpty()) {
      return;
    }
    String net = inv.config().name();
    String id = inv.containerId();
    Firewall fw = fw();
    // Families to clean: those of prevResult when it is there, else both (containerd's second DEL
    // has none).
    List<IpFamily> families = List.of(IpFamily.V4, IpFamily.V6);
    if (inv.prevResult() != null) {
      PodAddresses pod = PodAddresses.from(inv.prevResult(), inv.ifname());
      if (!pod.isEmpty()) {
        families = new ArrayList<>();
        if (pod.v4() != null) {
          families.add(IpFamily.V4);
        }
        if (pod.v6() != null) {
          families.add(IpFamily.V6);
        }
      }
    }
    // With an explicit backend the rules can only be there (the config does not change between ADD
    // and DEL);
    // with Go's default both are cleaned, like Go does, since the default may differ between ADD
    // and DEL.
    List<String> errors = new ArrayList<>();
    if (c.backend() != Backend.IPTABLES) {
      try {
        fw.nft(NftPortmap.del(net, id));
        CrashPoint.reached("del-portmap-rules-removed");
      } catch (FirewallException e) {
        if (e.exitCode() != 127 && fw.nftUsable()) {
          errors.add(e.msg());
        }
      }
    }
    if (c.backend() != Backend.NFTABLES) {
      iptables(fw, families, errors, net, id, null);
    }
    if (!errors.isEmpty()) {
      throw new CniException(
          ErrorCodes.INTERNAL, "portmap: removing rules failed: " + String.join("; ", errors));
    }
  }

  @Override
  public void check(Invocation inv) {
    Result prev = inv.prevResult();
    if (prev == null) {
      throw CniException.invalidConfig("prevResult: required for CHECK");
    }
    PortMapConfig c = PortMapConfig.parse(inv.config().raw());
    if (c.mappings().isEmpty()) {
      return;
    }
    PodAddresses pod = PodAddresses.from(prev, inv.ifname());
    if (pod.isEmpty()) {
      return;
    }
    String net = inv.config().name();
    String id = inv.containerId();
    Firewall fw = fw();
    List<String> missing = new ArrayList<>();
    if (chooseBackend(c, fw) == Backend.NFTABLES) {
      String table = Names.table(net, id);
      var listing = fw.nftListTable(Names.NFT_FAMILY, table, false);
      if (listing.isEmpty()) {
        missing.add("nftables table " + Names.NFT_FAMILY + " " + table);
      } else {
        missing.addAll(NftPortmap.missing(listing.get(), c, pod));
      }
    } else {
      for (FwValues.Cidr a : new FwValues.Cidr[] {pod.v4(), pod.v6()}) {
        if (a != null) {
          IptablesState st = fw.iptablesSave(a.family(), IptablesPortmap.NAT);
          missing.addAll(IptablesPortmap.missing(a.family(), net, id, c, a, st));
        }
      }
    }
    if (!missing.isEmpty()) {
      throw new CniException(
          ErrorCodes.INTERNAL,
          "portmap: rules missing for container " + id,
          String.join("; ", missing));
    }
  }

  @Override
  public void gc(Invocation inv) {
    String net = inv.config().name();
    List<String> keep = new ArrayList<>();
    for (Attachment a : inv.validAttachments()) {
      keep.add(a.containerId());
    }
    Firewall fw = fw();
    List<String> errors = new ArrayList<>();
    try {
      fw.nft(NftPortmap.gc(net, fw.nftTables(), keep));
    } catch (FirewallException e) {
      if (e.exitCode() != 127 && fw.nftUsable()) {
        errors.add(e.msg());
      }
    }
    iptables(fw, List.of(IpFamily.V4, IpFamily.V6), errors, net, null, keep);
    if (!errors.isEmpty()) {
      throw new CniException(
          ErrorCodes.INTERNAL, "portmap: garbage collection failed: " + String.join("; ", errors));
    }
  }

  @Override
  public void status(Invocation inv) {
    PortMapConfig c = PortMapConfig.parse(inv.config().raw());
    Firewall fw = fw();
    Backend b = chooseBackend(c, fw);
    if (!fw.usable(b)) {
      throw new CniException(
          ErrorCodes.PLUGIN_NOT_AVAILABLE, "portmap: the " + b + " backend is not usable");
    }
  }

  /** Best-effort removal of what ADD wrote for {@code families} (caller holds the lock). */
  private static void rollbackIptables(
      Firewall fw, List<IpFamily> families, String net, String id, RuntimeException cause) {
    for (IpFamily f : families) {
      try {
        fw.iptablesRestore(
            f, IptablesPortmap.del(net, id, fw.iptablesSave(f, IptablesPortmap.NAT)));
      } catch (RuntimeException suppressed) {
        cause.addSuppressed(suppressed);
      }
    }
  }

  /**
   * Read-then-restore per family under the lock, for DEL of {@code id} or else GC keeping {@code
   * keep}; a family whose tools are unusable is skipped.
   */
  @SuppressWarnings("try") // try-with-resources holds a lock for the block, which never reads it
  private static void iptables(
      Firewall fw,
      List<IpFamily> families,
      List<String> errors,
      String net,
      String id,
      List<String> keep) {
    try (FirewallLock lock = FirewallLock.acquire(IPTABLES_LOCK)) {
      for (IpFamily f : families) {
        IptablesState st;
        try {
          st = fw.iptablesSave(f, IptablesPortmap.NAT);
        } catch (FirewallException e) {
          continue; // no ip(6)tables here: nothing of ours can be there either
        }
        try {
          fw.iptablesRestore(
              f, id != null ? IptablesPortmap.del(net, id, st) : IptablesPortmap.gc(net, keep, st));
        } catch (FirewallException e) {
          errors.add(e.msg());
        }
      }
    }
  }

  /**
   * The explicit {@code backend}, else Go's default (iptables unless only nftables is usable).
   * Options meant for the other backend are refused with code 7, as Go does, naming them.
   */
  static Backend chooseBackend(PortMapConfig c, Firewall fw) {
    Backend b = c.backend() != null ? c.backend() : fw.defaultBackend();
    Backend required = c.backendRequiredByOptions();
    if (required != null && required != b) {
      throw CniException.invalidConfig(
          b
              + " backend was "
              + (c.backend() != null ? "requested" : "chosen by default")
              + " but the configuration contains "
              + required
              + "-specific options"
              + (c.backend() == null ? " (set \"backend\": \"" + required + "\")" : ""));
    }
    return b;
  }
}
