package dev.jcni.netlink;

import dev.jcni.system.NetNs;
import java.util.Objects;

/**
 * A veth pair to create: {@code ip link add NAME [mtu M] [address MAC] type veth peer name PEER
 * [netns NS] [address PEERMAC] [mtu M]}. The peer is created directly in {@code peerNs} (by fd)
 * when given.
 */
public record VethOptions(
    String name, String peerName, NetNs peerNs, int mtu, MacAddress mac, MacAddress peerMac) {
  public VethOptions {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(peerName, "peerName");
  }

  public static Builder builder(String name, String peerName) {
    return new Builder(name, peerName);
  }

  public static final class Builder {
    private final String name;
    private final String peerName;
    private NetNs peerNs;
    private int mtu;
    private MacAddress mac;
    private MacAddress peerMac;

    private Builder(String name, String peerName) {
      this.name = name;
      this.peerName = peerName;
    }

    /** Create the peer end inside this namespace. */
    public Builder peerNs(NetNs ns) {
      this.peerNs = ns;
      return this;
    }

    /** MTU for both ends (0 = kernel default). */
    public Builder mtu(int mtu) {
      this.mtu = mtu;
      return this;
    }

    public Builder mac(MacAddress mac) {
      this.mac = mac;
      return this;
    }

    public Builder peerMac(MacAddress mac) {
      this.peerMac = mac;
      return this;
    }

    public VethOptions build() {
      return new VethOptions(name, peerName, peerNs, mtu, mac, peerMac);
    }
  }
}
