package dev.jcni.system;

import dev.jcni.system.internal.NetNsAccess;
import dev.jcni.system.internal.nativ.Errno;
import dev.jcni.system.internal.nativ.Native;
import dev.jcni.system.internal.nativ.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An open network namespace (holds a file descriptor on its nsfs file).
 *
 * <p>On the JVM, {@code setns(2)} moves only the calling OS thread, platform threads started inside
 * a namespace inherit it, and a virtual thread entering one poisons its carrier. So work inside a
 * namespace always runs on a dedicated, freshly started platform thread that is discarded
 * afterwards ({@link #run}); and netlink work is better done through cni-netlink's {@code
 * Netlink.openAt(NetNs)} (a socket created inside, usable from any thread).
 */
public final class NetNs implements AutoCloseable {
  /** Where {@code ip netns} keeps named namespaces. */
  public static final Path RUN_DIR = Path.of("/run/netns");

  private static final String THREAD_SELF_NS = "/proc/thread-self/ns/net";

  private final int fd;
  private final Path path;
  private volatile boolean closed;

  static {
    NetNsAccess.register(new InsideRunner());
  }

  /** Gives cni-netlink {@link #runInside} through the non-exported {@link NetNsAccess}. */
  private static final class InsideRunner implements NetNsAccess.Runner {
    @Override
    public <T, E extends Exception> T runInside(NetNs ns, Task<T, E> work) throws E {
      return ns.runInside(work);
    }
  }

  private NetNs(int fd, Path path) {
    this.fd = fd;
    this.path = path;
  }

  /** Work to run inside a namespace. */
  @FunctionalInterface
  public interface Task<T, E extends Exception> {
    T call() throws E;
  }

  /** Work without a result. */
  @FunctionalInterface
  public interface VoidTask<E extends Exception> {
    void run() throws E;
  }

  /**
   * Opens a namespace file (a {@code /run/netns/NAME} bind mount, {@code /proc/PID/ns/net}...).
   *
   * @throws ErrnoException ENOENT if missing ({@link ErrnoException#isNotFound()}), EINVAL if the
   *     path is not a namespace file
   */
  public static NetNs open(Path path) {
    Syscalls sys = Native.syscalls();
    String p = path.toString();
    int fd = sys.open(aliasTarget(p), Syscalls.O_RDONLY | Syscalls.O_CLOEXEC, 0, "netnsOpen");
    try {
      long magic = sys.fstatfsType(fd, p);
      if (magic != Syscalls.NSFS_MAGIC && magic != Syscalls.PROC_SUPER_MAGIC) {
        throw new ErrnoException(
            Errno.EINVAL,
            "netnsOpen",
            p,
            "not a namespace file (filesystem magic 0x" + Long.toHexString(magic) + ")",
            null);
      }
      return new NetNs(fd, path);
    } catch (RuntimeException e) {
      sys.close(fd);
      throw e;
    }
  }

  /**
   * DEL's way to open {@code CNI_NETNS}: the namespace, or empty when it is gone. The spec lets a
   * runtime call DEL after the namespace was removed (or with no {@code CNI_NETNS} at all), and DEL
   * must then still release everything else and succeed. "Gone" means: {@code netns} is null or
   * empty, the path does not exist (ENOENT), or it is no longer a namespace file (EINVAL: e.g. the
   * bind mount was taken down and an empty file is left). Any other failure (e.g. EACCES) is
   * thrown: the namespace may still exist, and skipping its cleanup would leak.
   *
   * <pre>{@code
   * Optional<NetNs> pod = NetNs.openIfPresent(inv.netns());
   * if (pod.isPresent()) {
   *   try (NetNs ns = pod.get(); Netlink nl = Netlink.openAt(ns)) { ... remove the pod's interface ... }
   * }
   * ... release the address either way ...
   * }</pre>
   */
  public static java.util.Optional<NetNs> openIfPresent(String netns) {
    if (netns == null || netns.isEmpty()) return java.util.Optional.empty();
    try {
      return java.util.Optional.of(open(Path.of(netns)));
    } catch (ErrnoException e) {
      if (e.isNotFound() || e.errno() == Errno.EINVAL) return java.util.Optional.empty();
      throw e;
    }
  }

  /**
   * Path → fd aliases of the calling thread and the threads it starts (jcni daemon): while set,
   * {@link #open} of an aliased path re-opens that fd through {@code /proc/self/fd/N} instead of
   * resolving the path. The daemon receives the caller's CNI_NETNS as an fd (the path may mean
   * something else, or nothing, in its own mount namespace) and aliases the call's CNI_NETNS string
   * to it on the fresh thread that runs the call, so plugins keep calling {@code
   * NetNs.open(Path.of(inv.netns()))} unchanged. Keys are {@code Path.toString()} forms.
   */
  private static final InheritableThreadLocal<java.util.Map<String, Integer>> FD_ALIASES =
      new InheritableThreadLocal<>();

  /**
   * Internal (used by the jcni daemon): from now on, on this thread and threads it starts
   * afterwards, {@link #open}{@code (path)} opens {@code fd} instead (the fd must stay open
   * meanwhile). Replaces earlier aliases of this thread. {@code null} or an fd &lt; 0 clears them.
   */
  public static void aliasPathToFd(Path path, int fd) {
    if (path == null || fd < 0) {
      FD_ALIASES.remove();
    } else {
      FD_ALIASES.set(java.util.Map.of(path.toString(), fd));
    }
  }

  private static String aliasTarget(String p) {
    java.util.Map<String, Integer> a = FD_ALIASES.get();
    Integer fd = a == null ? null : a.get(p);
    return fd == null ? p : "/proc/self/fd/" + fd;
  }

  /** Opens a named namespace, {@code /run/netns/NAME}. */
  public static NetNs openNamed(String name) {
    return open(pathOf(name));
  }

  /** The calling thread's network namespace ({@code /proc/thread-self/ns/net}). */
  public static NetNs current() {
    return open(Path.of(THREAD_SELF_NS));
  }

  /** {@code /run/netns/NAME}. */
  public static Path pathOf(String name) {
    validateName(name);
    return RUN_DIR.resolve(name);
  }

  private static void validateName(String name) {
    if (name == null
        || name.isEmpty()
        || name.equals(".")
        || name.equals("..")
        || name.indexOf('/') >= 0
        || name.length() > 255) {
      throw new IllegalArgumentException("invalid network namespace name: \"" + name + "\"");
    }
  }

  /**
   * {@code ip netns add NAME}: creates a new network namespace and pins it at {@code
   * /run/netns/NAME} (making /run/netns a shared mount first, as iproute2 does). Returns it opened;
   * the caller closes the handle (the namespace itself lives until {@link #delete(String)}).
   *
   * @throws ErrnoException EEXIST if the name is taken
   */
  public static NetNs create(String name) {
    Path target = pathOf(name);
    Syscalls sys = Native.syscalls();
    try {
      Files.createDirectories(RUN_DIR);
    } catch (IOException e) {
      throw new ErrnoException(Errno.EIO, "netnsCreate", RUN_DIR.toString(), why(e), e);
    }
    makeRunDirShared(sys);
    int fd =
        sys.open(
            target.toString(),
            Syscalls.O_RDONLY | Syscalls.O_CREAT | Syscalls.O_EXCL | Syscalls.O_CLOEXEC,
            0,
            "netnsCreate");
    sys.close(fd);
    try {
      // a throwaway platform thread: unshare moves only that thread into the new namespace
      runOnFreshThread("jcni-netns-create", new Unshare(sys, name, target.toString()));
      return open(target);
    } catch (RuntimeException | Error e) {
      try {
        sys.umount2(target.toString(), Syscalls.MNT_DETACH, "netnsCreate");
      } catch (RuntimeException ignored) {
        // not mounted
      }
      try {
        Files.deleteIfExists(target);
      } catch (IOException ignored) {
        // best effort cleanup
      }
      throw e;
    }
  }

  private static void makeRunDirShared(Syscalls sys) {
    String dir = RUN_DIR.toString();
    boolean boundOnItself = false;
    while (true) {
      try {
        sys.mount("", dir, "none", Syscalls.MS_SHARED | Syscalls.MS_REC, null, "netnsCreate");
        return;
      } catch (ErrnoException e) {
        // EINVAL: /run/netns is not a mount point yet; bind it onto itself once, then retry
        if (e.errno() != Errno.EINVAL || boundOnItself) throw e;
        sys.mount(dir, dir, "none", Syscalls.MS_BIND | Syscalls.MS_REC, null, "netnsCreate");
        boundOnItself = true;
      }
    }
  }

  /**
   * {@code ip netns del NAME}: lazily unmounts and removes {@code /run/netns/NAME}. The namespace
   * disappears when nothing else (process, open fd, mount) holds it.
   *
   * @throws ErrnoException ENOENT if there is no such named namespace
   */
  public static void delete(String name) {
    Path target = pathOf(name);
    Syscalls sys = Native.syscalls();
    try {
      sys.umount2(target.toString(), Syscalls.MNT_DETACH, "netnsDelete");
    } catch (ErrnoException ignored) {
      // like iproute2: a stale file that is not mounted is still removed
    }
    try {
      Files.delete(target);
    } catch (NoSuchFileException e) {
      throw new ErrnoException(Errno.ENOENT, "netnsDelete", name);
    } catch (IOException e) {
      throw new ErrnoException(Errno.EIO, "netnsDelete", name, why(e), e);
    }
  }

  /** True when {@code /run/netns/NAME} exists. */
  public static boolean exists(String name) {
    return Files.exists(pathOf(name));
  }

  /** The path this namespace was opened from. */
  public Path path() {
    return path;
  }

  /** The open file descriptor (valid until {@link #close()}). */
  public int fd() {
    ensureOpen();
    return fd;
  }

  /**
   * The nsfs inode number: equal inodes mean the same namespace (all network namespaces live on one
   * nsfs).
   */
  public long inode() {
    ensureOpen();
    return inodeOf(Path.of("/proc/self/fd/" + fd));
  }

  /**
   * Reads the {@code net:[INODE]} magic link: cheaper at startup than stat through the
   * file-attribute views, and exactly what identifies a namespace (Go compares dev+ino via fstat;
   * every netns has the same nsfs dev).
   */
  private static long inodeOf(Path magicLink) {
    try {
      String target = Files.readSymbolicLink(magicLink).toString();
      if (target.startsWith("net:[") && target.endsWith("]")) {
        return Long.parseLong(target.substring(5, target.length() - 1));
      }
      return ((Number) Files.getAttribute(magicLink, "unix:ino")).longValue();
    } catch (IOException | NumberFormatException e) {
      throw new ErrnoException(Errno.EIO, "netnsStat", magicLink.toString(), why(e), e);
    }
  }

  /**
   * An I/O failure in words for the exception's message (no Java class names: it may reach a CNI
   * error).
   */
  private static String why(Exception e) {
    if (e instanceof java.nio.file.FileSystemException f) {
      String r =
          f instanceof NoSuchFileException
              ? "no such file or directory"
              : f instanceof java.nio.file.AccessDeniedException
                  ? "permission denied"
                  : f.getReason();
      return (f.getFile() == null ? "" : f.getFile() + ": ")
          + (r == null ? "file system error" : r);
    }
    return e.getMessage() == null ? "input/output error" : e.getMessage();
  }

  /** Same namespace? */
  public boolean sameAs(NetNs other) {
    return inode() == other.inode();
  }

  /**
   * Is this the calling thread's current namespace? The dispatcher uses it to refuse a CNI_NETNS
   * that is the plugin's own namespace.
   */
  public boolean isCurrent() {
    return inode() == inodeOf(Path.of(THREAD_SELF_NS));
  }

  /**
   * Runs work inside this namespace on a dedicated, freshly started platform thread (which enters
   * the namespace, runs the work, restores and is discarded), waits for it and returns its result
   * or rethrows its exception. Do not start threads or use shared pools inside the work: they would
   * inherit (or be created in) this namespace.
   *
   * @throws IllegalStateException when called from a virtual thread
   */
  public <T, E extends Exception> T run(Task<T, E> work) throws E {
    if (isVirtual(Thread.currentThread())) {
      throw new IllegalStateException(
          "network namespace work must not be started from a virtual thread");
    }
    return runInside(work);
  }

  /**
   * {@link #run} without the virtual-caller check: for internal work that never runs on the
   * caller's thread.
   */
  <T, E extends Exception> T runInside(Task<T, E> work) throws E {
    Objects.requireNonNull(work, "work");
    ensureOpen();
    return runOnFreshThread(
        "jcni-netns-" + path.getFileName(), new Enter<>(Native.syscalls(), fd, path, work));
  }

  /** {@link #run} for work without a result. */
  public <E extends Exception> void exec(VoidTask<E> work) throws E {
    Objects.requireNonNull(work, "work");
    this.<Void, E>run(new VoidAdapter<>(work));
  }

  // Small classes instead of lambdas: every CNI call is a fresh JVM, and the first lambda bootstrap
  // costs
  // milliseconds on the hot path.

  /** Enters the namespace on the current (fresh) thread, runs the work, restores. */
  private static final class Enter<T, E extends Exception> implements Task<T, E> {
    private final Syscalls sys;
    private final int nsFd;
    private final Path path;
    private final Task<T, E> work;

    Enter(Syscalls sys, int nsFd, Path path, Task<T, E> work) {
      this.sys = sys;
      this.nsFd = nsFd;
      this.path = path;
      this.work = work;
    }

    @Override
    public T call() throws E {
      int orig = sys.open(THREAD_SELF_NS, Syscalls.O_RDONLY | Syscalls.O_CLOEXEC, 0, "netnsRun");
      try {
        sys.setns(nsFd, Syscalls.CLONE_NEWNET, path.toString());
        try {
          return work.call();
        } finally {
          try {
            sys.setns(orig, Syscalls.CLONE_NEWNET, THREAD_SELF_NS);
          } catch (RuntimeException ignored) {
            // the thread ends right after: nothing else will run in the wrong namespace
          }
        }
      } finally {
        sys.close(orig);
      }
    }
  }

  /** unshare(CLONE_NEWNET) + bind-mount of the thread's new namespace onto /run/netns/NAME. */
  private static final class Unshare implements Task<Void, RuntimeException> {
    private final Syscalls sys;
    private final String name;
    private final String target;

    Unshare(Syscalls sys, String name, String target) {
      this.sys = sys;
      this.name = name;
      this.target = target;
    }

    @Override
    public Void call() {
      sys.unshare(Syscalls.CLONE_NEWNET, "netnsCreate " + name);
      sys.mount(THREAD_SELF_NS, target, "none", Syscalls.MS_BIND, null, "netnsCreate");
      return null;
    }
  }

  private static final class VoidAdapter<E extends Exception> implements Task<Void, E> {
    private final VoidTask<E> work;

    VoidAdapter(VoidTask<E> work) {
      this.work = work;
    }

    @Override
    public Void call() throws E {
      work.run();
      return null;
    }
  }

  /** The fresh thread's body: runs the task and keeps its outcome. */
  private static final class Outcome<T, E extends Exception> implements Runnable {
    private final Task<T, E> work;
    T result;
    Throwable error;

    Outcome(Task<T, E> work) {
      this.work = work;
    }

    @Override
    public void run() {
      try {
        result = work.call();
      } catch (Throwable e) {
        error = e;
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T, E extends Exception> T runOnFreshThread(String name, Task<T, E> work)
      throws E {
    // the work runs on a new platform thread, never on the caller's: safe from virtual callers too
    Outcome<T, E> outcome = new Outcome<>(work);
    Thread t = new Thread(outcome, name);
    t.setDaemon(true);
    t.start();
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // the namespace work cannot be abandoned half-way; finish waiting
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
    Throwable e = outcome.error; // visible: join() happens-after the thread's end
    if (e == null) return outcome.result;
    if (e instanceof RuntimeException) throw (RuntimeException) e;
    if (e instanceof Error) throw (Error) e;
    throw (E) e;
  }

  /**
   * Thread.isVirtual() exists only from JDK 19/21 and we compile for 17; a reflective or
   * method-handle call would cost start-up time on every plugin call, while the class name of a
   * virtual thread is a stable fact.
   */
  static boolean isVirtual(Thread t) {
    return t.getClass().getName().equals("java.lang.VirtualThread");
  }

  private void ensureOpen() {
    if (closed) throw new IllegalStateException("NetNs " + path + " is closed");
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      Native.syscalls().close(fd);
    }
  }

  @Override
  public String toString() {
    return "NetNs[" + path + (closed ? ", closed" : ", fd=" + fd) + "]";
  }
}
