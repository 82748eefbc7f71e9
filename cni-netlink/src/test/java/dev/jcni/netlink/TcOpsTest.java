package dev.jcni.netlink;

import static dev.jcni.netlink.TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.spec.net.Cidr;
import dev.jcni.system.ErrnoException;
import dev.jcni.system.NetNs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** tc operations in a throwaway namespace ({@code jbw-tc-*}), checked against {@code tc -j -s}. */
class TcOpsTest {
  private String name;
  private NetNs ns;
  private Netlink nl;

  @BeforeEach
  void setUp() {
    assumeTrue(isRoot(), "needs root: creates network namespaces");
    name = "jbw-tc-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    ns = NetNs.create(name);
    nl = Netlink.openAt(ns);
    nl.linkAddVeth("v0", "v1", null, 0);
    nl.linkSetUp("v0");
    nl.linkSetUp("v1");
  }

  @AfterEach
  void tearDown() {
    if (nl != null) nl.close();
    if (ns != null) ns.close();
    if (name != null) deleteQuietly(name);
  }

  private JsonNode tc(String... args) {
    List<String> cmd = new ArrayList<>(List.of("tc", "-n", name, "-j", "-s"));
    cmd.addAll(List.of(args));
    String out = sh(cmd.toArray(new String[0]));
    try {
      return JSON.readTree(out.isBlank() ? "[]" : out);
    } catch (IOException e) {
      throw new AssertionError(out, e);
    }
  }

  @Test
  void ifbLink() {
    nl.linkAddIfb("bwp0", 1400, true);
    Link l = nl.linkByName("bwp0");
    assertThat(l.kind()).isEqualTo("ifb");
    assertThat(l.mtu()).isEqualTo(1400);
    assertThat(l.isUp()).isTrue();
    assertThatThrownBy(() -> nl.linkAddIfb("bwp0", 0, false))
        .isInstanceOf(ErrnoException.class)
        .matches(e -> ((ErrnoException) e).isExists());
    nl.linkDel("bwp0");
    assertThat(nl.linkGet("bwp0")).isEmpty();
  }

  @Test
  void tbfAddListReplaceDel() {
    int v0 = nl.linkByName("v0").index();
    nl.qdiscAdd(Qdisc.tbfRoot(v0, TcHandle.make(1, 0), Qdisc.Tbf.of(125000, 12500, 15625)));
    JsonNode q = tc("qdisc", "show", "dev", "v0").get(0);
    assertThat(q.get("kind").asText()).isEqualTo("tbf");
    assertThat(q.get("handle").asText()).isEqualTo("1:");
    assertThat(q.get("options").get("rate").asLong()).isEqualTo(125000);
    assertThat(q.get("options").get("burst").asLong()).isEqualTo(12500);

    List<Qdisc> list = nl.qdiscList(v0);
    assertThat(list).hasSize(1);
    Qdisc.Tbf t = list.get(0).tbf();
    assertThat(t.rate()).isEqualTo(125000);
    assertThat(t.limit()).isEqualTo(15625);
    assertThat(t.burst()).isEqualTo(12500);
    assertThat(t.buffer()).isEqualTo(1562500);
    assertThat(nl.qdiscList(0)).extracting(Qdisc::index).contains(v0, nl.linkByName("v1").index());

    assertThatThrownBy(
            () -> nl.qdiscAdd(Qdisc.tbfRoot(v0, TcHandle.make(1, 0), Qdisc.Tbf.of(1000, 100, 100))))
        .isInstanceOf(ErrnoException.class)
        .matches(e -> ((ErrnoException) e).isExists());
    nl.qdiscReplace(
        Qdisc.tbfRoot(v0, TcHandle.make(1, 0), Qdisc.Tbf.of(5_000_000_000L, 1_000_000, 2_000_000)));
    q = tc("qdisc", "show", "dev", "v0").get(0);
    assertThat(q.get("options").get("rate").asLong()).as("rate64").isEqualTo(5_000_000_000L);
    assertThat(nl.qdiscList(v0).get(0).tbf().rate()).isEqualTo(5_000_000_000L);

    nl.qdiscDel(Qdisc.root(v0));
    assertThat(nl.qdiscList(v0)).extracting(Qdisc::kind).containsExactly("noqueue");
    assertThatThrownBy(() -> nl.qdiscDel(Qdisc.root(v0))).isInstanceOf(ErrnoException.class);
  }

  @Test
  void ingressU32MirredToIfb() {
    int v0 = nl.linkByName("v0").index();
    nl.linkAddIfb("bwp0", 0, true);
    int ifb = nl.linkByName("bwp0").index();
    nl.qdiscAdd(Qdisc.ingress(v0));
    nl.filterAdd(
        TcFilter.u32(
            v0,
            TcHandle.INGRESS_HANDLE,
            1,
            TcFilter.ETH_P_ALL,
            TcFilter.matchAll(),
            TcHandle.make(1, 1),
            List.of(TcFilter.Mirred.egressRedirect(ifb))));
    nl.filterAdd(
        TcFilter.u32(
            v0,
            TcHandle.INGRESS_HANDLE,
            16,
            TcFilter.ETH_P_IP,
            TcFilter.matchAddress(Cidr.parse("10.1.0.0/16"), true),
            TcHandle.make(1, 2),
            List.of()));

    JsonNode filters = tc("filter", "show", "dev", "v0", "parent", "ffff:");
    boolean mirred = false;
    for (JsonNode f : filters) {
      JsonNode acts = f.path("options").path("actions");
      for (JsonNode a : acts) {
        if ("mirred".equals(a.path("kind").asText())) {
          mirred = true;
          assertThat(a.get("to_dev").asText()).isEqualTo("bwp0");
          assertThat(a.get("mirred_action").asText()).isEqualTo("redirect");
        }
      }
    }
    assertThat(mirred).as("tc shows the mirred redirect").isTrue();

    List<TcFilter> list = nl.filterList(v0, TcHandle.INGRESS_HANDLE);
    List<TcFilter> real = new ArrayList<>();
    for (TcFilter f : list) if (!f.keys().isEmpty()) real.add(f);
    assertThat(real).hasSize(2);
    TcFilter all = real.stream().filter(f -> f.prio() == 1).findFirst().orElseThrow();
    assertThat(all.protocol()).isEqualTo(TcFilter.ETH_P_ALL);
    assertThat(all.redirectsTo(ifb)).isTrue();
    TcFilter net = real.stream().filter(f -> f.prio() == 16).findFirst().orElseThrow();
    assertThat(net.protocol()).isEqualTo(TcFilter.ETH_P_IP);
    assertThat(net.keys()).containsExactly(new TcFilter.U32Key(0xffff0000, 0x0a010000, 16, 0));
    assertThat(net.classId()).isEqualTo(TcHandle.make(1, 2));

    nl.filterDel(v0, TcHandle.INGRESS_HANDLE, 16, 0);
    for (TcFilter f : nl.filterList(v0, TcHandle.INGRESS_HANDLE)) assertThat(f.prio()).isEqualTo(1);
    nl.qdiscDel(Qdisc.ingress(v0));
    assertThat(nl.qdiscList(v0)).noneMatch(Qdisc::isIngress);
    assertThat(nl.filterList(v0, TcHandle.INGRESS_HANDLE)).isEmpty();
  }

  @Test
  void htbQdiscClassesAndFilters() {
    int v0 = nl.linkByName("v0").index();
    int root = TcHandle.make(1, 0);
    nl.qdiscAdd(Qdisc.htbRoot(v0, root, Qdisc.Htb.of(0x30)));
    nl.classAdd(
        TcClass.htb(
            v0, root, TcHandle.make(1, 0x30), TcClass.Htb.of(500000, 1000000, 32000, 32000)));
    nl.classAdd(
        TcClass.htb(
            v0,
            root,
            TcHandle.make(1, 1),
            TcClass.Htb.of(100_000_000_000L, 100_000_000_000L, 1600, 1600).withQuantum(200000)));
    nl.filterAdd(
        TcFilter.u32(
            v0,
            root,
            16,
            TcFilter.ETH_P_IP,
            TcFilter.matchAddress(Cidr.parse("10.60.0.0/24"), false),
            TcHandle.make(1, 1),
            List.of()));
    JsonNode q = tc("qdisc", "show", "dev", "v0").get(0);
    assertThat(q.get("kind").asText()).isEqualTo("htb");
    assertThat(q.get("options").get("default").asText()).isEqualTo("0x30");
    assertThat(nl.qdiscList(v0).get(0).htb()).isEqualTo(Qdisc.Htb.of(0x30));
    // tc 6.1 prints htb classes only as text (no -j)
    String classes = sh("tc", "-n", name, "class", "show", "dev", "v0");
    assertThat(classes)
        .contains("class htb 1:30 root prio 0 rate 4Mbit ceil 8Mbit burst 32000b cburst 32000b")
        .contains("class htb 1:1 root prio 0 rate 800Gbit ceil 800Gbit");
    List<TcClass> list = nl.classList(v0);
    assertThat(list)
        .extracting(TcClass::classId)
        .containsExactlyInAnyOrder(TcHandle.make(1, 1), TcHandle.make(1, 0x30));
    for (TcClass c : list) {
      if (c.classId() == TcHandle.make(1, 0x30)) {
        assertThat(c.htb().burst()).isEqualTo(32000);
      }
    }
    assertThat(nl.filterList(v0, root))
        .anyMatch(
            f ->
                f.classId() == TcHandle.make(1, 1)
                    && f.keys()
                        .equals(List.of(new TcFilter.U32Key(0xffffff00, 0x0a3c0000, 12, 0))));
    nl.filterDel(v0, root, 16, 0);
    nl.classDel(v0, TcHandle.make(1, 1));
    assertThat(nl.classList(v0)).hasSize(1);
    nl.qdiscDel(Qdisc.root(v0));
    assertThat(nl.classList(v0)).isEmpty();
  }
}
