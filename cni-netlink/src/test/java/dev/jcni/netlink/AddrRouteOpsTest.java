package dev.jcni.netlink;

import static dev.jcni.netlink.TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.spec.net.Cidr;
import dev.jcni.spec.net.InetAddresses;
import dev.jcni.system.ErrnoException;
import dev.jcni.system.NetNs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Addresses and routes in a throwaway namespace, checked against {@code ip -j addr/route}. */
class AddrRouteOpsTest {
  private String name;
  private NetNs ns;
  private Netlink nl;

  @BeforeEach
  void setUp() {
    assumeTrue(isRoot(), "needs root: creates network namespaces");
    name = uniqueName("ar");
    ns = NetNs.create(name);
    nl = Netlink.openAt(ns);
    nl.linkAddVeth("a0", "a1", null, 0);
    nl.linkSetUp("a0");
    nl.linkSetUp("a1");
  }

  @AfterEach
  void tearDown() {
    if (nl != null) nl.close();
    if (ns != null) ns.close();
    if (name != null) deleteQuietly(name);
  }

  private JsonNode addrInfo(String dev) {
    return ipJson(name, "addr", "show", "dev", dev).get(0).get("addr_info");
  }

  @Test
  void ipv4AddressWithComputedBroadcast() {
    nl.addrAdd("a0", Cidr.parse("10.20.30.5/24"));
    nl.addrAdd("a0", Address.of("10.20.31.1/32").withLabel("a0:x"));

    List<Address> list = nl.addrList("a0", Family.V4);
    assertThat(list).hasSize(2);
    Address first =
        list.stream().filter(a -> a.net().prefixLength() == 24).findFirst().orElseThrow();
    assertThat(first.net()).hasToString("10.20.30.5/24");
    assertThat(InetAddresses.format(first.broadcast())).isEqualTo("10.20.30.255");
    assertThat(first.index()).isEqualTo(nl.linkByName("a0").index());

    JsonNode v4 = null;
    for (JsonNode n : addrInfo("a0")) if (n.get("local").asText().equals("10.20.30.5")) v4 = n;
    assertThat(v4).isNotNull();
    assertThat(v4.get("prefixlen").asInt()).isEqualTo(24);
    assertThat(v4.get("broadcast").asText()).isEqualTo("10.20.30.255");
    JsonNode host = null;
    for (JsonNode n : addrInfo("a0")) if (n.get("local").asText().equals("10.20.31.1")) host = n;
    assertThat(host.has("broadcast")).isFalse();
    assertThat(host.get("label").asText()).isEqualTo("a0:x");

    assertThatThrownBy(() -> nl.addrAdd("a0", Cidr.parse("10.20.30.5/24")))
        .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.isExists()).isTrue());
    nl.addrReplace("a0", Address.of("10.20.30.5/24")); // idempotent

    nl.addrDel("a0", Cidr.parse("10.20.30.5/24"));
    assertThat(nl.addrList("a0", Family.V4))
        .extracting(a -> a.net().toString())
        .containsExactly("10.20.31.1/32");
    assertThatThrownBy(() -> nl.addrDel("a0", Cidr.parse("10.20.30.5/24")))
        .isInstanceOf(ErrnoException.class);
  }

  @Test
  void ipv6AddressFlags() {
    nl.addrAdd("a0", Address.of("fd00:1::5/64").nodad().noprefixroute());
    Address a =
        nl.addrList("a0", Family.V6).stream()
            .filter(x -> x.net().toString().equals("fd00:1::5/64"))
            .findFirst()
            .orElseThrow();
    assertThat(a.flags() & Address.IFA_F_NODAD).isNotZero();
    assertThat(a.flags() & Address.IFA_F_NOPREFIXROUTE).isNotZero();
    assertThat(a.isTentative()).isFalse();

    JsonNode j = null;
    for (JsonNode n : addrInfo("a0")) if (n.get("local").asText().equals("fd00:1::5")) j = n;
    assertThat(j).isNotNull();
    assertThat(j.get("nodad").asBoolean()).isTrue();
    assertThat(j.get("noprefixroute").asBoolean()).isTrue();
    // noprefixroute: no fd00:1::/64 route
    assertThat(nl.routeList(Family.V6))
        .noneMatch(r -> r.dst() != null && r.dst().toString().equals("fd00:1::/64"));
  }

  @Test
  void routesAddReplaceListGetDel() {
    int oif = nl.linkByName("a0").index();
    nl.addrAdd("a0", Cidr.parse("10.9.0.1/24"));
    nl.routeAdd(
        Route.builder().dst("10.50.0.0/16").gateway("10.9.0.254").oif(oif).metric(100).build());
    nl.routeAdd(
        Route.builder().dst("10.51.0.0/24").oif(oif).mtu(1300).advmss(1260).build()); // scope link
    nl.routeAdd(
        Route.builder()
            .dst("192.168.77.0/24")
            .gateway("192.168.1.1")
            .oif(oif)
            .onlink(true)
            .build());
    nl.routeAdd(
        Route.builder()
            .dst("10.52.0.0/24")
            .gateway("10.9.0.2")
            .oif(oif)
            .table(100)
            .protocol(Route.PROTO_STATIC)
            .build());
    nl.routeAdd(
        Route.builder()
            .family(Family.V4)
            .gateway("10.9.0.254")
            .oif(oif)
            .src(InetAddresses.parse("10.9.0.1"))
            .build()); // default route

    List<Route> main = nl.routeList(Family.V4);
    Route r1 = find(main, "10.50.0.0/16");
    assertThat(InetAddresses.format(r1.gateway())).isEqualTo("10.9.0.254");
    assertThat(r1.priority()).isEqualTo(100);
    assertThat(r1.oif()).isEqualTo(oif);
    assertThat(r1.table()).isEqualTo(Route.TABLE_MAIN);
    assertThat(r1.protocol()).isEqualTo(Route.PROTO_BOOT);
    Route r2 = find(main, "10.51.0.0/24");
    assertThat(r2.scope()).isEqualTo(Route.SCOPE_LINK);
    assertThat(r2.mtu()).isEqualTo(1300);
    assertThat(r2.advmss()).isEqualTo(1260);
    assertThat(find(main, "192.168.77.0/24").isOnlink()).isTrue();
    Route def = main.stream().filter(Route::isDefault).findFirst().orElseThrow();
    assertThat(InetAddresses.format(def.src())).isEqualTo("10.9.0.1");
    assertThat(main).noneMatch(r -> r.dst() != null && r.dst().toString().equals("10.52.0.0/24"));

    List<Route> t100 = nl.routeList(Family.V4, Netlink.RouteFilter.table(100));
    assertThat(t100).hasSize(1);
    assertThat(t100.get(0).protocol()).isEqualTo(Route.PROTO_STATIC);

    // oracle: ip -j route show
    JsonNode ipMain = ipJson(name, "route", "show");
    List<String> ipDsts = new ArrayList<>();
    for (JsonNode n : ipMain) ipDsts.add(n.get("dst").asText());
    assertThat(ipDsts)
        .containsExactlyInAnyOrderElementsOf(
            main.stream().map(r -> r.isDefault() ? "default" : r.dst().toString()).toList());
    JsonNode j1 = null;
    for (JsonNode n : ipMain) if (n.get("dst").asText().equals("10.50.0.0/16")) j1 = n;
    assertThat(j1.get("gateway").asText()).isEqualTo("10.9.0.254");
    assertThat(j1.get("metric").asInt()).isEqualTo(100);
    JsonNode j2 = null;
    for (JsonNode n : ipMain) if (n.get("dst").asText().equals("10.51.0.0/24")) j2 = n;
    assertThat(j2.get("scope").asText()).isEqualTo("link");
    assertThat(j2.get("metrics").toString()).contains("1300").contains("1260");
    JsonNode t = ipJson(name, "route", "show", "table", "100").get(0);
    assertThat(t.get("dst").asText()).isEqualTo("10.52.0.0/24");
    assertThat(t.get("protocol").asText()).isEqualTo("static");

    // replace changes the gateway
    nl.routeReplace(
        Route.builder().dst("10.50.0.0/16").gateway("10.9.0.253").oif(oif).metric(100).build());
    assertThat(InetAddresses.format(find(nl.routeList(Family.V4), "10.50.0.0/16").gateway()))
        .isEqualTo("10.9.0.253");

    Route got = nl.routeGet(InetAddresses.parse("10.50.1.2"));
    assertThat(InetAddresses.format(got.gateway())).isEqualTo("10.9.0.253");
    assertThat(got.oif()).isEqualTo(oif);

    assertThatThrownBy(
            () ->
                nl.routeAdd(
                    Route.builder()
                        .dst("10.50.0.0/16")
                        .gateway("10.9.0.9")
                        .oif(oif)
                        .metric(100)
                        .build()))
        .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.isExists()).isTrue());

    nl.routeDel(Route.builder().dst("10.50.0.0/16").build());
    assertThat(nl.routeList(Family.V4))
        .noneMatch(r -> r.dst() != null && r.dst().toString().equals("10.50.0.0/16"));
    assertThatThrownBy(() -> nl.routeDel(Route.builder().dst("10.50.0.0/16").build()))
        .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.isNotFound()).isTrue());
    nl.routeDel(Route.builder().dst("10.52.0.0/24").table(100).build());
    assertThat(nl.routeList(Family.V4, Netlink.RouteFilter.table(100))).isEmpty();
  }

  @Test
  void ipv6RoutesAndMultipath() {
    int a0 = nl.linkByName("a0").index();
    int a1 = nl.linkByName("a1").index();
    nl.addrAdd("a0", Address.of("fd00:9::1/64").nodad());
    nl.addrAdd("a1", Address.of("fd00:8::1/64").nodad());
    nl.routeAdd(Route.builder().dst("fd00:50::/48").gateway("fd00:9::fe").oif(a0).build());
    Route r = find(nl.routeList(Family.V6), "fd00:50::/48");
    assertThat(InetAddresses.format(r.gateway())).isEqualTo("fd00:9::fe");
    assertThat(ipJson(name, "-6", "route", "show", "fd00:50::/48").get(0).get("gateway").asText())
        .isEqualTo("fd00:9::fe");
    nl.routeDel(Route.builder().dst("fd00:50::/48").build());
    assertThat(nl.routeList(Family.V6))
        .noneMatch(x -> x.dst() != null && x.dst().toString().equals("fd00:50::/48"));

    nl.addrAdd("a0", Cidr.parse("10.1.0.1/24"));
    nl.addrAdd("a1", Cidr.parse("10.2.0.1/24"));
    nl.routeAdd(
        Route.builder()
            .dst("10.99.0.0/16")
            .nexthops(
                List.of(
                    new Route.Nexthop(InetAddresses.parse("10.1.0.2"), a0, 1, 0),
                    new Route.Nexthop(InetAddresses.parse("10.2.0.2"), a1, 3, 0)))
            .build());
    Route mp = find(nl.routeList(Family.V4), "10.99.0.0/16");
    assertThat(mp.nexthops()).hasSize(2);
    assertThat(mp.nexthops()).extracting(Route.Nexthop::weight).containsExactly(1, 3);
    JsonNode j = null;
    for (JsonNode n : ipJson(name, "route", "show"))
      if (n.get("dst").asText().equals("10.99.0.0/16")) j = n;
    assertThat(j.get("nexthops")).hasSize(2);
    assertThat(j.get("nexthops").get(1).get("weight").asInt()).isEqualTo(3);
  }

  private static Route find(List<Route> routes, String dst) {
    return routes.stream()
        .filter(r -> r.dst() != null && r.dst().toString().equals(dst))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no route " + dst + " in " + routes));
  }
}
