package dev.jcni.daemon;

import dev.jcni.system.UnixSocket;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One CNI call between request and response, as the watchdog sees it: waiting (for its turn on its
 * attachment or for a slot), running, or done. Exactly one response is written per call: by the
 * call itself, or by the watchdog (code 11) when the call timeout expires first.
 */
final class Call {
  final UnixSocket socket;
  final String type;
  final String verb;
  final String cniVersion;
  final long arrivalNanos;
  volatile KeyedOrder.Ticket ticket;
  private final AtomicBoolean answered = new AtomicBoolean();
  private int state; // 0 waiting, 1 running, 2 done
  private boolean cancelled;

  Call(UnixSocket socket, String type, String verb, String cniVersion, long arrivalNanos) {
    this.socket = socket;
    this.type = type;
    this.verb = verb;
    this.cniVersion = cniVersion;
    this.arrivalNanos = arrivalNanos;
  }

  /** Waiting → running, unless the watchdog cancelled the call first. */
  synchronized boolean begin() {
    if (cancelled) return false;
    state = 1;
    return true;
  }

  synchronized void done() {
    state = 2;
  }

  synchronized boolean isRunning() {
    return state == 1;
  }

  synchronized boolean isCancelled() {
    return cancelled;
  }

  /** Cancels a call that has not started; false if it runs or ran. */
  synchronized boolean cancelIfWaiting() {
    if (state != 0) return false;
    cancelled = true;
    return true;
  }

  /** Claims the right to write the one response. */
  boolean claimAnswer() {
    return answered.compareAndSet(false, true);
  }

  boolean answered() {
    return answered.get();
  }
}
