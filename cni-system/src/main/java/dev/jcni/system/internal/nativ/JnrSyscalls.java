package dev.jcni.system.internal.nativ;

import dev.jcni.system.ErrnoException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
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

    @ssize_t
    long send(int fd, @In ByteBuffer buf, @size_t long len, int flags);

    @ssize_t
    long recv(int fd, @Out ByteBuffer buf, @size_t long len, int flags);

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

    int connect(int fd, @In byte[] addr, int addrlen);

    int listen(int fd, int backlog);

    int accept4(int fd, Pointer addr, Pointer addrlen, int flags);

    @ssize_t
    long sendmsg(int fd, Pointer msg, int flags);

    @ssize_t
    long recvmsg(int fd, Pointer msg, int flags);

    int getsockopt(int fd, int level, int optname, @Out int[] optval, @In @Out int[] optlen);

    int shutdown(int fd, int how);
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

  private ErrnoException fail(String op, String obj) {
    return new ErrnoException(errno(), op, obj);
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
      if (e != Errno.EINTR) throw new ErrnoException(e, op, obj);
    }
  }

  @Override
  public int recv(int fd, ByteBuffer buf, int len, int flags, String op, String obj) {
    while (true) {
      long n = libc.recv(fd, buf, len, flags);
      if (n >= 0) return (int) n;
      int e = errno();
      if (e != Errno.EINTR) throw new ErrnoException(e, op, obj);
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
      if (e != Errno.EINTR) throw new ErrnoException(e, op, path);
    }
  }

  @Override
  public void mount(
      String source, String target, String fstype, long flags, String data, String op) {
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
      throw new ErrnoException(e, "flock", obj);
    }
  }

  @Override
  public long fstatfsType(int fd, String obj) {
    byte[] buf =
        new byte[256]; // struct statfs is 120 bytes on 64-bit Linux; f_type is its first word
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

  @Override
  public String backendName() {
    return "jnr";
  }

  @Override
  public void bindUnix(int fd, String path) {
    int[] len = new int[1];
    byte[] sa = Cmsg.sockaddrUn(path, "bind", len);
    if (libc.bind(fd, sa, len[0]) < 0) throw fail("bind", path);
  }

  @Override
  public void connectUnix(int fd, String path) {
    int[] len = new int[1];
    byte[] sa = Cmsg.sockaddrUn(path, "connect", len);
    while (libc.connect(fd, sa, len[0]) < 0) {
      int e = errno();
      if (e != Errno.EINTR) throw new ErrnoException(e, "connect", path);
    }
  }

  @Override
  public void listen(int fd, int backlog) {
    if (libc.listen(fd, backlog) < 0) throw fail("listen", "unix socket");
  }

  @Override
  public int accept(int fd) {
    while (true) {
      int c = libc.accept4(fd, null, null, SOCK_CLOEXEC);
      if (c >= 0) return c;
      int e = errno();
      if (e != Errno.EINTR) throw new ErrnoException(e, "accept", "unix socket");
    }
  }

  private long address(ByteBuffer direct, int off, int len) {
    if (!direct.isDirect()) throw new IllegalArgumentException("direct buffer required");
    if (off + len > direct.capacity()) throw new IndexOutOfBoundsException("off+len > capacity");
    return Pointer.wrap(runtime, direct.duplicate().clear()).address() + off;
  }

  /** msghdr + iovec (+ control space) in one native block. */
  private Pointer msghdr(long data, int len, int ctlSpace) {
    Pointer m = Memory.allocateDirect(runtime, Cmsg.MSGHDR_SIZE + Cmsg.IOVEC_SIZE + ctlSpace, true);
    long iov = m.address() + Cmsg.MSGHDR_SIZE;
    m.putLong(Cmsg.MSGHDR_SIZE, data);
    m.putLong(Cmsg.MSGHDR_SIZE + 8, len);
    m.putLong(Cmsg.MSG_IOV, iov);
    m.putLong(Cmsg.MSG_IOVLEN, 1);
    return m;
  }

  @Override
  public int sendmsgFds(int fd, ByteBuffer buf, int off, int len, int[] fds, String op) {
    Cmsg.check64("sendmsg");
    byte[] control = fds.length == 0 ? new byte[0] : Cmsg.rights(fds);
    Pointer m = msghdr(address(buf, off, len), len, control.length);
    int ctlAt = Cmsg.MSGHDR_SIZE + Cmsg.IOVEC_SIZE;
    if (control.length > 0) {
      m.put(ctlAt, control, 0, control.length);
      m.putLong(Cmsg.MSG_CONTROL, m.address() + ctlAt);
      m.putLong(Cmsg.MSG_CONTROLLEN, control.length);
    }
    while (true) {
      long n = libc.sendmsg(fd, m, MSG_NOSIGNAL);
      if (n >= 0) return (int) n;
      int e = errno();
      if (e != Errno.EINTR) throw new ErrnoException(e, "sendmsg", op);
    }
  }

  @Override
  public int recvmsgFds(int fd, ByteBuffer buf, int off, int len, int[] fdsOut, String op) {
    Cmsg.check64("recvmsg");
    int ctlSpace = Cmsg.space(fdsOut.length + EXTRA_FD_ROOM);
    Pointer m = msghdr(address(buf, off, len), len, ctlSpace);
    int ctlAt = Cmsg.MSGHDR_SIZE + Cmsg.IOVEC_SIZE;
    long n;
    while (true) {
      m.putLong(Cmsg.MSG_CONTROL, m.address() + ctlAt);
      m.putLong(Cmsg.MSG_CONTROLLEN, ctlSpace);
      n = libc.recvmsg(fd, m, MSG_CMSG_CLOEXEC);
      if (n >= 0) break;
      int e = errno();
      if (e != Errno.EINTR) throw new ErrnoException(e, "recvmsg", op);
    }
    int ctlLen = (int) Math.min(m.getLong(Cmsg.MSG_CONTROLLEN), ctlSpace);
    byte[] control = new byte[ctlLen];
    m.get(ctlAt, control, 0, ctlLen);
    Cmsg.takeFds(control, ctlLen, fdsOut, this);
    return (int) n;
  }

  @Override
  public int[] peerCred(int fd) {
    int[] ucred = new int[3];
    int[] len = {12};
    if (libc.getsockopt(fd, SOL_SOCKET, SO_PEERCRED, ucred, len) < 0)
      throw fail("getsockopt", "SO_PEERCRED");
    return ucred;
  }

  @Override
  public void setTimeout(int fd, int option, long millis) {
    ByteBuffer tv = ByteBuffer.wrap(Cmsg.timeval(millis)).order(ByteOrder.nativeOrder());
    int[] v = {tv.getInt(0), tv.getInt(4), tv.getInt(8), tv.getInt(12)};
    if (libc.setsockopt(fd, SOL_SOCKET, option, v, 16) < 0) {
      throw fail("setsockopt", option == SO_RCVTIMEO ? "SO_RCVTIMEO" : "SO_SNDTIMEO");
    }
  }

  @Override
  public void shutdown(int fd, int how) {
    if (libc.shutdown(fd, how) < 0) throw fail("shutdown", "unix socket");
  }

  private static ByteBuffer slice(ByteBuffer direct, int off, int len) {
    if (!direct.isDirect()) throw new IllegalArgumentException("direct buffer required");
    return direct.duplicate().clear().position(off).limit(off + len).slice();
  }

  @Override
  public int sendAt(int fd, ByteBuffer buf, int off, int len, String op) {
    ByteBuffer s = slice(buf, off, len);
    while (true) {
      long n = libc.send(fd, s, len, MSG_NOSIGNAL);
      if (n >= 0) return (int) n;
      int e = errno();
      if (e != Errno.EINTR) throw new ErrnoException(e, "send", op);
    }
  }

  @Override
  public int recvAt(int fd, ByteBuffer buf, int off, int len, String op) {
    ByteBuffer s = slice(buf, off, len);
    while (true) {
      long n = libc.recv(fd, s, len, 0);
      if (n >= 0) return (int) n;
      int e = errno();
      if (e != Errno.EINTR) throw new ErrnoException(e, "recv", op);
    }
  }
}
