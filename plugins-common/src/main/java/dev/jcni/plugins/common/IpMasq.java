package dev.jcni.plugins.common;

import dev.jcni.spec.net.Cidr;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masquerading for bridge, ptp and vxlan ({@code ipMasq}): traffic from a pod's addresses to anything outside its
 * subnet (multicast excepted) is source-NATed, as Go's ipmasq does. Unlike Go, everything is keyed by the
 * attachment's {@link Owner} so DEL and GC remove it without knowing the pod's addresses, and the names never
 * collide with the Go plugins' ({@code CNI-…} chains, table {@code inet cni_plugins_masquerade}):
 *
 * <ul>
 *   <li>nftables: one table per attachment, {@code inet jcni_masq_<net>_<att>}, with a srcnat postrouting chain;
 *       set up and torn down atomically with the add-then-delete idiom (no listing needed);</li>
 *   <li>iptables: one chain per attachment, {@code JCNI-M-<net8><att13>} in {@code nat}, jumped to from
 *       {@code POSTROUTING} per source address (rules found again via {@code iptables-save}).</li>
 * </ul>
 * Each call is one write transaction per tool and family.
 */
public final class IpMasq {
  static final String NFT_PREFIX = "jcni_masq_";
  static final String IPT_PREFIX = "JCNI-M-";
  // compiled only by GC (regex classes are costly in a fresh JVM, and ADD/DEL never list)
  private static Pattern nftTablePattern() {
    return Pattern.compile("^table inet (" + NFT_PREFIX + "([0-9a-f]{16})_([0-9a-f]{16}))\\s*$", Pattern.MULTILINE);
  }

  private static Pattern iptChainPattern() {
    return Pattern.compile("^:(" + IPT_PREFIX + "[0-9A-F]{21}) ", Pattern.MULTILINE);
  }

  private final Netfilter nf;

  public IpMasq(Netfilter nf) {
    this.nf = nf;
  }

  /** The nftables table of an attachment. */
  public static String nftTable(Owner o) {
    return NFT_PREFIX + o.networkHash() + "_" + o.instanceHash();
  }

  /** The iptables chain of an attachment (28 characters, iptables' limit). */
  public static String iptablesChain(Owner o) {
    return IPT_PREFIX + (o.networkHash().substring(0, 8) + o.instanceHash().substring(0, 13)).toUpperCase();
  }

  static String iptablesNetPrefix(String network) {
    return IPT_PREFIX + new Owner(network, "", "").networkHash().substring(0, 8).toUpperCase();
  }

  // ---- script generators (pure) ----

  /** nft script that (re)creates the attachment's table for {@code ips} (pod addresses with their prefix). */
  public static String nftSetupScript(Owner o, Collection<Cidr> ips) {
    String t = nftTable(o);
    StringBuilder sb = new StringBuilder();
    sb.append("add table inet ").append(t).append('\n');
    sb.append("delete table inet ").append(t).append('\n');
    sb.append("table inet ").append(t).append(" {\n");
    sb.append("  comment \"jcni ipMasq ").append(o.describe()).append("\"\n");
    sb.append("  chain postrouting {\n");
    sb.append("    type nat hook postrouting priority srcnat; policy accept;\n");
    for (Cidr ip : ips) {
      String f = ip.isIpv4() ? "ip" : "ip6";
      String mcast = ip.isIpv4() ? "224.0.0.0/4" : "ff00::/8";
      sb.append("    ").append(f).append(" saddr ").append(ip.addressString()).append(' ').append(f)
          .append(" daddr != ").append(ip.network()).append(' ').append(f).append(" daddr != ").append(mcast)
          .append(" masquerade\n");
    }
    sb.append("  }\n}\n");
    return sb.toString();
  }

  /** nft script removing the attachment's table, successful whether or not it exists. */
  public static String nftTeardownScript(Collection<String> tables) {
    StringBuilder sb = new StringBuilder();
    for (String t : tables) {
      sb.append("add table inet ").append(t).append('\n');
      sb.append("delete table inet ").append(t).append('\n');
    }
    return sb.toString();
  }

  /**
   * iptables-restore script for one family: removes the attachment's existing jumps (found in {@code saved}, the
   * current {@code iptables-save -t nat}), (re)declares and fills its chain and adds one POSTROUTING jump per
   * address. Empty {@code ips} gives a teardown script ("" when nothing is there).
   */
  public static String iptablesScript(Owner o, Collection<Cidr> ips, String saved) {
    String chain = iptablesChain(o);
    List<String> dels = jumpDeletions(saved, Set.of(chain));
    boolean exists = saved.contains("\n:" + chain + " ") || saved.startsWith(":" + chain + " ");
    if (ips.isEmpty() && dels.isEmpty() && !exists) {
      return "";
    }
    StringBuilder sb = new StringBuilder("*nat\n");
    // declaring an existing chain with --noflush flushes it, which makes setup idempotent
    if (!ips.isEmpty() || exists) {
      sb.append(':').append(chain).append(" - [0:0]\n");
    }
    for (String d : dels) {
      sb.append(d).append('\n');
    }
    String comment = "-m comment --comment \"jcni ipMasq " + o.describe() + "\"";
    if (ips.isEmpty()) {
      sb.append("-X ").append(chain).append('\n');
    } else {
      for (Cidr ip : ips) {
        sb.append("-A ").append(chain).append(" -d ").append(ip.network()).append(' ').append(comment)
            .append(" -j ACCEPT\n");
      }
      String mcast = ips.iterator().next().isIpv4() ? "224.0.0.0/4" : "ff00::/8";
      sb.append("-A ").append(chain).append(" ! -d ").append(mcast).append(' ').append(comment)
          .append(" -j MASQUERADE\n");
      for (Cidr ip : ips) {
        sb.append("-A POSTROUTING -s ").append(ip.host()).append(' ').append(comment).append(" -j ").append(chain)
            .append('\n');
      }
    }
    sb.append("COMMIT\n");
    return sb.toString();
  }

  /** iptables-restore script removing every chain in {@code chains} and the rules jumping to them. */
  static String iptablesTeardownScript(Set<String> chains, String saved) {
    List<String> dels = jumpDeletions(saved, chains);
    List<String> present = new ArrayList<>();
    for (String c : chains) {
      if (saved.contains("\n:" + c + " ") || saved.startsWith(":" + c + " ")) {
        present.add(c);
      }
    }
    if (dels.isEmpty() && present.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder("*nat\n");
    for (String c : present) {
      sb.append(':').append(c).append(" - [0:0]\n");
    }
    for (String d : dels) {
      sb.append(d).append('\n');
    }
    for (String c : present) {
      sb.append("-X ").append(c).append('\n');
    }
    sb.append("COMMIT\n");
    return sb.toString();
  }

  /** "-D …" lines for every saved rule (outside the given chains) whose target is one of {@code chains}. */
  static List<String> jumpDeletions(String saved, Set<String> chains) {
    List<String> out = new ArrayList<>();
    for (String line : saved.split("\n")) {
      if (!line.startsWith("-A ")) {
        continue;
      }
      int j = line.lastIndexOf(" -j ");
      if (j < 0) {
        continue;
      }
      String target = line.substring(j + 4).trim();
      String from = line.substring(3, line.indexOf(' ', 3));
      if (chains.contains(target) && !chains.contains(from)) {
        out.add("-D " + line.substring(3));
      }
    }
    return out;
  }

  // ---- operations ----

  private static List<Cidr> ofFamily(Collection<Cidr> ips, int fam) {
    List<Cidr> out = new ArrayList<>();
    for (Cidr i : ips) {
      if (i.family() == fam) {
        out.add(i);
      }
    }
    return out;
  }

  /** The addresses of a result's IP entries. */
  public static List<Cidr> addresses(List<dev.jcni.spec.Result.IpConfig> ips) {
    List<Cidr> out = new ArrayList<>();
    for (dev.jcni.spec.Result.IpConfig ip : ips) {
      out.add(ip.address());
    }
    return out;
  }

  /** Installs masquerading for the attachment's addresses with {@code backend} (null = Go's automatic choice). */
  public void setup(MasqBackend backend, Owner o, Collection<Cidr> ips) {
    MasqBackend b = backend != null ? backend : MasqBackend.auto(nf);
    if (b == MasqBackend.NFTABLES) {
      nf.nft(nftSetupScript(o, ips));
      return;
    }
    for (int fam : new int[] {4, 6}) {
      List<Cidr> mine = ofFamily(ips, fam);
      if (mine.isEmpty()) {
        continue;
      }
      String script = iptablesScript(o, mine, nf.iptablesSave(fam, "nat"));
      if (!script.isEmpty()) {
        nf.iptablesRestore(fam, script);
      }
    }
  }

  /**
   * Removes the attachment's masquerading from both backends (the pod may have been set up with either).
   * Failures of a backend that is not installed or not usable are ignored (as Go does: otherwise DEL would fail
   * forever on a node without, say, nf_tables); others are collected and thrown at the end.
   */
  public void teardown(Owner o) {
    List<String> errors = new ArrayList<>();
    if (nf.nftAvailable()) {
      try {
        nf.nft(nftTeardownScript(List.of(nftTable(o))));
      } catch (RuntimeException e) {
        if (nf.nftUsable()) {
          errors.add(e.getMessage());
        }
      }
    }
    if (nf.iptablesAvailable()) {
      for (int fam : new int[] {4, 6}) {
        try {
          String script = iptablesTeardownScript(Set.of(iptablesChain(o)), nf.iptablesSave(fam, "nat"));
          if (!script.isEmpty()) {
            nf.iptablesRestore(fam, script);
          }
        } catch (RuntimeException e) {
          if (nf.iptablesUsable()) {
            errors.add(e.getMessage());
          }
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new NetfilterException("ipMasq teardown: " + String.join("; ", errors));
    }
  }

  /** Removes masquerading of every attachment of {@code network} not in {@code keep} (GC). */
  public void gc(String network, Collection<Owner> keep) {
    Owner netOnly = new Owner(network, "", "");
    Set<String> keepTables = new HashSet<>();
    Set<String> keepChains = new HashSet<>();
    for (Owner k : keep) {
      keepTables.add(nftTable(k));
      keepChains.add(iptablesChain(k));
    }
    List<String> errors = new ArrayList<>();
    if (nf.nftAvailable()) {
      try {
        Set<String> stale = new LinkedHashSet<>();
        Matcher m = nftTablePattern().matcher(nf.nftListTables());
        while (m.find()) {
          if (m.group(2).equals(netOnly.networkHash()) && !keepTables.contains(m.group(1))) {
            stale.add(m.group(1));
          }
        }
        if (!stale.isEmpty()) {
          nf.nft(nftTeardownScript(stale));
        }
      } catch (RuntimeException e) {
        errors.add(e.getMessage());
      }
    }
    if (nf.iptablesAvailable()) {
      String prefix = iptablesNetPrefix(network);
      for (int fam : new int[] {4, 6}) {
        try {
          String saved = nf.iptablesSave(fam, "nat");
          Set<String> stale = new LinkedHashSet<>();
          Matcher m = iptChainPattern().matcher(saved);
          while (m.find()) {
            if (m.group(1).startsWith(prefix) && !keepChains.contains(m.group(1))) {
              stale.add(m.group(1));
            }
          }
          String script = stale.isEmpty() ? "" : iptablesTeardownScript(stale, saved);
          if (!script.isEmpty()) {
            nf.iptablesRestore(fam, script);
          }
        } catch (RuntimeException e) {
          errors.add(e.getMessage());
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new NetfilterException("ipMasq gc: " + String.join("; ", errors));
    }
  }

  /** True when the attachment's masquerading is installed with either backend (for CHECK). */
  public boolean present(Owner o, Collection<Cidr> ips) {
    if (nf.nftAvailable() && nf.nftTableExists("inet", nftTable(o))) {
      return true;
    }
    if (nf.iptablesAvailable()) {
      String chain = iptablesChain(o);
      for (int fam : new int[] {4, 6}) {
        if (!ofFamily(ips, fam).isEmpty()
            && !jumpDeletions(nf.iptablesSave(fam, "nat"), Set.of(chain)).isEmpty()) {
          return true;
        }
      }
    }
    return false;
  }
}
