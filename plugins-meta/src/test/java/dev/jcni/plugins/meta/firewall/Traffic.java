package dev.jcni.plugins.meta.firewall;

import dev.jcni.plugins.common.firewall.FwValues;
import dev.jcni.system.NetNs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Real TCP between test namespaces. The server socket is created inside its namespace and keeps
 * belonging to it; it answers every connection with the peer address it saw.
 */
final class Traffic {
  private Traffic() {}

  /** A dual-stack "who are you" TCP server inside a namespace. */
  static final class Server implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread thread;

    Server(NetNs ns, int port) throws IOException {
      socket =
          ns.run(
              () -> {
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getByName("::"), port));
                return s;
              });
      thread = new Thread(this::loop, "jfw-tcp-server");
      thread.setDaemon(true);
      thread.start();
    }

    private void loop() {
      while (!socket.isClosed()) {
        try (Socket s = socket.accept();
            OutputStream out = s.getOutputStream()) {
          InetAddress peer = ((InetSocketAddress) s.getRemoteSocketAddress()).getAddress();
          out.write((FwValues.text(peer) + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
          // closed, or a broken client: keep serving until closed
        }
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
      try {
        thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Connects from {@code ns} to host:port; the first line the server sends (our servers: the peer
   * they saw), or null when it fails.
   */
  static String tcp(NetNs ns, String host, int port) throws IOException {
    return ns.run(
        () -> {
          try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName(host), port), 1500);
            s.setSoTimeout(2000);
            BufferedReader r =
                new BufferedReader(
                    new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            return r.readLine();
          } catch (IOException e) {
            return null;
          }
        });
  }
}
