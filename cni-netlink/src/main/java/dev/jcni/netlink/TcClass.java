package dev.jcni.netlink;

/**
 * A traffic class of a classful qdisc (htb), to add ({@code tc class add dev D parent P classid C
 * htb rate R ceil C burst B cburst CB [quantum Q]}) or as listed ({@code tc class show}).
 *
 * @param index the device's ifindex
 * @param classId {@code classid} (e.g. {@link TcHandle#make}(1, 0x30) for {@code 1:30})
 * @param parent the parent qdisc or class ({@code 1:}); listed root classes report {@link
 *     TcHandle#ROOT}
 * @param kind {@code "htb"}
 * @param htb the class parameters
 */
public record TcClass(int index, int classId, int parent, String kind, Htb htb) {

  /** {@code tc class add dev D parent P classid C htb ...}. */
  public static TcClass htb(int index, int parent, int classId, Htb htb) {
    return new TcClass(index, classId, parent, Qdisc.HTB, htb);
  }

  /**
   * htb class parameters, in bytes like the kernel keeps them.
   *
   * @param rate guaranteed bytes/s
   * @param ceil maximum bytes/s when borrowing (≥ rate)
   * @param burst bytes that may go at ceil speed above the rate; on a listed class, derived from
   *     {@code buffer}
   * @param cburst the same for ceil
   * @param buffer {@code burst} as transmission time in scheduler ticks (0 in a request: computed
   *     like tc)
   * @param cbuffer the same for ceil
   * @param quantum bytes per round when borrowing (0 = rate / r2q, as the kernel computes it)
   * @param prio priority 0..7
   */
  public record Htb(
      long rate,
      long ceil,
      long burst,
      long cburst,
      long buffer,
      long cbuffer,
      int quantum,
      int prio) {
    public Htb {
      if (rate <= 0 || ceil <= 0)
        throw new IllegalArgumentException("htb rate and ceil must be > 0");
    }

    /** {@code htb rate R ceil C burst B cburst CB}. */
    public static Htb of(long rate, long ceil, long burst, long cburst) {
      return new Htb(rate, ceil, burst, cburst, 0, 0, 0, 0);
    }

    public Htb withQuantum(int q) {
      return new Htb(rate, ceil, burst, cburst, buffer, cbuffer, q, prio);
    }
  }
}
