package dev.jcni.spec;

/** Well-known CNI error codes (spec "Error" section); 100 and above are plugin-specific. */
public final class ErrorCodes {
  private ErrorCodes() {}

  public static final int UNKNOWN = 0;
  public static final int INCOMPATIBLE_CNI_VERSION = 1;
  public static final int UNSUPPORTED_FIELD = 2;
  public static final int UNKNOWN_CONTAINER = 3;
  public static final int INVALID_ENVIRONMENT_VARIABLES = 4;
  public static final int IO_FAILURE = 5;
  public static final int DECODING_FAILURE = 6;
  public static final int INVALID_NETWORK_CONFIG = 7;

  /** Not in the spec; libcni's code for "CNI_NETNS is the plugin's own namespace". */
  public static final int INVALID_NETNS = 8;

  public static final int TRY_AGAIN_LATER = 11;
  public static final int PLUGIN_NOT_AVAILABLE = 50;
  public static final int LIMITED_CONNECTIVITY = 51;

  /** Not in the spec; what Go's skel reports for any error that is not a CNI error. */
  public static final int INTERNAL = 999;
}
