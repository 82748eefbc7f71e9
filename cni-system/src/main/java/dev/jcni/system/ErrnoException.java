package dev.jcni.system;

import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.system.internal.nativ.Errno;

/**
 * A failed kernel call: carries the errno, the operation and the object it was applied to. The
 * message reads like {@code "linkAdd veth0: File exists (EEXIST)"}, optionally followed by the
 * kernel's extended-ack text.
 */
public class ErrnoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int errno;
  private final String operation;
  private final String object;

  public ErrnoException(int errno, String operation, String object) {
    this(errno, operation, object, null, null);
  }

  public ErrnoException(
      int errno, String operation, String object, String kernelMessage, Throwable cause) {
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
  public int errno() {
    return errno;
  }

  /** The symbolic errno name, e.g. {@code "EEXIST"}. */
  public String errnoName() {
    return Errno.name(errno);
  }

  /** The operation that failed, e.g. {@code "linkAdd"}. */
  public String operation() {
    return operation;
  }

  /** The object the operation was applied to (interface name, address, path...), may be empty. */
  public String object() {
    return object;
  }

  /** EEXIST. */
  public boolean isExists() {
    return errno == Errno.EEXIST;
  }

  /** ENOENT, ESRCH or ENODEV: the link/address/route/neighbour/namespace does not exist. */
  public boolean isNotFound() {
    return errno == Errno.ENOENT || errno == Errno.ESRCH || errno == Errno.ENODEV;
  }

  /** EBUSY. */
  public boolean isBusy() {
    return errno == Errno.EBUSY;
  }

  /** EPERM or EACCES. */
  public boolean isPermission() {
    return errno == Errno.EPERM || errno == Errno.EACCES;
  }

  /**
   * The CNI error code for this failure, so a runtime can tell "try again" and "fix the config"
   * from a bug:
   *
   * <table>
   *   <caption>errno to CNI code</caption>
   *   <tr><th>errno</th><th>CNI code</th><th>why</th></tr>
   *   <tr><td>EAGAIN, EBUSY, EINTR, ENOBUFS, ENOMEM</td><td>11 try again later</td>
   *       <td>transient: the same call can succeed later</td></tr>
   *   <tr><td>EINVAL, ERANGE, EADDRNOTAVAIL, ENETUNREACH, EHOSTUNREACH, EMSGSIZE</td>
   *       <td>7 invalid network config</td>
   *       <td>the kernel refused a value that came from the config (an MTU, an address, a route's gateway)</td></tr>
   *   <tr><td>EOPNOTSUPP, EPROTONOSUPPORT, EAFNOSUPPORT</td><td>2 unsupported field</td>
   *       <td>the config asks for something this kernel does not have (a link type, IPv6 disabled)</td></tr>
   *   <tr><td>ENOENT, ESRCH, ENODEV, EINVAL when opening CNI_NETNS ({@code netnsOpen})</td>
   *       <td>3 unknown container</td><td>the container's namespace does not exist</td></tr>
   *   <tr><td>EIO, ENOSPC, EROFS, EMFILE, ENFILE</td><td>5 I/O failure</td><td></td></tr>
   *   <tr><td>anything else (EPERM, EEXIST, ENODEV of a link...)</td><td>999 internal</td>
   *       <td>the message names the errno and, for EPERM/EACCES, the missing privilege</td></tr>
   * </table>
   */
  public int cniCode() {
    if ("netnsOpen".equals(operation) && (isNotFound() || errno == Errno.EINVAL))
      return ErrorCodes.UNKNOWN_CONTAINER;
    switch (errno) {
      case Errno.EAGAIN:
      case Errno.EBUSY:
      case Errno.EINTR:
      case Errno.ENOBUFS:
      case Errno.ENOMEM:
        return ErrorCodes.TRY_AGAIN_LATER;
      case Errno.EINVAL:
      case Errno.ERANGE:
      case Errno.EADDRNOTAVAIL:
      case Errno.ENETUNREACH:
      case Errno.EHOSTUNREACH:
      case Errno.EMSGSIZE:
        return ErrorCodes.INVALID_NETWORK_CONFIG;
      case Errno.EOPNOTSUPP:
      case Errno.EPROTONOSUPPORT:
      case Errno.EAFNOSUPPORT:
        return ErrorCodes.UNSUPPORTED_FIELD;
      case Errno.EIO:
      case Errno.ENOSPC:
      case Errno.EROFS:
      case Errno.EMFILE:
      case Errno.ENFILE:
        return ErrorCodes.IO_FAILURE;
      default:
        return ErrorCodes.INTERNAL;
    }
  }

  /**
   * This failure as the CNI error a plugin returns: code {@link #cniCode()}, message {@code
   * "<doing>: <this message>"} (e.g. {@code "adding the pod's address: addrAdd eth0: Invalid
   * argument (EINVAL)"}), plus a hint for permission errors. Plugins throw it instead of letting
   * the exception become an anonymous code 999: {@code catch (ErrnoException e) { throw
   * e.toCniException("creating the bridge"); }}.
   */
  public CniException toCniException(String doing) {
    String msg = doing == null || doing.isEmpty() ? getMessage() : doing + ": " + getMessage();
    if (isPermission())
      msg += " (needs CAP_NET_ADMIN in the node's network namespace: run the plugin as root)";
    return new CniException(cniCode(), msg, null, this);
  }
}
