package dev.jcni.spec.result;

import dev.jcni.spec.CniException;
import dev.jcni.spec.CniVersion;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.Result;
import java.util.Map;

/**
 * A result in the wire shape of one of libcni's types packages: {@link Types020} (0.1.0, 0.2.0),
 * {@link Types040} (0.3.0, 0.3.1, 0.4.0) or {@link Types100} (1.0.0, 1.1.0). Each shape reads and
 * writes exactly the keys its Go package has, so libcni's quirks (lossy conversions, key order,
 * dropped zeros) come out byte for byte.
 */
public abstract class WireResult {
  /** The version label this shape is written with (any version of its own package). */
  final String version;

  Result.Dns dns = Parts.EMPTY_DNS;

  WireResult(String version) {
    this.version = version;
  }

  /**
   * Reads {@code m} in the shape that {@code version} has (unknown keys ignored, as libcni's
   * creators do).
   */
  public static WireResult read(Map<String, Object> m, String version) {
    switch (Converter.kindOf(version)) {
      case Converter.K020:
        return Types020.fromWire(m, version);
      case Converter.K040:
        return Types040.fromWire(m, version);
      case Converter.K100:
        return Types100.fromWire(m, version);
      default:
        throw unsupported(version);
    }
  }

  /**
   * The model in the shape of its own version (lossy only where that shape cannot hold the data).
   */
  public static WireResult of(Result r) {
    String version = r.cniVersion().toString();
    switch (Converter.kindOf(version)) {
      case Converter.K020:
        return Types020.fromModel(r);
      case Converter.K040:
        return Types040.fromModel(r);
      case Converter.K100:
        return Types100.fromModel(r);
      default:
        throw unsupported(version);
    }
  }

  /** libcni's GetAsVersion: this result converted to {@code to} ("" means 0.1.0). */
  public final WireResult convertTo(String to) {
    return Converter.convert(this, to.isEmpty() ? "0.1.0" : to);
  }

  /**
   * The JSON tree libcni marshals for this shape (struct field order for 0.x, sorted keys for 1.x).
   */
  public abstract Map<String, Object> write();

  /** The canonical model. */
  public abstract Result toModel();

  /** The same content under another version label of the same package. */
  abstract WireResult relabel(String to);

  final CniVersion cniVersion() {
    return CniVersion.parse(version);
  }

  static CniException unsupported(String version) {
    return new CniException(
        ErrorCodes.INCOMPATIBLE_CNI_VERSION, "unsupported CNI result version \"" + version + "\"");
  }
}
