package dev.jcni.plugins.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.plugins.common.firewall.Backend;
import dev.jcni.spec.CniException;
import dev.jcni.spec.net.Cidr;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What does not depend on the backend: names, backend choice and the both-backends DEL/GC, with a
 * fake runner.
 */
class IpMasqTest {
  private final Owner a = new Owner("mynet", "ctr-a", "eth0");
  private final Owner b = new Owner("mynet", "ctr-b", "eth0");
  private final Owner other = new Owner("othernet", "ctr-a", "eth0");

  @Test
  void namesAreKeyedByIdentityAndFitTheLimits() {
    assertThat(IpMasqIptables.chain(a))
        .hasSize(28)
        .startsWith("JCNI-M-")
        .isNotEqualTo(IpMasqIptables.chain(b));
    assertThat(IpMasqIptables.chain(a)).isNotEqualTo(IpMasqIptables.chain(other));
    assertThat(IpMasqIptables.chain(a)).startsWith(IpMasqIptables.networkPrefix("mynet"));
    assertThat(IpMasqNft.table(a)).matches("jcni_masq_[0-9a-f]{16}_[0-9a-f]{16}");
    assertThat(IpMasqNft.table(new Owner("mynet", "ctr-a", "eth1")))
        .isNotEqualTo(IpMasqNft.table(a));
    // the names of existing installations must not change
    assertThat(IpMasqNft.table(new Owner("itnet", "ctr-a", "eth0")))
        .isEqualTo("jcni_masq_6b4e0f05b8fb8988_a1e2d49ecdb10577");
    assertThat(IpMasqIptables.chain(new Owner("itnet", "ctr-a", "eth0")))
        .isEqualTo("JCNI-M-6B4E0F05A1E2D49ECDB10");
    assertThat(MacSpoofCheckNft.table(new Owner("itnet", "ctr-a", "eth0")))
        .isEqualTo("jcni_msc_6b4e0f05b8fb8988_a1e2d49ecdb10577");
  }

  @Test
  void backendValuesAreGosExactSpelling() {
    assertThat(IpMasq.parseBackend(null)).isNull();
    assertThat(IpMasq.parseBackend("nftables")).isEqualTo(Backend.NFTABLES);
    assertThat(IpMasq.parseBackend("iptables")).isEqualTo(Backend.IPTABLES);
    assertThatThrownBy(() -> IpMasq.parseBackend("NFTables"))
        .isInstanceOfSatisfying(
            CniException.class,
            e -> {
              assertThat(e.code()).isEqualTo(7);
              assertThat(e.msg())
                  .isEqualTo(
                      "ipMasqBackend: unknown ipmasq backend \"NFTables\" (must be \"iptables\" or \"nftables\")");
            });
  }

  @Test
  void automaticBackendIsIptablesUnlessOnlyNftablesIsUsable() {
    FakeRunner r = new FakeRunner();
    assertThat(IpMasq.choose(null, r.firewall()).backend()).isEqualTo(Backend.IPTABLES);
    r.ipt = false;
    assertThat(IpMasq.choose(null, r.firewall()).backend()).isEqualTo(Backend.NFTABLES);
    assertThat(IpMasq.choose(Backend.IPTABLES, r.firewall()).backend()).isEqualTo(Backend.IPTABLES);
    r.nft = false;
    assertThat(IpMasq.choose(null, r.firewall()).backend()).isEqualTo(Backend.IPTABLES);
  }

  @Test
  void setupWithAnExplicitBackendTouchesOnlyThatBackend() {
    FakeRunner r = new FakeRunner();
    IpMasq.of(Backend.NFTABLES, r.firewall()).setup(a, List.of(Cidr.parse("10.22.0.5/24")));
    assertThat(r.nftScripts).hasSize(1);
    assertThat(r.restores).isEmpty();
    IpMasq.of(Backend.IPTABLES, r.firewall()).setup(a, List.of(Cidr.parse("fd00::5/64")));
    assertThat(r.restores).singleElement().asString().startsWith("ip6tables-restore:*nat\n");
    assertThat(r.nftScripts).hasSize(1);
  }

  @Test
  void teardownUsesBothBackendsAndWritesNothingWhenNothingIsThere() {
    FakeRunner r = new FakeRunner();
    IpMasq.teardownAll(r.firewall(), a);
    assertThat(r.nftScripts)
        .containsExactly(
            "add table inet "
                + IpMasqNft.table(a)
                + "\ndelete table inet "
                + IpMasqNft.table(a)
                + "\n");
    assertThat(r.restores).isEmpty();

    String chain = IpMasqIptables.chain(a);
    r.saved.put(
        "iptables-save",
        "*nat\n:"
            + chain
            + " - [0:0]\n-A POSTROUTING -s 10.22.0.5/32 -j "
            + chain
            + "\n-A "
            + chain
            + " ! -d 224.0.0.0/4 -j MASQUERADE\nCOMMIT\n");
    IpMasq.teardownAll(r.firewall(), a);
    assertThat(r.restores)
        .containsExactly(
            "iptables-restore:*nat\n:"
                + chain
                + " - [0:0]\n-D POSTROUTING -s 10.22.0.5/32 -j "
                + chain
                + "\n-X "
                + chain
                + "\nCOMMIT\n");
  }

  @Test
  void teardownIgnoresFailuresOfAnUnusableBackendOnly() {
    FakeRunner r = new FakeRunner();
    r.ipt = false;
    r.failure = "Error: Could not process rule: Operation not supported";
    r.usable = false;
    IpMasq.teardownAll(r.firewall(), a);
    MacSpoofCheck.of(r.firewall()).teardown(a);
    r.usable = true;
    assertThatThrownBy(() -> IpMasq.teardownAll(r.firewall(), a))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "ipMasq teardown: nft transaction failed: Error: Could not process rule: Operation not supported");
  }

  @Test
  void teardownSkipsBackendsThatAreNotInstalled() {
    FakeRunner r = new FakeRunner();
    r.nft = false;
    r.ipt = false;
    IpMasq.teardownAll(r.firewall(), a);
    MacSpoofCheck.of(r.firewall()).teardown(a);
    MacSpoofCheck.of(r.firewall()).gc("mynet", List.of());
    IpMasq.gcAll(r.firewall(), "mynet", List.of());
    assertThat(r.nftScripts).isEmpty();
    assertThat(r.restores).isEmpty();
  }

  @Test
  void gcRemovesOnlyStaleAttachmentsOfThisNetworkAndNeverGosState() {
    FakeRunner r = new FakeRunner();
    r.tables =
        "table inet "
            + IpMasqNft.table(a)
            + "\ntable inet "
            + IpMasqNft.table(b)
            + "\ntable inet "
            + IpMasqNft.table(other)
            + "\ntable inet cni_plugins_masquerade\ntable ip nat\n";
    String ca = IpMasqIptables.chain(a);
    String cb = IpMasqIptables.chain(b);
    String co = IpMasqIptables.chain(other);
    r.saved.put(
        "iptables-save",
        "*nat\n:"
            + ca
            + " - [0:0]\n:"
            + cb
            + " - [0:0]\n:"
            + co
            + " - [0:0]\n"
            + ":CNI-abc - [0:0]\n-A POSTROUTING -s 10.0.0.1/32 -j "
            + ca
            + "\n-A POSTROUTING -s 10.0.0.2/32 -j "
            + cb
            + "\n-A POSTROUTING -s 10.0.0.3/32 -j "
            + co
            + "\n-A POSTROUTING -s 10.0.0.4/32 -j CNI-abc\nCOMMIT\n");
    IpMasq.gcAll(r.firewall(), "mynet", List.of(a));
    assertThat(r.nftScripts)
        .containsExactly(
            "add table inet "
                + IpMasqNft.table(b)
                + "\ndelete table inet "
                + IpMasqNft.table(b)
                + "\n");
    assertThat(r.restores)
        .containsExactly(
            "iptables-restore:*nat\n:"
                + cb
                + " - [0:0]\n-D POSTROUTING -s "
                + "10.0.0.2/32 -j "
                + cb
                + "\n-X "
                + cb
                + "\nCOMMIT\n");
  }

  @Test
  void presentLooksAtBothBackends() {
    FakeRunner r = new FakeRunner();
    List<Cidr> ips = List.of(Cidr.parse("10.22.0.5/24"));
    assertThat(IpMasq.presentAny(r.firewall(), a, ips)).isFalse();
    r.tables = "table inet " + IpMasqNft.table(a) + "\n";
    assertThat(IpMasq.presentAny(r.firewall(), a, ips)).isTrue();
    r.tables = "";
    String chain = IpMasqIptables.chain(a);
    r.saved.put(
        "iptables-save",
        "*nat\n:" + chain + " - [0:0]\n-A POSTROUTING -s 10.22.0.5/32 -j " + chain + "\nCOMMIT\n");
    assertThat(IpMasq.presentAny(r.firewall(), a, ips)).isTrue();
    assertThat(IpMasq.presentAny(r.firewall(), a, List.of(Cidr.parse("fd00::5/64")))).isFalse();
  }

  @Test
  void ruleCommentsAreTheDescriptionForSpecNamesAndSafeForOthers() {
    assertThat(a.ruleComment("ipMasq")).isEqualTo("jcni ipMasq net: mynet, if: eth0, id: ctr-a");
    assertThat(new Owner("n", "c", "e#'$1").ruleComment("ipMasq"))
        .isEqualTo("jcni ipMasq net: n, if: e___1, id: c");
  }
}
