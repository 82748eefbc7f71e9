package dev.jcni.system;

/**
 * The native libc binding could not be loaded (no JNR/jffi for this platform, not Linux, missing
 * libc symbols...). Thrown on first use, never from a static initializer.
 */
public class NativeUnavailableException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public NativeUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
