package dev.jcni.plugins.common;

import dev.jcni.plugins.common.firewall.Backend;
import dev.jcni.plugins.common.firewall.Firewall;
import dev.jcni.plugins.common.firewall.FirewallException;
import dev.jcni.plugins.common.firewall.FwValues;
import dev.jcni.plugins.common.firewall.NftScript;
import dev.jcni.spec.net.Cidr;
import java.util.Collection;
import java.util.List;

/**
 * {@link IpMasq} on nftables: one table per attachment, {@code inet jcni_masq_<net>_<att>}, whose
 * {@code nat} chain {@code postrouting} (hook postrouting, priority srcnat) holds, per pod address,
 * {@code ip saddr A ip daddr != SUBNET ip daddr != 224.0.0.0/4 masquerade} ({@code ff00::/8} for
 * IPv6). Setup replaces the table in one {@code nft -f -} transaction; teardown is add-then-delete
 * (no listing).
 */
public final class IpMasqNft implements IpMasq {
  static final String PREFIX = "jcni_masq_";
  static final OwnerTables TABLES = new OwnerTables("inet", PREFIX);
  private static final String CHAIN = "postrouting";

  private final Firewall fw;

  public IpMasqNft(Firewall fw) {
    this.fw = fw;
  }

  /** The attachment's table. */
  public static String table(Owner o) {
    return TABLES.table(o);
  }

  /** The transaction (re)creating the attachment's table for {@code ips}. */
  public static NftScript setupScript(Owner o, Collection<Cidr> ips) {
    String t = table(o);
    NftScript s =
        new NftScript()
            .replaceTable("inet", t, o.ruleComment("ipMasq"))
            .addBaseChain("inet", t, CHAIN, "nat", "postrouting", "srcnat");
    for (Cidr ip : ips) {
      String f = ip.isIpv4() ? "ip" : "ip6";
      s.addRule(
          "inet",
          t,
          CHAIN,
          new NftScript.Rule()
              .kw(f, "saddr")
              .addr(ip.address())
              .kw(f, "daddr", "!=")
              .cidr(fw(ip))
              .kw(f, "daddr", "!=")
              .cidr(multicast(ip))
              .kw("masquerade"));
    }
    return s;
  }

  /** The transaction removing the attachment's table (successful whether or not it exists). */
  public static NftScript teardownScript(Owner o) {
    return TABLES.deleteScript(List.of(table(o)));
  }

  static FwValues.Cidr fw(Cidr c) {
    return new FwValues.Cidr(c.address(), c.prefixLength());
  }

  /** The family's multicast range, which is never masqueraded. */
  static FwValues.Cidr multicast(Cidr of) {
    return FwValues.cidr(of.isIpv4() ? "224.0.0.0/4" : "ff00::/8", "multicast");
  }

  @Override
  public Backend backend() {
    return Backend.NFTABLES;
  }

  @Override
  public void setup(Owner o, Collection<Cidr> ips) {
    fw.nft(setupScript(o, ips));
  }

  @Override
  public void teardown(Owner o, List<String> errors) {
    try {
      TABLES.delete(fw, o);
    } catch (FirewallException e) {
      errors.add(e.getMessage());
    }
  }

  @Override
  public boolean present(Owner o, Collection<Cidr> ips) {
    return TABLES.exists(fw, o);
  }

  @Override
  public void gc(String network, Collection<Owner> keep, List<String> errors) {
    try {
      TABLES.gc(fw, network, keep);
    } catch (FirewallException e) {
      errors.add(e.getMessage());
    }
  }
}
