package dev.jcni.netlink;

import dev.jcni.netlink.internal.nativ.Errno;

/**
 * A failed kernel call: carries the errno, the operation and the object it was applied to. The message reads like
 * {@code "linkAdd veth0: File exists (EEXIST)"}, optionally followed by the kernel's extended-ack text.
 */
public class NetlinkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int errno;
  private final String operation;
  private final String object;

  public NetlinkException(int errno, String operation, String object) {
    this(errno, operation, object, null, null);
  }

  public NetlinkException(int errno, String operation, String object, String kernelMessage, Throwable cause) {
    super(format(errno, operation, object, kernelMessage), cause);
    this.errno = errno;
    this.operation = operation;
    this.object = object;
  }

  private static String format(int errno, String op, String obj, String kernelMessage) {
    StringBuilder sb = new StringBuilder(op);
    if (obj != null && !obj.isEmpty()) sb.append(' ').append(obj);
    sb.append(": ").append(Errno.message(errno)).append(" (").append(Errno.name(errno)).append(')');
    if (kernelMessage != null && !kernelMessage.isEmpty()) sb.append(": ").append(kernelMessage);
    return sb.toString();
  }

  /** The positive errno value (e.g. 17 for EEXIST). */
  public int errno() { return errno; }

  /** The symbolic errno name, e.g. {@code "EEXIST"}. */
  public String errnoName() { return Errno.name(errno); }

  /** The operation that failed, e.g. {@code "linkAdd"}. */
  public String operation() { return operation; }

  /** The object the operation was applied to (interface name, address, path...), may be empty. */
  public String object() { return object; }

  /** EEXIST. */
  public boolean isExists() { return errno == Errno.EEXIST; }

  /** ENOENT, ESRCH or ENODEV: the link/address/route/neighbour/namespace does not exist. */
  public boolean isNotFound() {
    return errno == Errno.ENOENT || errno == Errno.ESRCH || errno == Errno.ENODEV;
  }

  /** EBUSY. */
  public boolean isBusy() { return errno == Errno.EBUSY; }

  /** EPERM or EACCES. */
  public boolean isPermission() { return errno == Errno.EPERM || errno == Errno.EACCES; }
}
