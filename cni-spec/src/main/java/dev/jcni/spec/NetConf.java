package dev.jcni.spec;

import java.util.Map;

/**
 * One plugin's network configuration, as received on stdin. Every key is kept ({@link #raw()}), so a plugin can
 * bind its own keys with {@link #bind} and a delegate receives the config unchanged ({@link #bytes()}).
 */
public final class NetConf {
  private NetConf() {}

  /** Parses stdin. Malformed JSON or a non-object: code 6. Does not validate name/type (the dispatcher does). */
  public static NetConf parse(byte[] json) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Wraps an already parsed object (bytes are re-encoded on demand). */
  public static NetConf of(Map<String, Object> raw) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Every key, unmodifiable, in input order. */
  public Map<String, Object> raw() {
    throw new UnsupportedOperationException("TODO");
  }

  /** The exact bytes received (or an encoding of {@link #raw()} when built with {@link #of}). */
  public byte[] bytes() {
    throw new UnsupportedOperationException("TODO");
  }

  /** The {@code cniVersion} string as given ("" when absent). */
  public String cniVersionString() {
    throw new UnsupportedOperationException("TODO");
  }

  /** {@code cniVersion} parsed; absent means 0.1.0. */
  public CniVersion cniVersion() {
    throw new UnsupportedOperationException("TODO");
  }

  public String name() {
    throw new UnsupportedOperationException("TODO");
  }

  public String type() {
    throw new UnsupportedOperationException("TODO");
  }

  /** {@code capabilities}: capability name → enabled; empty when absent. */
  public Map<String, Boolean> capabilities() {
    throw new UnsupportedOperationException("TODO");
  }

  /** {@code runtimeConfig}; empty when absent. */
  public Map<String, Object> runtimeConfig() {
    throw new UnsupportedOperationException("TODO");
  }

  /** {@code args}; empty when absent. */
  public Map<String, Object> args() {
    throw new UnsupportedOperationException("TODO");
  }

  public boolean ipMasq() {
    throw new UnsupportedOperationException("TODO");
  }

  /** {@code ipam}; empty when absent. */
  public Map<String, Object> ipam() {
    throw new UnsupportedOperationException("TODO");
  }

  /** {@code ipam.type}, or null. */
  public String ipamType() {
    throw new UnsupportedOperationException("TODO");
  }

  /** {@code dns}, or null. */
  public Result.Dns dns() {
    throw new UnsupportedOperationException("TODO");
  }

  /** {@code prevResult} in wire form, or null. */
  public Map<String, Object> prevResultRaw() {
    throw new UnsupportedOperationException("TODO");
  }

  /** Binds the whole config to a record with {@link dev.jcni.spec.json.Json#bind} (case-insensitive keys). */
  public <T> T bind(Class<T> type) {
    throw new UnsupportedOperationException("TODO");
  }

  /** A copy with {@code key} set (or removed when {@code value} is null). */
  public NetConf with(String key, Object value) {
    throw new UnsupportedOperationException("TODO");
  }
}
