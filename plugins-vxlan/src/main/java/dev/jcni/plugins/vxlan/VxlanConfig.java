package dev.jcni.plugins.vxlan;

import dev.jcni.spec.CniException;
import dev.jcni.spec.net.Cidr;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The vxlan plugin's configuration, validated. Errors are code 7 and name the key.
 *
 * @param vni VXLAN network identifier, 1..16777215 (default 1)
 * @param port VXLAN UDP destination port (default 4789, the IANA port; flannel and the kernel
 *     default to 8472)
 * @param underlayInterface the underlay device name, or null
 * @param localIP the underlay address, or null (one of underlayInterface/localIP is required)
 * @param mtu the VTEP MTU, or null for underlay MTU − 50
 * @param nodeSubnet this node's pod subnet
 * @param peers peers given inline in the config
 * @param peersFile a file with more peers (re-read on every call), or null
 * @param vtepName the VTEP device name
 * @param readyFile a file whose existence STATUS requires (the node agent creates it), or null
 */
public record VxlanConfig(
    int vni,
    int port,
    String underlayInterface,
    InetAddress localIP,
    Integer mtu,
    Cidr nodeSubnet,
    List<Peer> peers,
    Path peersFile,
    String vtepName,
    Path readyFile) {

  public static final int DEFAULT_VNI = 1;
  public static final int DEFAULT_PORT = 4789;

  /** IPv4 outer header (20) + UDP (8) + VXLAN (8) + inner Ethernet (14). */
  public static final int OVERHEAD = 50;

  static final int MAX_VNI = (1 << 24) - 1;

  public VxlanConfig {
    peers = peers == null ? List.of() : List.copyOf(peers);
  }

  /** Validates the plugin's keys in a parsed config object (NetConf.raw()). */
  public static VxlanConfig from(Map<String, Object> raw) {
    return from(VxlanConf.bind(raw));
  }

  /** Validates bound keys; errors are code 7 naming the key. */
  public static VxlanConfig from(VxlanConf c) {
    int vni = intValue(c.vni(), "vni", DEFAULT_VNI, 1, MAX_VNI);
    int port = intValue(c.port(), "port", DEFAULT_PORT, 1, 65535);
    String underlay = stringValue(c.underlayInterface(), "underlayInterface");
    if (underlay != null) {
      checkIfName(underlay, "underlayInterface");
    }
    String local = stringValue(c.localIP(), "localIP");
    InetAddress localIP = local == null ? null : Peer.parseAddress(local, "localIP");
    if (underlay == null && localIP == null) {
      throw CniException.invalidConfig("underlayInterface or localIP: one of them is required");
    }
    Integer mtu = c.mtu() == null ? null : intValue(c.mtu(), "mtu", 0, 68, 65535);
    String subnet = stringValue(c.nodeSubnet(), "nodeSubnet");
    if (subnet == null) {
      throw CniException.invalidConfig(
          "nodeSubnet: required (this node's pod subnet, e.g. 10.244.1.0/24)");
    }
    Cidr nodeSubnet = Ipv4Subnets.parse(subnet, "nodeSubnet");
    if (nodeSubnet.prefixLength() > 30) {
      throw CniException.invalidConfig("nodeSubnet: " + subnet + " is too small for a pod subnet");
    }
    List<Peer> peers = c.peers() == null ? List.of() : PeersFile.parse(c.peers(), "peers");
    String pf = stringValue(c.peersFile(), "peersFile");
    String vtep = stringValue(c.vtepName(), "vtepName");
    if (vtep == null) {
      vtep = defaultVtepName(vni);
    } else {
      checkIfName(vtep, "vtepName");
    }
    String ready = stringValue(c.readyFile(), "readyFile");
    return new VxlanConfig(
        vni,
        port,
        underlay,
        localIP,
        mtu,
        nodeSubnet,
        peers,
        pf == null ? null : Path.of(pf),
        vtep,
        ready == null ? null : Path.of(ready));
  }

  /**
   * {@code jcni.vxlan<vni>}, shortened to {@code jcni.vx<vni>} when that would pass the 15-char
   * limit.
   */
  public static String defaultVtepName(int vni) {
    String n = "jcni.vxlan" + vni;
    return n.length() <= 15 ? n : "jcni.vx" + vni;
  }

  /** Inline peers plus the peers file (read now). */
  public List<Peer> allPeers() {
    if (peersFile == null) {
      return peers;
    }
    List<Peer> all = new ArrayList<>(peers);
    all.addAll(PeersFile.read(peersFile));
    return all;
  }

  /**
   * The remote peers: {@code all} without this node's own entry (same underlay address or same
   * subnet), with duplicates merged. Conflicts (one subnet claimed by two nodes, overlapping
   * subnets, a peer overlapping this node's subnet) are code 7 errors: routing them would be
   * ambiguous.
   */
  public List<Peer> remotePeers(List<Peer> all, InetAddress local) {
    Map<Cidr, Peer> bySubnet = new HashMap<>();
    List<Peer> out = new ArrayList<>();
    for (Peer p : all) {
      if (p.podSubnet().equals(nodeSubnet) || p.underlayIP().equals(local)) {
        continue;
      }
      if (p.podSubnet().overlaps(nodeSubnet)) {
        throw CniException.invalidConfig(
            "peers: "
                + p.podSubnet()
                + " of "
                + Peer.format(p.underlayIP())
                + " overlaps nodeSubnet "
                + nodeSubnet);
      }
      Peer seen = bySubnet.get(p.podSubnet());
      if (seen != null) {
        if (!seen.underlayIP().equals(p.underlayIP())) {
          throw CniException.invalidConfig(
              "peers: "
                  + p.podSubnet()
                  + " is claimed by both "
                  + Peer.format(seen.underlayIP())
                  + " and "
                  + Peer.format(p.underlayIP()));
        }
        continue;
      }
      for (Peer o : out) {
        if (o.podSubnet().overlaps(p.podSubnet())) {
          throw CniException.invalidConfig(
              "peers: " + p.podSubnet() + " overlaps " + o.podSubnet());
        }
      }
      bySubnet.put(p.podSubnet(), p);
      out.add(p);
    }
    return out;
  }

  static String stringValue(Object v, String key) {
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw CniException.invalidConfig(key + ": must be a string");
    }
    return s.isEmpty() ? null : s;
  }

  static int intValue(Object v, String key, int dflt, int min, int max) {
    if (v == null) {
      return dflt;
    }
    long n;
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      n = ((Number) v).longValue();
    } else if (v instanceof BigInteger) {
      n = Long.MAX_VALUE;
    } else if (v instanceof Number d && d.doubleValue() == Math.rint(d.doubleValue())) {
      n = (long) d.doubleValue();
    } else {
      throw CniException.invalidConfig(key + ": must be an integer, got " + v);
    }
    if (n < min || n > max) {
      throw CniException.invalidConfig(key + ": " + v + " is out of range " + min + ".." + max);
    }
    return (int) n;
  }

  static void checkIfName(String name, String key) {
    if (name.length() > 15
        || name.equals(".")
        || name.equals("..")
        || name.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c))) {
      throw CniException.invalidConfig(key + ": \"" + name + "\" is not a valid interface name");
    }
  }
}
