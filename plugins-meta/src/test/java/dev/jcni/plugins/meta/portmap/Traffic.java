package dev.jcni.plugins.meta.portmap;

import dev.jcni.plugins.common.firewall.FwValues;
import dev.jcni.system.NetNs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Real TCP and UDP traffic between test namespaces. Sockets are created inside a namespace (on a
 * NetNs thread) and keep belonging to it, so the servers' accept/receive loops run on ordinary
 * threads. Every server answers with the peer address it saw, which shows whether the connection
 * was masqueraded.
 */
final class Traffic {
  private Traffic() {}

  /**
   * TCP and UDP "who am I talking to" servers on the wildcard address (dual stack) inside a
   * namespace.
   */
  static final class Servers implements AutoCloseable {
    private final ServerSocket tcp;
    private final DatagramSocket udp;
    private final List<Thread> threads = new ArrayList<>();

    Servers(NetNs ns, int tcpPort, int udpPort) throws IOException {
      tcp =
          ns.run(
              () -> {
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getByName("::"), tcpPort));
                return s;
              });
      udp =
          ns.run(
              () ->
                  new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::"), udpPort)));
      Thread t1 = new Thread(this::tcpLoop, "jpm-tcp-server");
      Thread t2 = new Thread(this::udpLoop, "jpm-udp-server");
      t1.setDaemon(true);
      t2.setDaemon(true);
      threads.add(t1);
      threads.add(t2);
      t1.start();
      t2.start();
    }

    private void tcpLoop() {
      while (!tcp.isClosed()) {
        try (Socket s = tcp.accept();
            OutputStream out = s.getOutputStream()) {
          InetAddress peer = ((InetSocketAddress) s.getRemoteSocketAddress()).getAddress();
          out.write((FwValues.text(peer) + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
          // closed or a broken client: keep serving until closed
        }
      }
    }

    private void udpLoop() {
      byte[] buf = new byte[512];
      while (!udp.isClosed()) {
        try {
          DatagramPacket p = new DatagramPacket(buf, buf.length);
          udp.receive(p);
          byte[] reply = (FwValues.text(p.getAddress()) + "\n").getBytes(StandardCharsets.US_ASCII);
          udp.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
        } catch (IOException e) {
          // closed
        }
      }
    }

    @Override
    public void close() throws IOException {
      tcp.close();
      udp.close();
      for (Thread t : threads) {
        try {
          t.join(2000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /**
   * Connects from {@code ns} to host:port over TCP; the server's answer (the peer it saw), or null
   * on failure.
   */
  static String tcp(NetNs ns, String host, int port) throws IOException {
    return ns.run(
        () -> {
          try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName(host), port), 3000);
            s.setSoTimeout(3000);
            BufferedReader r =
                new BufferedReader(
                    new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            return r.readLine();
          } catch (IOException e) {
            return null;
          }
        });
  }

  /** One UDP request from an already bound socket (a fixed source port); the answer, or null. */
  static String udpFrom(DatagramSocket s, String host, int port) throws IOException {
    s.setSoTimeout(1000);
    byte[] q = "who\n".getBytes(StandardCharsets.US_ASCII);
    InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(host), port);
    for (int i = 0; i < 2; i++) {
      s.send(new DatagramPacket(q, q.length, to));
      byte[] buf = new byte[512];
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        s.receive(p);
        return new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII).trim();
      } catch (SocketTimeoutException e) {
        // retry
      } catch (SocketException e) {
        return null;
      }
    }
    return null;
  }

  /** One UDP request from {@code ns}; the answer, or null after a few timed-out tries. */
  static String udp(NetNs ns, String host, int port) throws IOException {
    return ns.run(
        () -> {
          try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(1000);
            byte[] q = "who\n".getBytes(StandardCharsets.US_ASCII);
            InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(host), port);
            for (int i = 0; i < 3; i++) {
              s.send(new DatagramPacket(q, q.length, to));
              byte[] buf = new byte[512];
              DatagramPacket p = new DatagramPacket(buf, buf.length);
              try {
                s.receive(p);
                return new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII).trim();
              } catch (SocketTimeoutException e) {
                // retry
              }
            }
            return null;
          } catch (SocketException e) {
            return null;
          }
        });
  }
}
