package dev.jcni.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-attachment arguments of one runtime call (libcni's {@code RuntimeConf}): everything
 * except the network configuration.
 *
 * @param containerId CNI_CONTAINERID
 * @param netns CNI_NETNS, a path such as {@code /run/netns/x}; may be empty for DEL
 * @param ifname CNI_IFNAME inside the container, e.g. {@code eth0}
 * @param args CNI_ARGS as ordered key/value pairs (joined as {@code K=V;K2=V2})
 * @param capabilityArgs capability name → value; a plugin receives, as {@code runtimeConfig}, the
 *     entries whose capability it declares {@code true} in its {@code capabilities}
 */
public record RuntimeConf(
    String containerId,
    String netns,
    String ifname,
    List<Map.Entry<String, String>> args,
    Map<String, Object> capabilityArgs) {

  public RuntimeConf {
    containerId = containerId == null ? "" : containerId;
    netns = netns == null ? "" : netns;
    ifname = ifname == null ? "" : ifname;
    args = args == null ? List.of() : List.copyOf(args);
    // values may be null (a JSON null), so no Map.copyOf
    capabilityArgs =
        capabilityArgs == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(capabilityArgs));
  }

  /** An attachment without CNI_ARGS or capability arguments. */
  public static RuntimeConf of(String containerId, String netns, String ifname) {
    return new RuntimeConf(containerId, netns, ifname, List.of(), Map.of());
  }

  public RuntimeConf withArgs(List<Map.Entry<String, String>> newArgs) {
    return new RuntimeConf(containerId, netns, ifname, newArgs, capabilityArgs);
  }

  public RuntimeConf withCapabilityArgs(Map<String, Object> newCapabilityArgs) {
    return new RuntimeConf(containerId, netns, ifname, args, newCapabilityArgs);
  }

  /** CNI_ARGS as sent to plugins: {@code K=V} pairs joined with ';' in order. */
  public String cniArgsString() {
    List<String> parts = new ArrayList<>(args.size());
    for (Map.Entry<String, String> e : args) {
      parts.add(e.getKey() + "=" + e.getValue());
    }
    return String.join(";", parts);
  }
}
