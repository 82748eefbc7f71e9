package dev.jcni.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.spec.Capabilities.IpRange;
import dev.jcni.spec.Capabilities.PortMapping;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {
  private static NetConf conf(String runtimeConfig) {
    return NetConf.parse(
        ("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"portmap\",\"runtimeConfig\":"
                + runtimeConfig
                + "}")
            .getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void capitalisedPortMappingsBindLikeLowerCase() {
    // what containerd's CRI sends (Go field names) and what the conventions document shows
    NetConf upper =
        conf(
            "{\"portMappings\":[{\"HostPort\":8080,\"ContainerPort\":80,\"Protocol\":\"tcp\","
                + "\"HostIP\":\"\"},{\"HostPort\":5353,\"ContainerPort\":53,\"Protocol\":\"udp\",\"HostIP\":\"10.0.0.1\"}]}");
    NetConf lower =
        conf(
            "{\"portMappings\":[{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"tcp\","
                + "\"hostIP\":\"\"},{\"hostPort\":5353,\"containerPort\":53,\"protocol\":\"udp\",\"hostIP\":\"10.0.0.1\"}]}");
    List<PortMapping> expected =
        List.of(new PortMapping(8080, 80, "tcp", ""), new PortMapping(5353, 53, "udp", "10.0.0.1"));
    assertThat(Capabilities.portMappings(upper)).isEqualTo(expected);
    assertThat(Capabilities.portMappings(lower)).isEqualTo(expected);
    assertThat(Capabilities.portMappings(conf("{}"))).isEmpty();
    assertThat(Capabilities.portMappings(conf("{\"portMappings\":[{\"hostPort\":1}]}")))
        .containsExactly(new PortMapping(1, 0, null, null));
  }

  @Test
  void badShapesNameThePath() {
    // the path names the key as the runtime sent it
    assertThatThrownBy(
            () -> Capabilities.portMappings(conf("{\"portMappings\":[{\"HostPort\":\"80\"}]}")))
        .isInstanceOfSatisfying(
            CniException.class,
            e -> {
              assertThat(e.code()).isEqualTo(6);
              assertThat(e.msg())
                  .isEqualTo(
                      "\"runtimeConfig.portMappings[0].HostPort\": expected a number, got the string \"80\"");
            });
    assertThatThrownBy(() -> Capabilities.portMappings(conf("{\"portMappings\":{}}")))
        .hasMessageStartingWith("\"runtimeConfig.portMappings\": expected an array");
    assertThatThrownBy(() -> Capabilities.bandwidth(conf("{\"bandwidth\":{\"ingressRate\":-1.5}}")))
        .hasMessageStartingWith("\"runtimeConfig.bandwidth.ingressRate\": expected an integer");
  }

  @Test
  void ipRangesIpsMacBandwidthDns() {
    NetConf c =
        conf(
            "{\"ipRanges\":[[{\"subnet\":\"10.1.0.0/16\",\"rangeStart\":\"10.1.0.10\"}],"
                + "[{\"Subnet\":\"fd00::/64\",\"Gateway\":\"fd00::1\"},{\"subnet\":\"fd01::/64\"}]],"
                + "\"ips\":[\"10.1.0.9/16\",\"fd00::9\"],\"mac\":\"c2:11:22:33:44:55\","
                + "\"bandwidth\":{\"ingressRate\":1000000,\"ingressBurst\":5000,\"EgressRate\":2000000},"
                + "\"dns\":{\"servers\":[\"10.96.0.10\"],\"searches\":[\"svc\"]},\"aliases\":[\"a\"],\"deviceID\":\"0000:04:00.5\","
                + "\"cgroupPath\":\"/kubepods\",\"infinibandGUID\":\"g\"}");
    assertThat(Capabilities.ipRanges(c))
        .containsExactly(
            List.of(new IpRange("10.1.0.0/16", "10.1.0.10", null, null)),
            List.of(
                new IpRange("fd00::/64", null, null, "fd00::1"),
                new IpRange("fd01::/64", null, null, null)));
    assertThat(Capabilities.ips(c)).containsExactly("10.1.0.9/16", "fd00::9");
    assertThat(Capabilities.mac(c)).isEqualTo("c2:11:22:33:44:55");
    assertThat(Capabilities.bandwidth(c))
        .isEqualTo(new Capabilities.Bandwidth(1000000, 5000, 2000000, 0));
    Capabilities.DnsCapability dns = Capabilities.dnsCapability(c);
    assertThat(dns.servers()).containsExactly("10.96.0.10");
    assertThat(dns.searches()).containsExactly("svc");
    assertThat(dns.options()).isEmpty();
    assertThat(Capabilities.aliases(c)).containsExactly("a");
    assertThat(Capabilities.deviceId(c)).isEqualTo("0000:04:00.5");
    assertThat(Capabilities.cgroupPath(c)).isEqualTo("/kubepods");
    assertThat(Capabilities.infinibandGuid(c)).isEqualTo("g");

    NetConf none = conf("{}");
    assertThat(Capabilities.ipRanges(none)).isEmpty();
    assertThat(Capabilities.ips(none)).isEmpty();
    assertThat(Capabilities.mac(none)).isNull();
    assertThat(Capabilities.bandwidth(none)).isNull();
    assertThat(Capabilities.dnsCapability(none)).isNull();
  }

  @Test
  void argsCni() {
    NetConf c =
        NetConf.parse(
            ("{\"name\":\"n\",\"args\":{\"cni\":{\"ips\":[\"10.1.0.9\"],\"mac\":\"aa:bb:cc:dd:ee:ff\","
                    + "\"labels\":[{\"key\":\"app\",\"value\":\"web\"}]},\"other\":1}}")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(Capabilities.argsCniIps(c)).containsExactly("10.1.0.9");
    assertThat(Capabilities.argsCniMac(c)).isEqualTo("aa:bb:cc:dd:ee:ff");
    assertThat(Capabilities.argsCniLabels(c)).containsExactly(new Capabilities.Label("app", "web"));
    NetConf none = NetConf.parse("{\"name\":\"n\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(Capabilities.argsCniIps(none)).isEmpty();
    assertThat(Capabilities.argsCniMac(none)).isNull();
    assertThatThrownBy(
            () ->
                Capabilities.argsCniIps(
                    NetConf.parse(
                        "{\"args\":{\"cni\":{\"ips\":\"x\"}}}".getBytes(StandardCharsets.UTF_8))))
        .hasMessageStartingWith("\"args.cni.ips\": expected an array");
  }
}
