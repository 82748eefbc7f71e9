package dev.jcni.plugins.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The identity of one attachment: network name, container ID and interface name. Firewall state is named after
 * it (hashes, so names stay short and safe), never after the pod's addresses, so DEL and GC find it even when the
 * netns and its addresses are gone.
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

  /** A human-readable description for rule comments (quotes and backslashes removed, at most 100 chars). */
  public String describe() {
    String s = "net: " + clean(network) + ", if: " + clean(ifname) + ", id: " + clean(containerId);
    return s.length() > 100 ? s.substring(0, 100) : s;
  }

  static String clean(String s) {
    return s.replace("\"", "").replace("\\", "").replace("\n", "");
  }

  static String hash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
