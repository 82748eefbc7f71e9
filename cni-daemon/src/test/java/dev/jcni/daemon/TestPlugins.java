package dev.jcni.daemon;

import com.google.auto.service.AutoService;
import dev.jcni.api.CniPlugin;
import dev.jcni.api.CniType;
import dev.jcni.api.Invocation;
import dev.jcni.spec.Result;
import dev.jcni.spec.json.Json;
import dev.jcni.system.NetNs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Plugins that exist only for the daemon tests (on the test class path, so the daemon serves them).
 */
final class TestPlugins {
  private TestPlugins() {}

  static void log(Invocation inv, String line) {
    Object f = Json.get(inv.config().raw(), "log");
    if (!(f instanceof String)) return;
    try {
      Files.write(
          Path.of((String) f),
          (line + "\n").getBytes(StandardCharsets.UTF_8),
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static long number(Invocation inv, String key) {
    Object v = Json.get(inv.config().raw(), key);
    return v instanceof Number ? ((Number) v).longValue() : 0;
  }

  static String inodeOf(String link) {
    try {
      return Files.readSymbolicLink(Path.of(link)).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Calls of jdm-sleep running now, and the most seen at once (tests of the concurrency bound). */
  static final java.util.concurrent.atomic.AtomicInteger RUNNING =
      new java.util.concurrent.atomic.AtomicInteger();

  static final java.util.concurrent.atomic.AtomicInteger MAX_RUNNING =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Logs "ADD-start/ADD-end/DEL cid" and sleeps {@code sleepMs} in ADD. */
  @AutoService(CniPlugin.class)
  @CniType("jdm-sleep")
  public static final class Sleep implements CniPlugin {
    @Override
    public Result add(Invocation inv) {
      MAX_RUNNING.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
      try {
        return sleepingAdd(inv);
      } finally {
        RUNNING.decrementAndGet();
      }
    }

    private static Result sleepingAdd(Invocation inv) {
      log(inv, "ADD-start " + inv.containerId());
      try {
        Thread.sleep(number(inv, "sleepMs"));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      log(inv, "ADD-end " + inv.containerId());
      return Result.empty(inv.cniVersion());
    }

    @Override
    public void del(Invocation inv) {
      log(inv, "DEL " + inv.containerId());
    }
  }

  /**
   * Reports where it runs: the thread's netns and CNI_NETNS as NetNs.open sees it; ADD adds a
   * bridge link named by "link" through a child process (ip), which must land in the caller's
   * namespace too.
   */
  @AutoService(CniPlugin.class)
  @CniType("jdm-where")
  public static final class Where implements CniPlugin {
    @Override
    public Result add(Invocation inv) {
      String container;
      try (NetNs ns = NetNs.open(Path.of(inv.netns()))) {
        container = "net:[" + ns.inode() + "]";
      }
      String link = (String) Json.get(inv.config().raw(), "link");
      try {
        Process p =
            new ProcessBuilder("ip", "link", "add", link, "type", "bridge")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException("ip link add " + link + ": " + out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      log(inv, "ADD host=" + inodeOf("/proc/thread-self/ns/net") + " container=" + container);
      return Result.empty(inv.cniVersion());
    }

    @Override
    public void del(Invocation inv) {
      log(inv, "DEL host=" + inodeOf("/proc/thread-self/ns/net"));
    }
  }

  /** ADD throws, DEL overflows the stack, CHECK throws an Error the dispatcher does not contain. */
  @AutoService(CniPlugin.class)
  @CniType("jdm-boom")
  public static final class Boom implements CniPlugin {
    @Override
    public Result add(Invocation inv) {
      throw new IllegalStateException("boom: the test plugin failed on purpose");
    }

    @Override
    public void del(Invocation inv) {
      recurse(1);
    }

    private static long recurse(long n) {
      return recurse(n + 1) + 1;
    }

    @Override
    public void check(Invocation inv) {
      throw new InternalError("an internal error on purpose");
    }
  }

  /** ADD allocates until the heap is exhausted (run it only in a child JVM with a small -Xmx). */
  @AutoService(CniPlugin.class)
  @CniType("jdm-oom")
  public static final class Oom implements CniPlugin {
    @Override
    public Result add(Invocation inv) {
      java.util.List<long[]> hog = new java.util.ArrayList<>();
      while (true) {
        hog.add(new long[1 << 20]);
      }
    }

    @Override
    public void del(Invocation inv) {}
  }
}
