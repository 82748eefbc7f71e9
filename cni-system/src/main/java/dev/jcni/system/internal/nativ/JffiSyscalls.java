package dev.jcni.system.internal.nativ;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.LastError;
import com.kenai.jffi.Library;
import com.kenai.jffi.MemoryIO;
import com.kenai.jffi.Type;
import dev.jcni.system.ErrnoException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Default backend: libc called through jffi (JNR's low layer) directly. JNR-FFI generates ASM stub
 * classes for its interface at run time, which costs about 0.2 s of CPU per process and cannot go
 * into a class-data archive; here every call is a plain {@code Invoker.invokeN*} on a symbol
 * address with native-long arguments, so the only classes are jffi's own (archivable) ones.
 * Pointers are native memory from {@link MemoryIO} (strings, small structs) or a direct buffer's
 * address; errno is the value jffi saved right after the call ({@link LastError}).
 *
 * <p>Call contexts and symbol addresses are resolved on first use of each function: a plugin needs
 * few of them.
 */
final class JffiSyscalls implements Syscalls {
  private static final Type INT = Type.SINT;
  private static final Type PTR = Type.POINTER;
  private static final Type SIZE = Type.ULONG;
  private static final Type SSIZE = Type.SLONG;

  private final Library libc;
  private final Invoker invoker;
  private final MemoryIO mem;
  private final LastError lastError;

  /** One resolved libc function: its address and libffi call context. */
  private static final class Fn {
    final long addr;
    final CallContext ctx;

    Fn(long addr, CallContext ctx) {
      this.addr = addr;
      this.ctx = ctx;
    }
  }

  private volatile Fn socket,
      bind,
      setsockopt,
      send,
      recv,
      close,
      setns,
      unshare,
      open,
      mount,
      umount2,
      flock,
      fstatfs,
      getpid,
      gettid,
      ifNameToIndex,
      connect,
      listen,
      accept4,
      sendmsg,
      recvmsg,
      getsockopt,
      shutdown;

  JffiSyscalls() {
    // loads libjffi (from -Djffi.boot.library.path when the launcher sets it, else unpacked from
    // the jar)
    this.libc = Library.getCachedInstance("libc.so.6", Library.LAZY | Library.LOCAL);
    if (libc == null)
      throw new UnsatisfiedLinkError("cannot open libc.so.6: " + Library.getLastError());
    this.invoker = Invoker.getInstance();
    this.mem = MemoryIO.getInstance();
    this.lastError = LastError.getInstance();
  }

  private Fn fn(String name, Type ret, Type... params) {
    long addr = libc.getSymbolAddress(name);
    if (addr == 0) throw new UnsatisfiedLinkError("libc symbol not found: " + name);
    return new Fn(addr, CallContext.getCallContext(ret, params, CallingConvention.DEFAULT, true));
  }

  private int errno() {
    return lastError.get();
  }

  private ErrnoException fail(String op, String obj) {
    return new ErrnoException(errno(), op, obj);
  }

  /** NUL-terminated UTF-8 copy in native memory (caller frees); 0 for null. */
  private long cstr(String s) {
    if (s == null) return 0;
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    long p = mem.allocateMemory(b.length + 1, false);
    if (p == 0) throw new OutOfMemoryError("native string");
    mem.putZeroTerminatedByteArray(p, b, 0, b.length);
    return p;
  }

  private void free(long p) {
    if (p != 0) mem.freeMemory(p);
  }

  private long bufAddr(ByteBuffer buf, int len) {
    if (!buf.isDirect()) throw new IllegalArgumentException("direct buffer required");
    if (len > buf.capacity())
      throw new IndexOutOfBoundsException("len " + len + " > capacity " + buf.capacity());
    return mem.getDirectBufferAddress(buf);
  }

  @Override
  public int socket(int domain, int type, int protocol, String op) {
    Fn f = socket;
    if (f == null) socket = f = fn("socket", INT, INT, INT, INT);
    int fd = (int) invoker.invokeN3(f.ctx, f.addr, domain, type, protocol);
    if (fd < 0) throw fail(op, "socket");
    return fd;
  }

  @Override
  public void bindNetlink(int fd, int portId, int groups) {
    Fn f = bind;
    if (f == null) bind = f = fn("bind", INT, INT, PTR, INT);
    long sa = mem.allocateMemory(12, true);
    try {
      mem.putShort(sa, (short) AF_NETLINK); // sockaddr_nl: family, pad, pid, groups (host order)
      mem.putInt(sa + 4, portId);
      mem.putInt(sa + 8, groups);
      if ((int) invoker.invokeN3(f.ctx, f.addr, fd, sa, 12) < 0)
        throw fail("bind", "netlink socket");
    } finally {
      free(sa);
    }
  }

  @Override
  public void setsockoptInt(int fd, int level, int option, int value, String op) {
    Fn f = setsockopt;
    if (f == null) setsockopt = f = fn("setsockopt", INT, INT, INT, INT, PTR, INT);
    long v = mem.allocateMemory(4, false);
    try {
      mem.putInt(v, value);
      if ((int) invoker.invokeN5(f.ctx, f.addr, fd, level, option, v, 4) < 0)
        throw fail("setsockopt", op);
    } finally {
      free(v);
    }
  }

  @Override
  public int send(int fd, ByteBuffer buf, int len, String op, String obj) {
    Fn f = send;
    if (f == null) send = f = fn("send", SSIZE, INT, PTR, SIZE, INT);
    long p = bufAddr(buf, len);
    while (true) {
      long n = invoker.invokeN4(f.ctx, f.addr, fd, p, len, 0);
      if (n >= 0) return (int) n;
      int e = errno();
      if (e != Errno.EINTR) throw new ErrnoException(e, op, obj);
    }
  }

  @Override
  public int recv(int fd, ByteBuffer buf, int len, int flags, String op, String obj) {
    Fn f = recv;
    if (f == null) recv = f = fn("recv", SSIZE, INT, PTR, SIZE, INT);
    long p = bufAddr(buf, len);
    while (true) {
      long n = invoker.invokeN4(f.ctx, f.addr, fd, p, len, flags);
      if (n >= 0) return (int) n;
      int e = errno();
      if (e != Errno.EINTR) throw new ErrnoException(e, op, obj);
    }
  }

  @Override
  public void close(int fd) {
    Fn f = close;
    if (f == null) close = f = fn("close", INT, INT);
    invoker.invokeN1(
        f.ctx, f.addr, fd); // close(2) must not be retried on Linux, errors are not actionable
  }

  @Override
  public void setns(int fd, int nstype, String obj) {
    Fn f = setns;
    if (f == null) setns = f = fn("setns", INT, INT, INT);
    if ((int) invoker.invokeN2(f.ctx, f.addr, fd, nstype) < 0) throw fail("setns", obj);
  }

  @Override
  public void unshare(int flags, String op) {
    Fn f = unshare;
    if (f == null) unshare = f = fn("unshare", INT, INT);
    if ((int) invoker.invokeN1(f.ctx, f.addr, flags) < 0) throw fail(op, "unshare");
  }

  @Override
  public int open(String path, int flags, int mode, String op) {
    Fn f = open;
    // open(2) is variadic; mode is passed like a fixed int, which is how x86_64 and aarch64 Linux
    // pass it too
    if (f == null) open = f = fn("open", INT, PTR, INT, INT);
    long p = cstr(path);
    try {
      while (true) {
        int fd = (int) invoker.invokeN3(f.ctx, f.addr, p, flags, mode);
        if (fd >= 0) return fd;
        int e = errno();
        if (e != Errno.EINTR) throw new ErrnoException(e, op, path);
      }
    } finally {
      free(p);
    }
  }

  @Override
  public void mount(
      String source, String target, String fstype, long flags, String data, String op) {
    Fn f = mount;
    if (f == null) mount = f = fn("mount", INT, PTR, PTR, PTR, Type.ULONG, PTR);
    long s = 0, t = 0, fs = 0, d = 0;
    try {
      s = cstr(source);
      t = cstr(target);
      fs = cstr(fstype);
      d = cstr(data);
      if ((int) invoker.invokeN5(f.ctx, f.addr, s, t, fs, flags, d) < 0) throw fail(op, target);
    } finally {
      free(s);
      free(t);
      free(fs);
      free(d);
    }
  }

  @Override
  public void umount2(String target, int flags, String op) {
    Fn f = umount2;
    if (f == null) umount2 = f = fn("umount2", INT, PTR, INT);
    long t = cstr(target);
    try {
      if ((int) invoker.invokeN2(f.ctx, f.addr, t, flags) < 0) throw fail(op, target);
    } finally {
      free(t);
    }
  }

  @Override
  public boolean flock(int fd, int operation, String obj) {
    Fn f = flock;
    if (f == null) flock = f = fn("flock", INT, INT, INT);
    while (true) {
      if ((int) invoker.invokeN2(f.ctx, f.addr, fd, operation) == 0) return true;
      int e = errno();
      if (e == Errno.EINTR) continue;
      if (e == Errno.EAGAIN && (operation & LOCK_NB) != 0) return false;
      throw new ErrnoException(e, "flock", obj);
    }
  }

  @Override
  public long fstatfsType(int fd, String obj) {
    Fn f = fstatfs;
    if (f == null) fstatfs = f = fn("fstatfs", INT, INT, PTR);
    long buf =
        mem.allocateMemory(
            256, true); // struct statfs is 120 bytes on 64-bit Linux; f_type is its first word
    try {
      if ((int) invoker.invokeN2(f.ctx, f.addr, fd, buf) < 0) throw fail("fstatfs", obj);
      return Type.POINTER.size() == 8 ? mem.getLong(buf) : mem.getInt(buf) & 0xffffffffL;
    } finally {
      free(buf);
    }
  }

  @Override
  public int getpid() {
    Fn f = getpid;
    if (f == null) getpid = f = fn("getpid", INT);
    return (int) invoker.invokeN0(f.ctx, f.addr);
  }

  @Override
  public int gettid() {
    Fn f = gettid;
    if (f == null) gettid = f = fn("gettid", INT);
    return (int) invoker.invokeN0(f.ctx, f.addr);
  }

  @Override
  public int ifNameToIndex(String name) {
    Fn f = ifNameToIndex;
    if (f == null) ifNameToIndex = f = fn("if_nametoindex", Type.UINT, PTR);
    long p = cstr(name);
    try {
      return (int) invoker.invokeN1(f.ctx, f.addr, p);
    } finally {
      free(p);
    }
  }

  @Override
  public String backendName() {
    return "jffi";
  }

  /** A byte array copied into fresh native memory (caller frees). */
  private long nativeCopy(byte[] b) {
    long p = mem.allocateMemory(b.length, false);
    if (p == 0) throw new OutOfMemoryError("native buffer");
    mem.putByteArray(p, b, 0, b.length);
    return p;
  }

  @Override
  public void bindUnix(int fd, String path) {
    Fn f = bind;
    if (f == null) bind = f = fn("bind", INT, INT, PTR, INT);
    int[] len = new int[1];
    long sa = nativeCopy(Cmsg.sockaddrUn(path, "bind", len));
    try {
      if ((int) invoker.invokeN3(f.ctx, f.addr, fd, sa, len[0]) < 0) throw fail("bind", path);
    } finally {
      free(sa);
    }
  }

  @Override
  public void connectUnix(int fd, String path) {
    Fn f = connect;
    if (f == null) connect = f = fn("connect", INT, INT, PTR, INT);
    int[] len = new int[1];
    long sa = nativeCopy(Cmsg.sockaddrUn(path, "connect", len));
    try {
      while ((int) invoker.invokeN3(f.ctx, f.addr, fd, sa, len[0]) < 0) {
        int e = errno();
        if (e != Errno.EINTR) throw new ErrnoException(e, "connect", path);
      }
    } finally {
      free(sa);
    }
  }

  @Override
  public void listen(int fd, int backlog) {
    Fn f = listen;
    if (f == null) listen = f = fn("listen", INT, INT, INT);
    if ((int) invoker.invokeN2(f.ctx, f.addr, fd, backlog) < 0) throw fail("listen", "unix socket");
  }

  @Override
  public int accept(int fd) {
    Fn f = accept4;
    if (f == null) accept4 = f = fn("accept4", INT, INT, PTR, PTR, INT);
    while (true) {
      int c = (int) invoker.invokeN4(f.ctx, f.addr, fd, 0L, 0L, SOCK_CLOEXEC);
      if (c >= 0) return c;
      int e = errno();
      if (e != Errno.EINTR) throw new ErrnoException(e, "accept", "unix socket");
    }
  }

  @Override
  public int sendmsgFds(int fd, ByteBuffer buf, int off, int len, int[] fds, String op) {
    Cmsg.check64("sendmsg");
    Fn f = sendmsg;
    if (f == null) sendmsg = f = fn("sendmsg", SSIZE, INT, PTR, INT);
    long data = bufAddr(buf, off + len) + off;
    long block = mem.allocateMemory(Cmsg.MSGHDR_SIZE + Cmsg.IOVEC_SIZE, true);
    long ctl = fds.length == 0 ? 0 : nativeCopy(Cmsg.rights(fds));
    try {
      long iov = block + Cmsg.MSGHDR_SIZE;
      mem.putAddress(iov, data);
      mem.putLong(iov + 8, len);
      mem.putAddress(block + Cmsg.MSG_IOV, iov);
      mem.putLong(block + Cmsg.MSG_IOVLEN, 1);
      mem.putAddress(block + Cmsg.MSG_CONTROL, ctl);
      mem.putLong(block + Cmsg.MSG_CONTROLLEN, fds.length == 0 ? 0 : Cmsg.space(fds.length));
      while (true) {
        long n = invoker.invokeN3(f.ctx, f.addr, fd, block, MSG_NOSIGNAL);
        if (n >= 0) return (int) n;
        int e = errno();
        if (e != Errno.EINTR) throw new ErrnoException(e, "sendmsg", op);
      }
    } finally {
      free(ctl);
      free(block);
    }
  }

  @Override
  public int recvmsgFds(int fd, ByteBuffer buf, int off, int len, int[] fdsOut, String op) {
    Cmsg.check64("recvmsg");
    Fn f = recvmsg;
    if (f == null) recvmsg = f = fn("recvmsg", SSIZE, INT, PTR, INT);
    long data = bufAddr(buf, off + len) + off;
    int ctlSpace = Cmsg.space(fdsOut.length + EXTRA_FD_ROOM);
    long block = mem.allocateMemory(Cmsg.MSGHDR_SIZE + Cmsg.IOVEC_SIZE + ctlSpace, true);
    try {
      long iov = block + Cmsg.MSGHDR_SIZE;
      long ctl = iov + Cmsg.IOVEC_SIZE;
      mem.putAddress(iov, data);
      mem.putLong(iov + 8, len);
      mem.putAddress(block + Cmsg.MSG_IOV, iov);
      mem.putLong(block + Cmsg.MSG_IOVLEN, 1);
      long n;
      while (true) {
        mem.putAddress(block + Cmsg.MSG_CONTROL, ctl);
        mem.putLong(block + Cmsg.MSG_CONTROLLEN, ctlSpace);
        n = invoker.invokeN3(f.ctx, f.addr, fd, block, MSG_CMSG_CLOEXEC);
        if (n >= 0) break;
        int e = errno();
        if (e != Errno.EINTR) throw new ErrnoException(e, "recvmsg", op);
      }
      int ctlLen = (int) Math.min(mem.getLong(block + Cmsg.MSG_CONTROLLEN), ctlSpace);
      byte[] control = new byte[ctlLen];
      mem.getByteArray(ctl, control, 0, ctlLen);
      Cmsg.takeFds(control, ctlLen, fdsOut, this);
      return (int) n;
    } finally {
      free(block);
    }
  }

  @Override
  public int[] peerCred(int fd) {
    Fn f = getsockopt;
    if (f == null) getsockopt = f = fn("getsockopt", INT, INT, INT, INT, PTR, PTR);
    long p = mem.allocateMemory(16, true);
    try {
      mem.putInt(p + 12, 12); // socklen_t in/out after the 12-byte struct ucred
      if ((int) invoker.invokeN5(f.ctx, f.addr, fd, SOL_SOCKET, SO_PEERCRED, p, p + 12) < 0) {
        throw fail("getsockopt", "SO_PEERCRED");
      }
      return new int[] {mem.getInt(p), mem.getInt(p + 4), mem.getInt(p + 8)};
    } finally {
      free(p);
    }
  }

  @Override
  public void setTimeout(int fd, int option, long millis) {
    Fn f = setsockopt;
    if (f == null) setsockopt = f = fn("setsockopt", INT, INT, INT, INT, PTR, INT);
    long v = nativeCopy(Cmsg.timeval(millis));
    try {
      if ((int) invoker.invokeN5(f.ctx, f.addr, fd, SOL_SOCKET, option, v, 16) < 0) {
        throw fail("setsockopt", option == SO_RCVTIMEO ? "SO_RCVTIMEO" : "SO_SNDTIMEO");
      }
    } finally {
      free(v);
    }
  }

  @Override
  public void shutdown(int fd, int how) {
    Fn f = shutdown;
    if (f == null) shutdown = f = fn("shutdown", INT, INT, INT);
    if ((int) invoker.invokeN2(f.ctx, f.addr, fd, how) < 0) throw fail("shutdown", "unix socket");
  }

  @Override
  public int sendAt(int fd, ByteBuffer buf, int off, int len, String op) {
    Fn f = send;
    if (f == null) send = f = fn("send", SSIZE, INT, PTR, SIZE, INT);
    long p = bufAddr(buf, off + len) + off;
    while (true) {
      long n = invoker.invokeN4(f.ctx, f.addr, fd, p, len, MSG_NOSIGNAL);
      if (n >= 0) return (int) n;
      int e = errno();
      if (e != Errno.EINTR) throw new ErrnoException(e, "send", op);
    }
  }

  @Override
  public int recvAt(int fd, ByteBuffer buf, int off, int len, String op) {
    Fn f = recv;
    if (f == null) recv = f = fn("recv", SSIZE, INT, PTR, SIZE, INT);
    long p = bufAddr(buf, off + len) + off;
    while (true) {
      long n = invoker.invokeN4(f.ctx, f.addr, fd, p, len, 0);
      if (n >= 0) return (int) n;
      int e = errno();
      if (e != Errno.EINTR) throw new ErrnoException(e, "recv", op);
    }
  }
}
