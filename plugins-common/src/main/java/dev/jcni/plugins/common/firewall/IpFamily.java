package dev.jcni.plugins.common.firewall;

/** An address family and the names the firewall tools use for it. */
public enum IpFamily {
  V4("ip", "iptables", "iptables-restore", "iptables-save"),
  V6("ip6", "ip6tables", "ip6tables-restore", "ip6tables-save");

  private final String nft;
  private final String iptables;
  private final String restore;
  private final String save;

  IpFamily(String nft, String iptables, String restore, String save) {
    this.nft = nft;
    this.iptables = iptables;
    this.restore = restore;
    this.save = save;
  }

  /** The nft family keyword ({@code ip} or {@code ip6}), also the nft address-match keyword. */
  public String nft() {
    return nft;
  }

  public String iptables() {
    return iptables;
  }

  public String iptablesRestore() {
    return restore;
  }

  public String iptablesSave() {
    return save;
  }

  /** The family of a literal address (as returned by {@link FwValues#address}). */
  public static IpFamily of(java.net.InetAddress a) {
    return a instanceof java.net.Inet6Address ? V6 : V4;
  }
}
