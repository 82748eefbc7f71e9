package dev.jcni.system;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small pool of direct transfer buffers for {@link UnixSocket}: one per open socket, returned on
 * close, so a long-running server does not leave a trail of direct buffers waiting for a GC to free
 * them.
 */
final class Buffers {
  private Buffers() {}

  static final int SIZE = 64 * 1024;
  private static final int KEEP = 32;
  private static final ConcurrentLinkedQueue<ByteBuffer> FREE = new ConcurrentLinkedQueue<>();
  private static final AtomicInteger FREE_COUNT = new AtomicInteger();

  static ByteBuffer take() {
    ByteBuffer b = FREE.poll();
    if (b == null) return ByteBuffer.allocateDirect(SIZE);
    FREE_COUNT.decrementAndGet();
    return b;
  }

  static void give(ByteBuffer b) {
    if (b == null) return;
    if (FREE_COUNT.incrementAndGet() <= KEEP) {
      b.clear();
      FREE.offer(b);
    } else {
      FREE_COUNT.decrementAndGet();
    }
  }
}
