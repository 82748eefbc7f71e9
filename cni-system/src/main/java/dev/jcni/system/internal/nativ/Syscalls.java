package dev.jcni.system.internal.nativ;

import java.nio.ByteBuffer;

/**
 * The few libc calls cni-system and cni-netlink need, behind an interface so that another backend
 * (FFM on JDK 22+) can replace JNR. Every method reads errno right after its own call and throws
 * {@link dev.jcni.system.ErrnoException} on failure, with the given operation/object text.
 *
 * <p>Buffers passed to {@link #send} and {@link #recv} must be direct; data starts at index 0.
 */
public interface Syscalls {
  int AF_NETLINK = 16;
  int SOCK_RAW = 3;
  int SOCK_CLOEXEC = 0x80000;
  int SOL_SOCKET = 1;
  int SO_SNDBUF = 7;
  int SO_RCVBUF = 8;
  int SOL_NETLINK = 270;
  int NETLINK_EXT_ACK = 11;
  int NETLINK_CAP_ACK = 10;
  int MSG_PEEK = 2;
  int MSG_TRUNC = 0x20;

  int O_RDONLY = 0;
  int O_RDWR = 2;
  int O_CREAT = 0100;
  int O_EXCL = 0200;
  int O_CLOEXEC = 02000000;

  int CLONE_NEWNET = 0x40000000;
  long MS_BIND = 4096;
  long MS_REC = 16384;
  long MS_SHARED = 1 << 20;
  int MNT_DETACH = 2;

  int LOCK_SH = 1;
  int LOCK_EX = 2;
  int LOCK_NB = 4;
  int LOCK_UN = 8;

  long NSFS_MAGIC = 0x6e736673L;
  long PROC_SUPER_MAGIC = 0x9fa0L;

  int socket(int domain, int type, int protocol, String op);

  /** bind(2) with a sockaddr_nl {AF_NETLINK, portId, groups}. */
  void bindNetlink(int fd, int portId, int groups);

  void setsockoptInt(int fd, int level, int option, int value, String op);

  /** Sends {@code len} bytes from index 0 of a direct buffer; returns the byte count. */
  int send(int fd, ByteBuffer directBuf, int len, String op, String obj);

  /**
   * Receives into index 0 of a direct buffer; returns the datagram length (may exceed len with
   * MSG_TRUNC).
   */
  int recv(int fd, ByteBuffer directBuf, int len, int flags, String op, String obj);

  void close(int fd);

  void setns(int fd, int nstype, String obj);

  void unshare(int flags, String op);

  int open(String path, int flags, int mode, String op);

  void mount(String source, String target, String fstype, long flags, String data, String op);

  void umount2(String target, int flags, String op);

  /** Returns false if LOCK_NB was given and the lock is held elsewhere. */
  boolean flock(int fd, int operation, String obj);

  /** statfs f_type of an open fd. */
  long fstatfsType(int fd, String obj);

  int getpid();

  int gettid();

  /** 0 when there is no such interface in the calling thread's network namespace. */
  int ifNameToIndex(String name);

  // ---- AF_UNIX stream sockets (dev.jcni.system.UnixSocket). Defaults throw: a backend without
  // them says so. ----

  int AF_UNIX = 1;
  int SOCK_STREAM = 1;
  int SO_PEERCRED = 17;
  int SO_RCVTIMEO = 20;
  int SO_SNDTIMEO = 21;
  int SCM_RIGHTS = 1;
  int MSG_CTRUNC = 0x8;
  int MSG_NOSIGNAL = 0x4000;
  int MSG_CMSG_CLOEXEC = 0x40000000;
  int SHUT_RD = 0;
  int SHUT_WR = 1;
  int SHUT_RDWR = 2;

  /** sun_path is 108 bytes including the terminating NUL. */
  int UNIX_PATH_MAX = 108;

  /**
   * Room for SCM_RIGHTS fds beyond those a receiver expects, so extras arrive (and are closed)
   * instead of lost.
   */
  int EXTRA_FD_ROOM = 16;

  /** The backend's name in "not supported" messages. */
  default String backendName() {
    return getClass().getSimpleName();
  }

  private UnsupportedOperationException unsupported(String what) {
    return new UnsupportedOperationException(
        what
            + " is not supported by the "
            + backendName()
            + " libc backend (use -Djcni.native=jffi or jnr)");
  }

  /** bind(2) with a sockaddr_un for a filesystem path (ENAMETOOLONG beyond 107 bytes). */
  default void bindUnix(int fd, String path) {
    throw unsupported("AF_UNIX bind");
  }

  /** connect(2) to a filesystem AF_UNIX socket; EINTR is retried. */
  default void connectUnix(int fd, String path) {
    throw unsupported("AF_UNIX connect");
  }

  default void listen(int fd, int backlog) {
    throw unsupported("listen");
  }

  /**
   * accept4(2) with SOCK_CLOEXEC; EINTR is retried. Fails with EAGAIN when SO_RCVTIMEO expires,
   * EINVAL once the listening socket was shut down.
   */
  default int accept(int fd) {
    throw unsupported("accept");
  }

  /**
   * sendmsg(2) of {@code len} bytes from {@code off} of a direct buffer with one SCM_RIGHTS message
   * carrying {@code fds} (none when empty), MSG_NOSIGNAL; returns the byte count (may be short).
   */
  default int sendmsgFds(int fd, ByteBuffer directBuf, int off, int len, int[] fds, String op) {
    throw unsupported("sendmsg with SCM_RIGHTS");
  }

  /**
   * recvmsg(2) into {@code off} of a direct buffer, with MSG_CMSG_CLOEXEC. Received fds fill {@code
   * fdsOut} from index 0, unused entries are -1; fds beyond its length (or of a truncated control
   * message) are closed at once. Returns the byte count (0 at EOF).
   */
  default int recvmsgFds(int fd, ByteBuffer directBuf, int off, int len, int[] fdsOut, String op) {
    throw unsupported("recvmsg with SCM_RIGHTS");
  }

  /** getsockopt SO_PEERCRED: {pid, uid, gid} of the peer at connect time. */
  default int[] peerCred(int fd) {
    throw unsupported("SO_PEERCRED");
  }

  /** setsockopt SO_RCVTIMEO / SO_SNDTIMEO (a struct timeval); 0 means no timeout. */
  default void setTimeout(int fd, int option, long millis) {
    throw unsupported("socket timeouts");
  }

  default void shutdown(int fd, int how) {
    throw unsupported("shutdown");
  }

  /**
   * send(2) with MSG_NOSIGNAL from {@code off} of a direct buffer; EINTR retried; returns the byte
   * count.
   */
  default int sendAt(int fd, ByteBuffer directBuf, int off, int len, String op) {
    throw unsupported("AF_UNIX send");
  }

  /**
   * recv(2) into {@code off} of a direct buffer; EINTR retried; returns the byte count (0 at EOF).
   */
  default int recvAt(int fd, ByteBuffer directBuf, int off, int len, String op) {
    throw unsupported("AF_UNIX recv");
  }
}
