package dev.jcni.plugins.common;

import dev.jcni.plugins.common.firewall.Firewall;
import dev.jcni.plugins.common.firewall.FirewallException;
import dev.jcni.plugins.common.firewall.NftScript;
import java.util.Collection;
import java.util.List;

/**
 * {@link MacSpoofCheck} on nftables. Go's spoof checker uses the shared {@code bridge nat} table at
 * priority -300; here each attachment gets its own table {@code bridge jcni_msc_<net>_<att>} with a
 * {@code filter} chain {@code prerouting} at priority -300 holding {@code iifname "VETH" ether
 * saddr != MAC drop}, created and removed atomically with the add-then-delete idiom.
 */
public final class MacSpoofCheckNft implements MacSpoofCheck {
  static final String PREFIX = "jcni_msc_";
  static final OwnerTables TABLES = new OwnerTables("bridge", PREFIX);
  private static final String CHAIN = "prerouting";

  private final Firewall fw;

  public MacSpoofCheckNft(Firewall fw) {
    this.fw = fw;
  }

  /** The attachment's table. */
  public static String table(Owner o) {
    return TABLES.table(o);
  }

  /**
   * The transaction (re)creating the attachment's table. The interface name and the MAC go in as
   * typed tokens: anything that is not one is refused with code 7.
   */
  public static NftScript setupScript(Owner o, String hostIfname, String mac) {
    String t = table(o);
    return new NftScript()
        .replaceTable("bridge", t, o.ruleComment("macspoofchk"))
        .addBaseChain("bridge", t, CHAIN, "filter", "prerouting", "-300")
        .addRule(
            "bridge",
            t,
            CHAIN,
            new NftScript.Rule()
                .kw("iifname")
                .ifname(hostIfname)
                .kw("ether", "saddr", "!=")
                .mac(mac)
                .kw("drop"));
  }

  /** The transaction removing the attachment's table (successful whether or not it exists). */
  public static NftScript teardownScript(Owner o) {
    return TABLES.deleteScript(List.of(table(o)));
  }

  @Override
  public void setup(Owner o, String hostIfname, String mac) {
    fw.nft(setupScript(o, hostIfname, mac));
  }

  @Override
  public void teardown(Owner o) {
    try {
      TABLES.delete(fw, o);
    } catch (FirewallException e) {
      throw plain(e);
    }
  }

  @Override
  public boolean present(Owner o) {
    return TABLES.exists(fw, o);
  }

  @Override
  public void gc(String network, Collection<Owner> keep) {
    try {
      TABLES.gc(fw, network, keep);
    } catch (FirewallException e) {
      throw plain(e);
    }
  }

  // DEL/GC report a tool failure among their other steps' failures, under their own prefix (see
  // Failures)
  private static IllegalStateException plain(FirewallException e) {
    return new IllegalStateException(e.getMessage(), e);
  }
}
