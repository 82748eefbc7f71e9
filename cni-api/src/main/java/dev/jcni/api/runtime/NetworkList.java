package dev.jcni.api.runtime;

import dev.jcni.spec.ErrorText;
import dev.jcni.spec.CniException;
import dev.jcni.spec.CniVersion;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.GoVersions;
import dev.jcni.spec.json.Json;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network configuration list (conflist) as libcni loads it: the list's name, the negotiated {@code cniVersion},
 * its flags and its plugins in order (inlined plugins first, then drop-ins from {@code <dir>/<name>/*.conf} unless
 * {@code loadOnlyInlinedPlugins}). {@link #bytes()} are the list file's bytes, which the result cache stores.
 *
 * <p>Loading follows libcni's {@code LoadNetworkConf}: {@code *.conflist} files in lexical order, the first whose
 * {@code name} matches wins; otherwise the deprecated single-plugin {@code *.conf}/{@code *.json} files, upgraded
 * to a one-plugin list. Any file that fails to parse on the way is an error, as in libcni.
 */
public final class NetworkList {
  private final String name;
  private final String cniVersion;
  private final boolean disableCheck;
  private final boolean disableGC;
  private final boolean loadOnlyInlinedPlugins;
  private final List<PluginConfig> plugins;
  private final byte[] bytes;

  private NetworkList(String name, String cniVersion, boolean disableCheck, boolean disableGC,
      boolean loadOnlyInlinedPlugins, List<PluginConfig> plugins, byte[] bytes) {
    this.name = name;
    this.cniVersion = cniVersion;
    this.disableCheck = disableCheck;
    this.disableGC = disableGC;
    this.loadOnlyInlinedPlugins = loadOnlyInlinedPlugins;
    this.plugins = List.copyOf(plugins);
    this.bytes = bytes;
  }

  /**
   * Parses conflist bytes (libcni's {@code NetworkConfFromBytes}): {@code cniVersions} negotiation, the boolean
   * flags (a bool or "true"/"false" in any case) and the inlined plugins. Drop-ins are not read here. A list
   * without {@code plugins} parses with no plugins unless {@code loadOnlyInlinedPlugins} is set.
   */
  public static NetworkList parse(byte[] json) {
    Map<String, Object> raw = Json.parseObject(json);
    // libcni reads the list into a Go map, so these top-level keys match exactly (case-sensitive)
    Object rawName = raw.get("name");
    if (rawName == null && !raw.containsKey("name")) {
      throw invalid("error parsing configuration list: no name");
    }
    if (!(rawName instanceof String n)) {
      throw invalid("error parsing configuration list: invalid name type " + typeName(rawName));
    }
    String version = "";
    if (raw.containsKey("cniVersion")) {
      if (!(raw.get("cniVersion") instanceof String v)) {
        throw invalid("error parsing configuration list: invalid cniVersion type " + typeName(raw.get("cniVersion")));
      }
      version = v;
    }
    if (raw.containsKey("cniVersions")) {
      version = negotiate(raw.get("cniVersions"), version);
    }
    boolean disableCheck = readBool(raw, "disableCheck");
    boolean disableGC = readBool(raw, "disableGC");
    boolean onlyInlined = readBool(raw, "loadOnlyInlinedPlugins");

    List<PluginConfig> plugins = new ArrayList<>();
    if (!raw.containsKey("plugins")) {
      if (onlyInlined) {
        throw invalid("error parsing configuration list: `loadOnlyInlinedPlugins` is true, and no 'plugins' key");
      }
    } else {
      if (!(raw.get("plugins") instanceof List<?> list)) {
        throw invalid("error parsing configuration list: invalid 'plugins' type " + typeName(raw.get("plugins")));
      }
      if (list.isEmpty()) {
        throw invalid("error parsing configuration list: no plugins in list");
      }
      for (int i = 0; i < list.size(); i++) {
        if (!(list.get(i) instanceof Map<?, ?> m)) {
          throw invalid("failed to parse plugin config " + i + ": not a JSON object");
        }
        try {
          plugins.add(PluginConfig.of(stringMap(m)));
        } catch (CniException e) {
          throw new CniException(e.code(), "failed to parse plugin config " + i + ": " + e.msg(), e.details(), e);
        }
      }
    }
    return new NetworkList(n, version, disableCheck, disableGC, onlyInlined, plugins, json.clone());
  }

  /**
   * Reads a conflist file and, unless {@code loadOnlyInlinedPlugins}, appends the plugin configs found in
   * {@code <file's dir>/<name>/*.conf} (lexical order). No plugin at all is an error.
   */
  public static NetworkList fromFile(Path file) {
    NetworkList list = parse(readFile(file));
    List<PluginConfig> plugins = list.plugins;
    if (!list.loadOnlyInlinedPlugins) {
      Path dir = file.toAbsolutePath().getParent();
      List<PluginConfig> dropIns = new ArrayList<>();
      for (Path p : confFiles(dir.resolve(list.name), List.of(".conf"))) {
        dropIns.add(PluginConfig.parse(readFile(p)));
      }
      if (!dropIns.isEmpty()) {
        plugins = new ArrayList<>(plugins);
        plugins.addAll(dropIns);
      }
    }
    if (plugins.isEmpty()) {
      throw invalid("no plugin configs found in " + file);
    }
    return new NetworkList(list.name, list.cniVersion, list.disableCheck, list.disableGC,
        list.loadOnlyInlinedPlugins, plugins, list.bytes);
  }

  /**
   * Finds network {@code name} in {@code dir} as libcni's {@code LoadNetworkConf} does.
   *
   * @throws NetworkNotFoundException when no file in {@code dir} defines it (or there is no config at all)
   */
  public static NetworkList load(Path dir, String name) {
    List<Path> lists = confFiles(dir, List.of(".conflist"));
    for (Path f : lists) {
      NetworkList l = fromFile(f);
      if (l.name.equals(name)) {
        return l;
      }
    }
    List<Path> singles = confFiles(dir, List.of(".conf", ".json"));
    if (singles.isEmpty()) {
      throw lists.isEmpty()
          ? new NetworkNotFoundException("no net configurations found in " + dir)
          : new NetworkNotFoundException("no net configuration with name \"" + name + "\" in " + dir);
    }
    for (Path f : singles) {
      PluginConfig conf = PluginConfig.parse(readFile(f));
      if (conf.name().equals(name)) {
        return fromPluginConfig(conf);
      }
    }
    throw new NetworkNotFoundException("no net configuration with name \"" + name + "\" in " + dir);
  }

  /**
   * Upgrades a deprecated single-plugin config to a one-plugin list (libcni's {@code ConfListFromConf}): the list
   * takes the plugin's {@code name} and {@code cniVersion}.
   */
  public static NetworkList fromPluginConfig(PluginConfig conf) {
    Object v = Json.get(conf.raw(), "cniVersion");
    Map<String, Object> list = new LinkedHashMap<>();
    list.put("cniVersion", v == null ? "" : v);
    list.put("name", conf.name());
    list.put("plugins", List.of(conf.raw()));
    return parse(Json.write(list));
  }

  /** The network's name (the cache file prefix and what plugins receive as {@code name}). */
  public String name() {
    return name;
  }

  /** The negotiated version every plugin receives as {@code cniVersion} ("" when the list has none). */
  public String cniVersion() {
    return cniVersion;
  }

  public boolean disableCheck() {
    return disableCheck;
  }

  public boolean disableGC() {
    return disableGC;
  }

  public boolean loadOnlyInlinedPlugins() {
    return loadOnlyInlinedPlugins;
  }

  /** Inlined plugins, then drop-ins. */
  public List<PluginConfig> plugins() {
    return plugins;
  }

  /** The bytes of the list as read (stored base64-encoded as {@code config} in the result cache). */
  public byte[] bytes() {
    return bytes.clone();
  }

  byte[] bytesNoCopy() {
    return bytes;
  }

  @Override
  public String toString() {
    return "NetworkList{name=" + name + ", cniVersion=" + cniVersion + ", plugins=" + plugins + "}";
  }

  // highest of cniVersion ∪ cniVersions that does not exceed what this library implements (libcni)
  private static String negotiate(Object rawVersions, String cniVersion) {
    if (!(rawVersions instanceof List<?> rvs)) {
      throw invalid("error parsing configuration list: invalid type for cniVersions: " + typeName(rawVersions));
    }
    String current = CniVersion.CURRENT.toString();
    List<String> candidates = new ArrayList<>();
    for (int i = 0; i < rvs.size(); i++) {
      if (!(rvs.get(i) instanceof String v)) {
        throw invalid("error parsing configuration list: invalid type for cniVersions index " + i + ": "
            + typeName(rvs.get(i)));
      }
      boolean greater;
      try {
        greater = GoVersions.compare(v, current) > 0;
      } catch (CniException e) {
        throw invalid("error parsing configuration list: invalid cniVersions entry " + v + " at index " + i + ": "
            + e.msg());
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
        throw invalid("error parsing configuration list: invalid cniVersion " + cniVersion + ": " + e.msg());
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

  private static boolean readBool(Map<String, Object> raw, String key) {
    if (!raw.containsKey(key)) {
      return false;
    }
    Object v = raw.get(key);
    if (v instanceof Boolean b) {
      return b;
    }
    if (!(v instanceof String s)) {
      throw invalid("error parsing configuration list: invalid type " + typeName(v) + " for " + key);
    }
    switch (s.toLowerCase(java.util.Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw invalid("error parsing configuration list: invalid value \"" + s.toLowerCase(java.util.Locale.ROOT)
            + "\" for " + key);
    }
  }

  /** Regular files (not directories) in {@code dir} with one of the extensions, sorted; none if no such dir. */
  static List<Path> confFiles(Path dir, List<String> extensions) {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        String fn = p.getFileName().toString();
        int dot = fn.lastIndexOf('.');
        if (dot >= 0 && extensions.contains(fn.substring(dot))) {
          out.add(p);
        }
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      return List.of();
    } catch (IOException e) {
      throw new CniException(ErrorCodes.IO_FAILURE, "failed to read config files in " + dir + ": " + ErrorText.of(e), null, e);
    }
    Collections.sort(out, (a, b) -> a.toString().compareTo(b.toString()));
    return out;
  }

  private static byte[] readFile(Path f) {
    try {
      return Files.readAllBytes(f);
    } catch (IOException e) {
      throw new CniException(ErrorCodes.IO_FAILURE, "error reading " + f + ": " + ErrorText.of(e), null, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> stringMap(Map<?, ?> m) {
    return (Map<String, Object>) m;
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
}
