package dev.jcni.plugins.common.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The runner's command lines, error reporting and backend choice, against a fake command runner.
 */
class FirewallTest {

  static final class Fake implements CommandRunner {
    final List<String> calls = new ArrayList<>();
    final List<String> stdins = new ArrayList<>();
    final Function<List<String>, Output> answer;

    Fake(Function<List<String>, Output> answer) {
      this.answer = answer;
    }

    @Override
    public Output run(List<String> argv, byte[] stdin) {
      calls.add(String.join(" ", argv));
      stdins.add(stdin == null ? null : new String(stdin, StandardCharsets.UTF_8));
      return answer.apply(argv);
    }
  }

  @Test
  void nftTransactionIsOneProcessWithTheScriptOnStdin() {
    Fake f = new Fake(a -> new CommandRunner.Output(0, "", ""));
    new Firewall(f).nft(new NftScript().addTable("inet", "t"));
    assertThat(f.calls).containsExactly("nft -f -");
    assertThat(f.stdins).containsExactly("add table inet t\n");
    new Firewall(f).nft("");
    assertThat(f.calls).hasSize(1);
  }

  @Test
  void failedTransactionCarriesStderrAndScript() {
    Fake f =
        new Fake(
            a ->
                new CommandRunner.Output(
                    1, "", "/dev/stdin:1:1-3: Error: Could not process rule\n"));
    assertThatThrownBy(() -> new Firewall(f).nft("add rule inet t c drop\n"))
        .isInstanceOfSatisfying(
            FirewallException.class,
            e -> {
              assertThat(e.code()).isEqualTo(999);
              assertThat(e.msg())
                  .isEqualTo(
                      "nft transaction failed: /dev/stdin:1:1-3: Error: Could not process rule");
              assertThat(e.details()).isEqualTo("add rule inet t c drop\n");
              assertThat(e.exitCode()).isEqualTo(1);
            });
    assertThatThrownBy(
            () ->
                new Firewall(f).withFailureCode(101).iptablesRestore(IpFamily.V6, "*nat\nCOMMIT\n"))
        .isInstanceOfSatisfying(
            FirewallException.class,
            e -> {
              assertThat(e.code()).isEqualTo(101);
              assertThat(e.msg()).startsWith("ip6tables-restore failed: ");
            });
    assertThat(f.calls).last().isEqualTo("ip6tables-restore --noflush --wait=10");
  }

  @Test
  void listTableDistinguishesMissingFromFailing() {
    Fake missing =
        new Fake(a -> new CommandRunner.Output(1, "", "Error: No such file or directory\n"));
    assertThat(new Firewall(missing).nftListTable("inet", "t", true)).isEmpty();
    assertThat(missing.calls).containsExactly("nft -a list table inet t");
    Fake denied =
        new Fake(a -> new CommandRunner.Output(1, "", "Error: Operation not permitted\n"));
    assertThatThrownBy(() -> new Firewall(denied).nftListTable("inet", "t", false))
        .hasMessageContaining("Operation not permitted");
  }

  @Test
  void nftTablesParsesListing() {
    Fake f = new Fake(a -> new CommandRunner.Output(0, "table ip nat\ntable inet jcni_x\n", ""));
    assertThat(new Firewall(f).nftTables())
        .containsExactly(
            new Firewall.NftTableRef("ip", "nat"), new Firewall.NftTableRef("inet", "jcni_x"));
  }

  @Test
  void defaultBackendFollowsGo() {
    // iptables usable: iptables, whatever nft says
    assertThat(new Firewall(new Fake(a -> new CommandRunner.Output(0, "", ""))).defaultBackend())
        .isEqualTo(Backend.IPTABLES);
    // iptables unusable, nft usable: nftables
    assertThat(
            new Firewall(
                    new Fake(a -> new CommandRunner.Output(a.get(0).equals("nft") ? 0 : 1, "", "")))
                .defaultBackend())
        .isEqualTo(Backend.NFTABLES);
    // neither usable, only nft installed: nftables
    assertThat(
            new Firewall(
                    new Fake(
                        a -> new CommandRunner.Output(a.get(0).equals("nft") ? 1 : 127, "", "")))
                .defaultBackend())
        .isEqualTo(Backend.NFTABLES);
    // neither usable, both installed: iptables
    assertThat(new Firewall(new Fake(a -> new CommandRunner.Output(1, "", ""))).defaultBackend())
        .isEqualTo(Backend.IPTABLES);
  }

  @Test
  void processRunnerReportsMissingBinaryAs127() {
    CommandRunner.Output o =
        new ProcessRunner().run(List.of("/nonexistent/jcni-no-such-tool"), null);
    assertThat(o.exitCode()).isEqualTo(127);
    CommandRunner.Output cat =
        new ProcessRunner().run(List.of("cat"), "hello".getBytes(StandardCharsets.UTF_8));
    assertThat(cat.stdout()).isEqualTo("hello");
    assertThat(cat.ok()).isTrue();
  }

  @Test
  void backendParse() {
    assertThat(Backend.parse("nftables", "backend")).isEqualTo(Backend.NFTABLES);
    assertThat(Backend.parse("IPTables", "backend")).isEqualTo(Backend.IPTABLES);
    assertThat(Backend.parse(null, "backend")).isNull();
    assertThatThrownBy(() -> Backend.parse("ebtables", "backend")).hasMessageContaining("backend");
  }
}
