package dev.jcni.system;

import dev.jcni.system.internal.nativ.Errno;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads and writes {@code /proc/sys} keys ({@code "net.ipv4.ip_forward"} or {@code
 * "net/ipv4/ip_forward"}). {@code /proc/sys/net} shows the network namespace of the thread that
 * opens the file, so calls with a {@link NetNs} run on a fresh thread inside it; calls without one
 * use the calling thread's namespace.
 */
public final class Sysctl {
  private Sysctl() {}

  private static final Path ROOT = Path.of("/proc/sys");

  /**
   * The file of a key; dots separate components (interface names with dots: use the slash form).
   */
  public static Path path(String key) {
    if (key == null || key.isEmpty() || key.contains(".."))
      throw new IllegalArgumentException("bad sysctl key: " + key);
    String rel = key.indexOf('/') >= 0 ? key : key.replace('.', '/');
    if (rel.startsWith("/")) rel = rel.substring(1);
    return ROOT.resolve(rel);
  }

  /**
   * The value (trimmed) in the calling thread's namespace. Read with one large {@code read(2)}:
   * /proc/sys files report size 0, and an integer sysctl read at a non-zero offset returns EOF, so
   * a read that starts with a small buffer (as {@code Files.readAllBytes} does for size 0) sees
   * only the first digit.
   */
  public static String get(String key) {
    Path p = path(key);
    try (InputStream in = Files.newInputStream(p)) {
      byte[] buf = new byte[4096];
      int len = 0;
      int n;
      while ((n = in.read(buf, len, buf.length - len)) > 0) {
        len += n;
        if (len == buf.length) buf = java.util.Arrays.copyOf(buf, buf.length * 2);
      }
      return new String(buf, 0, len, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw error("sysctlGet", key, e);
    }
  }

  /** Writes the value in the calling thread's namespace. */
  public static void set(String key, String value) {
    Path p = path(key);
    try {
      Files.write(p, value.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw error("sysctlSet", key, e);
    }
  }

  public static String get(NetNs ns, String key) {
    return ns == null ? get(key) : ns.run(new Get(key));
  }

  public static void set(NetNs ns, String key, String value) {
    if (ns == null) set(key, value);
    else ns.run(new Set(key, value));
  }

  // classes rather than lambdas: no bootstrap cost in a fresh JVM
  private static final class Get implements NetNs.Task<String, RuntimeException> {
    private final String key;

    Get(String key) {
      this.key = key;
    }

    @Override
    public String call() {
      return get(key);
    }
  }

  private static final class Set implements NetNs.Task<Void, RuntimeException> {
    private final String key;
    private final String value;

    Set(String key, String value) {
      this.key = key;
      this.value = value;
    }

    @Override
    public Void call() {
      set(key, value);
      return null;
    }
  }

  /** {@code net.ipv4.ip_forward=1} (and {@code net.ipv6.conf.all.forwarding=1} when v6). */
  public static void enableIpForward(NetNs ns, boolean ipv4, boolean ipv6) {
    if (ipv4 && !"1".equals(get(ns, "net/ipv4/ip_forward"))) set(ns, "net/ipv4/ip_forward", "1");
    if (ipv6 && !"1".equals(get(ns, "net/ipv6/conf/all/forwarding")))
      set(ns, "net/ipv6/conf/all/forwarding", "1");
  }

  /** net.ipv6.conf.IFNAME.accept_ra */
  public static void setAcceptRa(NetNs ns, String ifname, int value) {
    set(ns, "net/ipv6/conf/" + ifname + "/accept_ra", Integer.toString(value));
  }

  /** net.ipv6.conf.IFNAME.accept_dad */
  public static void setAcceptDad(NetNs ns, String ifname, int value) {
    set(ns, "net/ipv6/conf/" + ifname + "/accept_dad", Integer.toString(value));
  }

  /** net.ipv6.conf.IFNAME.disable_ipv6 */
  public static void setDisableIpv6(NetNs ns, String ifname, boolean disabled) {
    set(ns, "net/ipv6/conf/" + ifname + "/disable_ipv6", disabled ? "1" : "0");
  }

  /** net.ipv4.conf.IFNAME.route_localnet */
  public static void setRouteLocalnet(NetNs ns, String ifname, boolean on) {
    set(ns, "net/ipv4/conf/" + ifname + "/route_localnet", on ? "1" : "0");
  }

  /** net.ipv4.conf.IFNAME.arp_notify */
  public static void setArpNotify(NetNs ns, String ifname, boolean on) {
    set(ns, "net/ipv4/conf/" + ifname + "/arp_notify", on ? "1" : "0");
  }

  private static ErrnoException error(String op, String key, IOException e) {
    int errno =
        e instanceof NoSuchFileException
            ? Errno.ENOENT
            : e instanceof AccessDeniedException ? Errno.EACCES : Errno.EIO;
    return new ErrnoException(errno, op, key, errno == Errno.EIO ? e.getMessage() : null, e);
  }
}
