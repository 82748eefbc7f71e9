package dev.jcni.fuzz;

import dev.jcni.spec.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Mutates seed documents the way a broken runtime, a hostile user or a corrupt disk would:
 * JSON-aware edits (a value replaced by one of another type or a boundary value, keys dropped,
 * added or re-cased, arrays and objects swapped) and then, sometimes, byte-level damage
 * (truncation, flipped bytes, inserted junk).
 */
final class Mutator {
  private Mutator() {}

  /**
   * Values that hit boundaries of the plugins' parsers: CIDRs, addresses, ports, MTUs, names, odd
   * types.
   */
  static final Object[] PALETTE = {
    "",
    " ",
    "10.1.2.3/24",
    "10.1.2.0/24",
    "10.1.2.1",
    "10.1.2.300",
    "fd00::1/64",
    "::",
    "0.0.0.0/0",
    "::/0",
    "255.255.255.255/32",
    "10.0.0.0/8",
    "1.2.3.4/33",
    "fd00::/129",
    "eth0",
    "éth0",
    "a/b",
    "..",
    "x".repeat(300),
    "nftables",
    "iptables",
    "tcp",
    "udp",
    "sctp",
    "0.3.1",
    "0.4.0",
    "1.0.0",
    "1.1.0",
    "9.9.9",
    "02:00:00:00:00:01",
    "zz:zz",
    "\u0000",
    "\ufffd",
    "cni0",
    "host-local",
    "bridge",
    "-1",
    "1e309",
    0L,
    1L,
    -1L,
    65535L,
    65536L,
    2147483648L,
    Long.MAX_VALUE,
    1.5,
    -0.0,
    true,
    false,
    null,
    List.of(),
    Map.of(),
    List.of("10.1.2.3/24"),
    List.of(List.of(Map.of("subnet", "10.9.0.0/30")))
  };

  static byte[] resource(String path) {
    try (InputStream in = Mutator.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code seed} (a JSON document) after 0..3 tree edits (mostly few: most inputs should get past
   * the first type check, deep into the plugin's own checks) and, one time in six, byte damage.
   */
  static byte[] mutate(byte[] seed, Random r) {
    Object tree = Json.parse(seed);
    int edits = r.nextInt(3) + (r.nextInt(4) == 0 ? 1 : 0);
    for (int i = 0; i < edits; i++) {
      tree = editSomewhere(tree, r, 0);
    }
    byte[] out = Json.write(tree);
    if (r.nextInt(6) == 0) {
      out = damage(out, r);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Object editSomewhere(Object node, Random r, int depth) {
    if (node instanceof Map<?, ?> m0 && !m0.isEmpty() && r.nextInt(3) != 0 && depth < 8) {
      Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) m0);
      List<String> keys = new ArrayList<>(m.keySet());
      String k = keys.get(r.nextInt(keys.size()));
      m.put(k, editSomewhere(m.get(k), r, depth + 1));
      return m;
    }
    if (node instanceof List<?> l0 && !l0.isEmpty() && r.nextInt(3) != 0 && depth < 8) {
      List<Object> l = new ArrayList<>(l0);
      int i = r.nextInt(l.size());
      l.set(i, editSomewhere(l.get(i), r, depth + 1));
      return l;
    }
    return edit(node, r);
  }

  @SuppressWarnings("unchecked")
  private static Object edit(Object node, Random r) {
    switch (r.nextInt(9)) {
      case 0:
        return value(r);
      case 1:
        if (node instanceof Map<?, ?> m0 && !m0.isEmpty()) { // drop a key
          Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) m0);
          m.remove(new ArrayList<>(m.keySet()).get(r.nextInt(m.size())));
          return m;
        }
        return value(r);
      case 2:
        if (node instanceof Map<?, ?> m0
            && !m0.isEmpty()) { // re-case a key (Go matches keys case-insensitively)
          Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) m0);
          String k = new ArrayList<>(m.keySet()).get(r.nextInt(m.size()));
          m.put(r.nextBoolean() ? k.toUpperCase() : k.toLowerCase(), value(r));
          return m;
        }
        return List.of(node == null ? "" : node);
      case 3:
        if (node instanceof Map<?, ?> m0) { // add a key
          Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) m0);
          m.put(KEYS[r.nextInt(KEYS.length)], value(r));
          return m;
        }
        return node;
      case 4:
        return node instanceof List<?> l
            ? Map.of("0", l.isEmpty() ? "" : String.valueOf(l.get(0)))
            : List.of(node == null ? "" : node); // swap container kinds
      case 5:
        if (node instanceof List<?> l0) { // duplicate or clear
          List<Object> l = new ArrayList<>(l0);
          if (!l.isEmpty() && r.nextBoolean()) {
            l.add(l.get(r.nextInt(l.size())));
          } else {
            l.clear();
          }
          return l;
        }
        return value(r);
      case 6:
        return node instanceof String s
            ? s + (char) r.nextInt(0x3000)
            : node instanceof Number n
                ? (Object) (n.longValue() * (r.nextBoolean() ? -1 : 65536))
                : value(r);
      case 7:
        return node instanceof String s && !s.isEmpty()
            ? s.substring(0, r.nextInt(s.length()))
            : value(r);
      default:
        return PALETTE[r.nextInt(PALETTE.length)];
    }
  }

  static final String[] KEYS = {
    "cniVersion",
    "name",
    "type",
    "ipam",
    "subnet",
    "ranges",
    "routes",
    "dst",
    "gw",
    "gateway",
    "bridge",
    "mtu",
    "isGateway",
    "ipMasq",
    "ipMasqBackend",
    "vlan",
    "vlanTrunk",
    "mac",
    "dataDir",
    "prevResult",
    "runtimeConfig",
    "portMappings",
    "capabilities",
    "ips",
    "interfaces",
    "dns",
    "address",
    "rangeStart",
    "rangeEnd",
    "hostPort",
    "containerPort",
    "protocol",
    "hostIP",
    "backend",
    "snat",
    "peersFile",
    "nodeSubnet",
    "underlayInterface",
    "vni",
    "port",
    "args",
    "cni",
    "plugins",
    "disableCheck",
    "cni.dev/valid-attachments",
    "sandbox",
    "interface",
    "version",
    "kind",
    "containerId",
    "ifName",
    "config"
  };

  static Object value(Random r) {
    switch (r.nextInt(6)) {
      case 0:
        return PALETTE[r.nextInt(PALETTE.length)];
      case 1:
        return r.nextLong() >> r.nextInt(64);
      case 2:
        return randomString(r, 12);
      case 3:
        Object one = PALETTE[r.nextInt(PALETTE.length)];
        return one == null
            ? new ArrayList<>(java.util.Collections.singletonList(null))
            : List.of(one);
      case 4:
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(KEYS[r.nextInt(KEYS.length)], PALETTE[r.nextInt(PALETTE.length)]);
        return m;
      default:
        return r.nextDouble() * (r.nextBoolean() ? 1e20 : -1);
    }
  }

  static String randomString(Random r, int max) {
    StringBuilder b = new StringBuilder();
    int n = r.nextInt(max + 1);
    String alphabet = "abcXYZ019./:-_;= ,\"\\é\u00a0\u2028[]{}";
    for (int i = 0; i < n; i++) {
      b.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  static byte[] damage(byte[] b, Random r) {
    if (b.length == 0) {
      return new byte[] {(byte) r.nextInt(256)};
    }
    byte[] out = b.clone();
    switch (r.nextInt(4)) {
      case 0:
        return java.util.Arrays.copyOf(out, r.nextInt(out.length));
      case 1:
        for (int i = 0; i < 1 + r.nextInt(4); i++) {
          out[r.nextInt(out.length)] = (byte) r.nextInt(256);
        }
        return out;
      case 2:
        String junk =
            new String[] {"{", "}", "[", "\"", ",", "\\u", "\\ud800", "\u0000", "1e999999", "nul"}
                [r.nextInt(10)];
        int at = r.nextInt(out.length);
        byte[] j = junk.getBytes(StandardCharsets.UTF_8);
        byte[] o = new byte[out.length + j.length];
        System.arraycopy(out, 0, o, 0, at);
        System.arraycopy(j, 0, o, at, j.length);
        System.arraycopy(out, at, o, at + j.length, out.length - at);
        return o;
      default:
        byte[] twice = new byte[out.length * 2]; // two documents back to back
        System.arraycopy(out, 0, twice, 0, out.length);
        System.arraycopy(out, 0, twice, out.length, out.length);
        return twice;
    }
  }
}
