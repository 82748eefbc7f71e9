package dev.jcni.plugins.common.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real transactions against the kernel, inside a namespace this test creates (commands run through
 * {@code ip netns exec}, so the machine's own rules are never touched).
 */
class FirewallNetnsTest {
  private String ns;
  private Firewall fw;

  static boolean isRoot() {
    return dev.jcni.testkit.NetnsExtension.isRoot();
  }

  static void sh(String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).inheritIO().start();
    assertThat(p.waitFor()).as(String.join(" ", argv)).isZero();
  }

  @BeforeEach
  void setUp() throws Exception {
    Assumptions.assumeTrue(isRoot(), "needs root: creates a network namespace");
    ns = "jpm-fw-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    sh("ip", "netns", "add", ns);
    ProcessRunner real = new ProcessRunner();
    fw =
        new Firewall(
            (argv, stdin) -> {
              List<String> a = new ArrayList<>(List.of("ip", "netns", "exec", ns));
              a.addAll(argv);
              return real.run(a, stdin);
            });
  }

  @AfterEach
  void tearDown() throws Exception {
    if (ns != null) {
      sh("ip", "netns", "del", ns);
    }
  }

  @Test
  void nftTransactionsAreAtomic() {
    InetAddress pod = FwValues.address("10.0.0.2", "t");
    NftScript s =
        new NftScript()
            .replaceTable("inet", "jcni_fwtest", "owner: test")
            .addBaseChain("inet", "jcni_fwtest", "prerouting", "nat", "prerouting", "dstnat")
            .addRule(
                "inet",
                "jcni_fwtest",
                "prerouting",
                new NftScript.Rule()
                    .kw("tcp", "dport")
                    .num(8080)
                    .kw("dnat", "ip", "to")
                    .hostPort(pod, 80)
                    .comment("id: c1"));
    fw.nft(s);
    fw.nft(s); // replacing is idempotent
    String listed = fw.nftListTable("inet", "jcni_fwtest", true).orElseThrow();
    assertThat(listed)
        .contains("tcp dport 8080 dnat ip to 10.0.0.2:80 comment \"id: c1\"")
        .containsOnlyOnce("dnat ip to");
    assertThat(fw.nftTables()).contains(new Firewall.NftTableRef("inet", "jcni_fwtest"));

    // A script whose last line fails changes nothing, and the error carries nft's stderr.
    NftScript bad =
        new NftScript()
            .deleteTableIfExists("inet", "jcni_fwtest")
            .addRule("inet", "jcni_nosuch", "c", new NftScript.Rule().kw("accept"));
    assertThatThrownBy(() -> fw.nft(bad))
        .isInstanceOfSatisfying(
            FirewallException.class,
            e ->
                assertThat(e.msg())
                    .startsWith("nft transaction failed: ")
                    .contains("No such file or directory"));
    assertThat(fw.nftListTable("inet", "jcni_fwtest", false)).isPresent();

    fw.nft(new NftScript().deleteTableIfExists("inet", "jcni_fwtest"));
    fw.nft(new NftScript().deleteTableIfExists("inet", "jcni_fwtest"));
    assertThat(fw.nftListTable("inet", "jcni_fwtest", false)).isEmpty();
  }

  @Test
  void iptablesRestoreAndSave() {
    assertThat(fw.iptablesUsable(IpFamily.V4)).isTrue();
    IptablesScript s =
        new IptablesScript()
            .declareChain("nat", "JCNI-FWTEST")
            .append(
                "nat",
                "JCNI-FWTEST",
                new IptablesScript.Rule()
                    .opt("-p", "tcp", "-m", "tcp", "--dport")
                    .num(8080)
                    .comment("jcni test c1")
                    .opt("-j", "DNAT", "--to-destination")
                    .hostPort(FwValues.address("10.0.0.2", "t"), 80));
    fw.iptablesRestore(IpFamily.V4, s);
    IptablesState st = fw.iptablesSave(IpFamily.V4, "nat");
    assertThat(st.hasChain("nat", "JCNI-FWTEST")).isTrue();
    List<IptablesState.SavedRule> rules = st.rules("nat", "JCNI-FWTEST");
    assertThat(rules).hasSize(1);
    assertThat(rules.get(0).comment()).isEqualTo("jcni test c1");

    // Replaying the saved line as a delete removes exactly that rule.
    fw.iptablesRestore(
        IpFamily.V4,
        new IptablesScript().deleteSaved("nat", rules.get(0)).deleteChain("nat", "JCNI-FWTEST"));
    assertThat(fw.iptablesSave(IpFamily.V4, "nat").hasChain("nat", "JCNI-FWTEST")).isFalse();

    // A failing restore reports the tool's stderr.
    assertThatThrownBy(
            () ->
                fw.iptablesRestore(
                    IpFamily.V4, new IptablesScript().flushChain("nat", "JCNI-NOSUCH")))
        .isInstanceOfSatisfying(
            FirewallException.class,
            e -> assertThat(e.msg()).startsWith("iptables-restore failed: "));

    // IPv6 too.
    fw.iptablesRestore(IpFamily.V6, new IptablesScript().declareChain("nat", "JCNI-FWTEST6"));
    assertThat(fw.iptablesSave(IpFamily.V6, "nat").hasChain("nat", "JCNI-FWTEST6")).isTrue();
  }

  @Test
  void detection() {
    assertThat(fw.nftUsable()).isTrue();
    assertThat(fw.defaultBackend()).isEqualTo(Backend.IPTABLES);
    assertThat(fw.usable(Backend.NFTABLES)).isTrue();
  }
}
