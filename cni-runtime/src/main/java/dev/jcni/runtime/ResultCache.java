package dev.jcni.runtime;

import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.ErrorText;
import dev.jcni.spec.ResultCodec;
import dev.jcni.spec.json.Json;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * libcni's result cache, in its own place and format so that a Go runtime and jcni read each
 * other's entries: {@code <cacheDir>/results/<network>-<containerID>-<ifname>} (directory 0700,
 * file 0600) holding
 *
 * <pre>
 * {"kind":"cniCacheV1","containerId":…,"config":"&lt;base64 of the conflist bytes&gt;","ifName":…,
 *  "networkName":…,"netns":…,"cniArgs":[[k,v],…],"capabilityArgs":{…},"result":{…}}</pre>
 *
 * Keys are written in Go's order (struct fields in declaration order, map keys sorted). A legacy
 * file that holds only a raw result is still read.
 */
public final class ResultCache {
  /** The {@code kind} of every entry libcni ≥ 0.7 writes. */
  public static final String KIND_V1 = "cniCacheV1";

  private final Path cacheDir;

  public ResultCache(Path cacheDir) {
    this.cacheDir = cacheDir;
  }

  public Path cacheDir() {
    return cacheDir;
  }

  public Path resultsDir() {
    return cacheDir.resolve("results");
  }

  /** The entry's path; any of the three parts empty is an error, as in libcni. */
  public Path path(String network, String containerId, String ifname) {
    if (network.isEmpty() || containerId.isEmpty() || ifname.isEmpty()) {
      throw new CniException(
          ErrorCodes.INVALID_NETWORK_CONFIG,
          "cache file path requires network name (\""
              + network
              + "\"), container ID (\""
              + containerId
              + "\"), and interface name (\""
              + ifname
              + "\")");
    }
    return resultsDir().resolve(network + "-" + containerId + "-" + ifname);
  }

  /** Writes the entry for an attachment after a successful ADD (atomically: temp file + rename). */
  public void write(String network, RuntimeConf rt, byte[] config, Map<String, Object> result) {
    Path file = path(network, rt.containerId(), rt.ifname());
    byte[] data = encode(network, rt, config, result);
    try {
      Files.createDirectories(
          resultsDir(),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      // the temp file lives outside results/ so that nobody enumerating attachments ever sees it
      Path tmp =
          Files.createTempFile(
              cacheDir,
              ".jcni-cache-",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.write(tmp, data);
        try {
          Files.move(
              tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new CniException(
          ErrorCodes.IO_FAILURE,
          "failed to set network \"" + network + "\" cached result: " + ErrorText.of(e),
          null,
          e);
    }
  }

  /** The bytes libcni would write for this entry (Go's key order; map keys sorted). */
  public static byte[] encode(
      String network, RuntimeConf rt, byte[] config, Map<String, Object> result) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", KIND_V1);
    m.put("containerId", rt.containerId());
    m.put("config", config == null ? null : Base64.getEncoder().encodeToString(config));
    m.put("ifName", rt.ifname());
    m.put("networkName", network);
    if (!rt.netns().isEmpty()) {
      m.put("netns", rt.netns());
    }
    if (!rt.args().isEmpty()) {
      List<Object> pairs = new ArrayList<>();
      for (Map.Entry<String, String> e : rt.args()) {
        pairs.add(List.of(e.getKey(), e.getValue()));
      }
      m.put("cniArgs", pairs);
    }
    if (!rt.capabilityArgs().isEmpty()) {
      m.put("capabilityArgs", sorted(rt.capabilityArgs()));
    }
    if (result != null && !result.isEmpty()) {
      m.put("result", sorted(result));
    }
    return Json.write(m);
  }

  /** Removes the entry; a missing file or unusable key is not an error. */
  public void delete(String network, RuntimeConf rt) {
    if (network.isEmpty() || rt.containerId().isEmpty() || rt.ifname().isEmpty()) {
      return;
    }
    try {
      Files.deleteIfExists(path(network, rt.containerId(), rt.ifname()));
    } catch (IOException e) {
      // libcni ignores a failed removal too
    }
  }

  /**
   * The cached result converted to {@code cniVersion} (libcni's {@code getCachedResult}), in wire
   * form; null when there is no entry (or it cannot be read).
   *
   * @throws CniException when the entry is corrupt or cannot be converted
   */
  public Map<String, Object> readResult(String network, String cniVersion, RuntimeConf rt) {
    Path file = path(network, rt.containerId(), rt.ifname());
    byte[] data = readQuietly(file);
    if (data == null) {
      return null;
    }
    Map<String, Object> raw;
    Entry entry = null;
    try {
      raw = Json.parseObject(data);
      entry = Entry.decode(raw);
    } catch (CniException e) {
      raw = null;
    }
    Map<String, Object> wire;
    if (entry != null) {
      wire = entry.result == null ? new LinkedHashMap<>() : entry.result;
    } else {
      // legacy: the file is the result itself
      if (raw == null) {
        throw new CniException(
            ErrorCodes.DECODING_FAILURE,
            "failed to read cached network \""
                + network
                + "\" result from "
                + file
                + ": not valid JSON");
      }
      wire = raw;
    }
    try {
      return ResultCodec.convert(wire, cniVersion);
    } catch (CniException e) {
      throw new CniException(
          e.code(),
          "failed to convert cached result to config version \"" + cniVersion + "\": " + e.msg(),
          e.details(),
          e);
    }
  }

  /**
   * libcni's {@code getCachedConfig}: the cached conflist bytes and the runtime arguments recorded
   * at ADD.
   */
  public CachedConfig readConfig(String network, RuntimeConf rt) {
    byte[] data = readQuietly(path(network, rt.containerId(), rt.ifname()));
    if (data == null) {
      return null;
    }
    Entry e;
    try {
      e = Entry.decode(Json.parseObject(data));
    } catch (CniException ex) {
      throw new CniException(
          ErrorCodes.DECODING_FAILURE,
          "failed to unmarshal cached network \"" + network + "\" config: " + ex.msg(),
          null,
          ex);
    }
    if (e == null) {
      throw new CniException(
          ErrorCodes.DECODING_FAILURE,
          "read cached network \"" + network + "\" config has wrong kind");
    }
    RuntimeConf out =
        new RuntimeConf(
            rt.containerId(),
            rt.netns(),
            rt.ifname(),
            e.cniArgs != null ? e.cniArgs : rt.args(),
            e.capabilityArgs);
    return new CachedConfig(e.config, out);
  }

  /** Config bytes and runtime arguments of a cached attachment. */
  public record CachedConfig(byte[] config, RuntimeConf runtimeConf) {}

  /**
   * Every attachment in the cache (libcni's {@code GetCachedAttachments}), sorted by file name;
   * with a non-empty {@code containerId}, only that container's. Unreadable, foreign or legacy
   * entries are skipped.
   */
  public List<CachedAttachment> attachments(String containerId) {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(resultsDir())) {
      for (Path p : ds) {
        names.add(p.getFileName().toString());
      }
    } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException e) {
      return List.of();
    } catch (IOException e) {
      throw new CniException(
          ErrorCodes.IO_FAILURE,
          "failed to list " + resultsDir() + ": " + ErrorText.of(e),
          null,
          e);
    }
    Collections.sort(names);
    List<CachedAttachment> out = new ArrayList<>();
    boolean filter = containerId != null && !containerId.isEmpty();
    for (String fname : names) {
      if (filter) {
        String part = "-" + containerId + "-";
        int pos = fname.indexOf(part);
        if (pos <= 0 || pos + part.length() >= fname.length()) {
          continue;
        }
      }
      byte[] data = readQuietly(resultsDir().resolve(fname));
      if (data == null) {
        continue;
      }
      Entry e;
      try {
        e = Entry.decode(Json.parseObject(data));
      } catch (CniException ex) {
        continue;
      }
      if (e == null
          || filter && !e.containerId.equals(containerId)
          || e.ifName.isEmpty()
          || e.networkName.isEmpty()) {
        continue;
      }
      out.add(
          new CachedAttachment(
              e.containerId,
              e.networkName,
              e.ifName,
              e.config,
              e.netns,
              e.cniArgs == null ? List.of() : e.cniArgs,
              e.capabilityArgs));
    }
    return out;
  }

  private static byte[] readQuietly(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      // like libcni: a missing or unreadable entry is "no cached result"
      return null;
    }
  }

  /** Go sorts map keys when it encodes; do the same so our files match what libcni writes. */
  private static Object sorted(Object o) {
    if (o instanceof Map<?, ?> m) {
      Map<String, Object> t = new TreeMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        t.put(String.valueOf(e.getKey()), sorted(e.getValue()));
      }
      return t;
    }
    if (o instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object x : l) {
        out.add(sorted(x));
      }
      return out;
    }
    return o;
  }

  /**
   * A decoded cniCacheV1 entry; {@link #decode} returns null for anything Go would not unmarshal as
   * one.
   */
  private static final class Entry {
    String containerId = "";
    byte[] config;
    String ifName = "";
    String networkName = "";
    String netns = "";
    List<Map.Entry<String, String>> cniArgs;
    Map<String, Object> capabilityArgs;
    Map<String, Object> result;

    @SuppressWarnings("unchecked")
    static Entry decode(Map<String, Object> raw) {
      if (!KIND_V1.equals(Json.get(raw, "kind"))) {
        return null;
      }
      Entry e = new Entry();
      try {
        e.containerId = str(raw, "containerId");
        e.ifName = str(raw, "ifName");
        e.networkName = str(raw, "networkName");
        e.netns = str(raw, "netns");
        Object cfg = Json.get(raw, "config");
        if (cfg instanceof String s) {
          // Go's decoder skips line breaks inside base64
          e.config = Base64.getDecoder().decode(s.replace("\r", "").replace("\n", ""));
        } else if (cfg != null) {
          return null;
        }
        Object args = Json.get(raw, "cniArgs");
        if (args instanceof List<?> l) {
          List<Map.Entry<String, String>> pairs = new ArrayList<>();
          for (Object p : l) {
            if (!(p instanceof List<?> kv)) {
              return null;
            }
            String k = kv.size() > 0 ? asString(kv.get(0)) : "";
            String v = kv.size() > 1 ? asString(kv.get(1)) : "";
            pairs.add(new AbstractMap.SimpleImmutableEntry<>(k, v));
          }
          e.cniArgs = pairs;
        } else if (args != null) {
          return null;
        }
        Object caps = Json.get(raw, "capabilityArgs");
        if (caps instanceof Map<?, ?> m) {
          e.capabilityArgs = (Map<String, Object>) m;
        } else if (caps != null) {
          return null;
        }
        Object res = Json.get(raw, "result");
        if (res instanceof Map<?, ?> m) {
          e.result = (Map<String, Object>) m;
        } else if (res != null) {
          return null;
        }
      } catch (IllegalArgumentException | ClassCastException ex) {
        return null;
      }
      return e;
    }

    private static String str(Map<String, Object> raw, String key) {
      Object v = Json.get(raw, key);
      if (v == null) {
        return "";
      }
      if (!(v instanceof String s)) {
        throw new IllegalArgumentException(key);
      }
      return s;
    }

    private static String asString(Object o) {
      if (o == null) {
        return "";
      }
      if (!(o instanceof String s)) {
        throw new IllegalArgumentException("cniArgs");
      }
      return s;
    }
  }
}
