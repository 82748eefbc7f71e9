package dev.jcni.plugins.meta.portmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.plugins.common.firewall.Backend;
import dev.jcni.spec.CniException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PortMapConfigTest {

  static Map<String, Object> conf(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cniVersion", "1.0.0");
    m.put("name", "net1");
    m.put("type", "portmap");
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static Map<String, Object> rc(Object... mappings) {
    return Map.of("portMappings", List.of(mappings));
  }

  static Map<String, Object> pm(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static void refused(Map<String, Object> raw, String... fragments) {
    assertThatThrownBy(() -> PortMapConfig.parse(raw))
        .isInstanceOfSatisfying(
            CniException.class,
            e -> {
              assertThat(e.code()).isEqualTo(7);
              for (String f : fragments) {
                assertThat(e.msg()).contains(f);
              }
            });
  }

  @Test
  void defaults() {
    PortMapConfig c = PortMapConfig.parse(conf());
    assertThat(c.snat()).isTrue();
    assertThat(c.masqAll()).isFalse();
    assertThat(c.markMasqBit()).isEqualTo(13);
    assertThat(c.externalSetMarkChain()).isNull();
    assertThat(c.backend()).isNull();
    assertThat(c.mappings()).isEmpty();
    assertThat(c.backendRequiredByOptions()).isNull();
  }

  @Test
  void containerdsCapitalisedKeysAreRead() {
    PortMapConfig c =
        PortMapConfig.parse(
            conf(
                "runtimeConfig",
                Map.of(
                    "portMappings",
                    List.of(
                        pm(
                            "HostPort",
                            18091L,
                            "ContainerPort",
                            8080L,
                            "Protocol",
                            "tcp",
                            "HostIP",
                            ""),
                        pm(
                            "hostPort",
                            53L,
                            "containerPort",
                            5353L,
                            "protocol",
                            "UDP",
                            "hostIP",
                            "0.0.0.0"),
                        pm(
                            "hostPort",
                            9000L,
                            "containerPort",
                            9000L,
                            "protocol",
                            "sctp",
                            "hostIP",
                            "192.168.1.5"),
                        pm("hostPort", 9001L, "containerPort", 9001L)))));
    assertThat(c.mappings()).hasSize(4);
    assertThat(c.mappings().get(0)).isEqualTo(new PortMapping(18091, 8080, "tcp", null));
    assertThat(c.mappings().get(1)).isEqualTo(new PortMapping(53, 5353, "udp", null));
    assertThat(c.mappings().get(2).hostIp().getHostAddress()).isEqualTo("192.168.1.5");
    assertThat(c.mappings().get(3).protocol()).isEqualTo("tcp");
  }

  @Test
  void hostileMappingsAreRefusedNamingTheKey() {
    refused(
        conf("runtimeConfig", rc(pm("hostPort", 0L, "containerPort", 80L))),
        "runtimeConfig.portMappings[0].hostPort");
    refused(
        conf(
            "runtimeConfig",
            rc(
                pm("hostPort", 80L, "containerPort", 80L),
                pm("hostPort", 70000L, "containerPort", 80L))),
        "runtimeConfig.portMappings[1].hostPort",
        "70000");
    refused(conf("runtimeConfig", rc(pm("hostPort", 80L, "containerPort", -1L))), "containerPort");
    refused(
        conf("runtimeConfig", rc(pm("hostPort", "80; drop", "containerPort", 80L))), "hostPort");
    refused(
        conf(
            "runtimeConfig",
            rc(pm("hostPort", 80L, "containerPort", 80L, "protocol", "tcp -j ACCEPT"))),
        "protocol");
    refused(
        conf(
            "runtimeConfig",
            rc(pm("hostPort", 80L, "containerPort", 80L, "hostIP", "evil.example"))),
        "runtimeConfig.portMappings[0].hostIP");
    refused(
        conf(
            "runtimeConfig",
            rc(pm("hostPort", 80L, "containerPort", 80L, "hostIP", "1.2.3.4 tcp dport 22 accept"))),
        "hostIP");
    refused(conf("runtimeConfig", rc(pm("containerPort", 80L))), "hostPort", "required");
    refused(conf("runtimeConfig", Map.of("portMappings", "x")), "runtimeConfig.portMappings");
  }

  @Test
  void markOptions() {
    assertThat(PortMapConfig.parse(conf("markMasqBit", 0L)).markMasqBit()).isZero();
    assertThat(PortMapConfig.parse(conf("markMasqBit", 31L)).markMasqBit()).isEqualTo(31);
    refused(conf("markMasqBit", 32L), "markMasqBit");
    refused(conf("markMasqBit", -1L), "markMasqBit");
    PortMapConfig ext = PortMapConfig.parse(conf("externalSetMarkChain", "KUBE-MARK-MASQ"));
    assertThat(ext.externalSetMarkChain()).isEqualTo("KUBE-MARK-MASQ");
    assertThat(ext.markMasqBit()).isNull();
    assertThat(ext.backendRequiredByOptions()).isEqualTo(Backend.IPTABLES);
    refused(
        conf("externalSetMarkChain", "X", "markMasqBit", 3L),
        "markMasqBit",
        "externalSetMarkChain");
    refused(conf("externalSetMarkChain", "KUBE-MARK-MASQ -j ACCEPT"), "externalSetMarkChain");
  }

  @Test
  void backendAndConditions() {
    assertThat(PortMapConfig.parse(conf("backend", "nftables")).backend())
        .isEqualTo(Backend.NFTABLES);
    refused(conf("backend", "pf"), "backend");
    PortMapConfig n = PortMapConfig.parse(conf("conditionsV4", List.of("ip saddr != 10.0.0.0/8")));
    assertThat(n.backendRequiredByOptions()).isEqualTo(Backend.NFTABLES);
    assertThat(n.conditionsV4().tokens()).containsExactly("ip", "saddr", "!=", "10.0.0.0/8");
    PortMapConfig i = PortMapConfig.parse(conf("conditionsV6", List.of("-s", "fd00::/8")));
    assertThat(i.backendRequiredByOptions()).isEqualTo(Backend.IPTABLES);
    refused(
        conf("backend", "iptables", "conditionsV4", List.of("ip saddr 1.2.3.4")),
        "iptables backend was requested",
        "conditionsV4");
    refused(
        conf("backend", "nftables", "markMasqBit", 5L),
        "nftables backend was requested",
        "markMasqBit");
    refused(conf("backend", "nftables", "conditionsV4", List.of("-s", "1.2.3.4")), "conditionsV4");
    refused(
        conf("conditionsV4", List.of("-s", "1.2.3.4"), "conditionsV6", List.of("ip6 saddr ::1")),
        "mixes");
    // injection attempts
    refused(conf("conditionsV4", List.of("ip saddr 1.2.3.4 accept")), "conditionsV4");
    refused(
        conf("conditionsV4", List.of("ip saddr 1.2.3.4\nadd rule inet x y drop")), "conditionsV4");
    refused(conf("conditionsV4", List.of("-s", "1.2.3.4", "-j", "ACCEPT")), "conditionsV4");
    refused(conf("conditionsV6", List.of("-s", "::1\n-A INPUT -j DROP")), "conditionsV6");
    refused(conf("conditionsV4", "ip saddr 1.2.3.4"), "conditionsV4");
    refused(conf("snat", "yes"), "snat");
  }
}
