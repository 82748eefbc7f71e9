package dev.jcni.netlink.internal.nativ;

import java.nio.ByteBuffer;

/**
 * The few libc calls cni-netlink needs, behind an interface so that another backend (FFM on JDK 22+) can replace
 * JNR. Every method reads errno right after its own call and throws {@link dev.jcni.netlink.NetlinkException}
 * on failure, with the given operation/object text.
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

  /** Receives into index 0 of a direct buffer; returns the datagram length (may exceed len with MSG_TRUNC). */
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
}
