package dev.jcni.netlink;

/**
 * tc handles: 32 bits, {@code major:minor} with 16 bits each, as {@code tc} writes them ({@code
 * 1:}, {@code ffff:}, {@code 1:1}). Plain ints, so the hot path allocates nothing.
 */
public final class TcHandle {
  private TcHandle() {}

  /** {@code root}: the parent of a device's egress root qdisc (TC_H_ROOT). */
  public static final int ROOT = 0xFFFFFFFF;

  /** {@code ingress} / {@code clsact}: the parent of the ingress qdisc (TC_H_INGRESS). */
  public static final int INGRESS = 0xFFFFFFF1;

  /** {@code ffff:}: the handle {@code tc} gives the ingress qdisc. */
  public static final int INGRESS_HANDLE = 0xFFFF0000;

  /** No handle: let the kernel choose (qdisc add) or match any (del). */
  public static final int UNSPEC = 0;

  /** {@code major:minor}. */
  public static int make(int major, int minor) {
    return (major << 16) | (minor & 0xFFFF);
  }

  public static int major(int handle) {
    return handle >>> 16;
  }

  public static int minor(int handle) {
    return handle & 0xFFFF;
  }

  /** {@code tc}'s spelling: {@code root}, {@code ingress}, {@code 1:}, {@code 1:1} (hex). */
  public static String format(int handle) {
    if (handle == ROOT) return "root";
    if (handle == INGRESS) return "ingress";
    if (handle == UNSPEC) return "0:";
    String maj = Integer.toHexString(major(handle));
    return minor(handle) == 0 ? maj + ":" : maj + ":" + Integer.toHexString(minor(handle));
  }
}
