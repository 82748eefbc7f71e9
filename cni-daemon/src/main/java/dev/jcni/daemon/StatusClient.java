package dev.jcni.daemon;

import dev.jcni.system.UnixSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/** {@code jcni daemon status}: a kind-2 request, the kind-3 text back. */
final class StatusClient {
  private StatusClient() {}

  /**
   * The daemon's status text; IOException with a message in words when there is none or it
   * misbehaves.
   */
  static String query(Path socket, Duration timeout) throws IOException {
    try (UnixSocket s = UnixSocket.connect(socket)) {
      s.setReadTimeout(timeout);
      s.setWriteTimeout(timeout);
      byte[] greeting = new byte[8];
      s.readFully(greeting, 0, 8);
      if (!Arrays.equals(greeting, Protocol.GREETING)) {
        throw new IOException(
            "the socket " + socket + " does not speak jcni protocol " + Protocol.VERSION);
      }
      byte[] req = {0, 0, 0, 1, Protocol.KIND_STATUS};
      s.writeWithFds(req, 0, req.length, new int[0]);
      Response r = Response.read(s);
      if (r.kind() == Protocol.RESP_STATUS) return new String(r.stdout(), StandardCharsets.UTF_8);
      throw new IOException(
          "the daemon answered: " + new String(r.stdout(), StandardCharsets.UTF_8).trim());
    }
  }

  /** A decoded response frame. */
  record Response(int kind, int exit, byte[] stdout, byte[] stderr) {
    static Response read(UnixSocket s) throws IOException {
      byte[] len = new byte[4];
      s.readFully(len, 0, 4);
      long m = Protocol.u32(len, 0);
      if (m < 13 || m > Protocol.MAX_RESPONSE) throw new IOException("bad response length " + m);
      byte[] b = new byte[(int) m];
      s.readFully(b, 0, b.length);
      int kind = b[0] & 0xff;
      int exit = (int) Protocol.u32(b, 1);
      int outLen = (int) Protocol.u32(b, 5);
      byte[] out = Arrays.copyOfRange(b, 9, 9 + outLen);
      int errLen = (int) Protocol.u32(b, 9 + outLen);
      byte[] err = Arrays.copyOfRange(b, 13 + outLen, 13 + outLen + errLen);
      return new Response(kind, exit, out, err);
    }
  }
}
