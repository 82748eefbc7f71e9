package dev.jcni.plugins.meta.tuning;

import dev.jcni.spec.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The interface's original values, saved by ADD so DEL can put them back: {@code
 * <dataDir>/<containerID>_<ifname>.json} in Go's format ({@code mac}, {@code promisc}, {@code mtu},
 * {@code allmulti}, {@code txQLen}; a field is present only when ADD changed it), so Go's tuning
 * restores what we saved and we restore what Go saved (a node can switch plugin bundles with pods
 * running). Our additions, which Go ignores: the original sysctl values ({@code jcni.sysctl}, path
 * under /proc/sys → value) and the network name ({@code jcni.network}, so GC only touches this
 * network's files).
 *
 * @param mac original MAC or null
 * @param promisc original promiscuous flag or null
 * @param mtu original MTU, 0 when not saved
 * @param allmulti original all-multicast flag or null
 * @param txQLen original transmit queue length or null
 * @param network the network that wrote it (null in Go's files)
 * @param sysctls original sysctl values by path (empty in Go's files)
 */
record Backup(
    String mac,
    Boolean promisc,
    int mtu,
    Boolean allmulti,
    Integer txQLen,
    String network,
    Map<String, String> sysctls) {

  static final String NETWORK = "jcni.network";
  static final String SYSCTL = "jcni.sysctl";

  Backup {
    sysctls = Collections.unmodifiableMap(new LinkedHashMap<>(sysctls));
  }

  static Path file(Path dataDir, String containerId, String ifname) {
    return dataDir.resolve(containerId + "_" + ifname + ".json");
  }

  boolean isEmpty() {
    return mac == null
        && promisc == null
        && mtu == 0
        && allmulti == null
        && txQLen == null
        && sysctls.isEmpty();
  }

  /**
   * This backup with {@code older}'s values where it has them: a repeated ADD (no DEL in between)
   * must not overwrite the true originals with values the first ADD set.
   */
  Backup keepOriginals(Backup older) {
    Map<String, String> s = new LinkedHashMap<>(sysctls);
    s.putAll(older.sysctls);
    return new Backup(
        older.mac != null ? older.mac : mac,
        older.promisc != null ? older.promisc : promisc,
        older.mtu != 0 ? older.mtu : mtu,
        older.allmulti != null ? older.allmulti : allmulti,
        older.txQLen != null ? older.txQLen : txQLen,
        network,
        s);
  }

  byte[] toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (mac != null) {
      m.put("mac", mac);
    }
    if (promisc != null) {
      m.put("promisc", promisc);
    }
    if (mtu != 0) {
      m.put("mtu", (long) mtu);
    }
    if (allmulti != null) {
      m.put("allmulti", allmulti);
    }
    if (txQLen != null) {
      m.put("txQLen", (long) txQLen);
    }
    if (network != null) {
      m.put(NETWORK, network);
    }
    if (!sysctls.isEmpty()) {
      m.put(SYSCTL, new LinkedHashMap<String, Object>(sysctls));
    }
    return Json.writeIndented(m);
  }

  /** Parses a saved file; null when it is not a backup this plugin (or Go's) could have written. */
  @SuppressWarnings("unchecked")
  static Backup parse(byte[] bytes) {
    Map<String, Object> m;
    try {
      m = Json.parseObject(bytes);
    } catch (RuntimeException e) {
      return null;
    }
    Object mac = Json.get(m, "mac");
    Object promisc = Json.get(m, "promisc");
    Object mtu = Json.get(m, "mtu");
    Object allmulti = Json.get(m, "allmulti");
    Object txQLen = Json.get(m, "txQLen");
    Object network = m.get(NETWORK);
    Object sysctl = m.get(SYSCTL);
    if ((mac != null && !(mac instanceof String))
        || (promisc != null && !(promisc instanceof Boolean))
        || (mtu != null && !(mtu instanceof Long))
        || (allmulti != null && !(allmulti instanceof Boolean))
        || (txQLen != null && !(txQLen instanceof Long))
        || (network != null && !(network instanceof String))
        || (sysctl != null && !(sysctl instanceof Map))) {
      return null;
    }
    Map<String, String> sysctls = new LinkedHashMap<>();
    if (sysctl != null) {
      for (Map.Entry<String, Object> e : ((Map<String, Object>) sysctl).entrySet()) {
        if (!(e.getValue() instanceof String)) {
          return null;
        }
        sysctls.put(e.getKey(), (String) e.getValue());
      }
    }
    String macText = (String) mac;
    return new Backup(
        macText == null || macText.isEmpty() ? null : macText,
        (Boolean) promisc,
        mtu == null ? 0 : ((Long) mtu).intValue(),
        (Boolean) allmulti,
        txQLen == null ? null : ((Long) txQLen).intValue(),
        (String) network,
        sysctls);
  }

  /**
   * Reads {@code file}; null when absent. Unparseable content: {@link #parse} null, reported as
   * such.
   */
  static byte[] read(Path file) throws IOException {
    try {
      return Files.readAllBytes(file);
    } catch (java.nio.file.NoSuchFileException e) {
      return null;
    }
  }

  /**
   * Writes atomically (temp file + rename, mode 0600), creating the directory (0700) when missing.
   */
  void write(Path file) throws IOException {
    Path dir = file.getParent();
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
    Files.write(tmp, toJson());
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
