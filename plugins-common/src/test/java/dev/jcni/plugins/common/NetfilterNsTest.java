package dev.jcni.plugins.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.plugins.common.firewall.Backend;
import dev.jcni.plugins.common.firewall.Firewall;
import dev.jcni.plugins.common.firewall.IpFamily;
import dev.jcni.plugins.common.firewall.ProcessRunner;
import dev.jcni.spec.net.Cidr;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The generated scripts against the real nft/iptables, inside a throwaway namespace. */
class NetfilterNsTest {
  private String ns;
  private Firewall nf;
  private final Owner a = new Owner("itnet", "ctr-a", "eth0");
  private final Owner b = new Owner("itnet", "ctr-b", "eth0");

  @BeforeEach
  void setUp() {
    Assumptions.assumeTrue(TestNs.isRoot(), "needs root: creates a network namespace");
    ns = TestNs.create("jpl-nf-");
    ProcessRunner base = new ProcessRunner();
    String n = ns;
    nf =
        new Firewall(
            (argv, in) -> {
              List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", n));
              cmd.addAll(argv);
              return base.run(cmd, in);
            });
    Assumptions.assumeTrue(
        nf.nftUsable() && nf.iptablesUsable(IpFamily.V4), "needs nft and iptables");
  }

  @AfterEach
  void tearDown() {
    if (ns != null) {
      TestNs.delete(ns);
    }
  }

  @Test
  void nftablesMasqueradeSetupIsIdempotentAndTeardownRemovesIt() {
    IpMasq m = IpMasq.of(Backend.NFTABLES, nf);
    List<Cidr> ips = List.of(Cidr.parse("10.22.0.5/24"), Cidr.parse("fd00:22::5/64"));
    m.setup(a, ips);
    m.setup(a, ips);
    m.setup(b, List.of(Cidr.parse("10.22.0.6/24")));
    String rules = TestNs.inNs(ns, "nft", "list", "table", "inet", IpMasqNft.table(a));
    assertThat(rules)
        .containsOnlyOnce("ip saddr 10.22.0.5 ip daddr != 10.22.0.0/24")
        .contains("ip6 saddr fd00:22::5");
    assertThat(m.present(a, ips)).isTrue();
    IpMasq.teardownAll(nf, a);
    IpMasq.teardownAll(nf, a);
    assertThat(m.present(a, ips)).isFalse();
    assertThat(TestNs.inNs(ns, "nft", "list", "tables"))
        .doesNotContain(IpMasqNft.table(a))
        .contains(IpMasqNft.table(b));
    IpMasq.gcAll(nf, "itnet", List.of());
    assertThat(TestNs.inNs(ns, "nft", "list", "tables")).doesNotContain("jcni_masq_");
  }

  @Test
  void iptablesMasqueradeSetupIsIdempotentAndTeardownRemovesIt() {
    IpMasq m = IpMasq.of(Backend.IPTABLES, nf);
    List<Cidr> ips = List.of(Cidr.parse("10.22.0.5/24"), Cidr.parse("fd00:22::5/64"));
    m.setup(a, ips);
    m.setup(a, ips);
    m.setup(b, List.of(Cidr.parse("10.22.0.6/24")));
    String chain = IpMasqIptables.chain(a);
    String v4 = TestNs.inNs(ns, "iptables-save", "-t", "nat");
    assertThat(v4)
        .containsOnlyOnce("-A POSTROUTING -s 10.22.0.5/32")
        .containsOnlyOnce("-A " + chain + " ! -d 224.0.0.0/4");
    assertThat(TestNs.inNs(ns, "ip6tables-save", "-t", "nat"))
        .contains("-A POSTROUTING -s fd00:22::5/128");
    assertThat(m.present(a, ips)).isTrue();
    IpMasq.teardownAll(nf, a);
    IpMasq.teardownAll(nf, a);
    assertThat(m.present(a, ips)).isFalse();
    v4 = TestNs.inNs(ns, "iptables-save", "-t", "nat");
    assertThat(v4).doesNotContain(chain).contains(IpMasqIptables.chain(b));
    assertThat(TestNs.inNs(ns, "ip6tables-save", "-t", "nat")).doesNotContain(chain);
    IpMasq.gcAll(nf, "itnet", List.of(b));
    assertThat(TestNs.inNs(ns, "iptables-save", "-t", "nat")).contains(IpMasqIptables.chain(b));
    IpMasq.gcAll(nf, "itnet", List.of());
    assertThat(TestNs.inNs(ns, "iptables-save", "-t", "nat")).doesNotContain("JCNI-M-");
  }

  @Test
  void spoofCheckTableComesAndGoes() throws java.io.IOException {
    MacSpoofCheck sc = MacSpoofCheck.of(nf);
    sc.setup(a, "veth01020304", "0A:58:0a:16:00:05");
    sc.setup(a, "veth01020304", "0a:58:0a:16:00:05");
    // byte for byte what the hand-written script of earlier versions left (existing state stays
    // recognised)
    assertThat(TestNs.inNs(ns, "nft", "list", "table", "bridge", MacSpoofCheckNft.table(a)))
        .isEqualTo(IpMasqContract.golden("macspoofchk-nft.kernel.txt"));
    assertThat(sc.present(a)).isTrue();
    sc.teardown(a);
    sc.teardown(a);
    assertThat(sc.present(a)).isFalse();
  }
}
