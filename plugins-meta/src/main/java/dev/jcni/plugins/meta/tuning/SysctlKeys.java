package dev.jcni.plugins.meta.tuning;

import dev.jcni.spec.CniException;

/**
 * Turns a {@code sysctl} key of the config into its path under {@code /proc/sys}, refusing anything
 * that is not a plain key under {@code net}. Go's rules: dots become slashes, then the first {@code
 * IFNAME} becomes CNI_IFNAME (so interface names with dots work). Ours on top: a key written with
 * slashes keeps its dots (sysctl(8)'s convention), and every component must be a plain name, so
 * {@code ..}, empty components, a leading slash or characters outside {@code [A-Za-z0-9_.-/]} are
 * refused (code 7 naming the key) before anything is written.
 *
 * <p>What a key can reach is then bounded by the kernel: {@code /proc/sys/net} shows the network
 * namespace of the thread that opens the file, and the writes run on a thread inside the pod's
 * namespace, where keys that are not per-namespace do not exist (ENOENT) or are read-only; the
 * plugin reports both as code 7 naming the key.
 */
final class SysctlKeys {
  private SysctlKeys() {}

  /**
   * The path relative to {@code /proc/sys} (slash form), e.g. {@code
   * net/ipv4/conf/eth0.100/arp_notify}.
   */
  static String resolve(String key, String ifname) {
    if (key == null || key.isEmpty()) {
      throw invalid(key, "empty key");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-'
              || c == '.'
              || c == '/';
      if (!ok) {
        throw invalid(key, "only letters, digits and _ - . / are allowed");
      }
    }
    String path = key.indexOf('/') >= 0 ? key : key.replace('.', '/');
    int at = path.indexOf("IFNAME");
    if (at >= 0 && ifname != null && !ifname.isEmpty()) {
      path = path.substring(0, at) + ifname + path.substring(at + "IFNAME".length());
    }
    String[] parts = path.split("/", -1);
    for (String p : parts) {
      if (p.isEmpty() || p.equals(".") || p.equals("..")) {
        throw invalid(
            key, "every component must be a plain name (no empty, \".\" or \"..\" components)");
      }
    }
    if (!parts[0].equals("net")) {
      throw invalid(key, "invalid net sysctl key: only keys under net. are allowed");
    }
    if (parts.length < 3) {
      throw invalid(key, "invalid net sysctl key: not a sysctl");
    }
    return path;
  }

  static CniException invalid(String key, String why) {
    return CniException.invalidConfig("sysctl \"" + key + "\": " + why);
  }
}
