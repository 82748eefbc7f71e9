package dev.jcni.plugins.meta.firewall;

import com.google.auto.service.AutoService;
import dev.jcni.api.Attachment;
import dev.jcni.api.CniPlugin;
import dev.jcni.api.CniType;
import dev.jcni.api.Invocation;
import dev.jcni.plugins.common.firewall.Backend;
import dev.jcni.plugins.common.firewall.Firewall;
import dev.jcni.plugins.common.firewall.FirewallException;
import dev.jcni.plugins.common.firewall.FirewallLock;
import dev.jcni.plugins.common.firewall.FwValues;
import dev.jcni.plugins.common.firewall.IpFamily;
import dev.jcni.plugins.common.firewall.IptablesState;
import dev.jcni.spec.CniException;
import dev.jcni.spec.CniVersion;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.Result;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code firewall} meta plugin: admits the pod's addresses through the node's forwarding filter
 * (Go's {@code CNI-FORWARD}/{@code CNI-ADMIN} layout with iptables, a table of ours with nftables)
 * and applies the {@code ingressPolicy} bridge isolation. Rules are found by a comment naming
 * (network, container, ifname), so DEL needs neither the netns nor prevResult. See the module
 * README.
 */
@AutoService(CniPlugin.class)
@CniType("firewall")
public final class FirewallPlugin implements CniPlugin {
  /** Serialise read-then-write sequences of all firewall calls on the node, per backend. */
  static final String IPTABLES_LOCK = "firewall-iptables";

  static final String NFT_LOCK = "firewall-nft";
  private static final int ATTEMPTS = 3;

  private final Firewall firewall;
  private final Path lockDir;

  public FirewallPlugin() {
    this(null);
  }

  /** For tests: a firewall whose commands run where the test wants them (null: the real tools). */
  public FirewallPlugin(Firewall firewall) {
    this(firewall, FirewallLock.DEFAULT_DIR);
  }

  /**
   * ... and lock files in {@code lockDir} (training writes nothing outside its scratch directory).
   */
  FirewallPlugin(Firewall firewall, Path lockDir) {
    this.firewall = firewall;
    this.lockDir = lockDir;
  }

  private Firewall fw() {
    return firewall != null ? firewall : Firewall.system();
  }

  /** Go's firewall accepts 0.4.0 and later (it needs prevResult, and CHECK). */
  @Override
  public List<CniVersion> supportedVersions() {
    return List.of(CniVersion.V0_4_0, CniVersion.V1_0_0, CniVersion.V1_1_0);
  }

  @Override
  @SuppressWarnings("try") // try-with-resources holds a lock for the block, which never reads it
  public Result add(Invocation inv) {
    Result prev = inv.prevResult();
    if (prev == null) {
      throw CniException.invalidConfig(
          "prevResult: missing prevResult from earlier plugin (firewall is a chained " + "plugin)");
    }
    FirewallConfig c = FirewallConfig.parse(inv.config().raw());
    if (c.firewalld()) {
      throw firewalld();
    }
    List<FwValues.Cidr> ips = addresses(prev);
    String bridge = c.ingressPolicy() == IngressPolicy.OPEN ? null : bridgeName(prev, c);
    if (ips.isEmpty()) {
      return prev; // Go sets up nothing, isolation included, for a result without addresses
    }
    String comment = Names.comment(inv.config().name(), inv.containerId(), inv.ifname());
    Firewall fw = fw();
    if (chooseBackend(c, fw) == Backend.NFTABLES) {
      try (FirewallLock lock = FirewallLock.acquire(lockDir, NFT_LOCK)) {
        String listing = fw.nftListTable(Names.NFT_FAMILY, Names.NFT_TABLE, true).orElse(null);
        fw.nft(NftFirewall.add(c, comment, ips, bridge, listing));
      }
      return prev;
    }
    try (FirewallLock lock = FirewallLock.acquire(lockDir, IPTABLES_LOCK)) {
      List<IpFamily> done = new ArrayList<>();
      try {
        for (IpFamily f : families(ips)) {
          List<FwValues.Cidr> mine = ofFamily(ips, f);
          for (int attempt = 1; ; attempt++) {
            IptablesState st = fw.iptablesSave(f, Names.FILTER);
            try {
              fw.iptablesRestore(f, IptablesFirewall.add(c, comment, mine, bridge, st));
              break;
            } catch (FirewallException e) {
              // a shared chain created by another program since our read makes "-N" fail: read
              // again
              if (attempt == ATTEMPTS) {
                throw e;
              }
            }
          }
          done.add(f);
        }
      } catch (RuntimeException e) {
        for (IpFamily f : done) {
          try {
            fw.iptablesRestore(f, IptablesFirewall.del(comment, fw.iptablesSave(f, Names.FILTER)));
          } catch (RuntimeException suppressed) {
            e.addSuppressed(suppressed);
          }
        }
        throw e;
      }
    }
    return prev;
  }

  @Override
  public void del(Invocation inv) {
    FirewallConfig c = FirewallConfig.parse(inv.config().raw());
    if (c.firewalld()) {
      return; // an ADD with firewalld never wrote anything
    }
    String comment = Names.comment(inv.config().name(), inv.containerId(), inv.ifname());
    List<String> errors = new ArrayList<>();
    clean(fw(), c.backend(), errors, comment, null, null);
    if (!errors.isEmpty()) {
      throw new CniException(
          ErrorCodes.INTERNAL, "firewall: removing rules failed: " + String.join("; ", errors));
    }
  }

  @Override
  public void check(Invocation inv) {
    Result prev = inv.prevResult();
    if (prev == null) {
      throw CniException.invalidConfig("prevResult: missing prevResult from earlier plugin");
    }
    FirewallConfig c = FirewallConfig.parse(inv.config().raw());
    if (c.firewalld()) {
      throw firewalld();
    }
    List<FwValues.Cidr> ips = addresses(prev);
    if (ips.isEmpty()) {
      return;
    }
    String bridge = c.ingressPolicy() == IngressPolicy.OPEN ? null : bridgeName(prev, c);
    String comment = Names.comment(inv.config().name(), inv.containerId(), inv.ifname());
    Firewall fw = fw();
    List<String> missing = new ArrayList<>();
    if (chooseBackend(c, fw) == Backend.NFTABLES) {
      String listing = fw.nftListTable(Names.NFT_FAMILY, Names.NFT_TABLE, true).orElse(null);
      missing.addAll(NftFirewall.missing(c, comment, ips, bridge, listing));
    } else {
      for (IpFamily f : families(ips)) {
        IptablesState st = fw.iptablesSave(f, Names.FILTER);
        missing.addAll(IptablesFirewall.missing(f, c, comment, ofFamily(ips, f), bridge, st));
      }
    }
    if (!missing.isEmpty()) {
      throw new CniException(
          ErrorCodes.INTERNAL,
          "firewall: rules missing for container "
              + inv.containerId()
              + ": "
              + String.join("; ", missing));
    }
  }

  @Override
  public void gc(Invocation inv) {
    FirewallConfig c = FirewallConfig.parse(inv.config().raw());
    if (c.firewalld()) {
      return;
    }
    String net = inv.config().name();
    Set<String> keep = new LinkedHashSet<>();
    for (Attachment a : inv.validAttachments()) {
      keep.add(Names.comment(net, a.containerId(), a.ifname()));
    }
    List<String> errors = new ArrayList<>();
    // both backends: the default may have chosen either for any attachment
    clean(fw(), null, errors, null, Names.netPrefix(net), keep);
    if (!errors.isEmpty()) {
      throw new CniException(
          ErrorCodes.INTERNAL, "firewall: garbage collection failed: " + String.join("; ", errors));
    }
  }

  @Override
  public void status(Invocation inv) {
    FirewallConfig c = FirewallConfig.parse(inv.config().raw());
    if (c.firewalld()) {
      throw new CniException(
          ErrorCodes.PLUGIN_NOT_AVAILABLE, "firewall: the firewalld backend is not supported");
    }
    Firewall fw = fw();
    Backend b = chooseBackend(c, fw);
    if (!fw.usable(b)) {
      throw new CniException(
          ErrorCodes.PLUGIN_NOT_AVAILABLE, "firewall: the " + b + " backend is not usable");
    }
  }

  /**
   * Removes the attachment's rules ({@code comment}), or else GC's stale rules of a network ({@code
   * netPrefix}, keeping {@code keep}), in {@code only} or, when null, in both backends (the default
   * backend may differ between ADD and DEL). A backend or family whose tools are not usable here
   * holds nothing of ours and is skipped.
   */
  @SuppressWarnings("try") // try-with-resources holds a lock for the block, which never reads it
  private void clean(
      Firewall fw,
      Backend only,
      List<String> errors,
      String comment,
      String netPrefix,
      Set<String> keep) {
    if (only != Backend.IPTABLES) {
      try (FirewallLock lock = FirewallLock.acquire(lockDir, NFT_LOCK)) {
        String listing = fw.nftListTable(Names.NFT_FAMILY, Names.NFT_TABLE, true).orElse(null);
        fw.nft(
            comment != null
                ? NftFirewall.del(comment, listing)
                : NftFirewall.gc(netPrefix, keep, listing));
      } catch (FirewallException e) {
        if (e.exitCode() != 127 && fw.nftUsable()) {
          errors.add(e.msg());
        }
      }
    }
    if (only != Backend.NFTABLES) {
      try (FirewallLock lock = FirewallLock.acquire(lockDir, IPTABLES_LOCK)) {
        for (IpFamily f : IpFamily.values()) {
          IptablesState st;
          try {
            st = fw.iptablesSave(f, Names.FILTER);
          } catch (FirewallException e) {
            continue; // no ip(6)tables here: nothing of ours can be there either
          }
          try {
            fw.iptablesRestore(
                f,
                comment != null
                    ? IptablesFirewall.del(comment, st)
                    : IptablesFirewall.gc(netPrefix, keep, st));
          } catch (FirewallException e) {
            errors.add(e.msg());
          }
        }
      }
    }
  }

  /** The explicit backend, else Go's default rule shared with ipMasq and portmap. */
  static Backend chooseBackend(FirewallConfig c, Firewall fw) {
    return c.backend() != null ? c.backend() : fw.defaultBackend();
  }

  private static CniException firewalld() {
    return new CniException(
        ErrorCodes.UNSUPPORTED_FIELD,
        "backend: \"firewalld\" is not supported by this firewall "
            + "plugin (it has no firewalld D-Bus client); use \"iptables\" or \"nftables\"");
  }

  /**
   * Every address of prevResult as a host prefix (/32, /128), as Go's plugin takes them: all
   * interfaces.
   */
  static List<FwValues.Cidr> addresses(Result prev) {
    Set<FwValues.Cidr> out = new LinkedHashSet<>();
    for (int i = 0; i < prev.ips().size(); i++) {
      InetAddress a = prev.ips().get(i).address().address();
      out.add(new FwValues.Cidr(a, a.getAddress().length * 8));
    }
    return new ArrayList<>(out);
  }

  /** The bridge for ingressPolicy: prevResult's first interface, as Go takes it. */
  static String bridgeName(Result prev, FirewallConfig c) {
    if (prev.interfaces().isEmpty()
        || prev.interfaces().get(0).name() == null
        || prev.interfaces().get(0).name().isEmpty()) {
      throw CniException.invalidConfig(
          "ingressPolicy: \""
              + c.ingressPolicy().configName()
              + "\" needs the bridge "
              + "as the first interface of prevResult; chain \"firewall\" after \"bridge\"");
    }
    return FwValues.interfaceName(prev.interfaces().get(0).name(), "prevResult.interfaces[0].name");
  }

  private static List<IpFamily> families(List<FwValues.Cidr> ips) {
    List<IpFamily> out = new ArrayList<>();
    for (FwValues.Cidr ip : ips) {
      if (!out.contains(ip.family())) {
        out.add(ip.family());
      }
    }
    return out;
  }

  private static List<FwValues.Cidr> ofFamily(List<FwValues.Cidr> ips, IpFamily f) {
    List<FwValues.Cidr> out = new ArrayList<>();
    for (FwValues.Cidr ip : ips) {
      if (ip.family() == f) {
        out.add(ip);
      }
    }
    return out;
  }
}
