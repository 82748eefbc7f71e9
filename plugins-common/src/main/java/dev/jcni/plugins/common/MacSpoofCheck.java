package dev.jcni.plugins.common;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code macspoofchk}: frames entering the bridge from the pod's host-side veth are dropped unless their source MAC
 * is the pod's (Go's pkg/link spoof checker, which uses the {@code bridge nat} table at priority -300). Here each
 * attachment gets its own table {@code bridge jcni_msc_<net>_<att>}, created and removed atomically with the
 * add-then-delete idiom, so DEL needs neither the veth name nor the MAC and never touches Go's rules.
 */
public final class MacSpoofCheck {
  static final String PREFIX = "jcni_msc_";
  private static Pattern tablePattern() {
    return Pattern.compile("^table bridge (" + PREFIX + "([0-9a-f]{16})_([0-9a-f]{16}))\\s*$", Pattern.MULTILINE);
  }

  private static boolean isMac(String m) {
    if (m.length() != 17) {
      return false;
    }
    for (int i = 0; i < 17; i++) {
      char c = m.charAt(i);
      boolean ok = i % 3 == 2 ? c == ':' : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean isSafeIfname(String n) {
    if (n.isEmpty() || n.length() > 15) {
      return false;
    }
    for (int i = 0; i < n.length(); i++) {
      char c = n.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "_.@-".indexOf(c) >= 0)) {
        return false;
      }
    }
    return true;
  }

  private final Netfilter nf;

  public MacSpoofCheck(Netfilter nf) {
    this.nf = nf;
  }

  public static String table(Owner o) {
    return PREFIX + o.networkHash() + "_" + o.instanceHash();
  }

  /** The nft script (re)creating the attachment's table. */
  public static String setupScript(Owner o, String hostIfname, String mac) {
    String m = mac.toLowerCase();
    if (!isMac(m)) {
      throw new IllegalArgumentException("invalid MAC address " + mac);
    }
    if (!isSafeIfname(hostIfname)) {
      throw new IllegalArgumentException("invalid interface name " + hostIfname);
    }
    String t = table(o);
    return "add table bridge " + t + "\n"
        + "delete table bridge " + t + "\n"
        + "table bridge " + t + " {\n"
        + "  comment \"jcni macspoofchk " + o.describe() + "\"\n"
        + "  chain prerouting {\n"
        + "    type filter hook prerouting priority -300; policy accept;\n"
        + "    iifname \"" + hostIfname + "\" ether saddr != " + m + " drop\n"
        + "  }\n"
        + "}\n";
  }

  static String teardownScript(Collection<String> tables) {
    StringBuilder sb = new StringBuilder();
    for (String t : tables) {
      sb.append("add table bridge ").append(t).append("\ndelete table bridge ").append(t).append('\n');
    }
    return sb.toString();
  }

  public void setup(Owner o, String hostIfname, String mac) {
    nf.nft(setupScript(o, hostIfname, mac));
  }

  /** Idempotent: succeeds when nothing is installed, or when nftables is not installed or not usable. */
  public void teardown(Owner o) {
    if (nf.nftAvailable()) {
      try {
        nf.nft(teardownScript(List.of(table(o))));
      } catch (RuntimeException e) {
        if (nf.nftUsable()) {
          throw e;
        }
      }
    }
  }

  public boolean present(Owner o) {
    return nf.nftAvailable() && nf.nftTableExists("bridge", table(o));
  }

  /** Removes the tables of every attachment of {@code network} not in {@code keep}. */
  public void gc(String network, Collection<Owner> keep) {
    if (!nf.nftAvailable()) {
      return;
    }
    String netHash = new Owner(network, "", "").networkHash();
    Set<String> keepTables = new HashSet<>();
    for (Owner k : keep) {
      keepTables.add(table(k));
    }
    Set<String> stale = new LinkedHashSet<>();
    Matcher m = tablePattern().matcher(nf.nftListTables());
    while (m.find()) {
      if (m.group(2).equals(netHash) && !keepTables.contains(m.group(1))) {
        stale.add(m.group(1));
      }
    }
    if (!stale.isEmpty()) {
      nf.nft(teardownScript(new ArrayList<>(stale)));
    }
  }
}
