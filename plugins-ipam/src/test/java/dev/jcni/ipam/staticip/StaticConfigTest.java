package dev.jcni.ipam.staticip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.spec.CniArgs;
import dev.jcni.spec.CniException;
import dev.jcni.spec.Result;
import dev.jcni.spec.json.Json;
import dev.jcni.spec.net.Cidr;
import dev.jcni.spec.net.InetAddresses;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing, Go's precedence between the address sources, and validation (pure logic, no root). */
class StaticConfigTest {

  private static StaticConfig parse(String json, String cniArgs) {
    return StaticConfig.parse(Json.parseObject(json), CniArgs.parse(cniArgs));
  }

  private static String conf(String extra, String ipam) {
    return "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"bridge\""
        + extra
        + ",\"ipam\":{\"type\":\"static\""
        + ipam
        + "}}";
  }

  private static List<String> addrs(StaticConfig c) {
    return c.result().ips().stream()
        .map(
            i ->
                i.address()
                    + (i.gateway() == null ? "" : " gw " + InetAddresses.format(i.gateway())))
        .toList();
  }

  private static CniException error(String json, String cniArgs) {
    try {
      parse(json, cniArgs);
    } catch (CniException e) {
      return e;
    }
    throw new AssertionError("expected a CNI error for " + json);
  }

  @Test
  void addressesRoutesAndDnsCanonical() {
    StaticConfig c =
        parse(
            conf(
                "",
                ",\"addresses\":[{\"address\":\"10.0.0.5/24\",\"gateway\":\"10.0.0.1\"},"
                    + "{\"address\":\"FD00:0001::5/64\",\"gateway\":\"FD00:1::1\"},{\"address\":\"::ffff:10.9.0.5/120\"}],"
                    + "\"routes\":[{\"dst\":\"0.0.0.0/0\"},{\"dst\":\"fd00:2::/64\",\"gw\":\"FD00:1::1\",\"mtu\":1400,\"table\":100}],"
                    + "\"dns\":{\"nameservers\":[\"10.0.0.53\"],\"domain\":\"example\",\"search\":[\"a\",\"b\"],"
                    + "\"options\":[\"ndots:2\"]}"),
            "");
    assertThat(addrs(c))
        .containsExactly("10.0.0.5/24 gw 10.0.0.1", "fd00:1::5/64 gw fd00:1::1", "10.9.0.5/24");
    assertThat(c.routes())
        .containsExactly(
            Result.Route.parse("0.0.0.0/0", null),
            new Result.Route(
                Cidr.parse("fd00:2::/64"),
                InetAddresses.parse("fd00:1::1"),
                1400,
                null,
                null,
                100,
                null));
    assertThat(c.dns())
        .isEqualTo(
            new Result.Dns(List.of("10.0.0.53"), "example", List.of("a", "b"), List.of("ndots:2")));
    assertThat(c.result().interfaces()).isEmpty();
  }

  @Test
  void noAddressesIsAnEmptyResult() {
    StaticConfig c = parse(conf("", ""), "");
    assertThat(c.addresses()).isEmpty();
    assertThat(c.dns()).isNull();
  }

  @Test
  void cniArgsIpIsAppendedAndGatewayGoesToTheArgsAddressesThatContainIt() {
    StaticConfig c =
        parse(
            conf(
                "",
                ",\"addresses\":[{\"address\":\"10.1.0.9/16\"},{\"address\":\"10.0.0.5/24\","
                    + "\"gateway\":\"10.0.0.1\"}]"),
            "IP=10.1.0.5/16, 10.2.0.5/16 ,fd00::5/64;GATEWAY=10.1.0.1,fd00::1");
    // Go: the config's own 10.1.0.9/16 does not get the CNI_ARGS gateway (it is parsed after
    // CNI_ARGS there)
    assertThat(addrs(c))
        .containsExactly(
            "10.1.0.9/16",
            "10.0.0.5/24 gw 10.0.0.1",
            "10.1.0.5/16 gw 10.1.0.1",
            "10.2.0.5/16",
            "fd00::5/64 gw fd00::1");
  }

  @Test
  void argsCniIpsReplaceConfigAndCniArgsAddresses() {
    StaticConfig c =
        parse(
            conf(
                ",\"args\":{\"cni\":{\"ips\":[\"10.3.0.5/24\",\"fd00:3::5/64\"]}}",
                ",\"addresses\":[{\"address\":\"10.0.0.5/24\",\"gateway\":\"10.0.0.1\"}]"),
            "IP=10.1.0.5/16;GATEWAY=10.1.0.1");
    assertThat(addrs(c)).containsExactly("10.3.0.5/24", "fd00:3::5/64");
  }

  @Test
  void runtimeConfigIpsWinOverEverything() {
    StaticConfig c =
        parse(
            conf(
                ",\"args\":{\"cni\":{\"ips\":[\"10.3.0.5/24\"]}},\"runtimeConfig\":{\"ips\":"
                    + "[\"10.4.0.5/24\"]}",
                ",\"addresses\":[{\"address\":\"10.0.0.5/24\"}]"),
            "IP=10.1.0.5/16");
    assertThat(addrs(c)).containsExactly("10.4.0.5/24");
  }

  @Test
  void emptyListsDoNotReplace() {
    StaticConfig c =
        parse(
            conf(
                ",\"args\":{\"cni\":{\"ips\":[]}},\"runtimeConfig\":{\"ips\":[]}",
                ",\"addresses\":[{\"address\":\"10.0.0.5/24\"}]"),
            "IgnoreUnknown=1;K8S_POD_NAME=x");
    assertThat(addrs(c)).containsExactly("10.0.0.5/24");
  }

  @Test
  void keysAreMatchedCaseInsensitivelyAsGoDoes() {
    StaticConfig c =
        parse(
            "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"IPAM\":{\"Addresses\":[{\"Address\":"
                + "\"10.0.0.5/24\",\"Gateway\":\"10.0.0.1\"}]},\"RuntimeConfig\":{}}",
            "");
    assertThat(addrs(c)).containsExactly("10.0.0.5/24 gw 10.0.0.1");
  }

  @Test
  void configErrorsAreCode7NamingTheKeyWithGoWording() {
    CniException e = error(conf("", ",\"addresses\":[{\"address\":\"10.0.0.5\"}]"), "");
    assertThat(e.code()).isEqualTo(7);
    assertThat(e.msg())
        .isEqualTo(
            "ipam.addresses[0].address: the 'address' field is expected to be in CIDR "
                + "notation, got: '10.0.0.5'");
    e = error(conf("", ",\"addresses\":[{\"address\":\"10.0.0.5/24\",\"gateway\":\"x\"}]"), "");
    assertThat(e.code()).isEqualTo(7);
    assertThat(e.msg()).isEqualTo("ipam.addresses[0].gateway: invalid IP address: x");
    e = error(conf("", ",\"routes\":[{\"dst\":\"0.0.0.0/0\"},{\"dst\":\"10.0.0.0\"}]"), "");
    assertThat(e.msg()).isEqualTo("ipam.routes[1].dst: invalid CIDR address: 10.0.0.0");
    e = error(conf("", ",\"routes\":[{\"dst\":\"10.0.0.0/8\",\"gw\":\"10.0.0.300\"}]"), "");
    assertThat(e.msg()).isEqualTo("ipam.routes[0].gw: invalid IP address: 10.0.0.300");
    e = error(conf(",\"args\":{\"cni\":{\"ips\":[\"10.3.0.5\"]}}", ""), "");
    assertThat(e.code()).isEqualTo(7);
    assertThat(e.msg())
        .isEqualTo(
            "args.cni.ips[0]: an entry in the 'ips' field is NOT in CIDR notation, got: "
                + "'10.3.0.5'");
    e = error(conf(",\"runtimeConfig\":{\"ips\":[\"10.4.0.5/24\",\"nope\"]}", ""), "");
    assertThat(e.msg()).startsWith("runtimeConfig.ips[1]: ");
    e = error(conf(",\"runtimeConfig\":{\"ips\":\"10.4.0.5/24\"}", ""), "");
    assertThat(e.code()).isEqualTo(7);
    assertThat(e.msg())
        .isEqualTo("runtimeConfig.ips: expected a list, got the string \"10.4.0.5/24\"");
    e = error(conf("", ",\"addresses\":{}"), "");
    assertThat(e.msg()).isEqualTo("ipam.addresses: expected a list, got an object");
    e = error(conf("", ",\"dns\":{\"nameservers\":\"1.1.1.1\"}"), "");
    assertThat(e.msg())
        .isEqualTo("ipam.dns.nameservers: expected a list, got the string \"1.1.1.1\"");
    e = error("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"bridge\"}", "");
    assertThat(e.code()).isEqualTo(7);
    assertThat(e.msg()).isEqualTo("ipam: IPAM config missing 'ipam' key");
  }

  @Test
  void cniArgsErrorsAreCode4() {
    CniException e = error(conf("", ""), "IP=10.1.0.5");
    assertThat(e.code()).isEqualTo(4);
    assertThat(e.msg())
        .isEqualTo(
            "CNI_ARGS IP: the 'ip' field is expected to be in CIDR notation, got: '10.1.0.5'");
    e = error(conf("", ""), "IP=10.1.0.5/24,");
    assertThat(e.msg()).endsWith("got: ''");
    e = error(conf("", ""), "IP=10.1.0.5/24;GATEWAY=gw");
    assertThat(e.code()).isEqualTo(4);
    assertThat(e.msg()).isEqualTo("CNI_ARGS GATEWAY: invalid gateway address: gw");
    // libcni's LoadArgs: unknown keys fail unless IgnoreUnknown is set
    e = error(conf("", ""), "FOO=1");
    assertThat(e.code()).isEqualTo(4);
    assertThat(e.msg()).contains("FOO=1");
    assertThat(parse(conf("", ""), "IgnoreUnknown=true;FOO=1;IP=10.1.0.5/16").addresses())
        .hasSize(1);
  }

  @Test
  void oldVersionsAllowOneAddressPerFamily() {
    String two = ",\"addresses\":[{\"address\":\"10.0.0.5/24\"},{\"address\":\"10.0.0.6/24\"}]";
    CniException e = error(conf("", two).replace("1.0.0", "0.2.0"), "");
    assertThat(e.code()).isEqualTo(7);
    assertThat(e.msg())
        .isEqualTo(
            "ipam.addresses: CNI version 0.2.0 does not support more than 1 address per family");
    assertThat(parse(conf("", two).replace("1.0.0", "0.3.0"), "").addresses()).hasSize(2);
    assertThat(
            parse(
                    conf(
                            "",
                            ",\"addresses\":[{\"address\":\"10.0.0.5/24\"},{\"address\":\"fd00::5/64\"}]")
                        .replace("1.0.0", "0.1.0"),
                    "")
                .addresses())
        .hasSize(2);
  }
}
