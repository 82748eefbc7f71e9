package dev.jcni.system.internal.nativ;

/**
 * Linux errno numbers (generic ABI, identical on x86_64 and aarch64) with names and strerror texts.
 */
public final class Errno {
  private Errno() {}

  public static final int EPERM = 1,
      ENOENT = 2,
      ESRCH = 3,
      EINTR = 4,
      EIO = 5,
      ENXIO = 6,
      E2BIG = 7,
      EBADF = 9,
      EAGAIN = 11,
      ENOMEM = 12,
      EACCES = 13,
      EFAULT = 14,
      EBUSY = 16,
      EEXIST = 17,
      EXDEV = 18,
      ENODEV = 19,
      ENOTDIR = 20,
      EISDIR = 21,
      EINVAL = 22,
      ENFILE = 23,
      EMFILE = 24,
      ENOSPC = 28,
      EROFS = 30,
      ERANGE = 34,
      EDEADLK = 35,
      ENAMETOOLONG = 36,
      ENOSYS = 38,
      ENOTEMPTY = 39,
      ENODATA = 61,
      EPROTO = 71,
      EMSGSIZE = 90,
      EPROTONOSUPPORT = 93,
      EOPNOTSUPP = 95,
      EAFNOSUPPORT = 97,
      EADDRINUSE = 98,
      EADDRNOTAVAIL = 99,
      ENETDOWN = 100,
      ENETUNREACH = 101,
      ENOBUFS = 105,
      EHOSTUNREACH = 113,
      EALREADY = 114,
      EPIPE = 32,
      ENOTSOCK = 88,
      ECONNRESET = 104,
      ENOTCONN = 107,
      ETIMEDOUT = 110,
      ECONNREFUSED = 111;

  private static final String[][] TABLE = new String[140][];

  static {
    put(EPERM, "EPERM", "Operation not permitted");
    put(ENOENT, "ENOENT", "No such file or directory");
    put(ESRCH, "ESRCH", "No such process");
    put(EINTR, "EINTR", "Interrupted system call");
    put(EIO, "EIO", "Input/output error");
    put(ENXIO, "ENXIO", "No such device or address");
    put(E2BIG, "E2BIG", "Argument list too long");
    put(EBADF, "EBADF", "Bad file descriptor");
    put(EAGAIN, "EAGAIN", "Resource temporarily unavailable");
    put(ENOMEM, "ENOMEM", "Cannot allocate memory");
    put(EACCES, "EACCES", "Permission denied");
    put(EFAULT, "EFAULT", "Bad address");
    put(EBUSY, "EBUSY", "Device or resource busy");
    put(EEXIST, "EEXIST", "File exists");
    put(EXDEV, "EXDEV", "Invalid cross-device link");
    put(ENODEV, "ENODEV", "No such device");
    put(ENOTDIR, "ENOTDIR", "Not a directory");
    put(EISDIR, "EISDIR", "Is a directory");
    put(EINVAL, "EINVAL", "Invalid argument");
    put(ENFILE, "ENFILE", "Too many open files in system");
    put(EMFILE, "EMFILE", "Too many open files");
    put(ENOSPC, "ENOSPC", "No space left on device");
    put(EROFS, "EROFS", "Read-only file system");
    put(ERANGE, "ERANGE", "Numerical result out of range");
    put(EDEADLK, "EDEADLK", "Resource deadlock avoided");
    put(ENAMETOOLONG, "ENAMETOOLONG", "File name too long");
    put(ENOSYS, "ENOSYS", "Function not implemented");
    put(ENOTEMPTY, "ENOTEMPTY", "Directory not empty");
    put(ENODATA, "ENODATA", "No data available");
    put(EPROTO, "EPROTO", "Protocol error");
    put(EMSGSIZE, "EMSGSIZE", "Message too long");
    put(EPROTONOSUPPORT, "EPROTONOSUPPORT", "Protocol not supported");
    put(EOPNOTSUPP, "EOPNOTSUPP", "Operation not supported");
    put(EAFNOSUPPORT, "EAFNOSUPPORT", "Address family not supported by protocol");
    put(EADDRINUSE, "EADDRINUSE", "Address already in use");
    put(EADDRNOTAVAIL, "EADDRNOTAVAIL", "Cannot assign requested address");
    put(ENETDOWN, "ENETDOWN", "Network is down");
    put(ENETUNREACH, "ENETUNREACH", "Network is unreachable");
    put(ENOBUFS, "ENOBUFS", "No buffer space available");
    put(EHOSTUNREACH, "EHOSTUNREACH", "No route to host");
    put(EALREADY, "EALREADY", "Operation already in progress");
    put(EPIPE, "EPIPE", "Broken pipe");
    put(ENOTSOCK, "ENOTSOCK", "Socket operation on non-socket");
    put(ECONNRESET, "ECONNRESET", "Connection reset by peer");
    put(ENOTCONN, "ENOTCONN", "Transport endpoint is not connected");
    put(ETIMEDOUT, "ETIMEDOUT", "Connection timed out");
    put(ECONNREFUSED, "ECONNREFUSED", "Connection refused");
  }

  private static void put(int errno, String name, String message) {
    TABLE[errno] = new String[] {name, message};
  }

  public static String name(int errno) {
    return errno > 0 && errno < TABLE.length && TABLE[errno] != null
        ? TABLE[errno][0]
        : "errno " + errno;
  }

  public static String message(int errno) {
    return errno > 0 && errno < TABLE.length && TABLE[errno] != null
        ? TABLE[errno][1]
        : "Unknown error " + errno;
  }
}
