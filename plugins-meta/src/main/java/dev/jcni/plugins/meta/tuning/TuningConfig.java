package dev.jcni.plugins.meta.tuning;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.jcni.plugins.common.Macs;
import dev.jcni.spec.CniArgs;
import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.json.ConfigKeys;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * tuning's configuration, read as Go's {@code parseConf} reads it, with Go's precedence:
 *
 * <ul>
 *   <li>{@code mac}: the config's, then {@code CNI_ARGS} {@code MAC=}, then {@code
 *       runtimeConfig.mac} (the {@code mac} capability), then {@code args.cni.mac} — the last one
 *       given wins (an empty runtimeConfig value does not count);
 *   <li>{@code sysctl}: the config's, with {@code args.cni.sysctl} merged over it;
 *   <li>{@code promisc}, {@code mtu}, {@code allmulti}, {@code txQLen}: {@code args.cni.*} replaces
 *       the config's.
 * </ul>
 *
 * {@code promisc:false} and {@code mtu:0} mean "leave as is" (Go's zero values); {@code allmulti}
 * and {@code txQLen} are set whenever given. Every value is validated here, before anything is
 * touched: code 7 naming the key, code 4 for {@code CNI_ARGS}.
 *
 * @param name the network name
 * @param dataDir where the original values are kept ({@code dataDir}, default {@code
 *     /run/cni/tuning}, Go's)
 * @param sysctls key as written → value, in config order ({@code args.cni.sysctl} keys after,
 *     overriding)
 * @param mac the MAC to set (lower case, colons) or null
 * @param macKey where {@link #mac} came from, for messages
 * @param promisc set promiscuous mode on
 * @param mtu the MTU to set, 0 for none
 * @param allmulti all-multicast on/off, or null
 * @param txQLen the transmit queue length to set, or null
 */
public record TuningConfig(
    String name,
    Path dataDir,
    Map<String, String> sysctls,
    String mac,
    String macKey,
    boolean promisc,
    int mtu,
    Boolean allmulti,
    Integer txQLen) {

  /** Go's default data directory ({@code /var/run} is a link to {@code /run}). */
  public static final Path DEFAULT_DATA_DIR = Path.of("/run/cni/tuning");

  /**
   * CNI_ARGS keys tuning knows (libcni's strict {@code LoadArgs}: others fail unless {@code
   * IgnoreUnknown}).
   */
  static final List<String> CNI_ARGS_KEYS = List.of("MAC");

  private static final JsonFactory JSON = new JsonFactory();

  public TuningConfig {
    sysctls = Collections.unmodifiableMap(new LinkedHashMap<>(sysctls));
  }

  /** Whether a link attribute is to change (then its original value is saved for DEL). */
  public boolean changesLink() {
    return mac != null || promisc || mtu != 0 || allmulti != null || txQLen != null;
  }

  /** Only {@code dataDir} (DEL and GC need nothing else, so an edited config cannot block them). */
  public static Path dataDir(Map<String, Object> conf) {
    String text = ConfigKeys.string(conf, "dataDir", "dataDir");
    if (text == null || text.isEmpty()) {
      return DEFAULT_DATA_DIR;
    }
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      throw CniException.invalidConfig("dataDir: invalid path \"" + text + "\"");
    }
  }

  /**
   * Reads and validates the whole config; {@code bytes} is the raw stdin (for the duplicate-key
   * check).
   */
  public static TuningConfig parse(Map<String, Object> conf, byte[] bytes, CniArgs args) {
    if (bytes != null) {
      rejectDuplicateSysctls(bytes);
    }
    String name = ConfigKeys.string(conf, "name", "name");
    Path dataDir = dataDir(conf);
    Map<String, String> sysctls = new LinkedHashMap<>();
    putSysctls(sysctls, ConfigKeys.object(conf, "sysctl", "sysctl"), "sysctl");

    String mac = nonEmpty(ConfigKeys.string(conf, "mac", "mac"));
    String macKey = "mac";
    if (args != null && !args.isEmpty()) {
      args.requireKnown(CNI_ARGS_KEYS);
      String m = args.get("MAC");
      if (m != null && !m.isEmpty()) {
        mac = m;
        macKey = "CNI_ARGS MAC";
      }
    }
    Map<String, Object> rc = ConfigKeys.object(conf, "runtimeConfig", "runtimeConfig");
    String rcMac = ConfigKeys.string(rc, "mac", "runtimeConfig.mac");
    if (rcMac != null && !rcMac.isEmpty()) {
      mac = rcMac;
      macKey = "runtimeConfig.mac";
    }
    Boolean promisc = ConfigKeys.bool(conf, "promisc", "promisc");
    Integer mtu = ConfigKeys.integer(conf, "mtu", "mtu");
    Boolean allmulti = ConfigKeys.bool(conf, "allmulti", "allmulti");
    Integer txQLen = ConfigKeys.integer(conf, "txQLen", "txQLen");

    Map<String, Object> argsObj = ConfigKeys.object(conf, "args", "args");
    Map<String, Object> cni = ConfigKeys.object(argsObj, "cni", "args.cni");
    if (cni != null) {
      putSysctls(sysctls, ConfigKeys.object(cni, "sysctl", "args.cni.sysctl"), "args.cni.sysctl");
      if (ConfigKeys.get(cni, "mac") != null) {
        // Go: a given args.cni.mac replaces the MAC even when empty (which then means "no change")
        mac = nonEmpty(ConfigKeys.string(cni, "mac", "args.cni.mac"));
        macKey = "args.cni.mac";
      }
      Boolean p = ConfigKeys.bool(cni, "promisc", "args.cni.promisc");
      promisc = p != null ? p : promisc;
      Integer m = ConfigKeys.integer(cni, "mtu", "args.cni.mtu");
      if (m != null) {
        mtu = m;
        if (m < 0) {
          throw CniException.invalidConfig("args.cni.mtu: must not be negative, got " + m);
        }
      }
      Boolean a = ConfigKeys.bool(cni, "allmulti", "args.cni.allmulti");
      allmulti = a != null ? a : allmulti;
      Integer q = ConfigKeys.integer(cni, "txQLen", "args.cni.txQLen");
      if (q != null) {
        txQLen = q;
        if (q < 0) {
          throw CniException.invalidConfig("args.cni.txQLen: must not be negative, got " + q);
        }
      }
    }
    if (mtu != null && mtu < 0) {
      throw CniException.invalidConfig("mtu: must not be negative, got " + mtu);
    }
    if (txQLen != null && txQLen < 0) {
      throw CniException.invalidConfig("txQLen: must not be negative, got " + txQLen);
    }
    if (mac != null) {
      try {
        mac = Macs.normalize(macKey, mac);
      } catch (CniException e) {
        throw macKey.startsWith("CNI_ARGS")
            ? new CniException(ErrorCodes.INVALID_ENVIRONMENT_VARIABLES, e.msg())
            : e;
      }
    }
    return new TuningConfig(
        name,
        dataDir,
        sysctls,
        mac,
        macKey,
        promisc != null && promisc,
        mtu == null ? 0 : mtu,
        allmulti,
        txQLen);
  }

  private static String nonEmpty(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static void putSysctls(Map<String, String> out, Map<String, Object> m, String path) {
    if (m == null) {
      return;
    }
    for (Map.Entry<String, Object> e : m.entrySet()) {
      Object v = e.getValue();
      if (!(v instanceof String)) {
        throw ConfigKeys.wrongType(path + " \"" + e.getKey() + "\"", "a string", v);
      }
      out.remove(e.getKey()); // an args override moves to the end, after the config's keys
      out.put(e.getKey(), (String) v);
    }
  }

  /**
   * Go (later releases) refuses a {@code sysctl} object naming a key twice; our parsed tree keeps
   * only the last value, so the raw text is scanned (top-level {@code sysctl}, Go's
   * case-insensitive key match).
   */
  static void rejectDuplicateSysctls(byte[] json) {
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if (field.equalsIgnoreCase("sysctl") && t == JsonToken.START_OBJECT) {
          Set<String> seen = new HashSet<>();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (!seen.add(key)) {
              throw CniException.invalidConfig(
                  "sysctl \"" + key + "\": duplicated sysctl keys are not allowed");
            }
            p.nextToken();
            p.skipChildren();
          }
        } else {
          p.skipChildren();
        }
      }
    } catch (IOException e) {
      // the config was parsed already; a scan failure adds nothing
    }
  }
}
