package dev.jcni.api;

import dev.jcni.spec.CniArgs;
import dev.jcni.spec.CniVersion;
import dev.jcni.spec.NetConf;
import dev.jcni.spec.Result;
import java.util.List;
import java.util.Map;

/**
 * Everything one plugin call receives: the verb, the CNI_* environment (parsed), the config and the prevResult
 * already converted to the config's version. Immutable; build with {@link #builder()} (tests and runtimes) or let
 * the {@link Dispatcher} build it.
 *
 * @param command the verb
 * @param containerId CNI_CONTAINERID ("" when not given, as for GC/STATUS)
 * @param netns CNI_NETNS ("" when not given, as for the second DEL containerd sends)
 * @param ifname CNI_IFNAME ("" when not given)
 * @param args CNI_ARGS parsed
 * @param path CNI_PATH split on ':'
 * @param config the network configuration from stdin
 * @param prevResult prevResult converted to the config's version, or null
 * @param validAttachments GC only: the attachments to keep (from {@code cni.dev/valid-attachments} or
 *     {@code cni.dev/attachments}); empty otherwise
 * @param env the whole environment of the call (delegates inherit it)
 * @param delegation how IPAM and other delegates are run for this call
 */
public record Invocation(Command command, String containerId, String netns, String ifname, CniArgs args,
    List<String> path, NetConf config, Result prevResult, List<Attachment> validAttachments,
    Map<String, String> env, Delegation delegation) {

  public Invocation {
    containerId = containerId == null ? "" : containerId;
    netns = netns == null ? "" : netns;
    ifname = ifname == null ? "" : ifname;
    path = path == null ? List.of() : List.copyOf(path);
    validAttachments = validAttachments == null ? List.of() : List.copyOf(validAttachments);
    env = env == null ? Map.of() : Map.copyOf(env);
  }

  /** The config's version. */
  public CniVersion cniVersion() {
    return config.cniVersion();
  }

  /** Binds the whole config to a plugin's own record (keys matched case-insensitively, exact wins). */
  public <T> T config(Class<T> type) {
    return config.bind(type);
  }

  /** A delegate of the given type (usually {@code config().ipamType()}) run with this call's env and config. */
  public Delegate delegate(String type) {
    return delegation.delegate(this, type);
  }

  /** The IPAM delegate named by {@code ipam.type}. */
  public Delegate ipam() {
    String t = config.ipamType();
    if (t == null || t.isEmpty()) {
      throw CniPlugin.invalidConfig("ipam: type is required");
    }
    return delegate(t);
  }
}
