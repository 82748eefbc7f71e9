package dev.jcni.daemon;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The daemon's counters for {@code jcni daemon status}: calls per type and verb, errors (non-zero
 * exit), and the latency of the last {@value #WINDOW} calls of each verb (request received →
 * response ready) for p50/p99. Bounded memory whatever the uptime.
 */
final class Stats {
  static final int WINDOW = 4096;

  private final long startNanos = System.nanoTime();
  private final Map<String, long[]> byTypeVerb = new TreeMap<>(); // "type VERB" -> {calls, errors}
  private final Map<String, Window> byVerb = new TreeMap<>();
  final AtomicLong fallbacks = new AtomicLong();
  final AtomicLong refused = new AtomicLong();
  final AtomicLong malformed = new AtomicLong();
  final AtomicLong timedOut = new AtomicLong();
  final AtomicLong statusQueries = new AtomicLong();
  final AtomicLong running = new AtomicLong();

  /** A ring of the latest latencies in microseconds. */
  private static final class Window {
    final long[] micros = new long[WINDOW];
    int next;
    int size;

    void add(long us) {
      micros[next] = us;
      next = (next + 1) % WINDOW;
      if (size < WINDOW) size++;
    }

    long percentile(double p) {
      long[] s = java.util.Arrays.copyOf(micros, size);
      java.util.Arrays.sort(s);
      int idx = (int) Math.ceil(p * size) - 1;
      return s[Math.max(0, Math.min(size - 1, idx))];
    }
  }

  synchronized void call(String type, String verb, int exit, long nanos) {
    long[] c = byTypeVerb.computeIfAbsent(type + " " + verb, k -> new long[2]);
    c[0]++;
    if (exit != 0) c[1]++;
    byVerb.computeIfAbsent(verb, k -> new Window()).add(nanos / 1000);
  }

  synchronized long calls() {
    long n = 0;
    for (long[] c : byTypeVerb.values()) n += c[0];
    return n;
  }

  synchronized long errors() {
    long n = 0;
    for (long[] c : byTypeVerb.values()) n += c[1];
    return n;
  }

  Duration uptime() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /** The status text (kind-3 answer). */
  synchronized String render(String socket, long pid) {
    StringBuilder b = new StringBuilder(512);
    Duration up = uptime();
    b.append("jcni daemon: pid ")
        .append(pid)
        .append(", socket ")
        .append(socket)
        .append(", protocol ")
        .append(Protocol.VERSION)
        .append('\n');
    b.append(
        String.format(
            "uptime: %dd %02dh %02dm %02ds%n",
            up.toDays(), up.toHoursPart(), up.toMinutesPart(), up.toSecondsPart()));
    b.append("calls: ")
        .append(calls())
        .append(" served, ")
        .append(errors())
        .append(" errors, ")
        .append(running.get())
        .append(" running, ")
        .append(fallbacks.get())
        .append(" fallbacks, ")
        .append(refused.get())
        .append(" refused, ")
        .append(malformed.get())
        .append(" malformed, ")
        .append(timedOut.get())
        .append(" timed out, ")
        .append(statusQueries.get())
        .append(" status queries\n");
    if (!byTypeVerb.isEmpty()) {
      b.append("by type and verb:\n");
      for (Map.Entry<String, long[]> e : byTypeVerb.entrySet()) {
        b.append(
            String.format(
                "  %-28s %8d calls %6d errors%n", e.getKey(), e.getValue()[0], e.getValue()[1]));
      }
    }
    if (!byVerb.isEmpty()) {
      b.append("latency by verb (last ").append(WINDOW).append(" calls each):\n");
      for (Map.Entry<String, Window> e : byVerb.entrySet()) {
        Window w = e.getValue();
        b.append(
            String.format(
                java.util.Locale.ROOT,
                "  %-7s p50 %9.3f ms  p99 %9.3f ms  (n=%d)%n",
                e.getKey(),
                w.percentile(0.50) / 1000.0,
                w.percentile(0.99) / 1000.0,
                w.size));
      }
    }
    return b.toString();
  }

  /** Per type+verb counts (tests). */
  synchronized Map<String, long[]> snapshot() {
    Map<String, long[]> m = new TreeMap<>();
    byTypeVerb.forEach((k, v) -> m.put(k, v.clone()));
    return m;
  }
}
