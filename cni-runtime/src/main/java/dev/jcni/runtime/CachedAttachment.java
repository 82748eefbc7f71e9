package dev.jcni.runtime;

import java.util.List;
import java.util.Map;

/**
 * One attachment recorded in the result cache (libcni's {@code NetworkAttachment}).
 *
 * @param containerId the container it belongs to
 * @param network the network (list) name
 * @param ifname the interface name in the container
 * @param config the conflist bytes the attachment was made with (may be null for a foreign cache
 *     entry)
 * @param netns the netns path recorded at ADD ("" when the writer did not record one, e.g. libcni ≤
 *     1.1)
 * @param cniArgs CNI_ARGS pairs recorded at ADD
 * @param capabilityArgs capability arguments recorded at ADD
 */
public record CachedAttachment(
    String containerId,
    String network,
    String ifname,
    byte[] config,
    String netns,
    List<Map.Entry<String, String>> cniArgs,
    Map<String, Object> capabilityArgs) {

  /** The runtime arguments to repeat a call (e.g. a DEL) for this attachment. */
  public RuntimeConf runtimeConf() {
    return new RuntimeConf(containerId, netns, ifname, cniArgs, capabilityArgs);
  }
}
