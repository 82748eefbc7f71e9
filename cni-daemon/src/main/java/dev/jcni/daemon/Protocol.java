package dev.jcni.daemon;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The resident-mode wire protocol, version 1 (see README.md, "Wire protocol"): the greeting, the
 * request body decoder and the response encoder. Pure byte work, no I/O: the framing limits are
 * checked here so that every malformed request becomes a {@link Malformed} with a message in words.
 */
final class Protocol {
  private Protocol() {}

  static final int VERSION = 1;

  /** "JCNI" + u32 version, sent by the daemon right after accept. */
  static final byte[] GREETING = {'J', 'C', 'N', 'I', 0, 0, 0, VERSION};

  static final int MAX_BODY = 8 * 1024 * 1024;
  static final int MAX_TYPE = 255;
  static final int MAX_ENV = 512;
  static final int MAX_ENV_ENTRY = 64 * 1024;
  static final int MAX_RESPONSE = 64 * 1024 * 1024;

  static final int KIND_CALL = 1, KIND_STATUS = 2;
  static final int RESP_RESULT = 1, RESP_FALLBACK = 2, RESP_STATUS = 3;
  static final int FLAG_NETNS_FD = 1;

  /** A request that breaks the protocol; the message says how, in words. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String msg) {
      super(msg, null, false, false);
    }
  }

  /**
   * A decoded request body. {@code env} holds the raw "NAME=VALUE" entries decoded as UTF-8
   * (whatever the daemon's locale), in the order sent.
   */
  record Request(int kind, int flags, String type, List<String[]> env, byte[] stdin) {
    boolean hasNetnsFd() {
      return (flags & FLAG_NETNS_FD) != 0;
    }
  }

  /** Checks the u32 body length that precedes the body. */
  static int bodyLength(byte[] four) throws Malformed {
    long n = u32(four, 0);
    if (n < 1 || n > MAX_BODY) {
      throw new Malformed("request body length " + n + " is outside 1.." + MAX_BODY);
    }
    return (int) n;
  }

  static long u32(byte[] b, int at) {
    return ((b[at] & 0xffL) << 24)
        | ((b[at + 1] & 0xffL) << 16)
        | ((b[at + 2] & 0xffL) << 8)
        | (b[at + 3] & 0xffL);
  }

  /** Decodes a request body (after its length). */
  static Request decode(byte[] body) throws Malformed {
    Reader r = new Reader(body);
    int kind = r.u8("kind");
    if (kind == KIND_STATUS) {
      if (body.length != 1) throw new Malformed("a status query has no fields after its kind");
      return new Request(KIND_STATUS, 0, "", List.of(), new byte[0]);
    }
    if (kind != KIND_CALL) throw new Malformed("unknown request kind " + kind);
    int flags = r.u8("flags");
    if ((flags & ~FLAG_NETNS_FD) != 0)
      throw new Malformed("unknown flag bits 0x" + Integer.toHexString(flags));
    long typeLen = r.u32("type length");
    if (typeLen < 1 || typeLen > MAX_TYPE)
      throw new Malformed("plugin type length " + typeLen + " is outside 1.." + MAX_TYPE);
    String type = r.utf8((int) typeLen, "type");
    if (type.indexOf('/') >= 0 || type.indexOf('\0') >= 0)
      throw new Malformed("plugin type contains '/' or NUL");
    long count = r.u32("environment count");
    if (count > MAX_ENV)
      throw new Malformed("environment has " + count + " entries, more than " + MAX_ENV);
    List<String[]> env = new ArrayList<>((int) count);
    for (int i = 0; i < count; i++) {
      long n = r.u32("environment entry length");
      if (n > MAX_ENV_ENTRY)
        throw new Malformed(
            "environment entry " + i + " is " + n + " bytes, more than " + MAX_ENV_ENTRY);
      String e = r.utf8((int) n, "environment entry");
      int eq = e.indexOf('=');
      if (eq <= 0) throw new Malformed("environment entry " + i + " is not NAME=VALUE");
      env.add(new String[] {e.substring(0, eq), e.substring(eq + 1)});
    }
    long stdinLen = r.u32("stdin length");
    byte[] stdin = r.bytes(stdinLen, "stdin");
    if (r.remaining() != 0) throw new Malformed(r.remaining() + " unexpected bytes after stdin");
    return new Request(KIND_CALL, flags, type, env, stdin);
  }

  /** Bounds-checked big-endian reader over a body. */
  private static final class Reader {
    private final byte[] b;
    private int at;

    Reader(byte[] b) {
      this.b = b;
    }

    int remaining() {
      return b.length - at;
    }

    private void need(long n, String what) throws Malformed {
      if (n > remaining())
        throw new Malformed(
            "request ends inside "
                + what
                + " ("
                + n
                + " bytes announced, "
                + remaining()
                + " left)");
    }

    int u8(String what) throws Malformed {
      need(1, what);
      return b[at++] & 0xff;
    }

    long u32(String what) throws Malformed {
      need(4, what);
      long v = Protocol.u32(b, at);
      at += 4;
      return v;
    }

    byte[] bytes(long n, String what) throws Malformed {
      need(n, what);
      byte[] out = new byte[(int) n];
      System.arraycopy(b, at, out, 0, (int) n);
      at += (int) n;
      return out;
    }

    String utf8(int n, String what) throws Malformed {
      need(n, what);
      String s = new String(b, at, n, StandardCharsets.UTF_8);
      at += n;
      return s;
    }
  }

  /** The whole framed response: u32 length, kind, i32 exit, stdout blob, stderr blob. */
  static byte[] response(int kind, int exit, byte[] stdout, byte[] stderr) {
    int body = 1 + 4 + 4 + stdout.length + 4 + stderr.length;
    if (body > MAX_RESPONSE) {
      // never produce a frame the shim must reject: keep stdout (the result), cut stderr, then
      // stdout
      int room = MAX_RESPONSE - 13;
      byte[] out = stdout.length > room ? java.util.Arrays.copyOf(stdout, room) : stdout;
      byte[] err = java.util.Arrays.copyOf(stderr, Math.max(0, room - out.length));
      return response(kind, exit, out, err);
    }
    ByteArrayOutputStream o = new ByteArrayOutputStream(4 + body);
    putInt(o, body);
    o.write(kind);
    putInt(o, exit);
    putInt(o, stdout.length);
    o.write(stdout, 0, stdout.length);
    putInt(o, stderr.length);
    o.write(stderr, 0, stderr.length);
    return o.toByteArray();
  }

  static void putInt(ByteArrayOutputStream o, int v) {
    o.write(v >>> 24);
    o.write(v >>> 16);
    o.write(v >>> 8);
    o.write(v);
  }

  /** A request body as the shim builds it (tests and the status client). */
  static byte[] encodeCall(String type, List<String> env, byte[] stdin, boolean netnsFd) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.write(KIND_CALL);
    o.write(netnsFd ? FLAG_NETNS_FD : 0);
    blob(o, type.getBytes(StandardCharsets.UTF_8));
    putInt(o, env.size());
    for (String e : env) blob(o, e.getBytes(StandardCharsets.UTF_8));
    blob(o, stdin);
    return o.toByteArray();
  }

  private static void blob(ByteArrayOutputStream o, byte[] b) {
    putInt(o, b.length);
    o.write(b, 0, b.length);
  }

  /**
   * Error JSON like the dispatcher's (Go's types.Error: no trailing newline), for errors of the
   * daemon itself.
   */
  static byte[] errorJson(String cniVersion, int code, String msg) {
    StringBuilder b = new StringBuilder(96).append("{\"cniVersion\":");
    quote(b, cniVersion);
    b.append(",\"code\":").append(code).append(",\"msg\":");
    quote(b, msg);
    return b.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c == '\n') {
        b.append("\\n");
      } else if (c == '\r') {
        b.append("\\r");
      } else if (c == '\t') {
        b.append("\\t");
      } else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    b.append('"');
  }

  /**
   * The config's cniVersion for error objects: found in stdin, else 1.0.0 (what the shim uses too).
   */
  static String cniVersionOf(byte[] stdin) {
    String s = new String(stdin, 0, Math.min(stdin.length, 64 * 1024), StandardCharsets.UTF_8);
    int k = s.indexOf("\"cniVersion\"");
    if (k >= 0) {
      int colon = s.indexOf(':', k + 12);
      int q1 = colon < 0 ? -1 : s.indexOf('"', colon);
      int q2 = q1 < 0 ? -1 : s.indexOf('"', q1 + 1);
      if (q2 > q1 && q2 - q1 <= 16 && s.substring(colon + 1, q1).isBlank()) {
        String v = s.substring(q1 + 1, q2);
        if (v.matches("[0-9]+\\.[0-9]+\\.[0-9]+")) return v;
      }
    }
    return "1.0.0";
  }
}
