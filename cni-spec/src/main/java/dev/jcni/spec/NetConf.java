package dev.jcni.spec;

import dev.jcni.spec.json.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One plugin's network configuration, as received on stdin. Every key is kept ({@link #raw()}), so
 * a plugin can bind its own keys with {@link #bind} and a delegate receives the config unchanged
 * ({@link #bytes()}).
 *
 * <p>Well-known keys are read case-insensitively (an exact match wins), like Go. Accessors fail
 * with code 6 naming the key when a well-known key has the wrong JSON type. Instances are
 * immutable; nested maps and lists returned by the accessors belong to the parsed tree and must not
 * be modified.
 */
public final class NetConf {
  private final Map<String, Object> raw;
  private volatile byte[] bytes;

  private NetConf(Map<String, Object> raw, byte[] bytes) {
    this.raw = raw;
    this.bytes = bytes;
  }

  /**
   * Parses stdin. Malformed JSON or a non-object: code 6. Does not validate name/type (the
   * dispatcher does).
   */
  public static NetConf parse(byte[] json) {
    Map<String, Object> m = Json.parseObject(json);
    return new NetConf(Collections.unmodifiableMap(m), json.clone());
  }

  /** Wraps an already parsed object (bytes are re-encoded on demand). */
  public static NetConf of(Map<String, Object> raw) {
    return new NetConf(Collections.unmodifiableMap(new LinkedHashMap<>(raw)), null);
  }

  /** Every key, unmodifiable, in input order. */
  public Map<String, Object> raw() {
    return raw;
  }

  /** The exact bytes received (or an encoding of {@link #raw()} when built with {@link #of}). */
  public byte[] bytes() {
    byte[] b = bytes;
    if (b == null) {
      b = Json.write(raw);
      bytes = b;
    }
    return b.clone();
  }

  /** The value of {@code key} (exact match first, then case-insensitive), or null. */
  public Object get(String key) {
    return Json.get(raw, key);
  }

  /**
   * {@code key} bound to {@code type} ({@link Json#bind}); null when absent. Wrong type: code 6
   * naming the key.
   */
  public <T> T get(String key, Class<T> type) {
    return Json.bind(Json.get(raw, key), type, key);
  }

  /** The {@code cniVersion} string as given ("" when absent). */
  public String cniVersionString() {
    String s = get("cniVersion", String.class);
    return s == null ? "" : s;
  }

  /** {@code cniVersion} parsed; absent means 0.1.0. Malformed: code 1. */
  public CniVersion cniVersion() {
    return CniVersion.parse(cniVersionString());
  }

  public String name() {
    return get("name", String.class);
  }

  public String type() {
    return get("type", String.class);
  }

  /** {@code capabilities}: capability name → enabled; empty when absent. */
  @SuppressWarnings("unchecked")
  public Map<String, Boolean> capabilities() {
    Object v = get("capabilities");
    if (v == null) {
      return Map.of();
    }
    Map<String, Object> m = objectAt("capabilities", v);
    for (Map.Entry<String, Object> e : m.entrySet()) {
      if (!(e.getValue() instanceof Boolean)) {
        Json.bind(e.getValue(), Boolean.class, "capabilities." + e.getKey());
      }
    }
    return Collections.unmodifiableMap((Map<String, Boolean>) (Map<?, ?>) m);
  }

  /** True when {@code capabilities.<name>} is true (the plugin declared it). */
  public boolean hasCapability(String name) {
    return Boolean.TRUE.equals(Json.get(capabilities(), name));
  }

  /** {@code runtimeConfig}; empty when absent. */
  public Map<String, Object> runtimeConfig() {
    return objectOrEmpty("runtimeConfig");
  }

  /** {@code args}; empty when absent. */
  public Map<String, Object> args() {
    return objectOrEmpty("args");
  }

  public boolean ipMasq() {
    Boolean b = get("ipMasq", Boolean.class);
    return b != null && b;
  }

  /** {@code ipam}; empty when absent. */
  public Map<String, Object> ipam() {
    return objectOrEmpty("ipam");
  }

  /** {@code ipam.type}, or null. */
  public String ipamType() {
    return Json.bind(Json.get(ipam(), "type"), String.class, "ipam.type");
  }

  /** {@code dns}, or null. */
  public Result.Dns dns() {
    return get("dns", Result.Dns.class);
  }

  /** True when a {@code prevResult} key is present and not null. */
  public boolean hasPrevResult() {
    return get("prevResult") != null;
  }

  /** {@code prevResult} in wire form, or null. */
  public Map<String, Object> prevResultRaw() {
    Object v = get("prevResult");
    return v == null ? null : objectAt("prevResult", v);
  }

  /**
   * {@code prevResult} decoded with {@link ResultCodec#decode}: its own {@code cniVersion}, or this
   * config's version when it has none (libcni's assumption); null when absent.
   */
  public Result prevResult() {
    Map<String, Object> m = prevResultRaw();
    return m == null ? null : ResultCodec.decode(m, cniVersion());
  }

  /**
   * Binds the whole config to a record with {@link dev.jcni.spec.json.Json#bind} (case-insensitive
   * keys).
   */
  public <T> T bind(Class<T> type) {
    return Json.bind(raw, type);
  }

  /**
   * The keys the spec defines for every plugin config (and the runtime injects), which strict
   * binding accepts without a record component: cniVersion, name, type, args, ipMasq, ipam, dns,
   * capabilities, runtimeConfig, prevResult. Keys with a {@code /} (namespaced, e.g. {@code
   * cni.dev/valid-attachments}) are accepted too.
   */
  public static final java.util.Set<String> SPEC_KEYS =
      java.util.Set.of(
          "cniVersion",
          "name",
          "type",
          "args",
          "ipMasq",
          "ipam",
          "dns",
          "capabilities",
          "runtimeConfig",
          "prevResult");

  /**
   * Strict {@link #bind}: a top-level key that is neither a component of {@code type} nor one of
   * {@link #SPEC_KEYS} (nor namespaced), or a missing {@link dev.jcni.spec.json.Required}
   * component, is code 7 naming the key (see {@link dev.jcni.spec.json.StrictBinding}).
   */
  public <T> T bindStrict(Class<T> type) {
    java.util.Set<String> ignored = new java.util.HashSet<>(SPEC_KEYS);
    for (String k : raw.keySet()) {
      if (k.indexOf('/') >= 0) {
        ignored.add(k);
      }
    }
    return dev.jcni.spec.json.StrictBinding.bind(raw, type, ignored);
  }

  /**
   * A copy with {@code key} set (or removed when {@code value} is null). An existing key keeps its
   * position.
   */
  public NetConf with(String key, Object value) {
    Map<String, Object> m = new LinkedHashMap<>(raw);
    if (value == null) {
      m.remove(key);
    } else {
      m.put(key, value);
    }
    return new NetConf(Collections.unmodifiableMap(m), null);
  }

  private Map<String, Object> objectOrEmpty(String key) {
    Object v = get(key);
    return v == null ? Map.of() : objectAt(key, v);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> objectAt(String key, Object v) {
    if (!(v instanceof Map)) {
      Json.bind(v, Map.class, key); // throws the standard "expected an object" error
    }
    return Collections.unmodifiableMap((Map<String, Object>) v);
  }

  @SuppressWarnings("unchecked")
  static List<Object> listAt(String key, Object v) {
    if (!(v instanceof List)) {
      Json.bind(v, List.class, key);
    }
    return (List<Object>) v;
  }

  @Override
  public String toString() {
    return Json.writeString(raw);
  }
}
