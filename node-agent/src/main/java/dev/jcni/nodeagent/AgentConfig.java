package dev.jcni.nodeagent;

import dev.jcni.plugins.vxlan.Peer;
import dev.jcni.plugins.vxlan.VxlanConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agent's settings. The VXLAN keys mean what they mean in the plugin config and must agree with
 * it on every node ({@code vni}, {@code port}, {@code vtepName}); {@code localIP} defaults to the
 * Node's InternalIP and the node subnet always comes from the Node's {@code spec.podCIDR}.
 *
 * @param nodeName this node's Node object name
 * @param peersFile where the peers list is written (the plugin's {@code peersFile})
 * @param readyFile created after the first successful sync, removed on failure and shutdown (the
 *     plugin's {@code readyFile})
 * @param resync period of the full resync that repairs drift
 */
public record AgentConfig(
    String nodeName,
    Path peersFile,
    Path readyFile,
    Duration resync,
    int vni,
    int port,
    String underlayInterface,
    String localIP,
    Integer mtu,
    String vtepName) {

  public static final Path DEFAULT_PEERS_FILE = Path.of("/run/jcni/vxlan-peers.json");
  public static final Path DEFAULT_READY_FILE = Path.of("/run/jcni/vxlan-ready");

  public static AgentConfig defaults(String nodeName) {
    return new AgentConfig(
        nodeName,
        DEFAULT_PEERS_FILE,
        DEFAULT_READY_FILE,
        Duration.ofSeconds(60),
        VxlanConfig.DEFAULT_VNI,
        VxlanConfig.DEFAULT_PORT,
        null,
        null,
        null,
        null);
  }

  public AgentConfig withFiles(Path peers, Path ready) {
    return new AgentConfig(
        nodeName, peers, ready, resync, vni, port, underlayInterface, localIP, mtu, vtepName);
  }

  public AgentConfig withResync(Duration d) {
    return new AgentConfig(
        nodeName, peersFile, readyFile, d, vni, port, underlayInterface, localIP, mtu, vtepName);
  }

  public AgentConfig withVtep(int vni, int port, String vtepName) {
    return new AgentConfig(
        nodeName,
        peersFile,
        readyFile,
        resync,
        vni,
        port,
        underlayInterface,
        localIP,
        mtu,
        vtepName);
  }

  public AgentConfig withUnderlay(String underlayInterface, String localIP, Integer mtu) {
    return new AgentConfig(
        nodeName,
        peersFile,
        readyFile,
        resync,
        vni,
        port,
        underlayInterface,
        localIP,
        mtu,
        vtepName);
  }

  /**
   * The plugin-equivalent config for this node, given its own peer entry (InternalIP + podCIDR).
   */
  VxlanConfig vxlanConfig(Peer self) {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("vni", (long) vni);
    raw.put("port", (long) port);
    if (underlayInterface != null) {
      raw.put("underlayInterface", underlayInterface);
    }
    raw.put("localIP", localIP != null ? localIP : Peer.format(self.underlayIP()));
    if (mtu != null) {
      raw.put("mtu", (long) mtu);
    }
    raw.put("nodeSubnet", self.podSubnet().toString());
    if (vtepName != null) {
      raw.put("vtepName", vtepName);
    }
    return VxlanConfig.from(raw);
  }
}
