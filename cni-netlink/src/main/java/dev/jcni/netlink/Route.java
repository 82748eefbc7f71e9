package dev.jcni.netlink;

import dev.jcni.spec.net.Cidr;
import dev.jcni.spec.net.InetAddresses;
import java.net.InetAddress;
import java.util.List;

/**
 * A route ({@code ip route}). In requests, fields left at {@link #UNSET} get iproute2's defaults:
 * table main, protocol boot, type unicast, scope link for a gateway-less unicast route and universe
 * otherwise; on delete, unset scope/protocol/type act as wildcards.
 *
 * @param family V4 or V6
 * @param dst destination prefix, null = default route
 * @param src preferred source (RTA_PREFSRC), null if none
 * @param gateway RTA_GATEWAY, null if none
 * @param oif output ifindex, 0 if none
 * @param table routing table (254 main, 255 local)
 * @param scope RT_SCOPE_* (0 universe, 253 link, 254 host)
 * @param protocol RTPROT_* (2 kernel, 3 boot, 4 static)
 * @param type RTN_* (1 unicast, 2 local, 6 blackhole...)
 * @param priority metric (RTA_PRIORITY), 0 if none
 * @param flags rtm_flags (RTNH_F_ONLINK = 4)
 * @param mtu RTAX_MTU metric, 0 if none
 * @param advmss RTAX_ADVMSS metric, 0 if none
 * @param nexthops multipath next hops (RTA_MULTIPATH), empty if none
 */
public record Route(
    Family family,
    Cidr dst,
    InetAddress src,
    InetAddress gateway,
    int oif,
    int table,
    int scope,
    int protocol,
    int type,
    int priority,
    int flags,
    int mtu,
    int advmss,
    List<Nexthop> nexthops) {
  public static final int UNSET = -1;
  public static final int TABLE_MAIN = 254, TABLE_LOCAL = 255;
  public static final int SCOPE_UNIVERSE = 0, SCOPE_LINK = 253, SCOPE_HOST = 254;
  public static final int PROTO_KERNEL = 2, PROTO_BOOT = 3, PROTO_STATIC = 4;
  public static final int TYPE_UNICAST = 1,
      TYPE_LOCAL = 2,
      TYPE_BROADCAST = 3,
      TYPE_BLACKHOLE = 6,
      TYPE_UNREACHABLE = 7,
      TYPE_PROHIBIT = 8;
  public static final int FLAG_ONLINK = 4;

  public Route {
    nexthops = nexthops == null ? List.of() : List.copyOf(nexthops);
  }

  /** One multipath next hop. */
  public record Nexthop(InetAddress gateway, int oif, int weight, int flags) {}

  public boolean isDefault() {
    return dst == null || dst.prefixLength() == 0;
  }

  public boolean isOnlink() {
    return (flags & FLAG_ONLINK) != 0;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder preloaded with this route's fields. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.family = family;
    b.dst = dst;
    b.src = src;
    b.gateway = gateway;
    b.oif = oif;
    b.table = table;
    b.scope = scope;
    b.protocol = protocol;
    b.type = type;
    b.priority = priority;
    b.flags = flags;
    b.mtu = mtu;
    b.advmss = advmss;
    b.nexthops = nexthops;
    return b;
  }

  public static final class Builder {
    /** Starts with every field unset. */
    public Builder() {}

    private Family family;
    private Cidr dst;
    private InetAddress src;
    private InetAddress gateway;
    private int oif;
    private int table = UNSET;
    private int scope = UNSET;
    private int protocol = UNSET;
    private int type = UNSET;
    private int priority;
    private int flags;
    private int mtu;
    private int advmss;
    private List<Nexthop> nexthops = List.of();

    /** Needed only for a default route without gateway (otherwise inferred). */
    public Builder family(Family f) {
      this.family = f;
      return this;
    }

    public Builder dst(Cidr dst) {
      this.dst = dst;
      return this;
    }

    public Builder dst(String cidr) {
      return dst(Cidr.parse(cidr));
    }

    public Builder src(InetAddress src) {
      this.src = src;
      return this;
    }

    public Builder gateway(InetAddress gw) {
      this.gateway = gw;
      return this;
    }

    public Builder gateway(String gw) {
      return gateway(InetAddresses.parse(gw));
    }

    public Builder oif(int index) {
      this.oif = index;
      return this;
    }

    public Builder table(int table) {
      this.table = table;
      return this;
    }

    public Builder scope(int scope) {
      this.scope = scope;
      return this;
    }

    public Builder protocol(int protocol) {
      this.protocol = protocol;
      return this;
    }

    public Builder type(int type) {
      this.type = type;
      return this;
    }

    /** Metric. */
    public Builder priority(int metric) {
      this.priority = metric;
      return this;
    }

    public Builder metric(int metric) {
      return priority(metric);
    }

    public Builder onlink(boolean on) {
      this.flags = on ? flags | FLAG_ONLINK : flags & ~FLAG_ONLINK;
      return this;
    }

    public Builder flags(int flags) {
      this.flags = flags;
      return this;
    }

    public Builder mtu(int mtu) {
      this.mtu = mtu;
      return this;
    }

    public Builder advmss(int advmss) {
      this.advmss = advmss;
      return this;
    }

    public Builder nexthops(List<Nexthop> hops) {
      this.nexthops = hops;
      return this;
    }

    public Route build() {
      Family f = family;
      if (f == null || f == Family.ALL) {
        InetAddress probe =
            dst != null
                ? dst.address()
                : gateway != null
                    ? gateway
                    : src != null
                        ? src
                        : !nexthops.isEmpty() && nexthops.get(0).gateway() != null
                            ? nexthops.get(0).gateway()
                            : null;
        if (probe == null)
          throw new IllegalArgumentException("route family unknown: set family, dst or gateway");
        f = Family.of(probe);
      }
      return new Route(
          f, dst, src, gateway, oif, table, scope, protocol, type, priority, flags, mtu, advmss,
          nexthops);
    }
  }
}
