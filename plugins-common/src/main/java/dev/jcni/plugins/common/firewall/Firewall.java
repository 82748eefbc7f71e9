package dev.jcni.plugins.common.firewall;

import dev.jcni.spec.ErrorCodes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs firewall transactions and state reads in the network namespace of the calling thread. Every
 * write is one atomic transaction: {@code nft -f -} with the whole script on stdin, or {@code
 * iptables-restore --noflush} (one per family) with a restore script; a refused script changes
 * nothing and raises {@link FirewallException} with the tool's stderr. Reads are {@code nft list
 * ...} and {@code iptables-save -t <table>}.
 *
 * <p>Stateless apart from the injected {@link CommandRunner}; safe to use from several threads.
 */
public final class Firewall {
  private final CommandRunner runner;
  private final int failureCode;

  public Firewall(CommandRunner runner) {
    this(runner, ErrorCodes.INTERNAL);
  }

  private Firewall(CommandRunner runner, int failureCode) {
    this.runner = runner;
    this.failureCode = failureCode;
  }

  /** A firewall running the real tools (found in the system PATH, not the caller's). */
  public static Firewall system() {
    return new Firewall(new ProcessRunner());
  }

  /** The same runner, reporting failed transactions with {@code code} instead of 999. */
  public Firewall withFailureCode(int code) {
    return new Firewall(runner, code);
  }

  public CommandRunner runner() {
    return runner;
  }

  // ---------------------------------------------------------------- nftables

  /**
   * Applies {@code script} as one nft transaction ({@code nft -f -}). An empty script is a no-op.
   */
  public void nft(String script) {
    if (script.isBlank()) {
      return;
    }
    CommandRunner.Output o =
        runner.run(List.of("nft", "-f", "-"), script.getBytes(StandardCharsets.UTF_8));
    if (!o.ok()) {
      throw failure("nft transaction failed", o, script);
    }
  }

  /** Applies a built script. */
  public void nft(NftScript script) {
    nft(script.toString());
  }

  /**
   * Runs {@code nft <args>} (for instance {@code -a list table inet t}) and returns stdout. Failure
   * raises {@link FirewallException}.
   */
  public String nftRead(String... args) {
    List<String> argv = new ArrayList<>(args.length + 1);
    argv.add("nft");
    argv.addAll(List.of(args));
    CommandRunner.Output o = runner.run(argv, null);
    if (!o.ok()) {
      throw failure("nft " + String.join(" ", args) + " failed", o, null);
    }
    return o.stdout();
  }

  /**
   * {@code nft [-a] list table <family> <name>}: the table's text, or empty when the table does not
   * exist.
   *
   * @param handles add {@code -a} so every rule ends with {@code # handle N}
   */
  public Optional<String> nftListTable(String family, String table, boolean handles) {
    List<String> argv =
        handles
            ? List.of("nft", "-a", "list", "table", family, table)
            : List.of("nft", "list", "table", family, table);
    CommandRunner.Output o = runner.run(argv, null);
    if (o.ok()) {
      return Optional.of(o.stdout());
    }
    if (o.stderr().contains("No such file or directory")) {
      return Optional.empty();
    }
    throw failure("nft list table " + family + " " + table + " failed", o, null);
  }

  /** Every table as {@code family name} pairs ({@code nft list tables}). */
  public List<NftTableRef> nftTables() {
    List<NftTableRef> out = new ArrayList<>();
    for (String line : nftRead("list", "tables").split("\n")) {
      String[] t = line.trim().split("\\s+");
      if (t.length == 3 && t[0].equals("table")) {
        out.add(new NftTableRef(t[1], t[2]));
      }
    }
    return out;
  }

  /** A table's identity. */
  public record NftTableRef(String family, String name) {}

  // ---------------------------------------------------------------- iptables

  /**
   * Applies {@code script} with {@code iptables-restore --noflush --wait=N} (or the ip6tables one):
   * each {@code *table ... COMMIT} block is atomic. Note that a {@code :CHAIN} line flushes an
   * existing user chain, so scripts declare only chains they own wholly.
   */
  public void iptablesRestore(IpFamily family, String script) {
    if (script.isBlank()) {
      return;
    }
    CommandRunner.Output o =
        runner.run(
            List.of(family.iptablesRestore(), "--noflush", "--wait=10"),
            script.getBytes(StandardCharsets.UTF_8));
    if (!o.ok()) {
      throw failure(family.iptablesRestore() + " failed", o, script);
    }
  }

  public void iptablesRestore(IpFamily family, IptablesScript script) {
    iptablesRestore(family, script.toString());
  }

  /** {@code iptables-save -t <table>} (or ip6tables-save), parsed. */
  public IptablesState iptablesSave(IpFamily family, String table) {
    CommandRunner.Output o = runner.run(List.of(family.iptablesSave(), "-t", table), null);
    if (!o.ok()) {
      throw failure(family.iptablesSave() + " -t " + table + " failed", o, null);
    }
    return IptablesState.parse(o.stdout());
  }

  // ---------------------------------------------------------------- detection

  /**
   * Whether the iptables API can be used for {@code family}: the tool runs and can list a built-in
   * chain (what Go's {@code utils.SupportsIPTables} checks). Needs CAP_NET_ADMIN, like the writes.
   */
  public boolean iptablesUsable(IpFamily family) {
    return runner
        .run(List.of(family.iptables(), "--wait=5", "-t", "filter", "-S", "INPUT"), null)
        .ok();
  }

  /** Whether nftables can be used: {@code nft list tables} succeeds (needs CAP_NET_ADMIN). */
  public boolean nftUsable() {
    return runner.run(List.of("nft", "list", "tables"), null).ok();
  }

  /**
   * Whether a tool can be started at all (exit code other than 127), as a tie-breaker when nothing
   * is usable.
   */
  public boolean binaryPresent(String tool) {
    return runner.run(List.of(tool, "--version"), null).exitCode() != 127;
  }

  /**
   * Go's default backend choice (plugins v1.6+, {@code SetupIPMasqForNetworks} and portmap's {@code
   * ensureBackend}): iptables, unless iptables is unusable and nftables is usable. When neither is
   * usable (typically no CAP_NET_ADMIN at detection time), binary presence breaks the tie. Go does
   * not look at which rules already exist; neither do we.
   */
  public Backend defaultBackend() {
    boolean ipt = iptablesUsable(IpFamily.V4);
    if (ipt) {
      return Backend.IPTABLES;
    }
    if (nftUsable()) {
      return Backend.NFTABLES;
    }
    return !binaryPresent("iptables") && binaryPresent("nft") ? Backend.NFTABLES : Backend.IPTABLES;
  }

  /** Whether {@code backend} can be used right now (STATUS). */
  public boolean usable(Backend backend) {
    return backend == Backend.NFTABLES ? nftUsable() : iptablesUsable(IpFamily.V4);
  }

  private FirewallException failure(String what, CommandRunner.Output o, String script) {
    String err = o.stderr().strip();
    if (err.isEmpty()) {
      err = "exit code " + o.exitCode();
    }
    if (err.length() > 2000) {
      err = err.substring(0, 2000) + "...";
    }
    return new FirewallException(failureCode, what + ": " + err, script, o.exitCode());
  }
}
