package dev.jcni.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.spec.json.Json;
import dev.jcni.spec.net.Cidr;
import dev.jcni.spec.net.InetAddresses;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ResultCodecTest {
  static final Result FULL =
      new Result(
          CniVersion.V1_1_0,
          List.of(
              new Result.Interface("cni0", "aa:bb:cc:dd:ee:01", 1500, null, null, null),
              new Result.Interface(
                  "eth0", "0a:58:0a:01:00:05", 1450, "/var/run/netns/x", null, "0000:3b:02.1")),
          List.of(
              Result.IpConfig.parse(1, "10.1.0.5/24", "10.1.0.1"),
              Result.IpConfig.parse(1, "10.2.0.5/24", null),
              Result.IpConfig.parse(0, "fd00:1::5/64", "fd00:1::1")),
          List.of(
              new Result.Route(
                  Cidr.parse("0.0.0.0/0"), InetAddresses.parse("10.1.0.1"), 1400, 1360, 100, 0, 0),
              Result.Route.parse("::/0", "fd00:1::1"),
              Result.Route.parse("192.168.0.0/16", null)),
          new Result.Dns(
              List.of("10.96.0.10"),
              "cluster.local",
              List.of("svc.cluster.local"),
              List.of("ndots:5")));

  static List<CniVersion> versions() {
    return CniVersion.ALL;
  }

  @ParameterizedTest
  @MethodSource("versions")
  void roundTripsAtEveryVersion(CniVersion v) {
    Map<String, Object> wire = ResultCodec.encode(FULL, v);
    assertThat(wire.get("cniVersion")).isEqualTo(v.toString());
    // through bytes and back: decoding then re-encoding at the same version is the identity on the
    // wire form
    Result back = ResultCodec.decode(Json.write(wire), null);
    assertThat(back.cniVersion()).isEqualTo(v);
    assertThat(ResultCodec.encode(back, v)).isEqualTo(wire);
    assertThat(Json.parse(Json.write(back)))
        .isEqualTo(wire); // Json.write(Result) = wire form at its version
  }

  @ParameterizedTest
  @MethodSource("versions")
  void typedFieldsRoundTripAtEveryVersion(CniVersion v) {
    Cidr a4 = Cidr.of(InetAddresses.parse("10.1.0.5"), 24);
    Cidr a6 = Cidr.parse("fd00:1::5/64");
    InetAddress gw4 = InetAddresses.fromBytes(InetAddresses.parse("::ffff:10.1.0.1").getAddress());
    InetAddress gw6 = InetAddresses.parse("fd00:1::1");
    Result.Route def4 = new Result.Route(Cidr.parse("0.0.0.0/0"), gw4, 1400, null, 100, 0, null);
    Result.Route def6 = Result.Route.of(Cidr.parse("::/0"), gw6);
    Result.Route direct = Result.Route.of(Cidr.parse("192.168.0.0/16"), null);
    Result typed =
        new Result(
            v,
            List.of(Result.Interface.of("eth0", "0a:58:0a:01:00:05", "/var/run/netns/x")),
            List.of(
                new Result.IpConfig(0, a4, gw4),
                new Result.IpConfig(0, a6, gw6),
                new Result.IpConfig(0, Cidr.parse("10.2.0.5/24"), null)),
            List.of(def4, def6, direct),
            null);

    Result back = ResultCodec.decode(ResultCodec.toJson(typed, v), null);

    assertThat(back.cniVersion()).isEqualTo(v);
    if (v.compareTo(CniVersion.V0_3_0) >= 0) {
      assertThat(back.ips()).isEqualTo(typed.ips());
      assertThat(back.interfaces()).isEqualTo(typed.interfaces());
      // 0.3.x/0.4.0 keep the 1.1.0 route fields too (libcni's types040 Route is types.Route)
      assertThat(back.routes()).isEqualTo(typed.routes());
    } else {
      // ip4/ip6: the first address of each family, no interface index; routes follow their family
      // (types020's
      // routes are types.Route, so a model made at 0.2.0 keeps the extra route fields)
      assertThat(back.ips())
          .containsExactly(new Result.IpConfig(null, a4, gw4), new Result.IpConfig(null, a6, gw6));
      assertThat(back.interfaces()).isEmpty();
      assertThat(back.routes()).containsExactly(def4, direct, def6);
    }
    Result.IpConfig ip4 = back.ips().get(0);
    assertThat(ip4.address().address()).isInstanceOf(java.net.Inet4Address.class);
    assertThat(ip4.gateway())
        .isInstanceOf(java.net.Inet4Address.class)
        .isEqualTo(InetAddresses.parse("10.1.0.1"));
    assertThat(ip4.family()).isEqualTo(4);
    assertThat(back.ips().get(1).gateway()).isInstanceOf(java.net.Inet6Address.class);
    assertThat(back.ips().get(1).family()).isEqualTo(6);
    // the wire text is Go's canonical text whatever InetAddress subclass or spelling the model was
    // built with
    String wire = new String(ResultCodec.toJson(back, v), StandardCharsets.UTF_8);
    assertThat(wire)
        .contains("\"10.1.0.5/24\"", "\"10.1.0.1\"", "\"fd00:1::5/64\"", "\"fd00:1::1\"")
        .doesNotContain("ffff", "\"/10.");
  }

  @Test
  void typedModelRefusesMissingAddresses() {
    assertThatThrownBy(() -> new Result.IpConfig(0, null, null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Result.Route.of(null, InetAddresses.parse("10.0.0.1")))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Result.IpConfig.parse(0, "10.0.0.5", null))
        .isInstanceOfSatisfying(CniException.class, e -> assertThat(e.code()).isEqualTo(7));
    assertThat(Result.Route.parse("FD00::/8", "FD00::0:1"))
        .isEqualTo(Result.Route.of(Cidr.parse("fd00::/8"), InetAddresses.parse("fd00::1")));
  }

  @Test
  void lossless110RoundTrip() {
    Result back = ResultCodec.decode(ResultCodec.toJson(FULL, CniVersion.V1_1_0), null);
    assertThat(back).isEqualTo(FULL);
    // 1.0.0 carries 1.1.0 fields, as libcni's label-only conversion does
    Result at100 = ResultCodec.decode(ResultCodec.toJson(FULL, CniVersion.V1_0_0), null);
    assertThat(at100).isEqualTo(FULL.withVersion(CniVersion.V1_0_0));
  }

  @Test
  void shapesPerVersion() {
    assertThat(Json.writeString(ResultCodec.encode(FULL, CniVersion.V0_2_0)))
        .isEqualTo(
            "{\"cniVersion\":\"0.2.0\",\"ip4\":{\"ip\":\"10.1.0.5/24\",\"gateway\":\"10.1.0.1\",\"routes\":["
                + "{\"dst\":\"0.0.0.0/0\",\"gw\":\"10.1.0.1\"},{\"dst\":\"192.168.0.0/16\"}]},\"ip6\":{\"ip\":"
                + "\"fd00:1::5/64\",\"gateway\":\"fd00:1::1\",\"routes\":[{\"dst\":\"::/0\",\"gw\":\"fd00:1::1\"}]},"
                + "\"dns\":{\"nameservers\":[\"10.96.0.10\"],\"domain\":\"cluster.local\",\"search\":"
                + "[\"svc.cluster.local\"],\"options\":[\"ndots:5\"]}}");
    assertThat(Json.writeString(ResultCodec.encode(FULL, CniVersion.V0_4_0)))
        .isEqualTo(
            "{\"cniVersion\":\"0.4.0\",\"interfaces\":[{\"name\":\"cni0\",\"mac\":\"aa:bb:cc:dd:ee:01\"},"
                + "{\"name\":\"eth0\",\"mac\":\"0a:58:0a:01:00:05\",\"sandbox\":\"/var/run/netns/x\"}],\"ips\":["
                + "{\"version\":\"4\",\"interface\":1,\"address\":\"10.1.0.5/24\",\"gateway\":\"10.1.0.1\"},"
                + "{\"version\":\"4\",\"interface\":1,\"address\":\"10.2.0.5/24\"},{\"version\":\"6\",\"interface\":0,"
                + "\"address\":\"fd00:1::5/64\",\"gateway\":\"fd00:1::1\"}],\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":"
                + "\"10.1.0.1\",\"mtu\":1400,\"advmss\":1360,\"priority\":100,\"table\":0,\"scope\":0},{\"dst\":\"::/0\","
                + "\"gw\":\"fd00:1::1\"},{\"dst\":\"192.168.0.0/16\"}],\"dns\":{\"nameservers\":[\"10.96.0.10\"],"
                + "\"domain\":\"cluster.local\",\"search\":[\"svc.cluster.local\"],\"options\":[\"ndots:5\"]}}");
    Map<String, Object> v1 = ResultCodec.encode(FULL, CniVersion.V1_1_0);
    assertThat(v1.keySet()).containsExactly("cniVersion", "dns", "interfaces", "ips", "routes");
    assertThat(Json.writeString(((List<?>) v1.get("interfaces")).get(1)))
        .isEqualTo(
            "{\"mac\":\"0a:58:0a:01:00:05\",\"mtu\":1450,\"name\":\"eth0\",\"pciID\":\"0000:3b:02.1\","
                + "\"sandbox\":\"/var/run/netns/x\"}");
  }

  @Test
  void emptyResultsAndDns() {
    Result empty = Result.empty(CniVersion.V1_0_0);
    assertThat(Json.writeString(ResultCodec.encode(empty, CniVersion.V1_0_0)))
        .isEqualTo("{\"cniVersion\":\"1.0.0\"}");
    assertThat(Json.writeString(ResultCodec.encode(empty, CniVersion.V0_4_0)))
        .isEqualTo("{\"cniVersion\":\"0.4.0\",\"dns\":{}}");
    assertThatThrownBy(() -> ResultCodec.encode(empty, CniVersion.V0_2_0))
        .isInstanceOfSatisfying(
            CniException.class,
            e -> {
              assertThat(e.code()).isEqualTo(1);
              assertThat(e.msg()).isEqualTo("cannot convert: no valid IP addresses");
            });
  }

  @Test
  void missingVersionUsesFallbackThenV010() {
    byte[] noVersion =
        "{\"ips\":[{\"version\":\"4\",\"address\":\"10.0.0.2/24\"}],\"dns\":{}}"
            .getBytes(StandardCharsets.UTF_8);
    Result asConfig = ResultCodec.decode(noVersion, CniVersion.V0_4_0);
    assertThat(asConfig.cniVersion()).isEqualTo(CniVersion.V0_4_0);
    assertThat(asConfig.ips()).containsExactly(Result.IpConfig.parse(null, "10.0.0.2/24", null));
    assertThat(asConfig.dns()).isNull();
    Result asSpec = ResultCodec.decode(noVersion, null);
    assertThat(asSpec.cniVersion()).isEqualTo(CniVersion.V0_1_0);
    assertThat(asSpec.ips()).isEmpty(); // a 0.1.0 result has ip4/ip6, not ips
    assertThat(
            ResultCodec.decode(
                    "{\"cniVersion\":\"\",\"ip4\":{\"ip\":\"10.0.0.2/24\"}}"
                        .getBytes(StandardCharsets.UTF_8),
                    CniVersion.V0_2_0)
                .cniVersion())
        .isEqualTo(CniVersion.V0_2_0);
  }

  @Test
  void tolerantKeys() {
    // libcni's ParsePrevResult injects "CNIVersion"; Go matches keys case-insensitively
    Result r =
        ResultCodec.decode(
            Json.parseObject(
                "{\"CNIVersion\":\"1.0.0\",\"IPs\":[{\"Address\":\"10.0.0.2/24\","
                    + "\"Interface\":0}],\"Routes\":[{\"Dst\":\"0.0.0.0/0\",\"GW\":\"10.0.0.1\"}],\"DNS\":{}}"),
            null);
    assertThat(r.cniVersion()).isEqualTo(CniVersion.V1_0_0);
    assertThat(r.ips()).containsExactly(Result.IpConfig.parse(0, "10.0.0.2/24", null));
    assertThat(r.routes()).containsExactly(Result.Route.parse("0.0.0.0/0", "10.0.0.1"));
    assertThat(r.dns()).isNull();
    // both keys: the exact one wins
    assertThat(
            ResultCodec.decode(
                    Json.parseObject("{\"CNIVersion\":\"0.4.0\",\"cniVersion\":\"1.0.0\"}"), null)
                .cniVersion())
        .isEqualTo(CniVersion.V1_0_0);
    // the spec-0.3.0 "ip" key is ignored, as libcni does (see the v0.3.0-ip-key fixtures)
    assertThat(
            ResultCodec.decode(
                    Json.parseObject(
                        "{\"cniVersion\":\"0.3.0\",\"ip\":[{\"version\":\"4\","
                            + "\"address\":\"10.0.0.2/24\"}]}"),
                    null)
                .ips())
        .isEmpty();
    // unknown keys are ignored; "gateway":"" means none; zero mtu is unset, zero table is kept
    Result z =
        ResultCodec.decode(
            Json.parseObject(
                "{\"cniVersion\":\"1.1.0\",\"x\":1,\"ips\":[{\"address\":"
                    + "\"10.0.0.2/24\",\"gateway\":\"\"}],\"routes\":[{\"dst\":\"10.0.0.0/8\",\"mtu\":0,\"table\":0}],"
                    + "\"interfaces\":[{\"name\":\"eth0\",\"mtu\":0}]}"),
            null);
    assertThat(z.ips().get(0).gateway()).isNull();
    assertThat(z.routes().get(0))
        .isEqualTo(new Result.Route(Cidr.parse("10.0.0.0/8"), null, null, null, null, 0, null));
    assertThat(z.interfaces().get(0).mtu()).isNull();
  }

  @Test
  void canonicalizesAddresses() {
    Result r =
        ResultCodec.decode(
            Json.parseObject(
                "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":"
                    + "\"FD00:0001:0000:0000:0000:0000:0000:0005/64\",\"gateway\":\"::ffff:10.0.0.1\"},{\"address\":"
                    + "\"::ffff:10.0.0.9/120\"}],\"routes\":[{\"dst\":\"0:0:0:0:0:0:0:0/0\"}]}"),
            null);
    assertThat(r.ips().get(0).address())
        .isEqualTo(Cidr.parse("fd00:1::5/64"))
        .hasToString("fd00:1::5/64");
    assertThat(r.ips().get(0).gateway())
        .isInstanceOf(java.net.Inet4Address.class)
        .isEqualTo(InetAddresses.parse("10.0.0.1"));
    assertThat(r.ips().get(1).address()).hasToString("10.0.0.9/24");
    assertThat(r.routes().get(0).dst()).hasToString("::/0");
    // model-built results are canonicalized on output too
    Result built =
        new Result(
            CniVersion.V1_0_0,
            null,
            List.of(Result.IpConfig.parse(null, "FD00::0:1/64", null)),
            null,
            null);
    assertThat(Json.writeString(ResultCodec.encode(built, CniVersion.V1_0_0)))
        .isEqualTo("{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"fd00::1/64\"}]}");
  }

  @Test
  void malformedContentIsCode6NamingTheKey() {
    String[][] cases = {
      {
        "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.0.0.300/24\"}]}",
        "\"ips[0].address\": invalid CIDR address: 10.0.0.300/24"
      },
      {
        "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.0.0.3\"}]}",
        "\"ips[0].address\": invalid CIDR address: 10.0.0.3"
      },
      {
        "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.0.0.3/24\",\"gateway\":\"gw\"}]}",
        "\"ips[0].gateway\": invalid IP address: gw"
      },
      {"{\"cniVersion\":\"1.0.0\",\"ips\":[{}]}", "\"ips[0].address\": missing CIDR address"},
      {
        "{\"cniVersion\":\"1.1.0\",\"routes\":[{\"dst\":\"0.0.0.0/0\",\"mtu\":\"1400\"}]}",
        "\"routes[0].mtu\": expected a number, got the string \"1400\""
      },
      {
        "{\"cniVersion\":\"1.1.0\",\"interfaces\":{}}",
        "\"interfaces\": expected an array, got an object"
      },
      {"{\"cniVersion\":0.4}", "\"cniVersion\": expected a string, got the number 0.4"},
      {"{\"cniVersion\":\"0.2.0\",\"ip4\":[]}", "\"ip4\": expected an object, got an array"},
      {
        "{\"cniVersion\":\"1.0.0\",\"dns\":{\"nameservers\":\"8.8.8.8\"}}",
        "\"dns.nameservers\": expected an array, got the string \"8.8.8.8\""
      },
    };
    for (String[] c : cases) {
      assertThatThrownBy(() -> ResultCodec.decode(Json.parseObject(c[0]), null))
          .as(c[0])
          .isInstanceOfSatisfying(
              CniException.class,
              e -> {
                assertThat(e.code()).isEqualTo(6);
                assertThat(e.msg()).isEqualTo(c[1]);
              });
    }
  }

  @Test
  void unknownVersions() {
    assertThatThrownBy(
            () -> ResultCodec.decode(Json.parseObject("{\"cniVersion\":\"2.0.0\"}"), null))
        .isInstanceOfSatisfying(
            CniException.class,
            e -> {
              assertThat(e.code()).isEqualTo(1);
              assertThat(e.msg()).isEqualTo("unsupported CNI result version \"2.0.0\"");
            });
    assertThatThrownBy(() -> ResultCodec.encode(FULL, new CniVersion(1, 2, 0)))
        .isInstanceOfSatisfying(
            CniException.class,
            e -> {
              assertThat(e.code()).isEqualTo(1);
              assertThat(e.msg()).isEqualTo("no converter for CNI result version 1.1.0 to 1.2.0");
            });
    assertThatThrownBy(
            () -> ResultCodec.convert(Json.parseObject("{\"cniVersion\":\"1.0.0\"}"), "banana"))
        .hasMessage("no converter for CNI result version 1.0.0 to banana");
  }

  @Test
  void prevResultThroughNetConf() {
    NetConf c =
        NetConf.parse(
            ("{\"cniVersion\":\"0.4.0\",\"name\":\"n\",\"type\":\"t\",\"prevResult\":{"
                    + "\"ips\":[{\"version\":\"4\",\"address\":\"10.0.0.2/24\"}]}}")
                .getBytes(StandardCharsets.UTF_8));
    Result prev = c.prevResult();
    assertThat(prev.cniVersion())
        .isEqualTo(CniVersion.V0_4_0); // no version in prevResult: the config's
    assertThat(prev.ips()).hasSize(1);
    assertThat(NetConf.parse("{\"name\":\"n\"}".getBytes(StandardCharsets.UTF_8)).prevResult())
        .isNull();
  }
}
