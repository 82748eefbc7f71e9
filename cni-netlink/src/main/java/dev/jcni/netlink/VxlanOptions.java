package dev.jcni.netlink;

import java.net.InetAddress;

/**
 * A vxlan device to create: {@code ip link add NAME [mtu M] type vxlan id VNI [local IP]
 * [group|remote IP] [dev LOWER] [dstport PORT] [nolearning] [ttl T] [tos T]}.
 *
 * @param vni VXLAN network identifier (0..16777215)
 * @param local source address, null = unset
 * @param group multicast group or unicast remote (both go in IFLA_VXLAN_GROUP/GROUP6), null = unset
 * @param devIndex lower device ifindex, 0 = none
 * @param port UDP destination port (host order); 0 = kernel default (8472, the Linux legacy port);
 *     iproute2 without dstport also uses 8472 with a warning; the IANA port is 4789
 * @param learning null = kernel default (on)
 * @param ttl 0 = inherit / kernel default
 * @param tos 0 = kernel default
 * @param mtu 0 = kernel default
 * @param mac null = random
 */
public record VxlanOptions(
    int vni,
    InetAddress local,
    InetAddress group,
    int devIndex,
    int port,
    Boolean learning,
    int ttl,
    int tos,
    int mtu,
    MacAddress mac) {
  public VxlanOptions {
    if (vni < 0 || vni > 0xffffff)
      throw new IllegalArgumentException("vxlan id out of range: " + vni);
    if (port < 0 || port > 65535)
      throw new IllegalArgumentException("vxlan port out of range: " + port);
  }

  public static Builder builder(int vni) {
    return new Builder(vni);
  }

  public static final class Builder {
    private final int vni;
    private InetAddress local;
    private InetAddress group;
    private int devIndex;
    private int port;
    private Boolean learning;
    private int ttl;
    private int tos;
    private int mtu;
    private MacAddress mac;

    private Builder(int vni) {
      this.vni = vni;
    }

    public Builder local(InetAddress a) {
      this.local = a;
      return this;
    }

    /** Multicast group or unicast remote. */
    public Builder group(InetAddress a) {
      this.group = a;
      return this;
    }

    public Builder remote(InetAddress a) {
      return group(a);
    }

    public Builder devIndex(int index) {
      this.devIndex = index;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder learning(boolean on) {
      this.learning = on;
      return this;
    }

    public Builder ttl(int ttl) {
      this.ttl = ttl;
      return this;
    }

    public Builder tos(int tos) {
      this.tos = tos;
      return this;
    }

    public Builder mtu(int mtu) {
      this.mtu = mtu;
      return this;
    }

    public Builder mac(MacAddress mac) {
      this.mac = mac;
      return this;
    }

    public VxlanOptions build() {
      return new VxlanOptions(vni, local, group, devIndex, port, learning, ttl, tos, mtu, mac);
    }
  }
}
