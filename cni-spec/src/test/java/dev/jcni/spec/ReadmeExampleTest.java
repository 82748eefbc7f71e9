package dev.jcni.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.spec.json.Json;
import dev.jcni.spec.net.Cidr;
import dev.jcni.spec.net.InetAddresses;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The code of cni-spec/README.md, kept compiling and correct. */
class ReadmeExampleTest {
  // a plugin's own config keys, bound case-insensitively
  record BridgeConf(String name, String bridge, Integer mtu, boolean isGateway, Cidr subnet) {}

  @Test
  void readmeExample() {
    byte[] stdin =
        """
        {"cniVersion":"0.4.0","name":"k8s","type":"bridge","bridge":"cni0","MTU":1450,
         "isGateway":true,"subnet":"10.22.0.0/16",
         "runtimeConfig":{"portMappings":[{"HostPort":8080,"ContainerPort":80,"Protocol":"tcp"}]}}
        """
            .getBytes(StandardCharsets.UTF_8);
    NetConf conf = NetConf.parse(stdin);
    BridgeConf bc = conf.bind(BridgeConf.class);
    List<Capabilities.PortMapping> ports = Capabilities.portMappings(conf);

    InetAddress gw = bc.subnet().firstHost(); // 10.22.0.1
    Cidr addr = Cidr.of(InetAddresses.add(gw, 4), bc.subnet().prefixLength()); // 10.22.0.5/16
    Result result =
        Result.empty(CniVersion.CURRENT)
            .withInterfaces(
                List.of(Result.Interface.of("eth0", "0a:58:0a:16:00:05", "/var/run/netns/x")))
            .withIps(List.of(new Result.IpConfig(0, addr, gw)))
            .withRoutes(List.of(Result.Route.of(Cidr.parse("0.0.0.0/0"), gw)));
    String out = new String(ResultCodec.toJson(result, conf.cniVersion()), StandardCharsets.UTF_8);

    assertThat(bc).isEqualTo(new BridgeConf("k8s", "cni0", 1450, true, Cidr.parse("10.22.0.0/16")));
    assertThat(ports).containsExactly(new Capabilities.PortMapping(8080, 80, "tcp", null));
    assertThat(out)
        .isEqualTo(
            "{\"cniVersion\":\"0.4.0\",\"interfaces\":[{\"name\":\"eth0\",\"mac\":"
                + "\"0a:58:0a:16:00:05\",\"sandbox\":\"/var/run/netns/x\"}],\"ips\":[{\"version\":\"4\",\"interface\":0,"
                + "\"address\":\"10.22.0.5/16\",\"gateway\":\"10.22.0.1\"}],\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":"
                + "\"10.22.0.1\"}],\"dns\":{}}");
    assertThat(Json.writeString(ResultCodec.convert(Json.parseObject(out), "0.2.0")))
        .isEqualTo(
            "{\"cniVersion\":\"0.2.0\",\"ip4\":{\"ip\":\"10.22.0.5/16\",\"gateway\":\"10.22.0.1\",\"routes\":"
                + "[{\"dst\":\"0.0.0.0/0\",\"gw\":\"10.22.0.1\"}]},\"dns\":{}}");
  }
}
