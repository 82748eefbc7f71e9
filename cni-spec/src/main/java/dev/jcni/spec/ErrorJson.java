package dev.jcni.spec;

import dev.jcni.spec.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CNI error object {@code {"cniVersion","code","msg","details"}}. We always emit {@code
 * cniVersion} (the spec asks for it); when reading we do not require it, because libcni's {@code
 * types.Error} never writes it.
 *
 * @param cniVersion the version string, or null when the peer omitted it
 * @param code the error code (see {@link ErrorCodes})
 * @param msg the short message ("" when absent)
 * @param details the long message, or null
 */
public record ErrorJson(String cniVersion, long code, String msg, String details) {
  public ErrorJson {
    msg = msg == null ? "" : msg;
    details = details == null || details.isEmpty() ? null : details;
  }

  /**
   * The error object for {@code e}, labelled with {@code cniVersion} (e.g. the config's version
   * string).
   */
  public static ErrorJson of(CniException e, String cniVersion) {
    return new ErrorJson(cniVersion, e.code(), e.msg(), e.details());
  }

  /** Encodes {@code e} as an error object; details omitted when null. */
  public static Map<String, Object> encode(CniException e, String cniVersion) {
    return of(e, cniVersion).toMap();
  }

  /** Compact JSON bytes of {@link #encode}. */
  public static byte[] toJson(CniException e, String cniVersion) {
    return Json.write(encode(e, cniVersion));
  }

  public static byte[] toJson(CniException e, CniVersion cniVersion) {
    return toJson(e, String.valueOf(CniVersion.requireNonNull(cniVersion)));
  }

  /** The wire form; {@code cniVersion} is written when non-null, {@code details} when non-null. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (cniVersion != null) {
      m.put("cniVersion", cniVersion);
    }
    m.put("code", code);
    m.put("msg", msg);
    if (details != null) {
      m.put("details", details);
    }
    return m;
  }

  public byte[] toJson() {
    return Json.write(toMap());
  }

  /** As a CniException (codes beyond int range are clamped to 999). */
  public CniException toException() {
    int c = code < 0 || code > Integer.MAX_VALUE ? ErrorCodes.INTERNAL : (int) code;
    return new CniException(c, msg, details);
  }

  /**
   * libcni's {@code types.Error.Error()}: {@code msg}, plus {@code "; details"} when there are
   * details. libcni's legacy VERSION probe compares this string.
   */
  public String errorString() {
    return details == null ? msg : msg + "; " + details;
  }

  /** Parses an error object (as a plugin prints it on stdout). Not an error object: code 6. */
  public static ErrorJson decode(byte[] json) {
    return decode(Json.parseObject(json));
  }

  /** Reads an error object; keys match case-insensitively, every key is optional as in Go. */
  public static ErrorJson decode(Map<String, Object> m) {
    String version = Json.bind(Json.get(m, "cniVersion"), String.class, "cniVersion");
    Object rawCode = Json.get(m, "code");
    long code = rawCode == null ? 0 : Json.bind(rawCode, Long.class, "code");
    if (code < 0) {
      throw new CniException(
          ErrorCodes.DECODING_FAILURE, "\"code\": must not be negative, got " + code);
    }
    String msg = Json.bind(Json.get(m, "msg"), String.class, "msg");
    String details = Json.bind(Json.get(m, "details"), String.class, "details");
    return new ErrorJson(version, code, msg, details);
  }
}
