package dev.jcni.spec;

import dev.jcni.spec.json.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A network configuration list (conflist): name, version(s), flags and the plugin objects in order. Parsing
 * follows libcni's {@code NetworkConfFromBytes}, with its rules and messages.
 */
public final class NetConfList {
  private static final String PREFIX = "error parsing configuration list: ";

  private final Map<String, Object> raw;
  private final byte[] bytes;
  private final String name;
  private final String cniVersion;
  private final List<String> cniVersions;
  private final boolean disableCheck;
  private final boolean disableGC;
  private final boolean loadOnlyInlinedPlugins;
  private final List<Map<String, Object>> plugins;

  private NetConfList(Map<String, Object> raw, byte[] bytes) {
    this.raw = raw;
    this.bytes = bytes;
    Object rawName = Json.get(raw, "name");
    if (rawName == null) {
      throw CniException.invalidConfig(PREFIX + "no name");
    }
    if (!(rawName instanceof String)) {
      throw CniException.invalidConfig(PREFIX + "invalid name type: " + Json.describe(rawName));
    }
    this.name = (String) rawName;
    Object rawVersion = Json.get(raw, "cniVersion");
    if (rawVersion != null && !(rawVersion instanceof String)) {
      throw CniException.invalidConfig(PREFIX + "invalid cniVersion type: " + Json.describe(rawVersion));
    }
    this.cniVersion = rawVersion == null ? "" : (String) rawVersion;
    Object rawVersions = Json.get(raw, "cniVersions");
    if (rawVersions == null) {
      this.cniVersions = List.of();
    } else {
      if (!(rawVersions instanceof List)) {
        throw CniException.invalidConfig(PREFIX + "invalid type for cniVersions: " + Json.describe(rawVersions));
      }
      List<?> l = (List<?>) rawVersions;
      List<String> vs = new ArrayList<>(l.size());
      for (int i = 0; i < l.size(); i++) {
        if (!(l.get(i) instanceof String)) {
          throw CniException.invalidConfig(PREFIX + "invalid type for cniVersions index " + i + ": "
              + Json.describe(l.get(i)));
        }
        vs.add((String) l.get(i));
      }
      this.cniVersions = Collections.unmodifiableList(vs);
    }
    this.disableCheck = readBool("disableCheck");
    this.disableGC = readBool("disableGC");
    this.loadOnlyInlinedPlugins = readBool("loadOnlyInlinedPlugins");
    Object rawPlugins = Json.get(raw, "plugins");
    if (rawPlugins == null) {
      if (loadOnlyInlinedPlugins) {
        throw CniException.invalidConfig(PREFIX + "`loadOnlyInlinedPlugins` is true, and no 'plugins' key");
      }
      this.plugins = List.of();
    } else {
      if (!(rawPlugins instanceof List)) {
        throw CniException.invalidConfig(PREFIX + "invalid 'plugins' type: " + Json.describe(rawPlugins));
      }
      List<?> l = (List<?>) rawPlugins;
      if (l.isEmpty()) {
        throw CniException.invalidConfig(PREFIX + "no plugins in list");
      }
      List<Map<String, Object>> ps = new ArrayList<>(l.size());
      for (int i = 0; i < l.size(); i++) {
        Object p = l.get(i);
        if (!(p instanceof Map)) {
          throw CniException.invalidConfig("failed to parse plugin config " + i
              + ": error parsing configuration: expected an object, got " + Json.describe(p));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> pm = (Map<String, Object>) p;
        Object type = Json.get(pm, "type");
        if (type != null && !(type instanceof String)) {
          throw CniException.invalidConfig("failed to parse plugin config " + i
              + ": error parsing configuration: \"type\": expected a string, got " + Json.describe(type));
        }
        if (type == null || ((String) type).isEmpty()) {
          throw CniException.invalidConfig("failed to parse plugin config " + i
              + ": error parsing configuration: missing 'type'");
        }
        ps.add(Collections.unmodifiableMap(pm));
      }
      this.plugins = Collections.unmodifiableList(ps);
    }
  }

  /** Parses a conflist. Malformed JSON: code 6; missing {@code name} and other structural errors: code 7. */
  public static NetConfList parse(byte[] json) {
    return new NetConfList(Collections.unmodifiableMap(Json.parseObject(json)), json.clone());
  }

  /** Wraps an already parsed object, e.g. a single config upconverted to a list. */
  public static NetConfList of(Map<String, Object> raw) {
    return new NetConfList(Collections.unmodifiableMap(raw), Json.write(raw));
  }

  private boolean readBool(String key) {
    Object v = Json.get(raw, key);
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean) {
      return (Boolean) v;
    }
    if (!(v instanceof String)) {
      throw CniException.invalidConfig(PREFIX + "invalid type " + Json.describe(v) + " for " + key);
    }
    String s = ((String) v).toLowerCase(Locale.ROOT);
    if (s.equals("true")) {
      return true;
    }
    if (s.equals("false")) {
      return false;
    }
    throw CniException.invalidConfig(PREFIX + "invalid value \"" + s + "\" for " + key);
  }

  public Map<String, Object> raw() {
    return raw;
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public String name() {
    return name;
  }

  /** {@code cniVersion} as written ("" when absent). */
  public String cniVersionString() {
    return cniVersion;
  }

  /** {@code cniVersions} as written; empty when absent. */
  public List<String> cniVersions() {
    return cniVersions;
  }

  /**
   * The version libcni uses for this list: without {@code cniVersions}, {@code cniVersion} as written; otherwise
   * the highest of {@code cniVersions} ∪ {@code cniVersion} not above {@link CniVersion#CURRENT} (falling back to
   * {@code cniVersion} if none qualifies). A malformed entry in {@code cniVersions}: code 7.
   */
  public String selectedVersionString() {
    if (cniVersions.isEmpty() && Json.get(raw, "cniVersions") == null) {
      return cniVersion;
    }
    String best = null;
    CniVersion bestV = null;
    for (int i = 0; i <= cniVersions.size(); i++) {
      String s = i < cniVersions.size() ? cniVersions.get(i) : cniVersion;
      if (i == cniVersions.size() && s.isEmpty()) {
        break;
      }
      CniVersion v;
      try {
        v = parseLoose(s);
      } catch (CniException e) {
        throw CniException.invalidConfig(i < cniVersions.size()
            ? PREFIX + "invalid cniVersions entry " + s + " at index " + i + ": " + e.msg()
            : PREFIX + "invalid cniVersion " + s + ": " + e.msg());
      }
      if (v.compareTo(CniVersion.CURRENT) <= 0 && (bestV == null || v.compareTo(bestV) >= 0)) {
        bestV = v;
        best = s;
      }
    }
    return best == null ? cniVersion : best;
  }

  /** {@link #selectedVersionString()} parsed ("" means 0.1.0). */
  public CniVersion selectedVersion() {
    return CniVersion.parse(selectedVersionString());
  }

  /** libcni's ParseVersion ({@link GoVersions}): up to three numeric parts, missing ones are 0, "" is 0.1.0. */
  private static CniVersion parseLoose(String s) {
    int[] n = GoVersions.parse(s);
    if (n[0] < 0 || n[1] < 0 || n[2] < 0) {
      throw new CniException(ErrorCodes.INVALID_NETWORK_CONFIG, "negative version part in \"" + s + "\"");
    }
    return new CniVersion(n[0], n[1], n[2]);
  }

  /** {@code disableCheck}: a bool or the strings "true"/"false" (any case). */
  public boolean disableCheck() {
    return disableCheck;
  }

  public boolean disableGC() {
    return disableGC;
  }

  public boolean loadOnlyInlinedPlugins() {
    return loadOnlyInlinedPlugins;
  }

  /** The plugin objects, each with all of its keys. */
  public List<Map<String, Object>> plugins() {
    return plugins;
  }

  /** The plugin objects as {@link NetConf}s, exactly as written in the list (no name/version injected). */
  public List<NetConf> pluginConfs() {
    List<NetConf> out = new ArrayList<>(plugins.size());
    for (Map<String, Object> p : plugins) {
      out.add(NetConf.of(p));
    }
    return out;
  }

  @Override
  public String toString() {
    return Json.writeString(raw);
  }
}
