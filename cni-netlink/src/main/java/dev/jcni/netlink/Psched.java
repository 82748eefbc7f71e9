package dev.jcni.netlink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The packet scheduler's clock, from {@code /proc/net/psched}: how many scheduler ticks make a
 * microsecond. tc parameters given as times (tbf's buffer, rate tables) are in ticks. Read once per
 * process, the way iproute2's tc_core_init does; 15.625 (the value of every kernel since 2.6.31:
 * 1000/64 with a 1 GHz clock) when unreadable.
 */
public final class Psched {
  private Psched() {}

  /** Every current kernel: t2us 1000, us2t 64, clock_res 1000000. */
  public static final double DEFAULT_TICK_IN_USEC = 15.625;

  private static volatile double tick;

  /** Ticks per microsecond. */
  public static double tickInUsec() {
    double t = tick;
    if (t == 0) {
      t = read(Path.of("/proc/net/psched"));
      tick = t;
    }
    return t;
  }

  /**
   * Parses a psched file the way iproute2 does ({@code "%08x%08x%08x"}); the default when it
   * cannot.
   */
  static double read(Path file) {
    try {
      String[] f = Files.readString(file, StandardCharsets.US_ASCII).trim().split("\\s+");
      return parse(Long.parseLong(f[0], 16), Long.parseLong(f[1], 16), Long.parseLong(f[2], 16));
    } catch (IOException | RuntimeException e) {
      return DEFAULT_TICK_IN_USEC;
    }
  }

  /** iproute2's formula, including its compatibility rule for a nanosecond clock resolution. */
  static double parse(long t2us, long us2t, long clockRes) {
    if (us2t == 0) return DEFAULT_TICK_IN_USEC;
    if (clockRes == 1000000000L) t2us = us2t;
    double clockFactor = (double) clockRes / 1000000.0;
    return (double) t2us / us2t * clockFactor;
  }
}
