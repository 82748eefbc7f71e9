package dev.jcni.spec;

/**
 * A CNI error: a code (see {@link ErrorCodes}), a short message and optional details. Anything a
 * plugin throws that is not a {@code CniException} is reported as code 999 by the dispatcher, as
 * Go's skel does.
 */
public class CniException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int code;
  private final String details;

  public CniException(int code, String msg) {
    this(code, msg, null, null);
  }

  public CniException(int code, String msg, String details) {
    this(code, msg, details, null);
  }

  public CniException(int code, String msg, String details, Throwable cause) {
    super(msg, cause);
    if (code < 0) {
      throw new IllegalArgumentException("negative CNI error code");
    }
    this.code = code;
    this.details = details == null || details.isEmpty() ? null : details;
  }

  public int code() {
    return code;
  }

  /** The short message ({@code msg} in the error JSON). */
  public String msg() {
    return getMessage();
  }

  /** The long message, or null. */
  public String details() {
    return details;
  }

  /** Shorthand for code 7 (invalid network config). */
  public static CniException invalidConfig(String msg) {
    return new CniException(ErrorCodes.INVALID_NETWORK_CONFIG, msg);
  }

  @Override
  public String toString() {
    return "CniException{code="
        + code
        + ", msg="
        + getMessage()
        + (details == null ? "" : ", details=" + details)
        + "}";
  }
}
