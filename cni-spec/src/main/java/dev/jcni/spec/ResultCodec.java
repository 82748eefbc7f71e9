package dev.jcni.spec;

import dev.jcni.spec.json.Json;
import dev.jcni.spec.result.WireResult;
import java.util.Map;

/**
 * Reads and writes results at every spec version and converts between versions exactly as libcni
 * does (see shared/reference/cni-facts.md §1.11): lossy down-conversion to 0.1.0/0.2.0, "cannot
 * convert: no valid IP addresses", unknown target versions failing with code 1.
 *
 * <p>Internally a result is held in one of libcni's three wire shapes, one class per Go types
 * package in {@code dev.jcni.spec.result} (Types020 for 0.1.0/0.2.0, Types040 for 0.3.x/0.4.0,
 * Types100 for 1.x), and converted with libcni's converter table, so {@link #convert} reproduces
 * libcni's output for every pair of versions (checked against the shared/fixtures/conversion golden
 * files), including its quirks: the 0.x {@code version} label decides which IP becomes {@code
 * ip4}/{@code ip6}, 1.1.0 route fields survive into 0.4.0, an empty dns is written as {@code
 * "dns":{}} in 0.x and omitted in 1.x, addresses are canonicalized, zero {@code mtu}/{@code
 * advmss}/{@code priority} are dropped while zero {@code table}/{@code scope} /{@code interface}
 * are kept, and 1.x keys are sorted (libcni marshals 1.x through a map).
 *
 * <p>{@link #decode}/{@link #encode} go through the canonical {@link Result} model, which has no
 * 0.x {@code version} label: encoding derives it from the address family.
 *
 * <p>Errors: an unknown input version ({@code unsupported CNI result version "X"}), a missing
 * converter ({@code no converter for CNI result version X to Y}) and {@code cannot convert: no
 * valid IP addresses} are code 1; malformed content is code 6 naming the key.
 */
public final class ResultCodec {
  private ResultCodec() {}

  /**
   * Reads a result from its wire form. Its version is the {@code cniVersion} key (case-insensitive,
   * so the {@code CNIVersion} that libcni injects works); when absent, {@code fallback} (libcni
   * assumes the config's version); when {@code fallback} is null too, 0.1.0.
   */
  public static Result decode(Map<String, Object> wire, CniVersion fallback) {
    String version = versionOf(wire);
    if (version.isEmpty()) {
      version = fallback == null ? "0.1.0" : fallback.toString();
    }
    return WireResult.read(wire, version).toModel();
  }

  public static Result decode(byte[] json, CniVersion fallback) {
    return decode(Json.parseObject(json), fallback);
  }

  /**
   * The wire form of {@code result} converted to {@code target} (libcni's GetAsVersion + JSON
   * encoding).
   */
  public static Map<String, Object> encode(Result result, CniVersion target) {
    return WireResult.of(result).convertTo(CniVersion.requireNonNull(target).toString()).write();
  }

  /** {@link #encode} to bytes. */
  public static byte[] toJson(Result result, CniVersion target) {
    return Json.write(encode(result, target));
  }

  /**
   * Converts a wire result to the target version given as a string ("" means 0.1.0; an unknown
   * version fails with code 1 and libcni's message). This is what the conversion fixtures exercise.
   * The input's version is its own {@code cniVersion}, 0.1.0 when absent (libcni's {@code
   * CreateFromBytes}).
   */
  public static Map<String, Object> convert(Map<String, Object> wire, String targetVersion) {
    String version = versionOf(wire);
    WireResult w = WireResult.read(wire, version.isEmpty() ? "0.1.0" : version);
    return w.convertTo(targetVersion == null ? "" : targetVersion).write();
  }

  /** {@link #convert(Map, String)} on bytes. */
  public static byte[] convert(byte[] json, String targetVersion) {
    return Json.write(convert(Json.parseObject(json), targetVersion));
  }

  private static String versionOf(Map<String, Object> wire) {
    Object v = Json.get(wire, "cniVersion");
    if (v == null) {
      return "";
    }
    if (!(v instanceof String)) {
      throw new CniException(
          ErrorCodes.DECODING_FAILURE,
          "\"cniVersion\": expected a string, got " + Json.describe(v));
    }
    return (String) v;
  }
}
