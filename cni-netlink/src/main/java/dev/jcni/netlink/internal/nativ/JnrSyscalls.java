package dev.jcni.netlink.internal.nativ;

import dev.jcni.netlink.NetlinkException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/** JNR-FFI backend. Loaded lazily by {@link Native}; one instance per process. */
final class JnrSyscalls implements Syscalls {

  /** Raw libc prototypes. */
  public interface LibC {
    int socket(int domain, int type, int protocol);

    int bind(int fd, @In byte[] addr, int addrlen);

    int setsockopt(int fd, int level, int optname, @In int[] optval, int optlen);

    @ssize_t long send(int fd, @In ByteBuffer buf, @size_t long len, int flags);

    @ssize_t long recv(int fd, @Out ByteBuffer buf, @size_t long len, int flags);

    int close(int fd);

    int setns(int fd, int nstype);

    int unshare(int flags);

    int open(String path, int flags, int mode);

    int mount(String source, String target, String fstype, long flags, String data);

    int umount2(String target, int flags);

    int flock(int fd, int operation);

    int fstatfs(int fd, @Out byte[] buf);

    int getpid();

    int gettid();

    int if_nametoindex(String name);
  }

  private final LibC libc;
  private final Runtime runtime;

  JnrSyscalls() {
    this.libc = LibraryLoader.create(LibC.class).load("c");
    this.runtime = Runtime.getRuntime(libc);
  }

  private int errno() {
    return LastError.getLastError(runtime);
  }

  private NetlinkException fail(String op, String obj) {
    return new NetlinkException(errno(), op, obj);
  }

  @Override
  public int socket(int domain, int type, int protocol, String op) {
    int fd = libc.socket(domain, type, protocol);
    if (fd < 0) throw fail(op, "socket");
    return fd;
  }

  @Override
  public void bindNetlink(int fd, int portId, int groups) {
    ByteBuffer sa = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder());
    sa.putShort((short) AF_NETLINK).putShort((short) 0).putInt(portId).putInt(groups);
    if (libc.bind(fd, sa.array(), 12) < 0) throw fail("bind", "netlink socket");
  }

  @Override
  public void setsockoptInt(int fd, int level, int option, int value, String op) {
    if (libc.setsockopt(fd, level, option, new int[] {value}, 4) < 0) throw fail("setsockopt", op);
  }

  @Override
  public int send(int fd, ByteBuffer buf, int len, String op, String obj) {
    while (true) {
      long n = libc.send(fd, buf, len, 0);
      if (n >= 0) return (int) n;
      int e = errno();
      if (e != Errno.EINTR) throw new NetlinkException(e, op, obj);
    }
  }

  @Override
  public int recv(int fd, ByteBuffer buf, int len, int flags, String op, String obj) {
    while (true) {
      long n = libc.recv(fd, buf, len, flags);
      if (n >= 0) return (int) n;
      int e = errno();
      if (e != Errno.EINTR) throw new NetlinkException(e, op, obj);
    }
  }

  @Override
  public void close(int fd) {
    libc.close(fd); // close(2) must not be retried on Linux, errors are not actionable
  }

  @Override
  public void setns(int fd, int nstype, String obj) {
    if (libc.setns(fd, nstype) < 0) throw fail("setns", obj);
  }

  @Override
  public void unshare(int flags, String op) {
    if (libc.unshare(flags) < 0) throw fail(op, "unshare");
  }

  @Override
  public int open(String path, int flags, int mode, String op) {
    while (true) {
      int fd = libc.open(path, flags, mode);
      if (fd >= 0) return fd;
      int e = errno();
      if (e != Errno.EINTR) throw new NetlinkException(e, op, path);
    }
  }

  @Override
  public void mount(String source, String target, String fstype, long flags, String data, String op) {
    if (libc.mount(source, target, fstype, flags, data) < 0) throw fail(op, target);
  }

  @Override
  public void umount2(String target, int flags, String op) {
    if (libc.umount2(target, flags) < 0) throw fail(op, target);
  }

  @Override
  public boolean flock(int fd, int operation, String obj) {
    while (true) {
      if (libc.flock(fd, operation) == 0) return true;
      int e = errno();
      if (e == Errno.EINTR) continue;
      if (e == Errno.EAGAIN && (operation & LOCK_NB) != 0) return false;
      throw new NetlinkException(e, "flock", obj);
    }
  }

  @Override
  public long fstatfsType(int fd, String obj) {
    byte[] buf = new byte[256]; // struct statfs is 120 bytes on 64-bit Linux; f_type is its first word
    if (libc.fstatfs(fd, buf) < 0) throw fail("fstatfs", obj);
    ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder());
    return runtime.addressSize() == 8 ? b.getLong(0) : b.getInt(0) & 0xffffffffL;
  }

  @Override
  public int getpid() {
    return libc.getpid();
  }

  @Override
  public int gettid() {
    return libc.gettid();
  }

  @Override
  public int ifNameToIndex(String name) {
    return libc.if_nametoindex(name);
  }
}
