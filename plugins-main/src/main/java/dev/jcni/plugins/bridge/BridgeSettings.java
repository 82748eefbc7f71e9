package dev.jcni.plugins.bridge;

import dev.jcni.plugins.common.IfNames;
import dev.jcni.plugins.common.IpMasq;
import dev.jcni.plugins.common.Macs;
import dev.jcni.plugins.common.firewall.Backend;
import dev.jcni.spec.CniArgs;
import dev.jcni.spec.CniException;
import dev.jcni.spec.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The bridge configuration after validation, with Go's defaults applied ({@code bridge} = cni0,
 * {@code isDefaultGateway} ⇒ {@code isGateway}, MAC from CNI_ARGS, then {@code args.cni.mac}, then
 * {@code runtimeConfig.mac}). Every rejection is code 7 with a message naming the key.
 *
 * @param trunkVlans the tagged VIDs of {@code vlanTrunk}, sorted and de-duplicated
 * @param vlanFiltering whether the bridge needs vlan_filtering ({@code vlan} or {@code vlanTrunk}
 *     given)
 * @param mac the container interface's MAC (lower case), or null for a kernel-chosen one
 * @param ipamType {@code ipam.type}, or null for an L2-only network
 * @param masqBackend the explicit {@code ipMasqBackend}, or null for Go's automatic choice
 * @param dnsOverride {@code dns} when any field is set (it replaces IPAM's DNS), else null
 */
public record BridgeSettings(
    String network,
    String bridge,
    boolean isGateway,
    boolean isDefaultGateway,
    boolean forceAddress,
    boolean ipMasq,
    Backend masqBackend,
    int mtu,
    boolean hairpinMode,
    boolean promiscMode,
    int vlan,
    List<Integer> trunkVlans,
    boolean vlanFiltering,
    boolean preserveDefaultVlan,
    boolean macspoofchk,
    boolean enabledad,
    boolean disableContainerInterface,
    boolean portIsolation,
    String mac,
    String ipamType,
    Result.Dns dnsOverride) {

  public static final String DEFAULT_BRIDGE = "cni0";

  public boolean isLayer3() {
    return ipamType != null;
  }

  /** Validates a bound config; {@code cniArgs} may be null. */
  public static BridgeSettings of(BridgeConf c, CniArgs cniArgs) {
    String br = c.bridge() == null || c.bridge().isEmpty() ? DEFAULT_BRIDGE : c.bridge();
    IfNames.validate("bridge", br);
    int vlan = c.vlan() == null ? 0 : c.vlan();
    if (vlan < 0 || vlan > 4094) {
      throw CniException.invalidConfig(
          "vlan: invalid VLAN ID " + vlan + " (must be between 0 and 4094)");
    }
    List<Integer> trunk = collectVlanTrunk(c.vlanTrunk());
    int mtu = c.mtu() == null ? 0 : c.mtu();
    // checked here rather than by the kernel so a bad value fails before anything is created
    if (mtu != 0 && (mtu < 68 || mtu > 65535)) {
      throw CniException.invalidConfig(
          "mtu: invalid MTU " + mtu + " (must be 0 for the default, or 68-65535)");
    }
    Backend backend = IpMasq.parseBackend(c.ipMasqBackend());
    Object t = c.ipam() == null ? null : c.ipam().get("type");
    String ipamType = t instanceof String s && !s.isEmpty() ? s : null;
    if (ipamType != null && c.disableContainerInterface()) {
      throw CniException.invalidConfig(
          "disableContainerInterface: cannot use IPAM when DisableContainerInterface flag is set");
    }
    if (c.hairpinMode() && c.promiscMode()) {
      throw CniException.invalidConfig(
          "hairpinMode, promiscMode: cannot set hairpin mode and promiscuous mode at the same time");
    }
    // ipMasq without IPAM has no address to masquerade; Go ignores it silently, and so do we
    String mac = null;
    if (cniArgs != null && cniArgs.get("MAC") != null && !cniArgs.get("MAC").isEmpty()) {
      mac = Macs.normalize("CNI_ARGS MAC", cniArgs.get("MAC"));
    }
    if (c.args() != null
        && c.args().cni() != null
        && c.args().cni().mac() != null
        && !c.args().cni().mac().isEmpty()) {
      mac = Macs.normalize("args.cni.mac", c.args().cni().mac());
    }
    if (c.runtimeConfig() != null
        && c.runtimeConfig().mac() != null
        && !c.runtimeConfig().mac().isEmpty()) {
      mac = Macs.normalize("runtimeConfig.mac", c.runtimeConfig().mac());
    }
    Result.Dns dns = c.dns() != null && !c.dns().isEmpty() ? c.dns() : null;
    boolean isGw = c.isGateway() || c.isDefaultGateway();
    return new BridgeSettings(
        c.name(),
        br,
        isGw,
        c.isDefaultGateway(),
        c.forceAddress(),
        c.ipMasq(),
        backend,
        mtu,
        c.hairpinMode(),
        c.promiscMode(),
        vlan,
        trunk,
        vlan != 0 || c.vlanTrunk() != null,
        c.preserveDefaultVlan(),
        c.macspoofchk(),
        c.enabledad(),
        c.disableContainerInterface(),
        c.portIsolation(),
        mac,
        ipamType,
        dns);
  }

  /**
   * Go's collectVlanTrunk: ids and min..max ranges in 1..4094, both bounds required for a range.
   */
  static List<Integer> collectVlanTrunk(List<BridgeConf.VlanTrunk> items) {
    if (items == null) {
      return List.of();
    }
    TreeSet<Integer> vids = new TreeSet<>();
    for (BridgeConf.VlanTrunk it : items) {
      if (it == null) {
        continue;
      }
      if (it.minID() != null && it.maxID() != null) {
        int min = it.minID();
        int max = it.maxID();
        if (min <= 0 || min > 4094) {
          throw CniException.invalidConfig("vlanTrunk: incorrect trunk minID parameter " + min);
        }
        if (max <= 0 || max > 4094) {
          throw CniException.invalidConfig("vlanTrunk: incorrect trunk maxID parameter " + max);
        }
        if (max < min) {
          throw CniException.invalidConfig(
              "vlanTrunk: minID is greater than maxID in trunk parameter");
        }
        for (int v = min; v <= max; v++) {
          vids.add(v);
        }
      } else if (it.minID() == null && it.maxID() != null) {
        throw CniException.invalidConfig(
            "vlanTrunk: minID and maxID should be configured simultaneously, minID is missing");
      } else if (it.minID() != null) {
        throw CniException.invalidConfig(
            "vlanTrunk: minID and maxID should be configured simultaneously, maxID is missing");
      }
      if (it.id() != null) {
        int id = it.id();
        if (id <= 0 || id > 4094) {
          throw CniException.invalidConfig("vlanTrunk: incorrect trunk id parameter " + id);
        }
        vids.add(id);
      }
    }
    return List.copyOf(new ArrayList<>(vids));
  }
}
