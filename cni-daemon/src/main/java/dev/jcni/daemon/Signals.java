package dev.jcni.daemon;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * SIGTERM/SIGINT → {@link Daemon#stop}: the JVM's default would run shutdown hooks and exit 143 at once; the
 * daemon must instead finish its running calls and exit 0. {@code sun.misc.Signal} (jdk.unsupported) is the only
 * way to handle a signal on the JVM. It is reached reflectively, once at daemon start: javac's "internal
 * proprietary API" warning for a direct reference cannot be suppressed, and main code builds with -Werror.
 */
final class Signals {
  private Signals() {}

  static void onTermination(Daemon d) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      Object handler = Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType},
          new Handler(d, signal.getMethod("getName")));
      Method handle = signal.getMethod("handle", signal, handlerType);
      handle.invoke(null, signal.getConstructor(String.class).newInstance("TERM"), handler);
      handle.invoke(null, signal.getConstructor(String.class).newInstance("INT"), handler);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot install the SIGTERM/SIGINT handlers: " + e, e);
    }
  }

  /** The SignalHandler: {@code handle(Signal)} stops the daemon; Object's methods answer for the proxy. */
  private static final class Handler implements InvocationHandler {
    private final Daemon d;
    private final Method getName;

    Handler(Daemon d, Method getName) {
      this.d = d;
      this.getName = getName;
    }

    @Override
    public Object invoke(Object proxy, Method m, Object[] args) throws ReflectiveOperationException {
      switch (m.getName()) {
        case "handle":
          d.log.println("jcni daemon: SIG" + getName.invoke(args[0]) + ", finishing running calls");
          d.stop();
          return null;
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        default:
          return "jcni daemon signal handler";
      }
    }
  }
}
