package dev.jcni.plugins.common;

import java.nio.charset.StandardCharsets;

/**
 * The identity of one attachment: network name, container ID and interface name. Firewall state is
 * named after it (hashes, so names stay short and safe), never after the pod's addresses, so DEL
 * and GC find it even when the netns and its addresses are gone.
 */
public record Owner(String network, String containerId, String ifname) {

  public Owner {
    network = network == null ? "" : network;
    containerId = containerId == null ? "" : containerId;
    ifname = ifname == null ? "" : ifname;
  }

  /** 16 hex chars identifying the network. */
  public String networkHash() {
    return hash("net\0" + network);
  }

  /** 16 hex chars identifying (containerId, ifname) within a network. */
  public String instanceHash() {
    return hash("att\0" + containerId + "\0" + ifname);
  }

  /**
   * A human-readable description for rule comments (quotes and backslashes removed, at most 100
   * chars).
   */
  public String describe() {
    String s = "net: " + clean(network) + ", if: " + clean(ifname) + ", id: " + clean(containerId);
    return s.length() > 100 ? s.substring(0, 100) : s;
  }

  /**
   * The comment firewall rules of this attachment carry: {@code "jcni " + kind + " " + describe()},
   * with any character a rule comment cannot hold (see {@code FwValues.comment}) replaced by {@code
   * _}. Network names and container IDs never have such characters (the spec restricts them), so
   * for them this is the description verbatim; only an unusual interface name can be affected.
   */
  public String ruleComment(String kind) {
    String s = "jcni " + kind + " " + describe();
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "_.:/=,+@ ()|-".indexOf(c) >= 0;
      b.append(ok ? c : '_');
    }
    return b.toString();
  }

  static String clean(String s) {
    return s.replace("\"", "").replace("\\", "").replace("\n", "");
  }

  /**
   * 64-bit FNV-1a with a murmur3 finaliser, as 16 hex digits. Not cryptographic on purpose: the
   * first MessageDigest use costs 100+ ms in a fresh JVM, and these names only need to be unique
   * per attachment on one node (the inputs are chosen by the runtime, not by pods).
   */
  static String hash(String s) {
    long h = 0xcbf29ce484222325L;
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    for (byte x : b) {
      h ^= x & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    String hex = Long.toHexString(h);
    return "0000000000000000".substring(hex.length()) + hex;
  }
}
