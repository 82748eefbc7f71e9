package dev.jcni.runtime;

import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.json.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One plugin object of a network list, with every key kept (libcni's {@code PluginConfig}). The runtime injects
 * {@code name}, {@code cniVersion}, {@code prevResult} and {@code runtimeConfig} into a copy before each call.
 */
public final class PluginConfig {
  private final Map<String, Object> raw;
  private final byte[] bytes;
  private final String type;
  private final String name;
  private final Map<String, Boolean> capabilities;

  private PluginConfig(Map<String, Object> raw, byte[] bytes) {
    this.raw = Collections.unmodifiableMap(new LinkedHashMap<>(raw));
    this.bytes = bytes;
    Object t = Json.get(raw, "type");
    if (t != null && !(t instanceof String)) {
      throw invalid("error parsing configuration: 'type' must be a string");
    }
    if (t == null || ((String) t).isEmpty()) {
      throw invalid("error parsing configuration: missing 'type'");
    }
    this.type = (String) t;
    Object n = Json.get(raw, "name");
    if (n != null && !(n instanceof String)) {
      throw invalid("error parsing configuration: 'name' must be a string");
    }
    this.name = n == null ? "" : (String) n;
    Object v = Json.get(raw, "cniVersion");
    if (v != null && !(v instanceof String)) {
      throw invalid("error parsing configuration: 'cniVersion' must be a string");
    }
    Object caps = Json.get(raw, "capabilities");
    Map<String, Boolean> c = new LinkedHashMap<>();
    if (caps instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getValue() instanceof Boolean b)) {
          throw invalid("error parsing configuration: capabilities." + e.getKey() + " must be a boolean");
        }
        c.put((String) e.getKey(), b);
      }
    } else if (caps != null) {
      throw invalid("error parsing configuration: 'capabilities' must be an object");
    }
    this.capabilities = Collections.unmodifiableMap(c);
  }

  /** Parses one plugin object (a drop-in {@code .conf} file, or a deprecated single-plugin config). */
  public static PluginConfig parse(byte[] json) {
    return new PluginConfig(Json.parseObject(json), json.clone());
  }

  /** Wraps an already parsed plugin object. */
  public static PluginConfig of(Map<String, Object> raw) {
    return new PluginConfig(raw, Json.write(raw));
  }

  /** Every key as written, in order. */
  public Map<String, Object> raw() {
    return raw;
  }

  /** The bytes it was read from (or an encoding of {@link #raw()}). */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The plugin type: the executable name, or the {@code @CniType} of an in-process plugin. */
  public String type() {
    return type;
  }

  /** The plugin object's own {@code name} ("" when absent); the runtime overrides it with the list's name. */
  public String name() {
    return name;
  }

  /** {@code capabilities} as declared; empty when absent. */
  public Map<String, Boolean> capabilities() {
    return capabilities;
  }

  /** libcni's description used in error messages: {@code type="bridge" name="x"}. */
  String description() {
    return "type=\"" + type + "\"" + (name.isEmpty() ? "" : " name=\"" + name + "\"");
  }

  private static CniException invalid(String msg) {
    return new CniException(ErrorCodes.INVALID_NETWORK_CONFIG, msg);
  }

  @Override
  public String toString() {
    return "PluginConfig{" + description() + "}";
  }
}
