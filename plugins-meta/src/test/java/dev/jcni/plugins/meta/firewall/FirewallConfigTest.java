package dev.jcni.plugins.meta.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.plugins.common.firewall.Backend;
import dev.jcni.spec.CniException;
import dev.jcni.spec.json.Json;
import org.junit.jupiter.api.Test;

class FirewallConfigTest {
  private static FirewallConfig parse(String json) {
    return FirewallConfig.parse(Json.parseObject(json));
  }

  private static void refused(String json, String key) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOf(CniException.class)
        .satisfies(
            e -> {
              assertThat(((CniException) e).code()).isEqualTo(7);
              assertThat(((CniException) e).msg()).startsWith(key + ":");
            });
  }

  @Test
  void defaultsAreGos() {
    FirewallConfig c = parse("{\"name\":\"n\",\"type\":\"firewall\"}");
    assertThat(c.backend()).isNull();
    assertThat(c.firewalld()).isFalse();
    assertThat(c.adminChain()).isEqualTo("CNI-ADMIN");
    assertThat(c.firewalldZone()).isEqualTo("trusted");
    assertThat(c.ingressPolicy()).isEqualTo(IngressPolicy.OPEN);
  }

  @Test
  void keysAsGoReadsThem() {
    FirewallConfig c =
        parse(
            "{\"Backend\":\"nftables\",\"iptablesadminchainname\":\"MY-ADMIN\","
                + "\"ingressPolicy\":\"same-bridge\",\"firewalldZone\":\"public\"}");
    assertThat(c.backend()).isEqualTo(Backend.NFTABLES);
    assertThat(c.adminChain()).isEqualTo("MY-ADMIN");
    assertThat(c.ingressPolicy()).isEqualTo(IngressPolicy.SAME_BRIDGE);
    assertThat(c.firewalldZone()).isEqualTo("public");
    assertThat(parse("{\"backend\":\"iptables\",\"ingressPolicy\":\"isolated\"}").ingressPolicy())
        .isEqualTo(IngressPolicy.ISOLATED);
    assertThat(parse("{\"backend\":\"firewalld\"}").firewalld()).isTrue();
    assertThat(parse("{\"backend\":\"\",\"ingressPolicy\":\"\"}").ingressPolicy())
        .isEqualTo(IngressPolicy.OPEN);
  }

  @Test
  void badValuesAreCode7NamingTheKey() {
    refused("{\"backend\":\"ipfw\"}", "backend");
    refused("{\"backend\":true}", "backend");
    refused("{\"iptablesAdminChainName\":\"A B\"}", "iptablesAdminChainName");
    refused("{\"iptablesAdminChainName\":\"X\\\";drop\"}", "iptablesAdminChainName");
    refused(
        "{\"iptablesAdminChainName\":\"THIS-NAME-IS-LONGER-THAN-28-CHARS\"}",
        "iptablesAdminChainName");
    refused("{\"iptablesAdminChainName\":\"CNI-FORWARD\"}", "iptablesAdminChainName");
    refused("{\"iptablesAdminChainName\":\"forward\"}", "iptablesAdminChainName");
    refused("{\"iptablesAdminChainName\":[]}", "iptablesAdminChainName");
    refused("{\"ingressPolicy\":\"closed\"}", "ingressPolicy");
    refused("{\"ingressPolicy\":1}", "ingressPolicy");
    refused("{\"firewalldZone\":{}}", "firewalldZone");
  }

  @Test
  void commentsFitNftAndNameTheAttachment() {
    assertThat(Names.comment("mynet", "abc", "eth0"))
        .isEqualTo("jcni-fw net: mynet id: abc if: eth0");
    String longest = Names.comment("n".repeat(300), "c".repeat(300), "e\"th0 x");
    assertThat(longest.length()).isLessThanOrEqualTo(128);
    assertThat(longest).startsWith("jcni-fw net: sha-").contains(" id: sha-").contains(" if: sha-");
    String id64 = "0123456789abcdef".repeat(4);
    assertThat(Names.comment("n".repeat(24), id64, "e".repeat(15)).length())
        .isLessThanOrEqualTo(128);
    assertThat(Names.comment("n", id64, "eth0")).contains(id64);
    // one network's prefix never matches another's
    assertThat(Names.comment("ab", "c", "eth0")).doesNotStartWith(Names.netPrefix("a"));
  }
}
