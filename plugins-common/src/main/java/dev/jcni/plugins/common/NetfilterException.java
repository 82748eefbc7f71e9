package dev.jcni.plugins.common;

/** A netfilter tool failed; the message carries the tool's own diagnostics. */
public class NetfilterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NetfilterException(String msg) {
    super(msg);
  }
}
