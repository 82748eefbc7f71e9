package dev.jcni.plugins.common;

import dev.jcni.plugins.common.firewall.Backend;
import dev.jcni.plugins.common.firewall.Firewall;
import dev.jcni.plugins.common.firewall.FirewallException;
import dev.jcni.plugins.common.firewall.IpFamily;
import dev.jcni.plugins.common.firewall.IptablesScript;
import dev.jcni.plugins.common.firewall.IptablesState;
import dev.jcni.spec.net.Cidr;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link IpMasq} on iptables: one chain per attachment in {@code nat}, {@code JCNI-M-<8 hex net><13
 * hex att>} (28 characters, iptables' limit), holding {@code -d SUBNET -j ACCEPT} per address and
 * {@code ! -d 224.0.0.0/4 -j MASQUERADE} ({@code ff00::/8} for IPv6), jumped to from {@code
 * POSTROUTING -s A/32}. Every rule carries the attachment's comment. Per family one {@code
 * iptables-restore --noflush} transaction: the chain is declared (which flushes it, making setup
 * idempotent) and the attachment's old jumps, found in {@code iptables-save}, are deleted exactly
 * as the kernel printed them.
 */
public final class IpMasqIptables implements IpMasq {
  static final String PREFIX = "JCNI-M-";
  private static final String NAT = "nat";
  private static final String POSTROUTING = "POSTROUTING";

  private final Firewall fw;

  public IpMasqIptables(Firewall fw) {
    this.fw = fw;
  }

  /** The attachment's chain. */
  public static String chain(Owner o) {
    return PREFIX
        + (o.networkHash().substring(0, 8) + o.instanceHash().substring(0, 13)).toUpperCase();
  }

  /** What every chain of {@code network} starts with. */
  static String networkPrefix(String network) {
    return PREFIX + new Owner(network, "", "").networkHash().substring(0, 8).toUpperCase();
  }

  /**
   * The restore script for one family ({@code ips} all of it): removes the attachment's jumps found
   * in {@code saved}, (re)declares and fills its chain and jumps to it once per address.
   */
  public static IptablesScript setupScript(Owner o, Collection<Cidr> ips, IptablesState saved) {
    String chain = chain(o);
    String comment = o.ruleComment("ipMasq");
    IptablesScript s = new IptablesScript().declareChain(NAT, chain);
    deleteJumps(s, saved, Set.of(chain));
    for (Cidr ip : ips) {
      s.append(
          NAT,
          chain,
          new IptablesScript.Rule()
              .opt("-d")
              .cidr(IpMasqNft.fw(ip))
              .comment(comment)
              .opt("-j", "ACCEPT"));
    }
    s.append(
        NAT,
        chain,
        new IptablesScript.Rule()
            .opt("!", "-d")
            .cidr(IpMasqNft.multicast(ips.iterator().next()))
            .comment(comment)
            .opt("-j", "MASQUERADE"));
    for (Cidr ip : ips) {
      s.append(
          NAT,
          POSTROUTING,
          new IptablesScript.Rule()
              .opt("-s")
              .cidr(IpMasqNft.fw(ip.host()))
              .comment(comment)
              .opt("-j")
              .chain(chain));
    }
    return s;
  }

  /**
   * The restore script removing every chain in {@code chains} that {@code saved} shows and the
   * rules jumping to them; empty when none of it is there.
   */
  public static IptablesScript teardownScript(Set<String> chains, IptablesState saved) {
    IptablesScript s = new IptablesScript();
    List<String> present = new ArrayList<>();
    for (String c : chains) {
      if (saved.hasChain(NAT, c)) {
        present.add(c);
        s.declareChain(NAT, c);
      }
    }
    deleteJumps(s, saved, chains);
    for (String c : present) {
      s.deleteChain(NAT, c);
    }
    return s;
  }

  /** Deletes every saved rule outside {@code chains} whose target is one of them. */
  private static boolean deleteJumps(IptablesScript s, IptablesState saved, Set<String> chains) {
    boolean any = false;
    for (IptablesState.SavedRule r : saved.rules(NAT)) {
      if (chains.contains(r.target()) && !chains.contains(r.chain())) {
        s.deleteSaved(NAT, r);
        any = true;
      }
    }
    return any;
  }

  @Override
  public Backend backend() {
    return Backend.IPTABLES;
  }

  @Override
  public void setup(Owner o, Collection<Cidr> ips) {
    for (IpFamily f : IpFamily.values()) {
      List<Cidr> mine = ofFamily(ips, f);
      if (!mine.isEmpty()) {
        fw.iptablesRestore(f, setupScript(o, mine, fw.iptablesSave(f, NAT)));
      }
    }
  }

  @Override
  public void teardown(Owner o, List<String> errors) {
    Set<String> mine = Set.of(chain(o));
    for (IpFamily f : IpFamily.values()) {
      try {
        IptablesState saved = save(f);
        if (saved != null) {
          fw.iptablesRestore(f, teardownScript(mine, saved));
        }
      } catch (FirewallException e) {
        // like Go: an iptables that does not work here holds nothing of ours
        if (fw.iptablesUsable(IpFamily.V4)) {
          errors.add(e.getMessage());
        }
      }
    }
  }

  @Override
  public boolean present(Owner o, Collection<Cidr> ips) {
    Set<String> mine = Set.of(chain(o));
    for (IpFamily f : IpFamily.values()) {
      if (!ofFamily(ips, f).isEmpty()) {
        IptablesState saved = save(f);
        if (saved != null && deleteJumps(new IptablesScript(), saved, mine)) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public void gc(String network, Collection<Owner> keep, List<String> errors) {
    Set<String> kept = new HashSet<>();
    for (Owner k : keep) {
      kept.add(chain(k));
    }
    String prefix = networkPrefix(network);
    for (IpFamily f : IpFamily.values()) {
      try {
        IptablesState saved = save(f);
        if (saved == null) {
          continue;
        }
        Set<String> stale = new LinkedHashSet<>();
        for (String c : saved.chains(NAT)) {
          if (c.startsWith(prefix) && c.length() == 28 && !kept.contains(c)) {
            stale.add(c);
          }
        }
        if (!stale.isEmpty()) {
          fw.iptablesRestore(f, teardownScript(stale, saved));
        }
      } catch (FirewallException e) {
        errors.add(e.getMessage());
      }
    }
  }

  /** {@code iptables-save -t nat} of the family, or null when its tools are not installed. */
  private IptablesState save(IpFamily f) {
    try {
      return fw.iptablesSave(f, NAT);
    } catch (FirewallException e) {
      if (e.exitCode() == 127) {
        return null;
      }
      throw e;
    }
  }

  private static List<Cidr> ofFamily(Collection<Cidr> ips, IpFamily f) {
    List<Cidr> out = new ArrayList<>();
    for (Cidr i : ips) {
      if ((i.isIpv4() ? IpFamily.V4 : IpFamily.V6) == f) {
        out.add(i);
      }
    }
    return out;
  }
}
