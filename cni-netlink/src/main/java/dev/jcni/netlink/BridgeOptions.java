package dev.jcni.netlink;

/**
 * A bridge to create: {@code ip link add NAME [mtu M] [address MAC] type bridge [vlan_filtering
 * 0|1]}.
 *
 * @param mtu 0 = kernel default
 * @param mac null = kernel-chosen
 * @param vlanFiltering null = kernel default (off)
 */
public record BridgeOptions(int mtu, MacAddress mac, Boolean vlanFiltering) {
  public static final BridgeOptions DEFAULT = new BridgeOptions(0, null, null);

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    /** Starts with every option unset (kernel defaults). */
    public Builder() {}

    private int mtu;
    private MacAddress mac;
    private Boolean vlanFiltering;

    public Builder mtu(int mtu) {
      this.mtu = mtu;
      return this;
    }

    public Builder mac(MacAddress mac) {
      this.mac = mac;
      return this;
    }

    public Builder vlanFiltering(boolean on) {
      this.vlanFiltering = on;
      return this;
    }

    public BridgeOptions build() {
      return new BridgeOptions(mtu, mac, vlanFiltering);
    }
  }
}
