package dev.jcni.netlink;

import static dev.jcni.netlink.TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.system.ErrnoException;
import dev.jcni.system.NetNs;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Links in throwaway namespaces, checked against {@code ip -j -d link}. */
class LinkOpsTest {
  private String nsA;
  private String nsB;
  private NetNs a;
  private NetNs b;
  private Netlink nlA;
  private Netlink nlB;

  @BeforeEach
  void setUp() {
    assumeTrue(isRoot(), "needs root: creates network namespaces");
    nsA = uniqueName("la");
    nsB = uniqueName("lb");
    a = NetNs.create(nsA);
    b = NetNs.create(nsB);
    nlA = Netlink.openAt(a);
    nlB = Netlink.openAt(b);
  }

  @AfterEach
  void tearDown() {
    if (nlA != null) nlA.close();
    if (nlB != null) nlB.close();
    if (a != null) a.close();
    if (b != null) b.close();
    if (nsA != null) deleteQuietly(nsA);
    if (nsB != null) deleteQuietly(nsB);
  }

  @Test
  void vethAcrossNamespaces() {
    nlA.linkAddVeth(
        VethOptions.builder("v0", "v1")
            .peerNs(b)
            .mtu(1400)
            .mac(MacAddress.parse("02:00:00:00:00:a0"))
            .peerMac(MacAddress.parse("02:00:00:00:00:b1"))
            .build());

    Link v0 = nlA.linkGet("v0").orElseThrow();
    Link v1 = nlB.linkGet("v1").orElseThrow();
    assertThat(nlA.linkGet("v1")).isEmpty();
    assertThat(v0.kind()).isEqualTo("veth");
    assertThat(v0.mtu()).isEqualTo(1400);
    assertThat(v1.mtu()).isEqualTo(1400);
    assertThat(v0.mac()).hasToString("02:00:00:00:00:a0");
    assertThat(v1.mac()).hasToString("02:00:00:00:00:b1");
    assertThat(v0.vethPeerIndex()).isEqualTo(v1.index());
    assertThat(v1.vethPeerIndex()).isEqualTo(v0.index());
    assertThat(v0.netnsId()).isGreaterThanOrEqualTo(0);
    assertThat(v0.isUp()).isFalse();

    JsonNode ip = ipJson(nsA, "link", "show", "v0").get(0);
    assertThat(ip.get("ifindex").asInt()).isEqualTo(v0.index());
    assertThat(ip.get("mtu").asInt()).isEqualTo(1400);
    assertThat(ip.get("address").asText()).isEqualTo("02:00:00:00:00:a0");
    assertThat(ip.get("linkinfo").get("info_kind").asText()).isEqualTo("veth");
    assertThat(ip.get("link_index").asInt()).isEqualTo(v1.index());

    nlA.linkSetUp("v0");
    nlB.linkSetUp("v1");
    Link up = nlA.linkGet(v0.index()).orElseThrow();
    assertThat(up.isUp()).isTrue();
    assertThat(ipJson(nsA, "link", "show", "v0").get(0).get("flags").toString()).contains("\"UP\"");

    nlA.linkDel("v0");
    assertThat(nlA.linkGet("v0")).isEmpty();
    assertThat(nlB.linkGet("v1")).isEmpty(); // deleting one end removes the pair
  }

  @Test
  void bridgeWithPortsMtuMacAliasPromiscAndRename() {
    nlA.linkAddBridge("br0", BridgeOptions.builder().mtu(1450).build());
    nlA.linkAddVeth("p0", "p0peer", null, 0);
    nlA.linkSetMaster("p0", "br0");
    nlA.linkSetMtu("p0", 1450);
    nlA.linkSetMac("p0", MacAddress.parse("02:11:22:33:44:55"));
    nlA.linkSetAlias("p0", "port zero");
    nlA.linkSetPromisc("p0", true);
    nlA.linkSetUp("br0");

    Link br = nlA.linkGet("br0").orElseThrow();
    Link p0 = nlA.linkGet("p0").orElseThrow();
    assertThat(br.kind()).isEqualTo("bridge");
    assertThat(br.bridge().vlanFiltering()).isFalse();
    assertThat(br.mtu()).isEqualTo(1450);
    assertThat(p0.masterIndex()).isEqualTo(br.index());
    assertThat(p0.slaveKind()).isEqualTo("bridge");
    assertThat(p0.bridgePort()).isNotNull();
    assertThat(p0.alias()).isEqualTo("port zero");
    assertThat(p0.isPromisc()).isTrue();
    assertThat(p0.promiscuity()).isGreaterThan(0);

    JsonNode ipP0 = ipJson(nsA, "link", "show", "p0").get(0);
    assertThat(ipP0.get("master").asText()).isEqualTo("br0");
    assertThat(ipP0.get("mtu").asInt()).isEqualTo(1450);
    assertThat(ipP0.get("address").asText()).isEqualTo("02:11:22:33:44:55");
    assertThat(ipP0.get("ifalias").asText()).isEqualTo("port zero");
    JsonNode ipBr = ipJson(nsA, "link", "show", "br0").get(0);
    assertThat(ipBr.get("linkinfo").get("info_data").get("vlan_filtering").asInt()).isZero();

    nlA.linkSetNoMaster("p0");
    assertThat(nlA.linkGet("p0").orElseThrow().masterIndex()).isZero();
    assertThat(ipJson(nsA, "link", "show", "p0").get(0).has("master")).isFalse();

    nlA.linkSetPromisc("p0", false);
    nlA.linkSetName("p0", "p0new");
    assertThat(nlA.linkGet("p0")).isEmpty();
    Link renamed = nlA.linkGet("p0new").orElseThrow();
    assertThat(renamed.index()).isEqualTo(p0.index());
    assertThat(renamed.isPromisc()).isFalse();

    nlA.linkSetDown("br0");
    assertThat(nlA.linkGet("br0").orElseThrow().isUp()).isFalse();

    List<Link> all = nlA.linkList();
    assertThat(all).extracting(Link::name).contains("lo", "br0", "p0new", "p0peer");
    JsonNode ipAll = ipJson(nsA, "link", "show");
    assertThat(all).hasSize(ipAll.size());
  }

  @Test
  void allmulticastAndTxqueuelen() {
    nlA.linkAddVeth("q0", "q0peer", null, 0);
    Link before = nlA.linkByName("q0");
    assertThat(before.isAllmulti()).isFalse();

    nlA.linkSetAllmulti("q0", true);
    nlA.linkSetTxQLen("q0", 321);
    Link after = nlA.linkByName("q0");
    assertThat(after.isAllmulti()).isTrue();
    assertThat(after.txQueueLen()).isEqualTo(321);
    JsonNode ip = ipJson(nsA, "link", "show", "q0").get(0);
    assertThat(ip.get("flags").toString()).contains("\"ALLMULTI\"");
    assertThat(ip.get("txqlen").asInt()).isEqualTo(321);

    nlA.linkSetAllmulti("q0", false);
    nlA.linkSetTxQLen("q0", before.txQueueLen());
    Link restored = nlA.linkByName("q0");
    assertThat(restored.isAllmulti()).isFalse();
    assertThat(restored.txQueueLen()).isEqualTo(before.txQueueLen());
    assertThat(ipJson(nsA, "link", "show", "q0").get(0).get("flags").toString())
        .doesNotContain("ALLMULTI");
    assertThatThrownBy(() -> nlA.linkSetAllmulti("nosuch0", true))
        .isInstanceOf(ErrnoException.class)
        .satisfies(e -> assertThat(((ErrnoException) e).isNotFound()).isTrue());
  }

  @Test
  void moveLinkToAnotherNamespace() {
    nlA.linkAddVeth("m0", "m1", null, 0);
    nlA.linkSetNetNs("m1", b);
    assertThat(nlA.linkGet("m1")).isEmpty();
    assertThat(nlB.linkGet("m1")).isPresent();
    assertThat(ipJson(nsB, "link", "show", "m1").get(0).get("ifname").asText()).isEqualTo("m1");
  }

  @Test
  void errorsCarryErrnoAndObject() {
    nlA.linkAddBridge("dup0");
    assertThatThrownBy(() -> nlA.linkAddBridge("dup0"))
        .isInstanceOfSatisfying(
            ErrnoException.class,
            e -> {
              assertThat(e.isExists()).isTrue();
              assertThat(e.errnoName()).isEqualTo("EEXIST");
              assertThat(e.getMessage()).startsWith("linkAdd dup0: File exists (EEXIST)");
            });
    assertThatThrownBy(() -> nlA.linkDel("nope0"))
        .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.isNotFound()).isTrue());
    assertThat(nlA.linkGet("nope0")).isEqualTo(Optional.empty());
    assertThat(nlA.linkGet(999999)).isEmpty();
  }

  @Test
  void largeDumpSpansManyDatagrams() {
    // 240 veth ends + lo: ~300 KB of RTM_NEWLINK, i.e. many multipart datagrams
    for (int i = 0; i < 120; i++) nlA.linkAddVeth("d" + i, "e" + i, null, 0);
    List<Link> all = nlA.linkList();
    assertThat(all).hasSize(241);
    assertThat(all).extracting(Link::index).doesNotHaveDuplicates();
    assertThat(ipJson(nsA, "link", "show")).hasSize(241);
    assertThat(nlA.addrList(0, Family.ALL))
        .hasSize(
            ipJson(nsA, "addr", "show").findValues("addr_info").stream()
                .mapToInt(JsonNode::size)
                .sum());
  }
}
