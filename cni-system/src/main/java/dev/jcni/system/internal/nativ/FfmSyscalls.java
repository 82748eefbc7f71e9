package dev.jcni.system.internal.nativ;

import dev.jcni.system.ErrnoException;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Backend over the JDK's own foreign-function API ({@code java.lang.foreign}, final in JDK 22).
 * This module compiles for Java 17, so the API is reached reflectively once at load time; the
 * downcalls themselves are plain method-handle invocations with errno captured per call ({@code
 * Linker.Option.captureCallState("errno")}). Cheaper to start than JNR (no ASM stub generation,
 * works with AOT caches and native-image); opt in with {@code -Djcni.native=ffm} on JDK 22+ (plus
 * {@code --enable-native-access=ALL-UNNAMED} to silence the JDK's restricted-method warning).
 */
final class FfmSyscalls implements Syscalls {
  private final Object linker;
  private final Object lookup;
  private final Class<?> memorySegment;
  private final Class<?> arenaClass;
  private final Object intLayout;
  private final Object longLayout;
  private final Object addressLayout;
  private final Object captureOption;
  private final long captureSize;
  private final long errnoOffset;
  private final Method find;
  private final Method downcall;
  private final Method descOf;
  private final Method ofConfined;
  private final Method arenaAllocate;
  private final Method allocateFrom;
  private final Method arenaClose;
  private final Method getInt;
  private final Method getLong;
  private final Method setByte;
  private final Method ofBuffer;
  private final Object byteLayout;
  private final Object optionArray;
  private final Object variadicOptions; // open(2) is variadic: mode is the first variadic argument

  // downcall handles are made on first use: a plugin needs about half of them, and each costs
  // start-up time
  private volatile MethodHandle socket,
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
      ifNameToIndex;

  FfmSyscalls() throws ReflectiveOperationException {
    if (Runtime.version().feature() < 22)
      throw new UnsupportedOperationException("FFM needs JDK 22+");
    Class<?> linkerC = Class.forName("java.lang.foreign.Linker");
    Class<?> optionC = Class.forName("java.lang.foreign.Linker$Option");
    Class<?> lookupC = Class.forName("java.lang.foreign.SymbolLookup");
    Class<?> descC = Class.forName("java.lang.foreign.FunctionDescriptor");
    Class<?> layoutC = Class.forName("java.lang.foreign.MemoryLayout");
    Class<?> valueLayoutC = Class.forName("java.lang.foreign.ValueLayout");
    Class<?> pathC = Class.forName("java.lang.foreign.MemoryLayout$PathElement");
    memorySegment = Class.forName("java.lang.foreign.MemorySegment");
    arenaClass = Class.forName("java.lang.foreign.Arena");
    Class<?> allocatorC = Class.forName("java.lang.foreign.SegmentAllocator");

    linker = linkerC.getMethod("nativeLinker").invoke(null);
    lookup = linkerC.getMethod("defaultLookup").invoke(linker);
    find = lookupC.getMethod("find", String.class);
    intLayout = valueLayoutC.getField("JAVA_INT").get(null);
    longLayout = valueLayoutC.getField("JAVA_LONG").get(null);
    byteLayout = valueLayoutC.getField("JAVA_BYTE").get(null);
    addressLayout = valueLayoutC.getField("ADDRESS").get(null);
    Object layouts = Array.newInstance(layoutC, 0);
    descOf = descC.getMethod("of", layoutC, layouts.getClass());
    optionArray = Array.newInstance(optionC, 1);
    captureOption =
        optionC
            .getMethod("captureCallState", String[].class)
            .invoke(null, (Object) new String[] {"errno"});
    Array.set(optionArray, 0, captureOption);
    variadicOptions = Array.newInstance(optionC, 2);
    Array.set(variadicOptions, 0, captureOption);
    Array.set(variadicOptions, 1, optionC.getMethod("firstVariadicArg", int.class).invoke(null, 2));
    downcall = linkerC.getMethod("downcallHandle", memorySegment, descC, optionArray.getClass());
    Object stateLayout = optionC.getMethod("captureStateLayout").invoke(null);
    captureSize = (long) layoutC.getMethod("byteSize").invoke(stateLayout);
    Object pathArr = Array.newInstance(pathC, 1);
    Array.set(pathArr, 0, pathC.getMethod("groupElement", String.class).invoke(null, "errno"));
    errnoOffset =
        (long) layoutC.getMethod("byteOffset", pathArr.getClass()).invoke(stateLayout, pathArr);
    ofConfined = arenaClass.getMethod("ofConfined");
    arenaAllocate = allocatorC.getMethod("allocate", long.class);
    allocateFrom = allocatorC.getMethod("allocateFrom", String.class);
    arenaClose = arenaClass.getMethod("close");
    Class<?> ofInt = Class.forName("java.lang.foreign.ValueLayout$OfInt");
    Class<?> ofLong = Class.forName("java.lang.foreign.ValueLayout$OfLong");
    Class<?> ofByte = Class.forName("java.lang.foreign.ValueLayout$OfByte");
    getInt = memorySegment.getMethod("get", ofInt, long.class);
    getLong = memorySegment.getMethod("get", ofLong, long.class);
    setByte = memorySegment.getMethod("set", ofByte, long.class, byte.class);
    ofBuffer = memorySegment.getMethod("ofBuffer", java.nio.Buffer.class);
  }

  @Override
  public String backendName() {
    return "ffm";
  }

  private MethodHandle handle(String name, Object ret, Object... args)
      throws ReflectiveOperationException {
    return handleWith(name, optionArray, ret, args);
  }

  private MethodHandle handleWith(String name, Object options, Object ret, Object... args)
      throws ReflectiveOperationException {
    Optional<?> sym = (Optional<?>) find.invoke(lookup, name);
    if (sym.isEmpty()) throw new UnsatisfiedLinkError("libc symbol not found: " + name);
    Object layouts =
        Array.newInstance(Class.forName("java.lang.foreign.MemoryLayout"), args.length);
    for (int k = 0; k < args.length; k++) Array.set(layouts, k, args[k]);
    Object desc = descOf.invoke(null, ret, layouts);
    MethodHandle mh = (MethodHandle) downcall.invoke(linker, sym.get(), desc, options);
    return mh.asType(mh.type().generic());
  }

  /**
   * One confined arena per call: capture state, strings and small structs live exactly as long as
   * the call.
   */
  private final class Call implements AutoCloseable {
    final Object arena;
    final Object state;

    Call() {
      try {
        arena = ofConfined.invoke(null);
        state = arenaAllocate.invoke(arena, captureSize);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }

    Object str(String s) {
      if (s == null) return nullSegment();
      try {
        return allocateFrom.invoke(arena, s);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }

    Object bytes(byte[] b) {
      try {
        Object seg = arenaAllocate.invoke(arena, (long) b.length);
        for (int k = 0; k < b.length; k++) setByte.invoke(seg, byteLayout, (long) k, b[k]);
        return seg;
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }

    Object alloc(long n) {
      try {
        return arenaAllocate.invoke(arena, n);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }

    int errno() {
      try {
        return (int) getInt.invoke(state, intLayout, errnoOffset);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }

    long word(Object seg) {
      try {
        return (long) getLong.invoke(seg, longLayout, 0L);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {
      try {
        arenaClose.invoke(arena);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private Object nullSegment() {
    try {
      return memorySegment.getField("NULL").get(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private Object segment(ByteBuffer direct) {
    try {
      return ofBuffer.invoke(null, direct);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long ret(Object r) {
    return r instanceof Integer ? (Integer) r : (Long) r;
  }

  private static RuntimeException rethrow(Throwable e) {
    if (e instanceof RuntimeException) return (RuntimeException) e;
    if (e instanceof Error) throw (Error) e;
    return new IllegalStateException(e);
  }

  // invokeExact on the handle's generic (Object...)Object form: no spreader/varargs adaptation per
  // call
  private static long call(MethodHandle h, Object a) {
    try {
      return ret((Object) h.invokeExact(a));
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  private static long call(MethodHandle h, Object a, Object b) {
    try {
      return ret((Object) h.invokeExact(a, b));
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  private static long call(MethodHandle h, Object a, Object b, Object c) {
    try {
      return ret((Object) h.invokeExact(a, b, c));
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  private static long call(MethodHandle h, Object a, Object b, Object c, Object d) {
    try {
      return ret((Object) h.invokeExact(a, b, c, d));
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  private static long call(MethodHandle h, Object a, Object b, Object c, Object d, Object e2) {
    try {
      return ret((Object) h.invokeExact(a, b, c, d, e2));
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  private static long call(
      MethodHandle h, Object a, Object b, Object c, Object d, Object e2, Object f) {
    try {
      return ret((Object) h.invokeExact(a, b, c, d, e2, f));
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  private MethodHandle h(String name, Object ret, Object... args) {
    try {
      return handle(name, ret, args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private MethodHandle socketH() {
    MethodHandle m = socket;
    return m != null ? m : (socket = h("socket", intLayout, intLayout, intLayout, intLayout));
  }

  private MethodHandle bindH() {
    MethodHandle m = bind;
    return m != null ? m : (bind = h("bind", intLayout, intLayout, addressLayout, intLayout));
  }

  private MethodHandle setsockoptH() {
    MethodHandle m = setsockopt;
    return m != null
        ? m
        : (setsockopt =
            h("setsockopt", intLayout, intLayout, intLayout, intLayout, addressLayout, intLayout));
  }

  private MethodHandle sendH() {
    MethodHandle m = send;
    return m != null
        ? m
        : (send = h("send", longLayout, intLayout, addressLayout, longLayout, intLayout));
  }

  private MethodHandle recvH() {
    MethodHandle m = recv;
    return m != null
        ? m
        : (recv = h("recv", longLayout, intLayout, addressLayout, longLayout, intLayout));
  }

  private MethodHandle closeH() {
    MethodHandle m = close;
    return m != null ? m : (close = h("close", intLayout, intLayout));
  }

  private MethodHandle setnsH() {
    MethodHandle m = setns;
    return m != null ? m : (setns = h("setns", intLayout, intLayout, intLayout));
  }

  private MethodHandle unshareH() {
    MethodHandle m = unshare;
    return m != null ? m : (unshare = h("unshare", intLayout, intLayout));
  }

  private MethodHandle openH() {
    MethodHandle m = open;
    if (m != null) return m;
    try {
      return open =
          handleWith("open", variadicOptions, intLayout, addressLayout, intLayout, intLayout);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private MethodHandle mountH() {
    MethodHandle m = mount;
    return m != null
        ? m
        : (mount =
            h(
                "mount",
                intLayout,
                addressLayout,
                addressLayout,
                addressLayout,
                longLayout,
                addressLayout));
  }

  private MethodHandle umount2H() {
    MethodHandle m = umount2;
    return m != null ? m : (umount2 = h("umount2", intLayout, addressLayout, intLayout));
  }

  private MethodHandle flockH() {
    MethodHandle m = flock;
    return m != null ? m : (flock = h("flock", intLayout, intLayout, intLayout));
  }

  private MethodHandle fstatfsH() {
    MethodHandle m = fstatfs;
    return m != null ? m : (fstatfs = h("fstatfs", intLayout, intLayout, addressLayout));
  }

  private MethodHandle getpidH() {
    MethodHandle m = getpid;
    return m != null ? m : (getpid = h("getpid", intLayout));
  }

  private MethodHandle gettidH() {
    MethodHandle m = gettid;
    return m != null ? m : (gettid = h("gettid", intLayout));
  }

  private MethodHandle ifNameToIndexH() {
    MethodHandle m = ifNameToIndex;
    return m != null ? m : (ifNameToIndex = h("if_nametoindex", intLayout, addressLayout));
  }

  @Override
  public int socket(int domain, int type, int protocol, String op) {
    try (Call c = new Call()) {
      int fd = (int) call(socketH(), c.state, domain, type, protocol);
      if (fd < 0) throw new ErrnoException(c.errno(), op, "socket");
      return fd;
    }
  }

  @Override
  public void bindNetlink(int fd, int portId, int groups) {
    ByteBuffer sa = ByteBuffer.allocate(12).order(java.nio.ByteOrder.nativeOrder());
    sa.putShort((short) AF_NETLINK).putShort((short) 0).putInt(portId).putInt(groups);
    try (Call c = new Call()) {
      if (call(bindH(), c.state, fd, c.bytes(sa.array()), 12) < 0) {
        throw new ErrnoException(c.errno(), "bind", "netlink socket");
      }
    }
  }

  @Override
  public void setsockoptInt(int fd, int level, int option, int value, String op) {
    ByteBuffer v = ByteBuffer.allocate(4).order(java.nio.ByteOrder.nativeOrder()).putInt(value);
    try (Call c = new Call()) {
      if (call(setsockoptH(), c.state, fd, level, option, c.bytes(v.array()), 4) < 0) {
        throw new ErrnoException(c.errno(), "setsockopt", op);
      }
    }
  }

  @Override
  public int send(int fd, ByteBuffer buf, int len, String op, String obj) {
    Object seg = segment(buf.duplicate().clear());
    try (Call c = new Call()) {
      while (true) {
        long n = call(sendH(), c.state, fd, seg, (long) len, 0);
        if (n >= 0) return (int) n;
        int e = c.errno();
        if (e != Errno.EINTR) throw new ErrnoException(e, op, obj);
      }
    }
  }

  @Override
  public int recv(int fd, ByteBuffer buf, int len, int flags, String op, String obj) {
    Object seg = segment(buf.duplicate().clear());
    try (Call c = new Call()) {
      while (true) {
        long n = call(recvH(), c.state, fd, seg, (long) len, flags);
        if (n >= 0) return (int) n;
        int e = c.errno();
        if (e != Errno.EINTR) throw new ErrnoException(e, op, obj);
      }
    }
  }

  @Override
  public void close(int fd) {
    try (Call c = new Call()) {
      call(closeH(), c.state, fd);
    }
  }

  @Override
  public void setns(int fd, int nstype, String obj) {
    try (Call c = new Call()) {
      if (call(setnsH(), c.state, fd, nstype) < 0)
        throw new ErrnoException(c.errno(), "setns", obj);
    }
  }

  @Override
  public void unshare(int flags, String op) {
    try (Call c = new Call()) {
      if (call(unshareH(), c.state, flags) < 0) throw new ErrnoException(c.errno(), op, "unshare");
    }
  }

  @Override
  public int open(String path, int flags, int mode, String op) {
    try (Call c = new Call()) {
      Object p = c.str(path);
      while (true) {
        int fd = (int) call(openH(), c.state, p, flags, mode);
        if (fd >= 0) return fd;
        int e = c.errno();
        if (e != Errno.EINTR) throw new ErrnoException(e, op, path);
      }
    }
  }

  @Override
  public void mount(
      String source, String target, String fstype, long flags, String data, String op) {
    try (Call c = new Call()) {
      if (call(mountH(), c.state, c.str(source), c.str(target), c.str(fstype), flags, c.str(data))
          < 0) {
        throw new ErrnoException(c.errno(), op, target);
      }
    }
  }

  @Override
  public void umount2(String target, int flags, String op) {
    try (Call c = new Call()) {
      if (call(umount2H(), c.state, c.str(target), flags) < 0)
        throw new ErrnoException(c.errno(), op, target);
    }
  }

  @Override
  public boolean flock(int fd, int operation, String obj) {
    try (Call c = new Call()) {
      while (true) {
        if (call(flockH(), c.state, fd, operation) == 0) return true;
        int e = c.errno();
        if (e == Errno.EINTR) continue;
        if (e == Errno.EAGAIN && (operation & LOCK_NB) != 0) return false;
        throw new ErrnoException(e, "flock", obj);
      }
    }
  }

  @Override
  public long fstatfsType(int fd, String obj) {
    try (Call c = new Call()) {
      Object buf = c.alloc(256); // struct statfs: f_type is the first word on 64-bit Linux
      if (call(fstatfsH(), c.state, fd, buf) < 0)
        throw new ErrnoException(c.errno(), "fstatfs", obj);
      return c.word(buf);
    }
  }

  @Override
  public int getpid() {
    try (Call c = new Call()) {
      return (int) call(getpidH(), c.state);
    }
  }

  @Override
  public int gettid() {
    try (Call c = new Call()) {
      return (int) call(gettidH(), c.state);
    }
  }

  @Override
  public int ifNameToIndex(String name) {
    try (Call c = new Call()) {
      return (int) call(ifNameToIndexH(), c.state, c.str(name));
    }
  }
}
