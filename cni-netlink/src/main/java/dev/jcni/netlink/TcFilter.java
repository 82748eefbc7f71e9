package dev.jcni.netlink;

import dev.jcni.spec.net.Cidr;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A u32 classifier with optional mirred actions, to add ({@code tc filter add dev D parent P
 * protocol PROTO prio N u32 match ... [classid C] [action mirred egress redirect dev X]}) or as
 * listed ({@code tc filter show}).
 *
 * @param index the device's ifindex
 * @param parent the qdisc it hangs on ({@link TcHandle#INGRESS_HANDLE} for {@code ffff:})
 * @param prio {@code prio}/{@code pref} (1..65535; 0 lets the kernel choose)
 * @param protocol ethertype in host order: {@link #ETH_P_ALL}, {@link #ETH_P_IP}, {@link
 *     #ETH_P_IPV6}
 * @param handle the filter handle ({@code fh 800::800}); 0 in requests
 * @param kind {@code "u32"}
 * @param classId {@code classid}/{@code flowid}, 0 if none
 * @param keys the u32 keys (all must match); {@link #matchAll()} is one zero key, like {@code match
 *     u32 0 0}
 * @param actions the mirred actions, in order
 */
public record TcFilter(
    int index,
    int parent,
    int prio,
    int protocol,
    int handle,
    String kind,
    int classId,
    List<U32Key> keys,
    List<Mirred> actions) {
  public static final int ETH_P_ALL = 0x0003, ETH_P_IP = 0x0800, ETH_P_IPV6 = 0x86DD;
  public static final String U32 = "u32";

  public TcFilter {
    keys = List.copyOf(keys);
    actions = List.copyOf(actions);
  }

  /**
   * One u32 key: {@code (packet[off..off+4] & mask) == value}, offsets relative to the network
   * header.
   *
   * @param mask big-endian mask, as an int
   * @param value big-endian value, already masked
   * @param off byte offset (multiple of 4)
   * @param offmask {@code tc_u32_key.offmask}, 0 for plain matches
   */
  public record U32Key(int mask, int value, int off, int offmask) {}

  /**
   * {@code action mirred egress|ingress redirect|mirror dev X}.
   *
   * @param eaction {@code TCA_EGRESS_REDIR} (1), {@code TCA_EGRESS_MIRROR} (2), ...
   * @param ifindex target device
   * @param verdict {@code tc_mirred.action}: what happens to the packet afterwards ({@code
   *     TC_ACT_STOLEN} = 4 for redirect, {@code TC_ACT_PIPE} = 3 for mirror)
   */
  public record Mirred(int eaction, int ifindex, int verdict) {
    public static final int EGRESS_REDIR = 1,
        EGRESS_MIRROR = 2,
        INGRESS_REDIR = 3,
        INGRESS_MIRROR = 4;

    /** {@code action mirred egress redirect dev X}. */
    public static Mirred egressRedirect(int ifindex) {
      return new Mirred(EGRESS_REDIR, ifindex, 4);
    }

    public boolean isEgressRedirect() {
      return eaction == EGRESS_REDIR;
    }
  }

  /** {@code match u32 0 0}: a single key that every packet matches. */
  public static List<U32Key> matchAll() {
    return List.of(new U32Key(0, 0, 0, 0));
  }

  /**
   * {@code match ip dst NET} (offset 16) or {@code match ip6 dst NET} (offset 24, one key per
   * 32-bit word with a non-zero mask); {@code match ip src} uses offsets 12 / 8.
   */
  public static List<U32Key> matchAddress(Cidr net, boolean dst) {
    byte[] a = net.network().address().getAddress();
    boolean v4 = net.address() instanceof Inet4Address;
    int base = v4 ? (dst ? 16 : 12) : (dst ? 24 : 8);
    List<U32Key> out = new ArrayList<>();
    int bits = net.prefixLength();
    for (int w = 0; w < a.length / 4; w++) {
      int wbits = Math.max(0, Math.min(32, bits - 32 * w));
      if (wbits == 0) continue;
      int mask = wbits == 32 ? -1 : ~(-1 >>> wbits);
      int val =
          ((a[4 * w] & 0xff) << 24)
              | ((a[4 * w + 1] & 0xff) << 16)
              | ((a[4 * w + 2] & 0xff) << 8)
              | (a[4 * w + 3] & 0xff);
      out.add(new U32Key(mask, val & mask, base + 4 * w, 0));
    }
    return out;
  }

  /** A u32 filter to add. */
  public static TcFilter u32(
      int index,
      int parent,
      int prio,
      int protocol,
      List<U32Key> keys,
      int classId,
      List<Mirred> actions) {
    Objects.requireNonNull(keys, "keys");
    return new TcFilter(index, parent, prio, protocol, 0, U32, classId, keys, actions);
  }

  /** Whether an action redirects (egress) to this ifindex. */
  public boolean redirectsTo(int ifindex) {
    for (Mirred m : actions) if (m.isEgressRedirect() && m.ifindex() == ifindex) return true;
    return false;
  }
}
