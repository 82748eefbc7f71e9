package dev.jcni.daemon;

import dev.jcni.api.Dispatcher;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.NetConf;
import dev.jcni.spec.json.Json;
import dev.jcni.system.ErrnoException;
import dev.jcni.system.NetNs;
import dev.jcni.system.PeerCred;
import dev.jcni.system.UnixSocket;
import dev.jcni.system.internal.nativ.Native;
import dev.jcni.system.internal.nativ.Syscalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One connection, on its own fresh platform thread: greeting, request (with its fds), peer check,
 * then the call itself on this same thread after {@code setns()} into the caller's network
 * namespace (fds[0]), so everything the plugin does on the "host" side (links, rules, sysctls,
 * child processes such as nft) lands in the caller's namespace; CNI_NETNS opens the fd the caller
 * passed (fds[1]). The thread ends with the call.
 */
final class Connection implements Runnable {
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

  private final Daemon d;
  private final UnixSocket sock;
  private final int[] fds = {-1, -1};

  Connection(Daemon d, UnixSocket sock) {
    this.d = d;
    this.sock = sock;
  }

  @Override
  public void run() {
    boolean drainBeforeClose = false;
    try {
      drainBeforeClose = serve();
    } catch (OutOfMemoryError e) {
      d.fatal("out of memory");
    } catch (Throwable e) { // never let one connection take the daemon down
      try {
        d.log.println("jcni daemon: connection failed: " + describe(e));
      } catch (Throwable ignored) {
        // nothing left to do
      }
    } finally {
      Syscalls sys = Native.syscalls();
      for (int i = 0; i < fds.length; i++) {
        if (fds[i] >= 0) {
          sys.close(fds[i]);
          fds[i] = -1;
        }
      }
      if (drainBeforeClose) lingerClose(sock);
      sock.close();
      d.connectionDone();
    }
  }

  /**
   * Returns true when the peer may still be sending (close gently, or it would see a reset, not our
   * answer).
   */
  private boolean serve() throws IOException {
    sock.setWriteTimeout(WRITE_TIMEOUT);
    PeerCred cred;
    try {
      cred = sock.peerCred();
    } catch (IOException e) {
      return false;
    }
    boolean allowed = cred.uid() == 0 || d.opts.allowUids().contains(cred.uid());
    try {
      sock.write(Protocol.GREETING, 0, Protocol.GREETING.length);
    } catch (IOException e) {
      return false; // the client went away
    }
    long deadline = System.nanoTime() + d.opts.requestTimeout().toNanos();
    Protocol.Request req;
    try {
      byte[] len = new byte[4];
      int got = 0;
      while (got < 4) {
        timeoutUntil(deadline);
        int n = sock.readWithFds(len, got, 4 - got, got == 0 ? fds : new int[0]);
        if (n < 0) {
          if (got == 0) return false; // connected and left: a probe
          throw new EOFException("connection closed inside the request length");
        }
        got += n;
      }
      int bodyLen = Protocol.bodyLength(len);
      byte[] body = new byte[bodyLen];
      int at = 0;
      while (at < bodyLen) {
        timeoutUntil(deadline);
        int n = sock.read(body, at, bodyLen - at);
        if (n < 0)
          throw new EOFException(
              "connection closed " + (bodyLen - at) + " bytes before the end of the request");
        at += n;
      }
      req = Protocol.decode(body);
    } catch (Protocol.Malformed e) {
      d.stats.malformed.incrementAndGet();
      reply(
          Protocol.RESP_RESULT,
          1,
          Protocol.errorJson(
              "1.0.0", ErrorCodes.INTERNAL, "jcni daemon: malformed request: " + e.getMessage()),
          new byte[0]);
      return true;
    } catch (SocketTimeoutException e) {
      d.stats.malformed.incrementAndGet();
      reply(
          Protocol.RESP_RESULT,
          1,
          Protocol.errorJson(
              "1.0.0",
              ErrorCodes.INTERNAL,
              "jcni daemon: the request did not arrive within "
                  + d.opts.requestTimeout().toMillis()
                  + " ms"),
          new byte[0]);
      return true;
    } catch (EOFException e) {
      d.stats.malformed.incrementAndGet();
      return false;
    }
    long arrival = System.nanoTime();

    if (!allowed) {
      d.stats.refused.incrementAndGet();
      d.log.println(
          "jcni daemon: refused a request from uid " + cred.uid() + " (pid " + cred.pid() + ")");
      reply(
          Protocol.RESP_RESULT,
          1,
          Protocol.errorJson(
              Protocol.cniVersionOf(req.stdin()),
              ErrorCodes.INTERNAL,
              "jcni daemon: uid "
                  + cred.uid()
                  + " may not use this socket (only root and --allow-uid uids are served)"),
          new byte[0]);
      return false;
    }
    if (req.kind() == Protocol.KIND_STATUS) {
      d.stats.statusQueries.incrementAndGet();
      reply(Protocol.RESP_STATUS, 0, d.status().getBytes(StandardCharsets.UTF_8), new byte[0]);
      return false;
    }
    String cniVersion = Protocol.cniVersionOf(req.stdin());
    if (fds[0] < 0) {
      d.stats.malformed.incrementAndGet();
      reply(
          Protocol.RESP_RESULT,
          1,
          Protocol.errorJson(
              cniVersion,
              ErrorCodes.INTERNAL,
              "jcni daemon: malformed request: no network namespace fd came with the request"),
          new byte[0]);
      return false;
    }
    if (req.hasNetnsFd() != (fds[1] >= 0)) {
      d.stats.malformed.incrementAndGet();
      reply(
          Protocol.RESP_RESULT,
          1,
          Protocol.errorJson(
              cniVersion,
              ErrorCodes.INTERNAL,
              "jcni daemon: malformed request: the CNI_NETNS fd flag does not match the fds received"),
          new byte[0]);
      return false;
    }
    PluginDirs.Served served = d.served(req.type());
    if (served == null || d.isStopping()) {
      d.stats.fallbacks.incrementAndGet();
      reply(Protocol.RESP_FALLBACK, 0, new byte[0], new byte[0]);
      return false;
    }
    call(req, served, cniVersion, arrival);
    return false;
  }

  private void timeoutUntil(long deadline) throws IOException {
    long left = deadline - System.nanoTime();
    if (left <= 0) throw new SocketTimeoutException("request timeout");
    sock.setReadTimeout(Duration.ofNanos(left));
  }

  /**
   * Runs the call: in arrival order for its attachment, within the concurrency bound, in the
   * caller's netns.
   */
  private void call(
      Protocol.Request req, PluginDirs.Served served, String cniVersion, long arrival) {
    Map<String, String> env = new HashMap<>(d.baseEnv);
    for (String[] e : req.env()) {
      env.put(e[0], e[1]);
    }
    String verb = env.getOrDefault("CNI_COMMAND", "");
    Call call = new Call(sock, req.type(), verb, cniVersion, arrival);
    String key =
        req.type()
            + '\0'
            + networkName(req.stdin())
            + '\0'
            + env.getOrDefault("CNI_CONTAINERID", "")
            + '\0'
            + env.getOrDefault("CNI_IFNAME", "");
    d.calls.add(call);
    KeyedOrder.Ticket ticket = d.order.enter(key);
    call.ticket = ticket;
    byte[][] outcome = null;
    int exit = 1;
    try {
      if (!d.order.awaitTurn(ticket)) return; // the watchdog answered it while it waited
      try {
        if (!acquireSlot(call)) return;
        try {
          if (!call.begin()) return;
          d.stats.running.incrementAndGet();
          try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
            ByteArrayOutputStream err = new ByteArrayOutputStream(256);
            exit = execute(req, served, env, out, err);
            outcome = new byte[][] {out.toByteArray(), err.toByteArray()};
          } finally {
            call.done();
            d.stats.running.decrementAndGet();
          }
        } finally {
          d.slots.release();
        }
      } finally {
        d.order.leave(ticket);
      }
    } finally {
      d.calls.remove(call);
    }
    if (call.claimAnswer()) {
      d.stats.call(call.type, verb, exit, System.nanoTime() - arrival);
      reply(Protocol.RESP_RESULT, exit, outcome[0], outcome[1]);
    }
  }

  private boolean acquireSlot(Call call) {
    while (true) {
      if (call.isCancelled()) return false;
      try {
        if (d.slots.tryAcquire(50, TimeUnit.MILLISECONDS)) {
          if (!call.isCancelled()) return true;
          d.slots.release();
          return false;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** On this thread: enter the caller's netns, alias CNI_NETNS to its fd, dispatch. */
  private int execute(
      Protocol.Request req,
      PluginDirs.Served served,
      Map<String, String> env,
      ByteArrayOutputStream out,
      ByteArrayOutputStream err) {
    try {
      Native.syscalls().setns(fds[0], Syscalls.CLONE_NEWNET, "the caller's network namespace");
    } catch (ErrnoException e) {
      writeUtf8(
          out,
          Protocol.errorJson(
              Protocol.cniVersionOf(req.stdin()),
              ErrorCodes.INTERNAL,
              "jcni daemon: cannot enter the caller's network namespace: " + e.getMessage()));
      return 1;
    }
    String netns = env.get("CNI_NETNS");
    if (fds[1] >= 0 && netns != null && !netns.isEmpty()) {
      NetNs.aliasPathToFd(Path.of(netns), fds[1]);
    }
    PrintStream po = new PrintStream(out, false, StandardCharsets.UTF_8);
    PrintStream pe = new PrintStream(err, false, StandardCharsets.UTF_8);
    Thread self = Thread.currentThread();
    ClassLoader before = self.getContextClassLoader();
    // a plugin-directory entry runs under its own loader: what it finds through the context class
    // loader
    // (ServiceLoader, in-process delegates, its libraries' lookups) is its own, as in a JVM of its
    // own
    if (served.loader() != null) self.setContextClassLoader(served.loader());
    try {
      // the plugin class is resolved once per daemon, not by a ServiceLoader scan per call (~0.3
      // ms); the
      // dispatcher is the same as the direct path's, which also loads its type's class directly
      dev.jcni.api.CniPlugin plugin = served.newInstance();
      ByteArrayInputStream in = new ByteArrayInputStream(req.stdin());
      return plugin != null
          ? Dispatcher.run(plugin, env, in, po, pe)
          : Dispatcher.run(req.type(), env, in, po, pe);
    } catch (OutOfMemoryError e) {
      d.fatal("out of memory in a " + req.type() + " call");
      out.reset();
      writeUtf8(
          out,
          Protocol.errorJson(
              Protocol.cniVersionOf(req.stdin()),
              ErrorCodes.INTERNAL,
              "jcni daemon ran out of memory"));
      return 1;
    } catch (
        Throwable
            e) { // what the dispatcher does not contain (other Errors): this call fails, not the
      // daemon
      out.reset();
      writeUtf8(
          out,
          Protocol.errorJson(
              Protocol.cniVersionOf(req.stdin()),
              ErrorCodes.INTERNAL,
              "jcni daemon: the " + req.type() + " plugin failed: " + describe(e)));
      return 1;
    } finally {
      self.setContextClassLoader(before);
      po.flush();
      pe.flush();
    }
  }

  private static void writeUtf8(ByteArrayOutputStream o, byte[] b) {
    o.write(b, 0, b.length);
  }

  /** A throwable in words, never its class name. */
  static String describe(Throwable e) {
    if (e instanceof StackOverflowError) return "stack overflow";
    if (e instanceof OutOfMemoryError) return "out of memory";
    String m = e.getMessage();
    return m == null || m.isBlank() ? "internal error" : m;
  }

  /**
   * The config's "name" for the attachment key ("" when unreadable: the dispatcher reports that).
   */
  static String networkName(byte[] stdin) {
    try {
      Object n = Json.get(NetConf.parse(stdin).raw(), "name");
      return n instanceof String ? (String) n : "";
    } catch (RuntimeException e) {
      return "";
    }
  }

  private void reply(int kind, int exit, byte[] stdout, byte[] stderr) {
    write(sock, Protocol.response(kind, exit, stdout, stderr));
  }

  private static void write(UnixSocket s, byte[] frame) {
    try {
      s.write(frame, 0, frame.length);
    } catch (IOException e) {
      // the client went away (timeout, killed): the call's effects stand, nobody is left to tell
    }
  }

  /** The watchdog's answer for a call past its timeout: code 11, try again later. */
  static void answerTimeout(Daemon d, Call c, String why) {
    if (!c.claimAnswer()) return;
    d.stats.timedOut.incrementAndGet();
    d.stats.call(c.type, c.verb, 1, System.nanoTime() - c.arrivalNanos);
    byte[] json =
        Protocol.errorJson(
            c.cniVersion, ErrorCodes.TRY_AGAIN_LATER, "jcni daemon: " + why + "; try again later");
    write(c.socket, Protocol.response(Protocol.RESP_RESULT, 1, json, new byte[0]));
  }

  /**
   * After an early answer: stop writing, swallow what the peer still sends (briefly), so it reads
   * our answer.
   */
  private static void lingerClose(UnixSocket s) {
    try {
      s.shutdownOutput();
      s.setReadTimeout(Duration.ofMillis(500));
      byte[] sink = new byte[64 * 1024];
      long total = 0;
      while (total < 16L * 1024 * 1024) {
        int n = s.read(sink, 0, sink.length);
        if (n < 0) break;
        total += n;
      }
    } catch (IOException e) {
      // timeout or reset: close now
    }
  }
}
