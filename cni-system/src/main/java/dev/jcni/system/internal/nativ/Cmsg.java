package dev.jcni.system.internal.nativ;

import dev.jcni.system.ErrnoException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Layouts shared by the backends for AF_UNIX calls on 64-bit Linux (x86_64, aarch64): sockaddr_un,
 * struct msghdr (56 bytes), struct iovec (16), struct cmsghdr (16-byte header, 8-byte aligned) with
 * SCM_RIGHTS fds, and struct timeval (16). Control messages are built and parsed as byte arrays in
 * native byte order.
 */
final class Cmsg {
  private Cmsg() {}

  static final int MSGHDR_SIZE = 56;
  static final int MSG_IOV = 16,
      MSG_IOVLEN = 24,
      MSG_CONTROL = 32,
      MSG_CONTROLLEN = 40,
      MSG_FLAGS = 48;
  static final int IOVEC_SIZE = 16;
  static final int CMSG_HDR = 16;
  static final int SOCKADDR_UN_SIZE = 2 + Syscalls.UNIX_PATH_MAX;

  static int align(int n) {
    return (n + 7) & ~7;
  }

  /** CMSG_SPACE for {@code nfds} ints. */
  static int space(int nfds) {
    return CMSG_HDR + align(4 * nfds);
  }

  /** One SCM_RIGHTS control message carrying {@code fds}. */
  static byte[] rights(int[] fds) {
    byte[] b = new byte[space(fds.length)];
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
    bb.putLong(0, CMSG_HDR + 4L * fds.length)
        .putInt(8, Syscalls.SOL_SOCKET)
        .putInt(12, Syscalls.SCM_RIGHTS);
    for (int i = 0; i < fds.length; i++) {
      bb.putInt(CMSG_HDR + 4 * i, fds[i]);
    }
    return b;
  }

  /**
   * Takes the SCM_RIGHTS fds out of received control bytes: into {@code fdsOut} (unused entries
   * -1), the rest closed through {@code sys}.
   */
  static void takeFds(byte[] control, int controlLen, int[] fdsOut, Syscalls sys) {
    java.util.Arrays.fill(fdsOut, -1);
    ByteBuffer bb = ByteBuffer.wrap(control).order(ByteOrder.nativeOrder());
    int k = 0;
    int off = 0;
    while (off + CMSG_HDR <= controlLen) {
      long len = bb.getLong(off);
      if (len < CMSG_HDR || off + len > controlLen) break;
      int level = bb.getInt(off + 8);
      int type = bb.getInt(off + 12);
      if (level == Syscalls.SOL_SOCKET && type == Syscalls.SCM_RIGHTS) {
        int n = (int) ((len - CMSG_HDR) / 4);
        for (int i = 0; i < n; i++) {
          int fd = bb.getInt(off + CMSG_HDR + 4 * i);
          if (k < fdsOut.length) {
            fdsOut[k++] = fd;
          } else {
            sys.close(fd); // more than the caller expects: never leak them into the process
          }
        }
      }
      off += align((int) len);
    }
  }

  /** sockaddr_un bytes for a filesystem path, and its length in {@code lenOut[0]}. */
  static byte[] sockaddrUn(String path, String op, int[] lenOut) {
    byte[] p = path.getBytes(StandardCharsets.UTF_8);
    if (p.length == 0 || p.length >= Syscalls.UNIX_PATH_MAX) {
      throw new ErrnoException(p.length == 0 ? Errno.EINVAL : Errno.ENAMETOOLONG, op, path);
    }
    byte[] sa = new byte[SOCKADDR_UN_SIZE];
    ByteBuffer.wrap(sa).order(ByteOrder.nativeOrder()).putShort(0, (short) Syscalls.AF_UNIX);
    System.arraycopy(p, 0, sa, 2, p.length);
    lenOut[0] = 2 + p.length + 1;
    return sa;
  }

  /** struct timeval for a millisecond timeout. */
  static byte[] timeval(long millis) {
    byte[] b = new byte[16];
    ByteBuffer.wrap(b)
        .order(ByteOrder.nativeOrder())
        .putLong(0, millis / 1000)
        .putLong(8, (millis % 1000) * 1000);
    return b;
  }

  static void check64(String what) {
    if (!"64".equals(System.getProperty("sun.arch.data.model", "64"))) {
      throw new UnsupportedOperationException(what + " needs a 64-bit JVM");
    }
  }
}
