package dev.jcni.daemon;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Serialises calls that share a key (one attachment of one plugin type) in arrival order, while
 * calls with different keys proceed in parallel: each key has a FIFO of tickets and only its head
 * may run. A ticket can be cancelled while it waits (the watchdog answered it); it then leaves
 * without running.
 */
final class KeyedOrder {
  private final Map<String, ArrayDeque<Ticket>> lanes = new HashMap<>();

  /** A place in one key's queue. */
  static final class Ticket {
    final String key;
    boolean cancelled;

    Ticket(String key) {
      this.key = key;
    }
  }

  /** Joins the queue of {@code key}; the caller must {@link #leave} it eventually. */
  synchronized Ticket enter(String key) {
    Ticket t = new Ticket(key);
    lanes.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(t);
    return t;
  }

  /**
   * Waits until {@code t} heads its queue; false when it was cancelled first (it has then left).
   */
  synchronized boolean awaitTurn(Ticket t) {
    boolean interrupted = false;
    try {
      while (lanes.get(t.key).peekFirst() != t && !t.cancelled) {
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
    if (t.cancelled) {
      leave(t);
      return false;
    }
    return true;
  }

  synchronized void cancel(Ticket t) {
    t.cancelled = true;
    notifyAll();
  }

  /** Leaves the queue (after running, or when cancelled); the next ticket of the key may run. */
  synchronized void leave(Ticket t) {
    ArrayDeque<Ticket> q = lanes.get(t.key);
    if (q == null) return;
    q.remove(t);
    if (q.isEmpty()) lanes.remove(t.key);
    notifyAll();
  }

  /** Keys with queued or running calls (status and tests). */
  synchronized int activeKeys() {
    return lanes.size();
  }
}
