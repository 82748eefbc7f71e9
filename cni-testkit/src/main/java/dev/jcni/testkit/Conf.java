package dev.jcni.testkit;

import dev.jcni.spec.CniVersion;
import dev.jcni.spec.Result;
import dev.jcni.spec.ResultCodec;
import dev.jcni.spec.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a plugin's network configuration (stdin) without string concatenation:
 *
 * <pre>{@code
 * String conf = Conf.plugin("mycni").version("1.0.0").name("mynet")
 *     .put("subnet", "10.40.0.0/16").prevResult(prev).json();
 * }</pre>
 *
 * Defaults: {@code cniVersion} 1.1.0, {@code name} {@code testnet}. {@link #prevResult(Result)}
 * encodes the result at the config's version, as a runtime does; {@link #validAttachments} writes
 * GC's key.
 */
public final class Conf {
  private final Map<String, Object> keys = new LinkedHashMap<>();
  private Result prevResult;

  private Conf(String type) {
    keys.put("cniVersion", CniVersion.CURRENT.toString());
    keys.put("name", "testnet");
    keys.put("type", type);
  }

  /** A config of plugin type {@code type}. */
  public static Conf plugin(String type) {
    return new Conf(type);
  }

  public Conf version(String cniVersion) {
    return put("cniVersion", cniVersion);
  }

  public Conf version(CniVersion cniVersion) {
    return put("cniVersion", cniVersion.toString());
  }

  public Conf name(String name) {
    return put("name", name);
  }

  /**
   * Sets a key; the value is a JSON tree ({@code String}, {@code Number}, {@code Boolean}, {@code
   * Map}, {@code List}, or null to remove the key).
   */
  public Conf put(String key, Object value) {
    if (value == null) {
      keys.remove(key);
    } else {
      keys.put(key, value);
    }
    return this;
  }

  /** {@code prevResult}, encoded at this config's version when the JSON is made. */
  public Conf prevResult(Result r) {
    prevResult = r;
    return this;
  }

  /** GC's {@code cni.dev/valid-attachments}: each pair is a container ID and an ifname. */
  public Conf validAttachments(String... containerIdIfnamePairs) {
    if (containerIdIfnamePairs.length % 2 != 0) {
      throw new IllegalArgumentException("container ID and ifname pairs expected");
    }
    List<Object> l = new java.util.ArrayList<>();
    for (int i = 0; i < containerIdIfnamePairs.length; i += 2) {
      l.add(
          Map.of(
              "containerID", containerIdIfnamePairs[i], "ifname", containerIdIfnamePairs[i + 1]));
    }
    return put("cni.dev/valid-attachments", l);
  }

  /** The config as a JSON tree. */
  public Map<String, Object> tree() {
    Map<String, Object> m = new LinkedHashMap<>(keys);
    if (prevResult != null) {
      m.put(
          "prevResult",
          ResultCodec.encode(prevResult, CniVersion.parse((String) keys.get("cniVersion"))));
    }
    return m;
  }

  /** The config as JSON text (stdin for a call). */
  public String json() {
    return Json.writeString(tree());
  }

  @Override
  public String toString() {
    return json();
  }
}
