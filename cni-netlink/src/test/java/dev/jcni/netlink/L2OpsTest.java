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
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * vxlan, neighbours, bridge FDB, bridge-port flags and VLANs, checked against {@code ip -j} /
 * {@code bridge -j}.
 */
class L2OpsTest {
  private String name;
  private NetNs ns;
  private Netlink nl;

  @BeforeEach
  void setUp() {
    assumeTrue(isRoot(), "needs root: creates network namespaces");
    name = uniqueName("l2");
    ns = NetNs.create(name);
    nl = Netlink.openAt(ns);
    nl.linkAddVeth("u0", "u1", null, 0);
    nl.linkSetUp("u0");
    nl.linkSetUp("u1");
    nl.addrAdd("u0", Cidr.parse("192.168.50.1/24"));
  }

  @AfterEach
  void tearDown() {
    if (nl != null) nl.close();
    if (ns != null) ns.close();
    if (name != null) deleteQuietly(name);
  }

  @Test
  void vxlanAttributesReadBackAndMatchIp() {
    int u0 = nl.linkByName("u0").index();
    nl.linkAddVxlan(
        "vx0",
        VxlanOptions.builder(4242)
            .local(InetAddresses.parse("192.168.50.1"))
            .devIndex(u0)
            .port(4789)
            .learning(false)
            .ttl(17)
            .tos(0x10)
            .mtu(1400)
            .mac(MacAddress.parse("02:aa:00:00:00:01"))
            .build());
    nl.linkAddVxlan(
        "vx1",
        VxlanOptions.builder(7).group(InetAddresses.parse("239.1.1.1")).devIndex(u0).build());

    Link vx = nl.linkByName("vx0");
    assertThat(vx.kind()).isEqualTo("vxlan");
    assertThat(vx.mtu()).isEqualTo(1400);
    assertThat(vx.mac()).hasToString("02:aa:00:00:00:01");
    Link.VxlanInfo i = vx.vxlan();
    assertThat(i.vni()).isEqualTo(4242);
    assertThat(InetAddresses.format(i.local())).isEqualTo("192.168.50.1");
    assertThat(i.group()).isNull();
    assertThat(i.linkIndex()).isEqualTo(u0);
    assertThat(i.port()).isEqualTo(4789);
    assertThat(i.learning()).isFalse();
    assertThat(i.ttl()).isEqualTo(17);
    assertThat(i.tos()).isEqualTo(0x10);
    Link.VxlanInfo g = nl.linkByName("vx1").vxlan();
    assertThat(InetAddresses.format(g.group())).isEqualTo("239.1.1.1");
    assertThat(g.learning()).isTrue();
    assertThat(g.port()).isEqualTo(8472); // kernel default without dstport

    JsonNode d = ipJson(name, "link", "show", "vx0").get(0).get("linkinfo").get("info_data");
    assertThat(d.get("id").asInt()).isEqualTo(4242);
    assertThat(d.get("local").asText()).isEqualTo("192.168.50.1");
    assertThat(d.get("link").asText()).isEqualTo("u0");
    assertThat(d.get("port").asInt()).isEqualTo(4789);
    assertThat(d.get("learning").asBoolean()).isFalse();
    assertThat(d.get("ttl").asInt()).isEqualTo(17);
    assertThat(d.get("tos").asText()).isEqualTo("0x10");
    JsonNode d1 = ipJson(name, "link", "show", "vx1").get(0).get("linkinfo").get("info_data");
    assertThat(d1.get("group").asText()).isEqualTo("239.1.1.1");
  }

  @Test
  void fdbEntriesForVxlanPeers() {
    nl.linkAddVxlan(
        "vx0",
        VxlanOptions.builder(100)
            .local(InetAddresses.parse("192.168.50.1"))
            .port(4789)
            .learning(false)
            .build());
    int vx = nl.linkByName("vx0").index();
    MacAddress zero = MacAddress.parse("00:00:00:00:00:00");
    InetAddress p1 = InetAddresses.parse("192.168.50.2");
    InetAddress p2 = InetAddresses.parse("192.168.50.3");
    nl.fdbAppend(FdbEntry.vxlanRemote(vx, zero, p1));
    nl.fdbAppend(FdbEntry.vxlanRemote(vx, zero, p2));
    MacAddress peerMac = MacAddress.parse("02:00:00:00:01:02");
    nl.fdbReplace(FdbEntry.vxlanRemote(vx, peerMac, p1).withState(Neigh.NUD_PERMANENT));

    List<FdbEntry> mine = nl.fdbList(vx);
    assertThat(mine)
        .filteredOn(e -> e.mac().equals(zero))
        .extracting(e -> InetAddresses.format(e.dst()))
        .containsExactlyInAnyOrder("192.168.50.2", "192.168.50.3");
    FdbEntry pe = mine.stream().filter(e -> e.mac().equals(peerMac)).findFirst().orElseThrow();
    assertThat(InetAddresses.format(pe.dst())).isEqualTo("192.168.50.2");
    assertThat(pe.state()).isEqualTo(Neigh.NUD_PERMANENT);
    assertThat(pe.flags() & FdbEntry.NTF_SELF).isNotZero();

    JsonNode fdb = bridgeJson(name, "fdb", "show", "dev", "vx0");
    long zeros = 0;
    boolean sawPeer = false;
    for (JsonNode e : fdb) {
      if (e.get("mac").asText().equals("00:00:00:00:00:00")) zeros++;
      if (e.get("mac").asText().equals("02:00:00:00:01:02")) {
        sawPeer = true;
        assertThat(e.get("dst").asText()).isEqualTo("192.168.50.2");
        assertThat(e.get("state").asText()).isEqualTo("permanent");
      }
    }
    assertThat(zeros).isEqualTo(2);
    assertThat(sawPeer).isTrue();

    // replace moves the peer MAC to the other VTEP
    nl.fdbReplace(FdbEntry.vxlanRemote(vx, peerMac, p2).withState(Neigh.NUD_PERMANENT));
    assertThat(nl.fdbList(vx))
        .filteredOn(e -> e.mac().equals(peerMac))
        .extracting(e -> InetAddresses.format(e.dst()))
        .containsExactly("192.168.50.3");

    nl.fdbDel(FdbEntry.vxlanRemote(vx, zero, p1));
    nl.fdbDel(FdbEntry.vxlanRemote(vx, peerMac, p2));
    assertThat(nl.fdbList(vx))
        .filteredOn(e -> e.mac().equals(zero))
        .extracting(e -> InetAddresses.format(e.dst()))
        .containsExactly("192.168.50.3");
    assertThat(nl.fdbList(vx)).noneMatch(e -> e.mac().equals(peerMac));
    assertThatThrownBy(() -> nl.fdbDel(FdbEntry.vxlanRemote(vx, peerMac, p2)))
        .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.isNotFound()).isTrue());
  }

  @Test
  void neighbours() {
    int u0 = nl.linkByName("u0").index();
    MacAddress mac = MacAddress.parse("02:00:00:00:00:09");
    InetAddress ip = InetAddresses.parse("192.168.50.9");
    nl.neighAdd(Neigh.permanent(u0, ip, mac));
    assertThatThrownBy(() -> nl.neighAdd(Neigh.permanent(u0, ip, mac)))
        .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.isExists()).isTrue());
    MacAddress mac2 = MacAddress.parse("02:00:00:00:00:0a");
    nl.neighReplace(Neigh.permanent(u0, ip, mac2));
    nl.addrAdd("u0", Address.of("fd00:50::1/64").nodad());
    nl.neighAdd(Neigh.permanent(u0, InetAddresses.parse("fd00:50::9"), mac));

    List<Neigh> v4 = nl.neighList(u0, Family.V4);
    assertThat(v4).hasSize(1);
    assertThat(v4.get(0).mac()).isEqualTo(mac2);
    assertThat(v4.get(0).state()).isEqualTo(Neigh.NUD_PERMANENT);
    assertThat(nl.neighList(u0, Family.V6))
        .extracting(n -> InetAddresses.format(n.ip()))
        .contains("fd00:50::9");

    JsonNode j = ipJson(name, "neigh", "show", "dev", "u0");
    boolean found = false;
    for (JsonNode n : j) {
      if (n.get("dst").asText().equals("192.168.50.9")) {
        found = true;
        assertThat(n.get("lladdr").asText()).isEqualTo("02:00:00:00:00:0a");
        assertThat(n.get("state").toString()).contains("PERMANENT");
      }
    }
    assertThat(found).isTrue();

    nl.neighDel(Neigh.permanent(u0, ip, null));
    assertThat(nl.neighList(u0, Family.V4)).isEmpty();
  }

  @Test
  void bridgePortFlags() {
    nl.linkAddBridge("br0");
    nl.linkAddVeth("bp0", "bp1", null, 0);
    nl.linkSetMaster("bp0", "br0");
    nl.linkSetHairpin("bp0", true);
    nl.linkSetIsolated("bp0", true);
    nl.linkSetLearning("bp0", false);

    Link.BridgePortInfo p = nl.linkByName("bp0").bridgePort();
    assertThat(p.hairpin()).isTrue();
    assertThat(p.isolated()).isTrue();
    assertThat(p.learning()).isFalse();

    JsonNode j = bridgeJson(name, "-d", "link", "show", "dev", "bp0").get(0);
    assertThat(j.get("hairpin").asBoolean()).isTrue();
    assertThat(j.get("isolated").asBoolean()).isTrue();
    assertThat(j.get("learning").asBoolean()).isFalse();

    nl.bridgePortSet("bp0", false, true, false);
    Link.BridgePortInfo q = nl.linkByName("bp0").bridgePort();
    assertThat(q.hairpin()).isFalse();
    assertThat(q.isolated()).isFalse();
    assertThat(q.learning()).isTrue();
  }

  @Test
  void bridgeVlans() {
    try {
      nl.linkAddBridge("brv", BridgeOptions.builder().vlanFiltering(true).build());
    } catch (ErrnoException e) {
      assumeTrue(e.errno() != 95, "kernel without CONFIG_BRIDGE_VLAN_FILTERING: " + e.getMessage());
      throw e;
    }
    nl.linkAddVeth("vp0", "vp1", null, 0);
    nl.linkSetMaster("vp0", "brv");
    nl.bridgeVlanAdd("vp0", 10, true, true, false);
    nl.bridgeVlanAddRange("vp0", 20, 25, false, false);
    nl.bridgeVlanAdd("brv", 10, false, false, true);
    List<BridgeVlan> v = nl.bridgeVlanList("vp0");
    assertThat(v).anyMatch(x -> x.vid() == 10 && x.pvid() && x.untagged());
    assertThat(v).anyMatch(x -> x.vid() <= 20 && x.vidEnd() >= 20);
    JsonNode j = bridgeJson(name, "vlan", "show", "dev", "vp0");
    assertThat(j.toString()).contains("\"vlan\":10").contains("PVID");
    nl.bridgeVlanDel("vp0", 10, false);
    assertThat(nl.bridgeVlanList("vp0")).noneMatch(x -> x.vid() == 10);
  }
}
