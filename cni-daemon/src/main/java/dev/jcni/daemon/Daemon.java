package dev.jcni.daemon;

import dev.jcni.api.Plugins;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.system.Flock;
import dev.jcni.system.UnixServerSocket;
import dev.jcni.system.UnixSocket;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.AsynchronousCloseException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The resident server behind {@code jcni daemon}: one per socket (a flock on the lock file beside
 * it), serving every plugin type on its class path to the native shims. Each connection gets a
 * fresh platform thread that reads the request, enters the caller's network namespace and runs the
 * call through the same {@link dev.jcni.api.Dispatcher} as the direct path; it is never reused (see
 * {@link Connection}).
 *
 * <p>Lifecycle: {@link #start} (lock, replace a stale socket, bind, accept), then {@link #await}
 * until {@link #stop} (SIGTERM: finish running calls within the shutdown timeout, exit code 0) or a
 * fatal condition (out of memory, a call stuck past timeout + grace: exit code {@value
 * #EXIT_GAVE_UP}, so a supervisor restarts it). The socket file is removed as soon as the daemon
 * stops accepting: shims fall back to the direct path.
 */
public final class Daemon {
  /** {@link #await}'s code when the daemon gave up (out of memory, stuck call): restart me. */
  public static final int EXIT_GAVE_UP = 70;

  final DaemonOptions opts;
  final PrintStream log;

  /** The built-in types: those on the daemon's class path. */
  final Set<String> builtIns;

  /**
   * The built-in provider classes' constructors per type, resolved once (what the launcher's class
   * hint does).
   */
  private final Map<String, PluginDirs.Served> builtInServed;

  /** What the plugin directories add; replaced as a whole by {@link #reload}. */
  private volatile PluginDirs.Loaded plugins = PluginDirs.Loaded.NONE;

  private final Object reloading = new Object();
  private final PluginDirs.Copies pluginCopies = new PluginDirs.Copies();
  final Stats stats = new Stats();
  final KeyedOrder order = new KeyedOrder();
  final Semaphore slots;
  final Set<Call> calls = ConcurrentHashMap.newKeySet();
  final Map<String, String> baseEnv;
  private final AtomicInteger connections = new AtomicInteger();
  private final int maxConnections;
  private final AtomicLong sequence = new AtomicLong();
  private final CountDownLatch exitRequested = new CountDownLatch(1);
  private final Object lifecycle = new Object();
  private Flock lock;
  private UnixServerSocket server;
  private Thread acceptor;
  private Thread watchdog;
  volatile boolean stopping;
  private volatile String fatal;
  private volatile boolean finished;

  /**
   * @param env the daemon's own environment: its non-CNI variables (PATH...) are the base of every
   *     call's environment, as a plugin process started by the runtime would have its own; CNI_*
   *     and JCNI_* come from the caller only
   * @param log where the daemon reports its own events (stderr)
   */
  public Daemon(DaemonOptions opts, Map<String, String> env, PrintStream log) {
    this.opts = opts;
    this.log = log;
    Map<String, String> classes = Plugins.classes();
    this.builtIns = Set.copyOf(classes.keySet());
    Map<String, PluginDirs.Served> served = new HashMap<>();
    classes.forEach(
        (type, cls) -> {
          java.lang.reflect.Constructor<?> c = null;
          try {
            c = Class.forName(cls).getConstructor();
          } catch (ReflectiveOperationException | LinkageError e) {
            // null: Dispatcher.run(type, ...) reports the loading error exactly as the direct path
            // does
          }
          served.put(type, new PluginDirs.Served(type, null, null, c));
        });
    this.builtInServed = Map.copyOf(served);
    this.slots = new Semaphore(opts.maxCalls(), true);
    this.maxConnections = Math.max(64, opts.maxCalls() * 4);
    Map<String, String> base = new HashMap<>();
    env.forEach(
        (k, v) -> {
          if (!k.startsWith("CNI_") && !k.startsWith("JCNI_")) base.put(k, v);
        });
    this.baseEnv = Map.copyOf(base);
  }

  /** A start-up refusal (lock held, path in use): the message says why, in words. */
  public static final class StartException extends IOException {
    private static final long serialVersionUID = 1L;

    StartException(String msg) {
      super(msg);
    }
  }

  /** Takes the lock, replaces a stale socket, binds and starts accepting. */
  public void start() throws IOException {
    Path socket = opts.socket();
    Path dir = socket.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Flock l = Flock.tryLock(opts.lockFile());
    if (l == null) {
      throw new StartException(
          "another jcni daemon is serving "
              + socket
              + " (it holds the lock "
              + opts.lockFile()
              + ")");
    }
    reload(); // before the socket appears: a shim never gets a fallback for a type an entry serves
    try {
      if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
        int mode = (Integer) Files.getAttribute(socket, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & 0170000) != 0140000) {
          throw new StartException(socket + " exists and is not a socket: refusing to replace it");
        }
        Files.delete(
            socket); // we hold the lock, so no live daemon owns it: a crashed daemon's leftover
        log.println("jcni daemon: replaced the stale socket " + socket);
      }
      // bind under a temporary name, set the mode, then rename: the socket never exists with a
      // wider mode
      Path tmp =
          dir.resolve(
              ".jcni-daemon-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000);
      Files.deleteIfExists(tmp);
      UnixServerSocket s = UnixServerSocket.bind(tmp, 256);
      try {
        Files.setPosixFilePermissions(tmp, permissions(opts.socketMode()));
        Files.move(
            tmp, socket, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException | RuntimeException e) {
        s.close();
        Files.deleteIfExists(tmp);
        throw e;
      }
      server = s;
      lock = l;
    } catch (IOException | RuntimeException e) {
      l.close();
      pluginCopies.deleteAll(); // await() will not run
      throw e;
    }
    acceptor = new Thread(new Acceptor(), "jcni-daemon-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    watchdog = new Thread(new Watchdog(), "jcni-daemon-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    java.util.TreeSet<String> types = new java.util.TreeSet<>(builtIns);
    types.addAll(plugins.served().keySet());
    log.println(
        "jcni daemon: serving "
            + types.size()
            + " plugin types "
            + types
            + " on "
            + socket
            + " (mode "
            + String.format("%04o", opts.socketMode())
            + (opts.allowUids().isEmpty() ? "" : ", also uids " + opts.allowUids())
            + ", up to "
            + opts.maxCalls()
            + " calls at once, call timeout "
            + opts.callTimeout().toMillis()
            + " ms)");
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> p = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
      PosixFilePermission.OTHERS_EXECUTE,
      PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE,
      PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ
    };
    for (int i = 0; i < order.length; i++) {
      if ((mode & (1 << i)) != 0) p.add(order[i]);
    }
    return p;
  }

  /** Graceful stop (SIGTERM): stop accepting; {@link #await} lets running calls finish. */
  public void stop() {
    stopping = true;
    stopAccepting();
    exitRequested.countDown();
  }

  /** Gives up: out of memory or a stuck call. {@link #await} returns {@link #EXIT_GAVE_UP}. */
  void fatal(String reason) {
    synchronized (lifecycle) {
      if (fatal != null) return;
      fatal = reason;
    }
    stopping = true;
    try {
      log.println(
          "jcni daemon: "
              + reason
              + "; no longer accepting, exiting with code "
              + EXIT_GAVE_UP
              + " for the supervisor to restart it (shims fall back to the direct path meanwhile)");
    } catch (Throwable ignored) {
      // even logging may fail out of memory
    }
    stopAccepting();
    exitRequested.countDown();
  }

  boolean isStopping() {
    return stopping;
  }

  /** Closes the listening socket and removes the socket file (once). */
  private void stopAccepting() {
    synchronized (lifecycle) {
      if (server == null) return;
      server.close();
      server = null;
      try {
        Files.deleteIfExists(opts.socket());
      } catch (IOException e) {
        log.println("jcni daemon: cannot remove " + opts.socket() + ": " + e.getMessage());
      }
    }
  }

  /**
   * Waits until the daemon is told to stop or gives up, lets calls finish (bounded), releases the
   * lock and returns the process exit code: 0 after a stop, {@link #EXIT_GAVE_UP} after a fatal
   * condition.
   */
  public int await() throws InterruptedException {
    exitRequested.await();
    stopAccepting();
    int code;
    if (fatal != null) {
      // answer what we can: calls still waiting for their turn get "try again later"
      for (Call c : calls) {
        if (c.cancelIfWaiting()) {
          KeyedOrder.Ticket t = c.ticket;
          if (t != null) order.cancel(t);
          Connection.answerTimeout(this, c, "the jcni daemon is restarting");
        }
      }
      drain(opts.grace().toMillis(), true);
      code = EXIT_GAVE_UP;
    } else {
      if (!drain(opts.shutdownTimeout().toMillis(), false)) {
        log.println(
            "jcni daemon: "
                + connections.get()
                + " calls still running after "
                + opts.shutdownTimeout().toMillis()
                + " ms; exiting anyway");
      }
      code = 0;
    }
    finished = true;
    if (watchdog != null) watchdog.interrupt();
    pluginCopies.deleteAll();
    synchronized (lifecycle) {
      if (lock != null) {
        lock.close(); // the lock file stays: deleting a flock'ed file lets two daemons lock
        // different inodes
        lock = null;
      }
    }
    log.println(
        "jcni daemon: stopped ("
            + stats.calls()
            + " calls served)"
            + (fatal != null ? ": " + fatal : ""));
    return code;
  }

  /**
   * Waits for connections to finish; with {@code skipStuck}, calls past their timeout are not
   * waited for.
   */
  private boolean drain(long millis, boolean skipStuck) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() < end) {
      int live = connections.get();
      if (skipStuck) {
        for (Call c : calls) {
          if (c.answered()) live--;
        }
      }
      if (live <= 0) return true;
      Thread.sleep(20);
    }
    return false;
  }

  /** The status text ({@code jcni daemon status}). */
  public String status() {
    return stats.render(opts.socket().toString(), ProcessHandle.current().pid()) + plugins.render();
  }

  /**
   * How {@code type} is served (built in, or from a plugin directory's entry), or null: the shim
   * falls back.
   */
  PluginDirs.Served served(String type) {
    PluginDirs.Served s = builtInServed.get(type);
    return s != null ? s : plugins.served().get(type);
  }

  /**
   * (Re)reads the plugin directories: new and changed entries get a fresh class loader, unchanged
   * ones keep theirs, removed ones stop being served (calls running in them finish; their loader is
   * left to the garbage collector, not closed under them). Start-up and SIGHUP; never throws.
   */
  void reload() {
    synchronized (reloading) {
      try {
        plugins =
            PluginDirs.load(
                opts.pluginDirs(),
                builtIns,
                Daemon.class.getClassLoader(),
                plugins,
                pluginCopies,
                log);
      } catch (RuntimeException | LinkageError e) {
        log.println(
            "jcni daemon: reading the plugin dirs failed: "
                + Connection.describe(e)
                + "; serving what was loaded before");
      }
    }
  }

  /** The plugin directories' entries as last loaded (status, tests). */
  PluginDirs.Loaded plugins() {
    return plugins;
  }

  /** Calls served so far (tests). */
  long callsServed() {
    return stats.calls();
  }

  /** Connections being handled now (tests). */
  int liveConnections() {
    return connections.get();
  }

  /** Accepts connections and starts one fresh thread per connection. */
  private final class Acceptor implements Runnable {
    @Override
    public void run() {
      while (true) {
        UnixServerSocket s;
        synchronized (lifecycle) {
          s = server;
        }
        if (s == null) return;
        UnixSocket c;
        try {
          c = s.accept();
        } catch (AsynchronousCloseException e) {
          return;
        } catch (IOException e) {
          if (stopping) return;
          log.println("jcni daemon: accept failed: " + e.getMessage());
          pause(); // EMFILE and friends: do not spin
          continue;
        } catch (OutOfMemoryError e) {
          fatal("out of memory while accepting");
          return;
        }
        if (connections.incrementAndGet() > maxConnections) {
          connections.decrementAndGet();
          c.close(); // the shim's greeting fails: it falls back to the direct path
          continue;
        }
        try {
          // a fresh platform thread per call: it will setns() into the caller's namespace and die
          // afterwards
          Thread t =
              new Thread(new Connection(Daemon.this, c), "jcni-call-" + sequence.incrementAndGet());
          t.setDaemon(true);
          t.start();
        } catch (OutOfMemoryError | RuntimeException e) { // "unable to create native thread"
          connections.decrementAndGet();
          c.close();
          log.println("jcni daemon: cannot start a call thread: " + e.getMessage());
          pause();
        }
      }
    }

    private void pause() {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  void connectionDone() {
    connections.decrementAndGet();
  }

  /**
   * Answers calls past the call timeout with code 11, and gives up when one runs past timeout +
   * grace.
   */
  private final class Watchdog implements Runnable {
    @Override
    public void run() {
      long timeout = opts.callTimeout().toNanos();
      long hard = timeout + opts.grace().toNanos();
      long tick = Math.max(10, Math.min(250, opts.callTimeout().toMillis() / 4));
      while (!finished) {
        try {
          Thread.sleep(tick);
        } catch (InterruptedException e) {
          return;
        }
        long now = System.nanoTime();
        for (Call c : calls) {
          long age = now - c.arrivalNanos;
          if (age <= timeout) continue;
          if (c.cancelIfWaiting()) {
            KeyedOrder.Ticket t = c.ticket;
            if (t != null) order.cancel(t);
          }
          if (!c.answered()) {
            Connection.answerTimeout(
                Daemon.this,
                c,
                "the call did not finish within " + opts.callTimeout().toMillis() + " ms");
          }
          if (age > hard && c.isRunning()) {
            fatal(
                "a "
                    + c.type
                    + " "
                    + c.verb
                    + " call is still running "
                    + TimeUnit.NANOSECONDS.toMillis(age)
                    + " ms after it arrived (call timeout "
                    + opts.callTimeout().toMillis()
                    + " ms + grace "
                    + opts.grace().toMillis()
                    + " ms)");
            return;
          }
        }
      }
    }
  }

  static int tryAgainCode() {
    return ErrorCodes.TRY_AGAIN_LATER;
  }
}
