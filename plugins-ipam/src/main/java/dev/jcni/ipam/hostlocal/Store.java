package dev.jcni.ipam.hostlocal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The on-disk store, byte-compatible with Go's host-local ({@code backend/disk}): one file per
 * reserved address, {@code <dataDir>/<net>/<ip>}, holding {@code "<containerID>\r\n<ifname>"}
 * (older Go versions wrote the container ID alone; those files are still matched by ID), created
 * with O_EXCL so a reservation is atomic; {@code last_reserved_ip.<rangeSetIndex>} holds the last
 * address reserved from each range set; and the lock is flock(2) on {@code <dataDir>/<net>/lock}.
 *
 * <p>Every method except {@link #lock} expects the caller to hold the lock.
 */
final class Store {
  static final String LINE_BREAK = "\r\n";
  static final String LAST_IP_PREFIX = "last_reserved_ip.";
  static final String LOCK_FILE = "lock";
  private static final FileAttribute<Set<PosixFilePermission>> FILE_MODE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  /** Takes an exclusive lock on a file (creating it), released by close. */
  @FunctionalInterface
  interface Locker {
    AutoCloseable lock(Path file) throws IOException;
  }

  /**
   * One reservation file: its address and its trimmed content ("" when empty, null when
   * unreadable).
   */
  record Reservation(InetAddress ip, Path file, String content) {
    /** The container ID and ifname written by current Go and by us. */
    boolean matches(String id, String ifname) {
      return content != null && content.equals(key(id, ifname));
    }

    /** The format of old Go versions: the container ID alone. */
    boolean matchesLegacy(String id) {
      return content != null && content.equals(id.strip());
    }

    boolean isLegacy() {
      return content != null && !content.isEmpty() && !content.contains(LINE_BREAK);
    }
  }

  private final Path dir;

  Store(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  static String key(String id, String ifname) {
    return id.strip() + LINE_BREAK + ifname;
  }

  boolean exists() {
    return Files.isDirectory(dir);
  }

  /** Creates the network directory (mode 0755 under the usual umask, as Go's MkdirAll). */
  void create() throws IOException {
    Files.createDirectories(dir);
  }

  /** Locks {@code <dir>/lock} exclusively; Go's host-local takes the same flock. */
  AutoCloseable lock(Locker locker) throws IOException {
    return locker.lock(dir.resolve(LOCK_FILE));
  }

  /**
   * Reserves {@code ip} for (id, ifname) and records it as the range set's last reserved address.
   * False when the address is taken. A file that is empty can only be left over from a writer that
   * died between creating and writing it (writers hold the lock), so it is reclaimed.
   */
  boolean reserve(String id, String ifname, InetAddress ip, int rangeSetIndex) throws IOException {
    Path f = dir.resolve(Addrs.text(ip));
    byte[] content = key(id, ifname).getBytes(StandardCharsets.UTF_8);
    if (!createExclusive(f, content)) {
      if (!isStaleEmpty(f)) {
        return false;
      }
      Files.deleteIfExists(f);
      if (!createExclusive(f, content)) {
        return false;
      }
    }
    try {
      writeLastReserved(rangeSetIndex, ip);
    } catch (IOException e) {
      Files.deleteIfExists(f);
      throw e;
    }
    return true;
  }

  private static boolean createExclusive(Path f, byte[] content) throws IOException {
    FileChannel ch;
    try {
      ch =
          FileChannel.open(
              f, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), FILE_MODE);
    } catch (FileAlreadyExistsException e) {
      return false;
    }
    try (ch) {
      ByteBuffer buf = ByteBuffer.wrap(content);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
    } catch (IOException e) {
      Files.deleteIfExists(f);
      throw e;
    }
    return true;
  }

  private static boolean isStaleEmpty(Path f) {
    try {
      BasicFileAttributes a =
          Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!a.isRegularFile()) {
        return false;
      }
      return a.size() == 0
          || (a.size() < 64 && Files.readString(f, StandardCharsets.UTF_8).isBlank());
    } catch (IOException e) {
      return false;
    }
  }

  private void writeLastReserved(int rangeSetIndex, InetAddress ip) throws IOException {
    Files.write(
        dir.resolve(LAST_IP_PREFIX + rangeSetIndex),
        Addrs.text(ip).getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * The last address reserved from a range set, or null when absent or unreadable (round-robin just
   * restarts).
   */
  InetAddress lastReserved(int rangeSetIndex) {
    try {
      return Addrs.parseOrNull(
          Files.readString(dir.resolve(LAST_IP_PREFIX + rangeSetIndex), StandardCharsets.US_ASCII)
              .strip());
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Every reservation file (regular files named by an address); the lock and bookkeeping files are
   * skipped.
   */
  List<Reservation> list() throws IOException {
    List<Reservation> out = new ArrayList<>();
    if (!exists()) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        InetAddress ip = Addrs.parseOrNull(p.getFileName().toString());
        if (ip == null || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        String content;
        try {
          content = new String(Files.readAllBytes(p), StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
          continue;
        } catch (IOException e) {
          content = null;
        }
        out.add(new Reservation(ip, p, content));
      }
    }
    return out;
  }

  /**
   * The reservations held by (id, ifname); when there are none, those written by old Go for the ID
   * alone.
   */
  List<Reservation> findById(String id, String ifname) throws IOException {
    List<Reservation> all = list();
    List<Reservation> found = new ArrayList<>();
    for (Reservation r : all) {
      if (r.matches(id, ifname)) {
        found.add(r);
      }
    }
    if (found.isEmpty()) {
      for (Reservation r : all) {
        if (r.matchesLegacy(id)) {
          found.add(r);
        }
      }
    }
    return found;
  }

  /**
   * Addresses held by (id, ifname) in either format, as Go's GetByID (the duplicate-allocation
   * check).
   */
  List<InetAddress> ipsOf(String id, String ifname) throws IOException {
    List<InetAddress> ips = new ArrayList<>();
    for (Reservation r : list()) {
      if (r.matches(id, ifname) || r.matchesLegacy(id)) {
        ips.add(r.ip());
      }
    }
    return ips;
  }

  /**
   * Deletes one reservation; false when it could not be deleted (a missing file is released
   * already).
   */
  boolean release(Reservation r) {
    try {
      Files.deleteIfExists(r.file());
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Deletes the reservation of {@code ip} if it still belongs to (id, ifname); used to undo a
   * failed ADD.
   */
  void releaseIf(InetAddress ip, String id, String ifname) {
    Path f = dir.resolve(Addrs.text(ip));
    try {
      if (new String(Files.readAllBytes(f), StandardCharsets.UTF_8)
          .strip()
          .equals(key(id, ifname))) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      // nothing to undo
    }
  }
}
