package dev.jcni.ipam.hostlocal;

import dev.jcni.api.Attachment;
import dev.jcni.spec.CniException;
import dev.jcni.spec.CniVersion;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.ErrorText;
import dev.jcni.spec.Result;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * host-local's operations on a parsed config, independent of how the call arrived. Each operation
 * holds the network's flock for its whole duration (Go locks per range set; one lock per call is as
 * safe against Go and makes an ADD over several range sets atomic for other Java callers).
 */
public final class HostLocal {
  private final Store.Locker locker;

  /** {@code locker} takes the exclusive flock(2) on {@code <dataDir>/<net>/lock}. */
  HostLocal(Store.Locker locker) {
    this.locker = locker;
  }

  /**
   * ADD: one address per range set, requested addresses first. If any set fails, or a requested
   * address is left over, everything reserved by this call is released again.
   */
  Result add(HostLocalConfig cfg, String id, String ifname) {
    Result.Dns dns =
        cfg.resolvConf() == null || cfg.resolvConf().isEmpty()
            ? null
            : ResolvConf.read(Path.of(cfg.resolvConf()));
    Store store = new Store(cfg.networkDir());
    List<Result.IpConfig> ips = new ArrayList<>();
    try {
      store.create();
      AutoCloseable lock = store.lock(locker);
      List<InetAddress> reserved = new ArrayList<>();
      boolean ok = false;
      try {
        Set<InetAddress> requested = new LinkedHashSet<>(cfg.requestedIps());
        for (int idx = 0; idx < cfg.rangeSets().size(); idx++) {
          RangeSet set = cfg.rangeSets().get(idx);
          InetAddress want = null;
          for (InetAddress ip : requested) {
            if (set.contains(ip)) {
              want = ip;
              break;
            }
          }
          requested.remove(want);
          Allocation a;
          try {
            a = allocate(store, set, idx, id, ifname, want);
          } catch (CniException e) {
            throw new CniException(
                e.code(), "failed to allocate for range " + idx + ": " + e.msg(), e.details());
          }
          reserved.add(a.ip());
          ips.add(new Result.IpConfig(null, a.range().cidrOf(a.ip()), a.range().gateway()));
        }
        if (!requested.isEmpty()) {
          throw new CniException(
              ErrorCodes.INTERNAL,
              "failed to allocate all requested IPs: "
                  + requested.stream().map(Addrs::text).collect(Collectors.joining(" ")),
              "each requested address must lie in a different one of the range sets "
                  + cfg.rangeSets());
        }
        ok = true;
      } finally {
        if (!ok) {
          // undo under the same lock: nothing of a failed ADD stays behind
          for (InetAddress ip : reserved) {
            store.releaseIf(ip, id, ifname);
          }
        }
        closeQuietly(lock);
      }
    } catch (CniException e) {
      throw e;
    } catch (Exception e) {
      throw ioError("host-local: cannot reserve an address in " + store.dir(), e);
    }
    return new Result(CniVersion.CURRENT, List.of(), ips, cfg.routes(), dns);
  }

  private record Allocation(InetAddress ip, IpRange range) {}

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing the descriptor drops the flock whatever close reports
    }
  }

  private static Allocation allocate(
      Store store, RangeSet set, int idx, String id, String ifname, InetAddress want)
      throws IOException {
    if (want != null) {
      IpRange r = set.rangeFor(want);
      if (want.equals(r.gateway())) {
        throw new CniException(
            ErrorCodes.INTERNAL, "requested ip " + Addrs.text(want) + " is subnet's gateway");
      }
      if (!store.reserve(id, ifname, want, idx)) {
        throw new CniException(
            ErrorCodes.INTERNAL,
            "requested IP address " + Addrs.text(want) + " is not available in range set " + set);
      }
      return new Allocation(want, r);
    }
    // the spec forbids a second ADD for one (containerID, ifname); Go refuses it per range set
    for (InetAddress held : store.ipsOf(id, ifname)) {
      if (set.contains(held)) {
        throw new CniException(
            ErrorCodes.INTERNAL,
            Addrs.text(held)
                + " has been allocated to "
                + id
                + ", duplicate allocation is not allowed");
      }
    }
    RangeIterator it = new RangeIterator(set, store.lastReserved(idx));
    for (InetAddress ip = it.next(); ip != null; ip = it.next()) {
      if (store.reserve(id, ifname, ip, idx)) {
        return new Allocation(ip, it.range());
      }
    }
    throw new CniException(ErrorCodes.INTERNAL, "no IP addresses available in range set: " + set);
  }

  /**
   * DEL: releases every address of (id, ifname), or of the ID alone for files written by old Go;
   * idempotent. A look without the lock comes first: when nothing belongs to the container (the
   * usual second DEL) there is nothing to lock for, and the native lock costs start-up time.
   */
  @SuppressWarnings("try") // try-with-resources holds a lock for the block, which never reads it
  void del(HostLocalConfig cfg, String id, String ifname) {
    Store store = new Store(cfg.networkDir());
    try {
      if (!store.exists() || store.findById(id, ifname).isEmpty()) {
        return;
      }
    } catch (IOException e) {
      // look again under the lock
    }
    List<String> failed = new ArrayList<>();
    try (AutoCloseable lock = store.lock(locker)) {
      for (Store.Reservation r : store.findById(id, ifname)) {
        if (!store.release(r)) {
          failed.add(r.ip().toString());
        }
      }
    } catch (Exception e) {
      throw ioError("host-local: cannot release addresses of " + id + " in " + store.dir(), e);
    }
    if (!failed.isEmpty()) {
      throw new CniException(
          ErrorCodes.IO_FAILURE,
          "host-local: could not release " + String.join(", ", failed) + " in " + store.dir());
    }
  }

  /**
   * CHECK: some address is reserved for (id, ifname) (or for the ID alone, old format). A complete
   * reservation is visible without the lock (files are written before the ADD returns); only a miss
   * is confirmed under it.
   */
  @SuppressWarnings("try") // try-with-resources holds a lock for the block, which never reads it
  void check(HostLocalConfig cfg, String id, String ifname) {
    Store store = new Store(cfg.networkDir());
    boolean found = false;
    if (store.exists()) {
      try {
        found = !store.findById(id, ifname).isEmpty();
      } catch (IOException e) {
        // confirm under the lock
      }
      if (!found) {
        try (AutoCloseable lock = store.lock(locker)) {
          found = !store.findById(id, ifname).isEmpty();
        } catch (Exception e) {
          throw ioError("host-local: cannot read " + store.dir(), e);
        }
      }
    }
    if (!found) {
      throw new CniException(
          ErrorCodes.INTERNAL,
          "host-local: Failed to find address added by container " + id,
          "no reservation for container " + id + " interface " + ifname + " in " + store.dir());
    }
  }

  /**
   * GC: releases every reservation whose (containerID, ifname) is not a valid attachment. An
   * old-format file (ID alone) is kept when any valid attachment has that ID; empty and unreadable
   * files belong to nobody and go. Failures are collected and reported together after everything
   * else was tried.
   *
   * @return the released addresses
   */
  @SuppressWarnings("try") // try-with-resources holds a lock for the block, which never reads it
  List<InetAddress> gc(HostLocalConfig cfg, List<Attachment> valid) {
    Store store = new Store(cfg.networkDir());
    List<InetAddress> released = new ArrayList<>();
    if (!store.exists()) {
      return released;
    }
    Set<String> keys = new HashSet<>();
    Set<String> ids = new HashSet<>();
    for (Attachment a : valid) {
      keys.add(Store.key(a.containerId(), a.ifname()));
      ids.add(a.containerId().strip());
    }
    try {
      boolean stale = false;
      for (Store.Reservation r : store.list()) {
        stale |= !keep(r, keys, ids);
      }
      if (!stale) {
        return released; // nothing to release: no need for the lock
      }
    } catch (IOException e) {
      // look again under the lock
    }
    List<String> failed = new ArrayList<>();
    try (AutoCloseable lock = store.lock(locker)) {
      for (Store.Reservation r : store.list()) {
        if (keep(r, keys, ids)) {
          continue;
        }
        if (store.release(r)) {
          released.add(r.ip());
        } else {
          failed.add(
              Addrs.text(r.ip())
                  + " ("
                  + (r.content() == null ? "unreadable" : r.content().replace("\r\n", "/"))
                  + ")");
        }
      }
    } catch (Exception e) {
      throw ioError("host-local: GC cannot read " + store.dir(), e);
    }
    if (!failed.isEmpty()) {
      throw new CniException(
          ErrorCodes.IO_FAILURE,
          "host-local: GC could not release "
              + failed.size()
              + " stale reservation(s) in "
              + store.dir()
              + ": "
              + String.join(", ", failed));
    }
    return released;
  }

  private static boolean keep(Store.Reservation r, Set<String> keys, Set<String> ids) {
    return r.content() != null
        && (keys.contains(r.content()) || (r.isLegacy() && ids.contains(r.content())));
  }

  /** STATUS: code 50 unless the network directory can be created, locked and written. */
  @SuppressWarnings("try") // try-with-resources holds a lock for the block, which never reads it
  void status(HostLocalConfig cfg) {
    Store store = new Store(cfg.networkDir());
    try {
      store.create();
      try (AutoCloseable lock = store.lock(locker)) {
        Path probe = Files.createTempFile(store.dir(), ".status-", ".probe");
        Files.delete(probe);
      }
    } catch (Exception e) {
      throw new CniException(
          ErrorCodes.PLUGIN_NOT_AVAILABLE,
          "host-local: data directory " + store.dir() + " is not usable",
          describe(e));
    }
  }

  private static CniException ioError(String msg, Exception e) {
    if (e instanceof CniException) {
      return (CniException) e;
    }
    return new CniException(ErrorCodes.IO_FAILURE, msg + ": " + describe(e), null, e);
  }

  private static String describe(Exception e) {
    return ErrorText.of(e);
  }
}
