package dev.jcni.daemon;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * SIGTERM/SIGINT → {@link Daemon#stop}, SIGHUP → {@link Daemon#reload}: the JVM's default would run
 * shutdown hooks and exit (143, 129) at once; the daemon must instead finish its running calls and
 * exit 0, or keep serving. {@code sun.misc.Signal} (jdk.unsupported) is the only way to handle a
 * signal on the JVM. It is reached reflectively ({@link #on}), once per signal at daemon start:
 * javac's "internal proprietary API" warning for a direct reference cannot be suppressed, and main
 * code builds with -Werror.
 */
final class Signals {
  private Signals() {}

  static void onTermination(Daemon d) {
    Stop stop = new Stop(d);
    on("TERM", stop);
    on("INT", stop);
  }

  /** What a signal does; gets the signal's name (without "SIG"). */
  interface Action {
    void handle(String signal);
  }

  private static final class Stop implements Action {
    private final Daemon d;

    Stop(Daemon d) {
      this.d = d;
    }

    @Override
    public void handle(String signal) {
      d.log.println("jcni daemon: SIG" + signal + ", finishing running calls");
      d.stop();
    }
  }

  /**
   * {@code sun.misc.Signal.handle(new Signal(name), handler)}, the handler calling {@code action}.
   */
  static void on(String name, Action action) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      Object handler =
          Proxy.newProxyInstance(
              handlerType.getClassLoader(),
              new Class<?>[] {handlerType},
              new Handler(action, signal.getMethod("getName")));
      signal
          .getMethod("handle", signal, handlerType)
          .invoke(null, signal.getConstructor(String.class).newInstance(name), handler);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot install the SIG" + name + " handler: " + e, e);
    }
  }

  /**
   * The SignalHandler proxy: {@code handle(Signal)} runs the action; Object's methods answer for
   * the proxy.
   */
  private static final class Handler implements InvocationHandler {
    private final Action action;
    private final Method getName;

    Handler(Action action, Method getName) {
      this.action = action;
      this.getName = getName;
    }

    @Override
    public Object invoke(Object proxy, Method m, Object[] args)
        throws ReflectiveOperationException {
      switch (m.getName()) {
        case "handle":
          action.handle((String) getName.invoke(args[0]));
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

  /**
   * SIGHUP → {@link Daemon#reload}: rescan the plugin directories (the JVM's default would exit).
   */
  static void onHangup(Daemon d) {
    on("HUP", new Reload(d));
  }

  private static final class Reload implements Action {
    private final Daemon d;

    Reload(Daemon d) {
      this.d = d;
    }

    @Override
    public void handle(String signal) {
      d.log.println(
          "jcni daemon: SIG" + signal + ", reloading the plugin dirs " + d.opts.pluginDirs());
      d.reload();
    }
  }
}
