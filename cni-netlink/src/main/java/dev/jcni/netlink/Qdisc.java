package dev.jcni.netlink;

import java.util.Objects;

/**
 * A queueing discipline, to add ({@code tc qdisc add dev D parent P handle H KIND ...}) or as
 * listed ({@code tc qdisc show}).
 *
 * @param index the device's ifindex
 * @param handle {@code handle} ({@link TcHandle#make}(1, 0) for {@code 1:}); 0 lets the kernel
 *     choose
 * @param parent {@link TcHandle#ROOT}, {@link TcHandle#INGRESS} or a class handle
 * @param kind {@code "tbf"}, {@code "ingress"}, {@code "noqueue"}, ... (null: any, for deletion)
 * @param tbf the token bucket parameters when kind is tbf, else null
 * @param htb the hierarchy token bucket's global parameters when kind is htb, else null
 */
public record Qdisc(int index, int handle, int parent, String kind, Tbf tbf, Htb htb) {
  public static final String TBF = "tbf";
  public static final String HTB = "htb";
  public static final String INGRESS = "ingress";

  public Qdisc {
    if (TBF.equals(kind)) Objects.requireNonNull(tbf, "tbf");
    if (HTB.equals(kind)) Objects.requireNonNull(htb, "htb");
  }

  /** A qdisc without options ({@code noqueue}, {@code ingress}, ...). */
  public Qdisc(int index, int handle, int parent, String kind) {
    this(index, handle, parent, kind, null, null);
  }

  /** {@code tc qdisc add dev D root handle H tbf ...}. */
  public static Qdisc tbfRoot(int index, int handle, Tbf tbf) {
    return new Qdisc(index, handle, TcHandle.ROOT, TBF, tbf, null);
  }

  /**
   * {@code tc qdisc add dev D root handle H htb default MINOR r2q N}; classes via {@link TcClass}.
   */
  public static Qdisc htbRoot(int index, int handle, Htb htb) {
    return new Qdisc(index, handle, TcHandle.ROOT, HTB, null, htb);
  }

  /** {@code tc qdisc add dev D handle ffff: ingress}. */
  public static Qdisc ingress(int index) {
    return new Qdisc(index, TcHandle.INGRESS_HANDLE, TcHandle.INGRESS, INGRESS, null, null);
  }

  /** Whatever sits at {@code root} ({@code tc qdisc del dev D root}). */
  public static Qdisc root(int index) {
    return new Qdisc(index, TcHandle.UNSPEC, TcHandle.ROOT, null, null, null);
  }

  /**
   * htb's {@code struct tc_htb_glob}.
   *
   * @param defaultMinor {@code default}: the minor of the class unclassified traffic goes to (0 =
   *     sent directly)
   * @param r2q rate-to-quantum divisor (tc's default 10)
   */
  public record Htb(int defaultMinor, int r2q) {
    public static Htb of(int defaultMinor) {
      return new Htb(defaultMinor, 10);
    }
  }

  public boolean isRoot() {
    return parent == TcHandle.ROOT;
  }

  public boolean isIngress() {
    return parent == TcHandle.INGRESS;
  }

  /**
   * Token bucket filter parameters, in bytes like the kernel keeps them ({@code tc} takes bits for
   * rates: {@code rate 1mbit} is 125000 here).
   *
   * @param rate bytes per second (&gt; 0)
   * @param burst bucket size in bytes; on a listed qdisc, derived from {@code buffer} the way
   *     {@code tc} prints it
   * @param limit queue length in bytes
   * @param buffer the bucket as transmission time in scheduler ticks ({@code tc_tbf_qopt.buffer});
   *     0 in a request means "computed from rate and burst", as {@code tc} does
   * @param mtu the rate table's cell size base (0 = tc's default 2047)
   * @param mpu minimum packet unit (0 = none)
   */
  public record Tbf(long rate, long burst, long limit, long buffer, int mtu, int mpu) {
    public Tbf {
      if (rate <= 0) throw new IllegalArgumentException("tbf rate must be > 0: " + rate);
      if (burst < 0 || limit < 0 || buffer < 0)
        throw new IllegalArgumentException("negative tbf parameter");
    }

    /** {@code tbf rate R*8bit burst B limit L}. */
    public static Tbf of(long rateBytes, long burstBytes, long limitBytes) {
      return new Tbf(rateBytes, burstBytes, limitBytes, 0, 0, 0);
    }
  }
}
