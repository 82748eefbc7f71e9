package dev.jcni.plugins.common;

import dev.jcni.spec.net.Cidr;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IpMasqTest {
  private final Owner a = new Owner("mynet", "ctr-a", "eth0");
  private final Owner b = new Owner("mynet", "ctr-b", "eth0");
  private final Owner other = new Owner("othernet", "ctr-a", "eth0");

  @Test
  void namesAreKeyedByIdentityAndFitTheLimits() {
    assertThat(IpMasq.iptablesChain(a)).hasSize(28).startsWith("JCNI-M-").isNotEqualTo(IpMasq.iptablesChain(b));
    assertThat(IpMasq.iptablesChain(a)).isNotEqualTo(IpMasq.iptablesChain(other));
    assertThat(IpMasq.iptablesChain(a)).startsWith(IpMasq.iptablesNetPrefix("mynet"));
    assertThat(IpMasq.nftTable(a)).matches("jcni_masq_[0-9a-f]{16}_[0-9a-f]{16}");
    assertThat(IpMasq.nftTable(new Owner("mynet", "ctr-a", "eth1"))).isNotEqualTo(IpMasq.nftTable(a));
  }

  @Test
  void nftSetupMasqueradesOutsideTheSubnetPerFamily() {
    String s = IpMasq.nftSetupScript(a, List.of(Cidr.parse("10.22.0.5/24"), Cidr.parse("fd00:22::5/64")));
    String t = IpMasq.nftTable(a);
    assertThat(s).startsWith("add table inet " + t + "\ndelete table inet " + t + "\ntable inet " + t + " {\n");
    assertThat(s).contains("type nat hook postrouting priority srcnat; policy accept;")
        .contains("ip saddr 10.22.0.5 ip daddr != 10.22.0.0/24 ip daddr != 224.0.0.0/4 masquerade")
        .contains("ip6 saddr fd00:22::5 ip6 daddr != fd00:22::/64 ip6 daddr != ff00::/8 masquerade")
        .contains("comment \"jcni ipMasq net: mynet, if: eth0, id: ctr-a\"");
  }

  @Test
  void iptablesSetupReplacesPreviousJumpsOfTheSameAttachmentOnly() {
    String chain = IpMasq.iptablesChain(a);
    String chainB = IpMasq.iptablesChain(b);
    String saved = "*nat\n:POSTROUTING ACCEPT [0:0]\n:" + chain + " - [0:0]\n:" + chainB + " - [0:0]\n"
        + "-A POSTROUTING -s 10.22.0.9/32 -m comment --comment \"jcni x\" -j " + chain + "\n"
        + "-A POSTROUTING -s 10.22.0.7/32 -m comment --comment \"jcni y\" -j " + chainB + "\n"
        + "-A " + chain + " -d 10.22.0.0/24 -j ACCEPT\nCOMMIT\n";
    String s = IpMasq.iptablesScript(a, List.of(Cidr.parse("10.22.0.5/24")), saved);
    assertThat(s).startsWith("*nat\n:" + chain + " - [0:0]\n")
        .contains("-D POSTROUTING -s 10.22.0.9/32 -m comment --comment \"jcni x\" -j " + chain + "\n")
        .doesNotContain(chainB)
        .contains("-A " + chain + " -d 10.22.0.0/24 -m comment --comment \"jcni ipMasq net: mynet, if: eth0, id: ctr-a\" -j ACCEPT\n")
        .contains("-A " + chain + " ! -d 224.0.0.0/4 ")
        .contains("-A POSTROUTING -s 10.22.0.5/32 ")
        .endsWith("COMMIT\n");
  }

  @Test
  void teardownUsesBothBackendsAndWritesNothingWhenNothingIsThere() {
    FakeNetfilter nf = new FakeNetfilter();
    new IpMasq(nf).teardown(a);
    assertThat(nf.nftScripts).containsExactly(
        "add table inet " + IpMasq.nftTable(a) + "\ndelete table inet " + IpMasq.nftTable(a) + "\n");
    assertThat(nf.restores).isEmpty();

    String chain = IpMasq.iptablesChain(a);
    nf.saved.put(4, "*nat\n:" + chain + " - [0:0]\n-A POSTROUTING -s 10.22.0.5/32 -j " + chain + "\n-A " + chain
        + " ! -d 224.0.0.0/4 -j MASQUERADE\nCOMMIT\n");
    new IpMasq(nf).teardown(a);
    assertThat(nf.restores).containsExactly("4:*nat\n:" + chain + " - [0:0]\n-D POSTROUTING -s 10.22.0.5/32 -j "
        + chain + "\n-X " + chain + "\nCOMMIT\n");
  }

  @Test
  void teardownIgnoresFailuresOfAnUnusableBackendOnly() {
    FakeNetfilter nf = new FakeNetfilter();
    nf.ipt = false;
    nf.failure = new NetfilterException("nft failed: Could not process rule: Operation not supported");
    nf.usable = false;
    new IpMasq(nf).teardown(a);
    new MacSpoofCheck(nf).teardown(a);
    nf.usable = true;
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new IpMasq(nf).teardown(a))
        .hasMessageContaining("Operation not supported");
  }

  @Test
  void teardownSkipsBackendsThatAreNotInstalled() {
    FakeNetfilter nf = new FakeNetfilter();
    nf.nft = false;
    nf.ipt = false;
    new IpMasq(nf).teardown(a);
    assertThat(nf.nftScripts).isEmpty();
    assertThat(nf.restores).isEmpty();
  }

  @Test
  void gcRemovesOnlyStaleAttachmentsOfThisNetwork() {
    FakeNetfilter nf = new FakeNetfilter();
    nf.tables = "table inet " + IpMasq.nftTable(a) + "\ntable inet " + IpMasq.nftTable(b) + "\ntable inet "
        + IpMasq.nftTable(other) + "\ntable inet cni_plugins_masquerade\ntable ip nat\n";
    String ca = IpMasq.iptablesChain(a);
    String cb = IpMasq.iptablesChain(b);
    String co = IpMasq.iptablesChain(other);
    nf.saved.put(4, "*nat\n:" + ca + " - [0:0]\n:" + cb + " - [0:0]\n:" + co + " - [0:0]\n:CNI-abc - [0:0]\n"
        + "-A POSTROUTING -s 10.0.0.1/32 -j " + ca + "\n-A POSTROUTING -s 10.0.0.2/32 -j " + cb + "\n"
        + "-A POSTROUTING -s 10.0.0.3/32 -j " + co + "\nCOMMIT\n");
    new IpMasq(nf).gc("mynet", List.of(a));
    assertThat(nf.nftScripts).containsExactly(
        "add table inet " + IpMasq.nftTable(b) + "\ndelete table inet " + IpMasq.nftTable(b) + "\n");
    assertThat(nf.restores).containsExactly("4:*nat\n:" + cb + " - [0:0]\n-D POSTROUTING -s 10.0.0.2/32 -j " + cb
        + "\n-X " + cb + "\nCOMMIT\n");
  }

  @Test
  void setupWithAnExplicitBackendTouchesOnlyThatBackend() {
    FakeNetfilter nf = new FakeNetfilter();
    new IpMasq(nf).setup(MasqBackend.NFTABLES, a, List.of(Cidr.parse("10.22.0.5/24")));
    assertThat(nf.nftScripts).hasSize(1);
    assertThat(nf.restores).isEmpty();
    new IpMasq(nf).setup(MasqBackend.IPTABLES, a, List.of(Cidr.parse("fd00::5/64")));
    assertThat(nf.restores).singleElement().asString().startsWith("6:*nat\n");
  }

  @Test
  void automaticBackendIsIptablesUnlessOnlyNftablesIsThere() {
    FakeNetfilter nf = new FakeNetfilter();
    assertThat(MasqBackend.auto(nf)).isEqualTo(MasqBackend.IPTABLES);
    nf.ipt = false;
    assertThat(MasqBackend.auto(nf)).isEqualTo(MasqBackend.NFTABLES);
    nf.nft = false;
    assertThat(MasqBackend.auto(nf)).isEqualTo(MasqBackend.IPTABLES);
    // installed but unusable iptables (e.g. no kernel support) with working nftables: nftables, as in Go
    nf.ipt = true;
    nf.nft = true;
    FakeNetfilter broken = new FakeNetfilter() {
      @Override
      public boolean iptablesUsable() {
        return false;
      }
    };
    assertThat(MasqBackend.auto(broken)).isEqualTo(MasqBackend.NFTABLES);
  }
}
