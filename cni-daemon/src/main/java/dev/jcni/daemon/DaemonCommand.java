package dev.jcni.daemon;

import com.google.auto.service.AutoService;
import dev.jcni.runtime.CliCommand;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code jcni daemon [OPTIONS]} runs the resident server in the foreground; {@code jcni daemon
 * status} asks a running one for its counters. Joins the CLI through the {@link CliCommand} SPI, so
 * the runtime library does not depend on this module.
 */
@AutoService(CliCommand.class)
public final class DaemonCommand implements CliCommand {
  @Override
  public String name() {
    return "daemon";
  }

  @Override
  public String usage() {
    return """
        daemon [--socket PATH] [--socket-mode 0600] [--allow-uid UID]... [--call-timeout 60s] [--grace 10s]
               [--max-calls 32] [--shutdown-timeout 30s] [--plugin-dir DIR[:DIR...]]...
                                  run the resident server in the foreground (root; default socket
                                  $JCNI_SOCKET, else /run/jcni/jcni.sock): the plugin shims send it their calls;
                                  it also serves the outside plugins of the plugin dirs (default
                                  /opt/jcni/plugins: <name>.jar or <name>/*.jar each; SIGHUP rereads them)
        daemon status [--socket PATH]   uptime, calls per type and verb, errors, latency p50/p99 per verb""";
  }

  @Override
  public int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (!args.isEmpty() && (args.get(0).equals("--help") || args.get(0).equals("-h"))) {
      out.println("usage: jcni " + usage().strip());
      return 0;
    }
    if (!args.isEmpty() && args.get(0).equals("status")) {
      return status(args.subList(1, args.size()), env, out, err);
    }
    DaemonOptions opts;
    try {
      opts = DaemonOptions.parse(args, env);
    } catch (IllegalArgumentException e) {
      err.println("jcni daemon: " + e.getMessage());
      err.println("usage: jcni " + usage().strip());
      return 2;
    }
    Daemon d = new Daemon(opts, env, err);
    try {
      d.start();
    } catch (IOException | RuntimeException e) {
      err.println("jcni daemon: cannot start: " + e.getMessage());
      return 1;
    }
    Signals.onTermination(d);
    Signals.onHangup(d);
    Thread.setDefaultUncaughtExceptionHandler(
        new Thread.UncaughtExceptionHandler() {
          @Override
          public void uncaughtException(Thread t, Throwable e) {
            if (e instanceof OutOfMemoryError) {
              d.fatal("out of memory in thread " + t.getName());
            } else {
              err.println(
                  "jcni daemon: thread " + t.getName() + " failed: " + Connection.describe(e));
            }
          }
        });
    try {
      return d.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  private static int status(
      List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    Path socket = DaemonOptions.socketFrom(env);
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--socket") && i + 1 < args.size()) {
        socket = Path.of(args.get(++i));
      } else if (a.startsWith("--socket=")) {
        socket = Path.of(a.substring(9));
      } else {
        err.println("jcni daemon status: unknown option " + a);
        return 2;
      }
    }
    try {
      out.print(StatusClient.query(socket, Duration.ofSeconds(5)));
      out.flush();
      return 0;
    } catch (IOException e) {
      err.println("jcni daemon status: no answer from " + socket + ": " + e.getMessage());
      return 1;
    }
  }
}
