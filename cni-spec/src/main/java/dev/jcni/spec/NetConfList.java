package dev.jcni.spec;

import dev.jcni.spec.json.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A network configuration list (conflist): its name, the negotiated {@code cniVersion}, its flags
 * and its plugin configs in order. The one model of a conflist: the runtime (cni-runtime) loads
 * files into it and runs it.
 *
 * <p>Parsing follows libcni's {@code NetworkConfFromBytes} with its rules and messages: the list is
 * read into a Go map, so its top-level keys match exactly (case-sensitive), while each plugin
 * object is a {@link NetConf} whose well-known keys match as Go's struct decoding does. {@code
 * cniVersions} is negotiated as libcni does: the highest of {@code cniVersions} ∪ {@code
 * cniVersion} not above {@link CniVersion#CURRENT}. Malformed JSON is code 6, every other problem
 * code 7.
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
  private final List<NetConf> plugins;

  private NetConfList(NetConfList inlined, List<NetConf> plugins) {
    this.raw = inlined.raw;
    this.bytes = inlined.bytes;
    this.name = inlined.name;
    this.cniVersion = inlined.cniVersion;
    this.cniVersions = inlined.cniVersions;
    this.disableCheck = inlined.disableCheck;
    this.disableGC = inlined.disableGC;
    this.loadOnlyInlinedPlugins = inlined.loadOnlyInlinedPlugins;
    this.plugins = List.copyOf(plugins);
  }

  private NetConfList(Map<String, Object> raw, byte[] bytes) {
    this.raw = raw;
    this.bytes = bytes;
    Object rawName = raw.get("name");
    if (rawName == null && !raw.containsKey("name")) {
      throw invalid(PREFIX + "no name");
    }
    if (!(rawName instanceof String)) {
      throw invalid(PREFIX + "invalid name type " + typeName(rawName));
    }
    this.name = (String) rawName;
    String version = "";
    if (raw.containsKey("cniVersion")) {
      Object v = raw.get("cniVersion");
      if (!(v instanceof String)) {
        throw invalid(PREFIX + "invalid cniVersion type " + typeName(v));
      }
      version = (String) v;
    }
    if (raw.containsKey("cniVersions")) {
      this.cniVersions = versions(raw.get("cniVersions"));
      version = negotiate(cniVersions, version);
    } else {
      this.cniVersions = List.of();
    }
    this.cniVersion = version;
    this.disableCheck = readBool("disableCheck");
    this.disableGC = readBool("disableGC");
    this.loadOnlyInlinedPlugins = readBool("loadOnlyInlinedPlugins");
    List<NetConf> ps = new ArrayList<>();
    if (!raw.containsKey("plugins")) {
      if (loadOnlyInlinedPlugins) {
        throw invalid(PREFIX + "`loadOnlyInlinedPlugins` is true, and no 'plugins' key");
      }
    } else {
      if (!(raw.get("plugins") instanceof List)) {
        throw invalid(PREFIX + "invalid 'plugins' type " + typeName(raw.get("plugins")));
      }
      List<?> list = (List<?>) raw.get("plugins");
      if (list.isEmpty()) {
        throw invalid(PREFIX + "no plugins in list");
      }
      for (int i = 0; i < list.size(); i++) {
        if (!(list.get(i) instanceof Map)) {
          throw invalid("failed to parse plugin config " + i + ": not a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) list.get(i);
        try {
          ps.add(checkPlugin(NetConf.of(m)));
        } catch (CniException e) {
          throw new CniException(
              e.code(), "failed to parse plugin config " + i + ": " + e.msg(), e.details(), e);
        }
      }
    }
    this.plugins = List.copyOf(ps);
  }

  /** Parses conflist bytes; {@link #bytes()} keeps them exactly (the result cache stores them). */
  public static NetConfList parse(byte[] json) {
    return new NetConfList(Collections.unmodifiableMap(Json.parseObject(json)), json.clone());
  }

  /** Wraps an already parsed list object. */
  public static NetConfList of(Map<String, Object> raw) {
    return new NetConfList(Collections.unmodifiableMap(new LinkedHashMap<>(raw)), Json.write(raw));
  }

  /**
   * Parses one plugin object on its own (a drop-in {@code .conf} file, or a deprecated
   * single-plugin config) with libcni's {@code ConfFromBytes} checks: {@code type} present and a
   * string; {@code name}, {@code cniVersion} strings; {@code capabilities} an object of booleans.
   */
  public static NetConf parsePlugin(byte[] json) {
    return checkPlugin(NetConf.parse(json));
  }

  /**
   * Upgrades a deprecated single-plugin config to a one-plugin list (libcni's {@code
   * ConfListFromConf}): the list takes the plugin's {@code name} and {@code cniVersion}.
   */
  public static NetConfList fromPlugin(NetConf conf) {
    Object v = conf.get("cniVersion");
    Map<String, Object> list = new LinkedHashMap<>();
    list.put("cniVersion", v == null ? "" : v);
    list.put("name", conf.name() == null ? "" : conf.name());
    list.put("plugins", List.of(conf.raw()));
    return parse(Json.write(list));
  }

  /**
   * This list with {@code dropIns} appended after the inlined plugins (bytes, name and flags
   * unchanged).
   */
  public NetConfList withDropIns(List<NetConf> dropIns) {
    if (dropIns.isEmpty()) {
      return this;
    }
    List<NetConf> all = new ArrayList<>(plugins);
    all.addAll(dropIns);
    return new NetConfList(this, all);
  }

  private static NetConf checkPlugin(NetConf c) {
    Object t = c.get("type");
    if (t != null && !(t instanceof String)) {
      throw invalid("error parsing configuration: 'type' must be a string");
    }
    if (t == null || ((String) t).isEmpty()) {
      throw invalid("error parsing configuration: missing 'type'");
    }
    Object n = c.get("name");
    if (n != null && !(n instanceof String)) {
      throw invalid("error parsing configuration: 'name' must be a string");
    }
    Object v = c.get("cniVersion");
    if (v != null && !(v instanceof String)) {
      throw invalid("error parsing configuration: 'cniVersion' must be a string");
    }
    Object caps = c.get("capabilities");
    if (caps instanceof Map) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) caps).entrySet()) {
        if (!(e.getValue() instanceof Boolean)) {
          throw invalid(
              "error parsing configuration: capabilities." + e.getKey() + " must be a boolean");
        }
      }
    } else if (caps != null) {
      throw invalid("error parsing configuration: 'capabilities' must be an object");
    }
    return c;
  }

  private static List<String> versions(Object rawVersions) {
    if (!(rawVersions instanceof List)) {
      throw invalid(PREFIX + "invalid type for cniVersions: " + typeName(rawVersions));
    }
    List<?> rvs = (List<?>) rawVersions;
    List<String> out = new ArrayList<>(rvs.size());
    for (int i = 0; i < rvs.size(); i++) {
      if (!(rvs.get(i) instanceof String)) {
        throw invalid(
            PREFIX + "invalid type for cniVersions index " + i + ": " + typeName(rvs.get(i)));
      }
      out.add((String) rvs.get(i));
    }
    return Collections.unmodifiableList(out);
  }

  // the highest of cniVersion ∪ cniVersions that does not exceed what this library implements
  // (libcni)
  private static String negotiate(List<String> versions, String cniVersion) {
    String current = CniVersion.CURRENT.toString();
    List<String> candidates = new ArrayList<>();
    for (int i = 0; i < versions.size(); i++) {
      String v = versions.get(i);
      boolean greater;
      try {
        greater = GoVersions.compare(v, current) > 0;
      } catch (CniException e) {
        throw invalid(
            PREFIX + "invalid cniVersions entry " + v + " at index " + i + ": " + e.msg());
      }
      if (!greater) {
        candidates.add(v);
      }
    }
    if (!cniVersion.isEmpty()) {
      boolean greater;
      try {
        greater = GoVersions.compare(cniVersion, current) > 0;
      } catch (CniException e) {
        throw invalid(PREFIX + "invalid cniVersion " + cniVersion + ": " + e.msg());
      }
      if (!greater) {
        candidates.add(cniVersion);
      }
    }
    if (candidates.isEmpty()) {
      return cniVersion;
    }
    String best = candidates.get(0);
    for (String c : candidates) {
      if (GoVersions.compare(c, best) > 0) {
        best = c;
      }
    }
    return best;
  }

  private boolean readBool(String key) {
    if (!raw.containsKey(key)) {
      return false;
    }
    Object v = raw.get(key);
    if (v instanceof Boolean) {
      return (Boolean) v;
    }
    if (!(v instanceof String)) {
      throw invalid(PREFIX + "invalid type " + typeName(v) + " for " + key);
    }
    String s = ((String) v).toLowerCase(Locale.ROOT);
    switch (s) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw invalid(PREFIX + "invalid value \"" + s + "\" for " + key);
    }
  }

  /** Every top-level key as written, in order. */
  public Map<String, Object> raw() {
    return raw;
  }

  /**
   * The bytes of the list as read (stored base64-encoded as {@code config} in libcni's result
   * cache).
   */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The network's name (the cache file prefix and what every plugin receives as {@code name}). */
  public String name() {
    return name;
  }

  /**
   * The negotiated version every plugin receives as {@code cniVersion} ("" when the list has none).
   */
  public String cniVersionString() {
    return cniVersion;
  }

  /** {@link #cniVersionString()} parsed ("" means 0.1.0). */
  public CniVersion cniVersion() {
    return CniVersion.parse(cniVersion);
  }

  /** {@code cniVersions} as written; empty when absent. */
  public List<String> cniVersions() {
    return cniVersions;
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

  /** The plugin configs in order (inlined, then any drop-ins), each with all of its keys. */
  public List<NetConf> plugins() {
    return plugins;
  }

  private static String typeName(Object o) {
    if (o == null) {
      return "null";
    }
    if (o instanceof Map) {
      return "object";
    }
    if (o instanceof List) {
      return "array";
    }
    if (o instanceof String) {
      return "string";
    }
    if (o instanceof Boolean) {
      return "bool";
    }
    return "number";
  }

  private static CniException invalid(String msg) {
    return new CniException(ErrorCodes.INVALID_NETWORK_CONFIG, msg);
  }

  @Override
  public String toString() {
    return "NetConfList{name="
        + name
        + ", cniVersion="
        + cniVersion
        + ", plugins="
        + plugins.size()
        + "}";
  }
}
