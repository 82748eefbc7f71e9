package dev.jcni.plugins.bridge;

import dev.jcni.spec.Result;
import java.util.List;
import java.util.Map;

/**
 * The bridge plugin's configuration keys, named after the JSON keys and bound with {@link
 * dev.jcni.spec.json.Json#bind}; {@link BridgeSettings#of} validates them and applies Go's
 * defaults.
 */
public record BridgeConf(
    String cniVersion,
    String name,
    String type,
    String bridge,
    boolean isGateway,
    boolean isDefaultGateway,
    boolean forceAddress,
    boolean ipMasq,
    String ipMasqBackend,
    Integer mtu,
    boolean hairpinMode,
    boolean promiscMode,
    Integer vlan,
    List<VlanTrunk> vlanTrunk,
    boolean preserveDefaultVlan,
    boolean macspoofchk,
    boolean enabledad,
    boolean disableContainerInterface,
    boolean portIsolation,
    Map<String, Object> ipam,
    Result.Dns dns,
    Args args,
    RuntimeConfig runtimeConfig) {

  /** One {@code vlanTrunk} entry: a single {@code id}, or a {@code minID}..{@code maxID} range. */
  public record VlanTrunk(Integer minID, Integer maxID, Integer id) {}

  /** {@code args}: only {@code args.cni.mac} is read. */
  public record Args(CniBlock cni) {}

  public record CniBlock(String mac) {}

  /** {@code runtimeConfig}: the {@code mac} capability. */
  public record RuntimeConfig(String mac) {}
}
