package dev.jcni.plugins.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.plugins.common.firewall.Backend;
import dev.jcni.plugins.common.firewall.Firewall;
import dev.jcni.plugins.common.firewall.ProcessRunner;
import dev.jcni.spec.net.Cidr;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The masquerade behaviour, written once and run against each backend ({@link IpMasqNftTest},
 * {@link IpMasqIptablesTest}): the exact script text (golden, pure), and on the real tools inside a
 * throwaway namespace (root only) the exact kernel state it leaves (golden files captured from the
 * implementation before the typed builders, so existing installations are recognised byte for
 * byte), idempotence, teardown, GC and coexistence with the Go plugins' masquerade state.
 */
abstract class IpMasqContract {
  static final Owner A = new Owner("itnet", "ctr-a", "eth0");
  static final Owner B = new Owner("itnet", "ctr-b", "eth0");
  static final List<Cidr> IPS =
      List.of(Cidr.parse("10.22.0.5/24"), Cidr.parse("10.23.0.5/16"), Cidr.parse("fd00:22::5/64"));

  private String ns;

  abstract Backend backend();

  /**
   * The setup transaction(s) for A and {@link #IPS}, as the tools receive them (nothing installed
   * before).
   */
  abstract String expectedSetupScripts();

  /**
   * Golden resource files of the kernel state after setup of A, and the commands listing that
   * state.
   */
  abstract List<String> goldenKernelFiles();

  abstract List<List<String>> kernelListings();

  /** Creates state as the Go plugins' masquerading would (it must survive our DEL and GC). */
  abstract void addGoState(String ns);

  abstract boolean goStatePresent(String ns);

  abstract boolean mentions(String ns, Owner o);

  @Test
  void setupScriptIsTheGoldenText() {
    FakeRunner r = new FakeRunner();
    IpMasq.of(backend(), r.firewall()).setup(A, IPS);
    List<String> all = new ArrayList<>(r.nftScripts);
    all.addAll(r.restores);
    assertThat(String.join("", all)).isEqualTo(expectedSetupScripts());
  }

  @Test
  void setupIsIdempotentAndLeavesTheGoldenKernelState() throws IOException {
    IpMasq m = IpMasq.of(backend(), inNamespace());
    m.setup(A, IPS);
    m.setup(A, IPS);
    for (int i = 0; i < goldenKernelFiles().size(); i++) {
      assertThat(listing(kernelListings().get(i)))
          .as(goldenKernelFiles().get(i))
          .isEqualTo(golden(goldenKernelFiles().get(i)));
    }
    assertThat(m.present(A, IPS)).isTrue();
  }

  @Test
  void teardownAndGcRemoveOnlyOurAttachmentsAndNeverGosState() {
    Firewall fw = inNamespace();
    IpMasq m = IpMasq.of(backend(), fw);
    addGoState(ns);
    m.setup(A, IPS);
    m.setup(B, List.of(Cidr.parse("10.22.0.6/24")));
    IpMasq.teardownAll(fw, A);
    IpMasq.teardownAll(fw, A);
    assertThat(m.present(A, IPS)).isFalse();
    assertThat(mentions(ns, A)).isFalse();
    assertThat(mentions(ns, B)).isTrue();
    IpMasq.gcAll(fw, "itnet", List.of(B));
    assertThat(mentions(ns, B)).isTrue();
    IpMasq.gcAll(fw, "othernet", List.of());
    assertThat(mentions(ns, B)).isTrue();
    IpMasq.gcAll(fw, "itnet", List.of());
    assertThat(mentions(ns, B)).isFalse();
    assertThat(goStatePresent(ns)).isTrue();
  }

  private Firewall inNamespace() {
    Assumptions.assumeTrue(TestNs.isRoot(), "needs root: creates a network namespace");
    ns = TestNs.create("jpl-masq-");
    ProcessRunner base = new ProcessRunner();
    String n = ns;
    Firewall fw =
        new Firewall(
            (argv, in) -> {
              List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", n));
              cmd.addAll(argv);
              return base.run(cmd, in);
            });
    Assumptions.assumeTrue(
        fw.nftUsable() && fw.binaryPresent("iptables-save"), "needs nft and iptables");
    return fw;
  }

  @AfterEach
  void deleteNamespace() {
    if (ns != null) {
      TestNs.delete(ns);
    }
  }

  /** A listing without iptables-save's timestamped comment lines. */
  String listing(List<String> argv) {
    List<String> cmd = new ArrayList<>(argv);
    StringBuilder b = new StringBuilder();
    for (String line : TestNs.inNs(ns, cmd.toArray(String[]::new)).split("\n")) {
      if (!line.startsWith("#")) {
        b.append(line).append('\n');
      }
    }
    return b.toString();
  }

  static String golden(String name) throws IOException {
    try (InputStream in = IpMasqContract.class.getResourceAsStream("/golden/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
