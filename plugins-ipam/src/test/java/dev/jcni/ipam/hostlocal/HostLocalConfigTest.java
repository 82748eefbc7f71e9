package dev.jcni.ipam.hostlocal;

import static dev.jcni.ipam.hostlocal.ConfTrees.conf;
import static dev.jcni.ipam.hostlocal.ConfTrees.list;
import static dev.jcni.ipam.hostlocal.ConfTrees.obj;
import static dev.jcni.ipam.hostlocal.ConfTrees.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.spec.CniException;
import dev.jcni.spec.CniVersion;
import dev.jcni.spec.Result;
import dev.jcni.spec.net.Cidr;
import dev.jcni.spec.net.InetAddresses;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class HostLocalConfigTest {

  private static HostLocalConfig parse(Map<String, Object> conf) {
    return HostLocalConfig.parse(conf, null, true);
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> fails(
      Map<String, Object> conf, int code, String msg) {
    return assertThatThrownBy(() -> parse(conf))
        .isInstanceOf(CniException.class)
        .hasFieldOrPropertyWithValue("code", code)
        .hasMessageContaining(msg);
  }

  private static IpRange only(HostLocalConfig c) {
    assertThat(c.rangeSets()).hasSize(1);
    assertThat(c.rangeSets().get(0).ranges()).hasSize(1);
    return c.rangeSets().get(0).ranges().get(0);
  }

  @Test
  void v4DefaultsAsGo() {
    HostLocalConfig c =
        parse(conf("1.0.0", obj("type", "host-local", "ranges", list(list(range("10.1.2.0/24"))))));
    IpRange r = only(c);
    assertThat(Addrs.text(r.start())).isEqualTo("10.1.2.1");
    assertThat(Addrs.text(r.end())).isEqualTo("10.1.2.254");
    assertThat(Addrs.text(r.gateway())).isEqualTo("10.1.2.1");
    assertThat(r).hasToString("10.1.2.1-10.1.2.254");
    assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/cni/networks"));
    assertThat(c.networkDir()).isEqualTo(Path.of("/var/lib/cni/networks/testnet"));
    assertThat(c.cniVersion()).isEqualTo(CniVersion.V1_0_0);
    assertThat(c.routes()).isEmpty();
    assertThat(c.requestedIps()).isEmpty();
  }

  @Test
  void v6DefaultsToTheLastAddressOfThePrefix() {
    IpRange r = only(parse(conf("1.0.0", obj("ranges", list(list(range("fd00:1:2::/64")))))));
    assertThat(Addrs.text(r.start())).isEqualTo("fd00:1:2::1");
    assertThat(Addrs.text(r.end())).isEqualTo("fd00:1:2:0:ffff:ffff:ffff:ffff");
    assertThat(Addrs.text(r.gateway())).isEqualTo("fd00:1:2::1");
  }

  @Test
  void explicitStartEndGateway() {
    IpRange r =
        only(
            parse(
                conf(
                    "0.4.0",
                    obj(
                        "ranges",
                        list(
                            list(
                                obj(
                                    "subnet",
                                    "10.1.2.0/24",
                                    "rangeStart",
                                    "10.1.2.100",
                                    "rangeEnd",
                                    "10.1.2.120",
                                    "gateway",
                                    "10.1.2.254")))))));
    assertThat(r).hasToString("10.1.2.100-10.1.2.120");
    assertThat(Addrs.text(r.gateway())).isEqualTo("10.1.2.254");
    assertThat(r.contains(Addrs.parseOrNull("10.1.2.99"))).isFalse();
    assertThat(r.contains(Addrs.parseOrNull("10.1.2.100"))).isTrue();
    assertThat(r.contains(Addrs.parseOrNull("10.1.2.120"))).isTrue();
    assertThat(r.contains(Addrs.parseOrNull("10.1.2.121"))).isFalse();
  }

  @Test
  void keysMatchCaseInsensitivelyLikeGo() {
    IpRange r =
        only(
            parse(
                conf(
                    "1.0.0",
                    obj(
                        "Ranges",
                        list(list(obj("Subnet", "10.9.0.0/16", "RANGESTART", "10.9.1.0")))))));
    assertThat(Addrs.text(r.start())).isEqualTo("10.9.1.0");
  }

  @Test
  void rangeSetOrderIsIpRangesThenLegacyThenRanges() {
    HostLocalConfig c =
        parse(
            conf(
                "1.0.0",
                obj(
                    "subnet",
                    "10.2.0.0/16",
                    "rangeStart",
                    "10.2.0.10",
                    "ranges",
                    list(list(range("10.3.0.0/16")), list(range("fd00:3::/64")))),
                "runtimeConfig",
                obj("ipRanges", list(list(range("10.1.0.0/16"))))));
    assertThat(c.rangeSets())
        .extracting(RangeSet::toString)
        .containsExactly(
            "10.1.0.1-10.1.255.254",
            "10.2.0.10-10.2.255.254",
            "10.3.0.1-10.3.255.254",
            "fd00:3::1-fd00:3::ffff:ffff:ffff:ffff");
  }

  @Test
  void legacyRangeWithoutSubnetIsIgnoredAsInGo() {
    HostLocalConfig c =
        parse(
            conf(
                "1.0.0",
                obj("rangeStart", "10.2.0.10", "ranges", list(list(range("10.3.0.0/16"))))));
    assertThat(c.rangeSets()).hasSize(1);
  }

  @Test
  void subnetValidation() {
    fails(
        conf("1.0.0", obj("ranges", list(list(range("10.1.2.5/24"))))),
        7,
        "ipam.ranges[0][0].subnet: 10.1.2.5/24 has host bits set; for a prefix length of 24 the network address is 10.1.2.0");
    for (String small : new String[] {"10.1.2.0/31", "10.1.2.0/32", "fd00::/127", "fd00::/128"}) {
      fails(
          conf("1.0.0", obj("ranges", list(list(range(small))))), 7, "too small to allocate from");
    }
    fails(
        conf("1.0.0", obj("ranges", list(list(range("bogus"))))),
        7,
        "ipam.ranges[0][0].subnet: invalid CIDR");
    fails(
        conf("1.0.0", obj("ranges", list(list(obj("gateway", "10.0.0.1"))))),
        7,
        "ipam.ranges[0][0].subnet: required");
    fails(
        conf("1.0.0", obj("subnet", "10.0.0.1/8")), 7, "ipam.subnet: 10.0.0.1/8 has host bits set");
    // /30 is the smallest allowed IPv4 subnet
    assertThat(only(parse(conf("1.0.0", obj("subnet", "10.0.0.0/30")))).toString())
        .isEqualTo("10.0.0.1-10.0.0.2");
    assertThat(only(parse(conf("1.0.0", obj("subnet", "fd00::/126")))).toString())
        .isEqualTo("fd00::1-fd00::3");
  }

  @Test
  void startEndGatewayValidation() {
    fails(
        conf(
            "1.0.0",
            obj("ranges", list(list(obj("subnet", "10.1.2.0/24", "rangeStart", "10.1.3.1"))))),
        7,
        "ipam.ranges[0][0].rangeStart: 10.1.3.1 not in network 10.1.2.0/24");
    fails(
        conf(
            "1.0.0",
            obj("ranges", list(list(obj("subnet", "10.1.2.0/24", "rangeEnd", "10.1.3.1"))))),
        7,
        "ipam.ranges[0][0].rangeEnd: 10.1.3.1 not in network 10.1.2.0/24");
    fails(
        conf(
            "1.0.0",
            obj("ranges", list(list(obj("subnet", "10.1.2.0/24", "gateway", "10.1.3.1"))))),
        7,
        "ipam.ranges[0][0].gateway: 10.1.3.1 not in network 10.1.2.0/24");
    fails(
        conf(
            "1.0.0",
            obj(
                "ranges",
                list(
                    list(
                        obj(
                            "subnet",
                            "10.1.2.0/24",
                            "rangeStart",
                            "10.1.2.100",
                            "rangeEnd",
                            "10.1.2.50"))))),
        7,
        "ipam.ranges[0][0].rangeEnd: 10.1.2.50 is before rangeStart 10.1.2.100");
    fails(
        conf(
            "1.0.0",
            obj("ranges", list(list(obj("subnet", "10.1.2.0/24", "rangeStart", "fd00::1"))))),
        7,
        "ipam.ranges[0][0].rangeStart: fd00::1 is not the same address family");
    fails(
        conf("1.0.0", obj("ranges", list(list(obj("subnet", "10.1.2.0/24", "gateway", "nope"))))),
        7,
        "ipam.ranges[0][0].gateway: invalid IP address \"nope\"");
    fails(
        conf("1.0.0", obj("ranges", list(list(obj("subnet", 24))))),
        7,
        "ipam.ranges[0][0].subnet: expected a string");
  }

  @Test
  void rangeSetValidation() {
    fails(conf("1.0.0", obj("ranges", list(list()))), 7, "ipam.ranges[0]: empty range set");
    fails(
        conf("1.0.0", obj("ranges", list(list(range("10.1.2.0/24"), range("fd00::/64"))))),
        7,
        "ipam.ranges[0]: mixed address families");
    fails(
        conf("1.0.0", obj("ranges", list(list(range("10.1.2.0/24"), range("10.1.2.0/25"))))),
        7,
        "ipam.ranges[0]: ranges 10.1.2.1-10.1.2.254 and 10.1.2.1-10.1.2.126 overlap");
    fails(
        conf("1.0.0", obj("ranges", list(list(range("10.1.2.0/24")), list(range("10.1.0.0/16"))))),
        7,
        "range set 0 (10.1.2.1-10.1.2.254) overlaps with range set 1");
    fails(conf("1.0.0", obj("ranges", list())), 7, "no IP ranges specified");
    fails(conf("1.0.0", obj("type", "host-local")), 7, "no IP ranges specified");
    fails(conf("1.0.0", obj("ranges", "10.0.0.0/8")), 7, "ipam.ranges: expected a list");
    // disjoint ranges of one subnet are fine
    HostLocalConfig c =
        parse(
            conf(
                "1.0.0",
                obj(
                    "ranges",
                    list(
                        list(
                            obj(
                                "subnet",
                                "10.1.2.0/24",
                                "rangeStart",
                                "10.1.2.10",
                                "rangeEnd",
                                "10.1.2.19"),
                            obj(
                                "subnet",
                                "10.1.2.0/24",
                                "rangeStart",
                                "10.1.2.20",
                                "rangeEnd",
                                "10.1.2.29"))))));
    assertThat(c.rangeSets().get(0)).hasToString("10.1.2.10-10.1.2.19,10.1.2.20-10.1.2.29");
  }

  @Test
  void oldVersionsAllowOneSetPerFamily() {
    Map<String, Object> ipam =
        obj("ranges", list(list(range("10.1.2.0/24")), list(range("10.1.3.0/24"))));
    for (String v : new String[] {"0.1.0", "0.2.0", ""}) {
      fails(conf(v, ipam), 7, "does not support more than 1 address per family");
    }
    assertThat(parse(conf("0.3.0", ipam)).rangeSets()).hasSize(2);
    assertThat(
            parse(
                    conf(
                        "0.2.0",
                        obj("ranges", list(list(range("10.1.2.0/24")), list(range("fd00::/64"))))))
                .rangeSets())
        .hasSize(2);
  }

  @Test
  void ipamAndNameAreRequiredAndSafe() {
    assertThatThrownBy(() -> parse(obj("cniVersion", "1.0.0", "name", "n", "type", "x")))
        .hasFieldOrPropertyWithValue("code", 7)
        .hasMessageContaining("ipam: required");
    for (String bad : new String[] {"..", ".", "a/b", "../etc", "/abs", ""}) {
      Map<String, Object> c = conf("1.0.0", obj("subnet", "10.0.0.0/24"));
      c.put("name", bad);
      assertThatThrownBy(() -> parse(c))
          .as(bad)
          .hasFieldOrPropertyWithValue("code", 7)
          .hasMessageStartingWith("name:");
      assertThatThrownBy(() -> HostLocalConfig.parse(c, null, false))
          .as(bad)
          .hasFieldOrPropertyWithValue("code", 7);
    }
  }

  @Test
  void dataDirAndDelParsingIgnoreRanges() {
    Map<String, Object> c =
        conf("1.0.0", obj("dataDir", "/tmp/x", "ranges", list(list(range("10.1.2.5/24")))));
    fails(c, 7, "host bits");
    HostLocalConfig forDel = HostLocalConfig.parse(c, null, false);
    assertThat(forDel.networkDir()).isEqualTo(Path.of("/tmp/x/testnet"));
    assertThat(forDel.rangeSets()).isEmpty();
  }

  @Test
  void requestedIpsFromAllThreeSources() {
    Map<String, Object> c =
        conf(
            "1.0.0",
            obj("ranges", list(list(range("10.1.0.0/16")), list(range("fd00::/64")))),
            "args",
            obj("cni", obj("ips", list("10.1.0.7", "fd00::7"))),
            "runtimeConfig",
            obj("ips", list("10.1.0.8/16", "10.1.0.7")));
    HostLocalConfig hc = HostLocalConfig.parse(c, "10.1.0.9", true);
    assertThat(hc.requestedIps())
        .extracting(Addrs::text)
        .containsExactly("10.1.0.9", "10.1.0.7", "fd00::7", "10.1.0.8");
    assertThatThrownBy(() -> HostLocalConfig.parse(c, "bad", true))
        .hasFieldOrPropertyWithValue("code", 4)
        .hasMessageContaining("CNI_ARGS: IP=bad");
    Map<String, Object> bad =
        conf("1.0.0", obj("subnet", "10.1.0.0/16"), "args", obj("cni", obj("ips", list("x"))));
    fails(bad, 7, "args.cni.ips[0]: \"x\" is not an IP address");
    Map<String, Object> bad2 =
        conf("1.0.0", obj("subnet", "10.1.0.0/16"), "runtimeConfig", obj("ips", list(5)));
    fails(bad2, 7, "runtimeConfig.ips[0]: expected a string");
  }

  @Test
  void routesAreValidatedAndCopied() {
    HostLocalConfig c =
        parse(
            conf(
                "1.1.0",
                obj(
                    "subnet",
                    "10.1.0.0/16",
                    "routes",
                    list(
                        obj("dst", "0.0.0.0/0"),
                        obj("dst", "192.168.0.0/16", "gw", "10.1.0.254", "mtu", 1400)))));
    assertThat(c.routes())
        .containsExactly(
            Result.Route.parse("0.0.0.0/0", null),
            new Result.Route(
                Cidr.parse("192.168.0.0/16"),
                InetAddresses.parse("10.1.0.254"),
                1400,
                null,
                null,
                null,
                null));
    fails(
        conf("1.0.0", obj("subnet", "10.1.0.0/16", "routes", list(obj("gw", "10.1.0.1")))),
        7,
        "ipam.routes[0].dst: required");
    fails(
        conf("1.0.0", obj("subnet", "10.1.0.0/16", "routes", list(obj("dst", "x")))),
        7,
        "ipam.routes[0].dst: invalid CIDR");
    fails(
        conf(
            "1.0.0",
            obj("subnet", "10.1.0.0/16", "routes", list(obj("dst", "0.0.0.0/0", "gw", "y")))),
        7,
        "ipam.routes[0].gw: invalid IP address");
  }

  @Test
  void resolvConfParsesLikeGo() {
    Result.Dns d =
        ResolvConf.parse(
            List.of(
                "# comment",
                "; also",
                "nameserver 10.0.0.53",
                "nameserver  fd00::53",
                "domain example.com",
                "search a.example b.example",
                "options ndots:5 edns0",
                "garbage",
                "sortlist x"));
    assertThat(d.nameservers()).containsExactly("10.0.0.53", "fd00::53");
    assertThat(d.domain()).isEqualTo("example.com");
    assertThat(d.search()).containsExactly("a.example", "b.example");
    assertThat(d.options()).containsExactly("ndots:5", "edns0");
  }
}
