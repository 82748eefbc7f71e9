package dev.jcni.plugins.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.plugins.common.firewall.Backend;
import dev.jcni.spec.CniException;
import dev.jcni.spec.Result;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BridgeSettingsTest {

  private static BridgeConf conf(
      String bridge,
      Integer vlan,
      List<BridgeConf.VlanTrunk> trunk,
      boolean hairpin,
      boolean promisc,
      Map<String, Object> ipam,
      boolean disableCont,
      String backend,
      BridgeConf.Args args,
      BridgeConf.RuntimeConfig rc,
      boolean isDefGw,
      Result.Dns dns) {
    return new BridgeConf(
        "1.0.0",
        "net",
        "bridge",
        bridge,
        false,
        isDefGw,
        false,
        false,
        backend,
        null,
        hairpin,
        promisc,
        vlan,
        trunk,
        false,
        false,
        false,
        disableCont,
        false,
        ipam,
        dns,
        args,
        rc);
  }

  private static BridgeConf plain() {
    return conf(null, null, null, false, false, Map.of(), false, null, null, null, false, null);
  }

  private static void assertInvalid(BridgeConf c, String key, String text) {
    assertThatThrownBy(() -> BridgeSettings.of(c, null))
        .isInstanceOf(CniException.class)
        .satisfies(
            e -> {
              assertThat(((CniException) e).code()).isEqualTo(7);
              assertThat(e.getMessage()).startsWith(key + ":").contains(text);
            });
  }

  @Test
  void goDefaults() {
    BridgeSettings s = BridgeSettings.of(plain(), null);
    assertThat(s.bridge()).isEqualTo("cni0");
    assertThat(s.isLayer3()).isFalse();
    assertThat(s.vlanFiltering()).isFalse();
    assertThat(s.masqBackend()).isNull();
    assertThat(s.mac()).isNull();
    assertThat(s.dnsOverride()).isNull();
    assertThat(s.mtu()).isZero();
  }

  @Test
  void defaultGatewayImpliesGateway() {
    BridgeSettings s =
        BridgeSettings.of(
            conf(
                "br0",
                null,
                null,
                false,
                false,
                Map.of("type", "host-local"),
                false,
                "nftables",
                null,
                null,
                true,
                new Result.Dns(List.of("10.0.0.53"), null, null, null)),
            null);
    assertThat(s.isGateway()).isTrue();
    assertThat(s.isLayer3()).isTrue();
    assertThat(s.ipamType()).isEqualTo("host-local");
    assertThat(s.masqBackend()).isEqualTo(Backend.NFTABLES);
    assertThat(s.dnsOverride().nameservers()).containsExactly("10.0.0.53");
  }

  @Test
  void vlanRangeAndTrunk() {
    assertInvalid(
        conf(null, 4095, null, false, false, null, false, null, null, null, false, null),
        "vlan",
        "invalid VLAN ID 4095 (must be between 0 and 4094)");
    assertInvalid(
        conf(null, -1, null, false, false, null, false, null, null, null, false, null),
        "vlan",
        "invalid VLAN ID -1");
    assertInvalid(
        conf(
            null,
            null,
            List.of(new BridgeConf.VlanTrunk(5, null, null)),
            false,
            false,
            null,
            false,
            null,
            null,
            null,
            false,
            null),
        "vlanTrunk",
        "maxID is missing");
    assertInvalid(
        conf(
            null,
            null,
            List.of(new BridgeConf.VlanTrunk(null, 5, null)),
            false,
            false,
            null,
            false,
            null,
            null,
            null,
            false,
            null),
        "vlanTrunk",
        "minID is missing");
    assertInvalid(
        conf(
            null,
            null,
            List.of(new BridgeConf.VlanTrunk(9, 5, null)),
            false,
            false,
            null,
            false,
            null,
            null,
            null,
            false,
            null),
        "vlanTrunk",
        "minID is greater than maxID");
    assertInvalid(
        conf(
            null,
            null,
            List.of(new BridgeConf.VlanTrunk(null, null, 4095)),
            false,
            false,
            null,
            false,
            null,
            null,
            null,
            false,
            null),
        "vlanTrunk",
        "incorrect trunk id parameter");
    BridgeSettings s =
        BridgeSettings.of(
            conf(
                null,
                7,
                List.of(
                    new BridgeConf.VlanTrunk(101, 103, null),
                    new BridgeConf.VlanTrunk(null, null, 20),
                    new BridgeConf.VlanTrunk(null, null, 102)),
                false,
                false,
                null,
                false,
                null,
                null,
                null,
                false,
                null),
            null);
    assertThat(s.vlan()).isEqualTo(7);
    assertThat(s.trunkVlans()).containsExactly(20, 101, 102, 103);
    assertThat(s.vlanFiltering()).isTrue();
  }

  @Test
  void refusedCombinations() {
    assertInvalid(
        conf(null, null, null, true, true, null, false, null, null, null, false, null),
        "hairpinMode, promiscMode",
        "cannot set hairpin mode and promiscuous mode at the same time");
    assertInvalid(
        conf(
            null,
            null,
            null,
            false,
            false,
            Map.of("type", "host-local"),
            true,
            null,
            null,
            null,
            false,
            null),
        "disableContainerInterface",
        "cannot use IPAM");
    assertInvalid(
        conf(null, null, null, false, false, null, false, "ebtables", null, null, false, null),
        "ipMasqBackend",
        "unknown ipmasq backend \"ebtables\"");
    BridgeConf tiny =
        new BridgeConf(
            "1.0.0", "net", "bridge", null, false, false, false, false, null, 40, false, false,
            null, null, false, false, false, false, false, null, null, null, null);
    assertInvalid(tiny, "mtu", "invalid MTU 40");
    assertInvalid(
        conf(
            "a-very-long-bridge-name",
            null,
            null,
            false,
            false,
            null,
            false,
            null,
            null,
            null,
            false,
            null),
        "bridge",
        "longer than 15");
  }

  @Test
  void macSourcesLaterWins() {
    dev.jcni.spec.CniArgs noArgs = null;
    BridgeConf withArgs =
        conf(
            null,
            null,
            null,
            false,
            false,
            null,
            false,
            null,
            new BridgeConf.Args(new BridgeConf.CniBlock("0A-58-0A-16-00-02")),
            null,
            false,
            null);
    assertThat(BridgeSettings.of(withArgs, noArgs).mac()).isEqualTo("0a:58:0a:16:00:02");
    BridgeConf withBoth =
        conf(
            null,
            null,
            null,
            false,
            false,
            null,
            false,
            null,
            new BridgeConf.Args(new BridgeConf.CniBlock("0a:58:0a:16:00:02")),
            new BridgeConf.RuntimeConfig("0a:58:0a:16:00:03"),
            false,
            null);
    assertThat(BridgeSettings.of(withBoth, null).mac()).isEqualTo("0a:58:0a:16:00:03");
    assertInvalid(
        conf(
            null,
            null,
            null,
            false,
            false,
            null,
            false,
            null,
            null,
            new BridgeConf.RuntimeConfig("zz:58:0a:16:00:03"),
            false,
            null),
        "runtimeConfig.mac",
        "invalid MAC");
    assertInvalid(
        conf(
            null,
            null,
            null,
            false,
            false,
            null,
            false,
            null,
            null,
            new BridgeConf.RuntimeConfig("01:00:5e:00:00:01"),
            false,
            null),
        "runtimeConfig.mac",
        "multicast");
  }
}
