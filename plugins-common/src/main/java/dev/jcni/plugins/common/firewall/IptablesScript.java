package dev.jcni.plugins.common.firewall;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Builds an {@code iptables-restore --noflush} script: {@code *table}, chain declarations, {@code
 * -A/-I/-D/-F/-X} lines and {@code COMMIT}, per table in first-use order. Values go in through
 * typed methods; option tokens must look like options, so config text can only ever be one token of
 * its declared kind.
 *
 * <p>Beware: with {@code --noflush}, declaring {@code :CHAIN} flushes that chain if it exists.
 * Declare only chains the caller owns wholly (for instance a per-container chain); for shared
 * chains, check {@link IptablesState} first and declare only the missing ones.
 */
public final class IptablesScript {
  /** An empty script. */
  public IptablesScript() {}

  private static final Pattern TABLE = Pattern.compile("filter|nat|mangle|raw|security");

  /**
   * Options and bare words (match names, protocols, targets, mark values); never quotes, spaces,
   * '#' or newlines.
   */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_.:/,!=+\\-]{1,128}");

  private final Map<String, List<String>> tables = new LinkedHashMap<>();

  private List<String> t(String table) {
    if (table == null || !TABLE.matcher(table).matches()) {
      throw new IllegalArgumentException("invalid iptables table: " + FwValues.printable(table));
    }
    List<String> lines = tables.get(table);
    if (lines == null) {
      lines = new ArrayList<>();
      tables.put(table, lines);
    }
    return lines;
  }

  /** {@code :CHAIN - [0:0]}: creates the chain, or flushes it when it exists. */
  public IptablesScript declareChain(String table, String chain) {
    t(table).add(":" + FwValues.chain(chain, "chain") + " - [0:0]");
    return this;
  }

  /**
   * {@code -N CHAIN}: creates the chain, and fails the whole transaction when it exists. The safe
   * way to create a shared chain another program may create concurrently (a declaration would flush
   * it).
   */
  public IptablesScript newChain(String table, String chain) {
    t(table).add("-N " + FwValues.chain(chain, "chain"));
    return this;
  }

  public IptablesScript append(String table, String chain, Rule rule) {
    t(table).add("-A " + FwValues.chain(chain, "chain") + " " + rule);
    return this;
  }

  /** {@code -I CHAIN pos rule} (pos ≥ 1). */
  public IptablesScript insert(String table, String chain, int pos, Rule rule) {
    if (pos < 1) {
      throw new IllegalArgumentException("position starts at 1");
    }
    t(table).add("-I " + FwValues.chain(chain, "chain") + " " + pos + " " + rule);
    return this;
  }

  public IptablesScript delete(String table, String chain, Rule rule) {
    t(table).add("-D " + FwValues.chain(chain, "chain") + " " + rule);
    return this;
  }

  /**
   * Deletes a rule exactly as {@code iptables-save} printed it ({@code -A CHAIN ...} becomes {@code
   * -D CHAIN ...}). The line must come from {@link IptablesState} (the kernel's own rendering),
   * never from config text.
   */
  public IptablesScript deleteSaved(String table, IptablesState.SavedRule saved) {
    t(table).add("-D " + FwValues.chain(saved.chain(), "chain") + " " + saved.spec());
    return this;
  }

  public IptablesScript flushChain(String table, String chain) {
    t(table).add("-F " + FwValues.chain(chain, "chain"));
    return this;
  }

  public IptablesScript deleteChain(String table, String chain) {
    t(table).add("-X " + FwValues.chain(chain, "chain"));
    return this;
  }

  public boolean isEmpty() {
    for (List<String> lines : tables.values()) {
      if (!lines.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, List<String>> e : tables.entrySet()) {
      if (e.getValue().isEmpty()) {
        continue;
      }
      b.append('*').append(e.getKey()).append('\n');
      for (String l : e.getValue()) {
        b.append(l).append('\n');
      }
      b.append("COMMIT\n");
    }
    return b.toString();
  }

  /** One rule specification (matches and target), from typed tokens. */
  public static final class Rule {
    /** An empty rule. */
    public Rule() {}

    private final List<String> tokens = new ArrayList<>();

    /**
     * Options and bare words: {@code -p}, {@code tcp}, {@code -m}, {@code addrtype}, {@code
     * MASQUERADE}.
     */
    public Rule opt(String... t) {
      for (String s : t) {
        if (s == null || !TOKEN.matcher(s).matches()) {
          throw new IllegalArgumentException("invalid iptables token: " + FwValues.printable(s));
        }
        tokens.add(s);
      }
      return this;
    }

    public Rule addr(InetAddress a) {
      tokens.add(FwValues.text(a));
      return this;
    }

    /** {@code addr/prefix} with the network address. */
    public Rule cidr(FwValues.Cidr c) {
      tokens.add(c.networkText());
      return this;
    }

    public Rule num(long n) {
      tokens.add(Long.toString(n));
      return this;
    }

    public Rule hex(long n) {
      tokens.add("0x" + Long.toHexString(n));
      return this;
    }

    /** {@code addr:port} / {@code [addr6]:port} for {@code --to-destination}. */
    public Rule hostPort(InetAddress a, int port) {
      tokens.add(FwValues.hostPort(a, FwValues.port(port, "port")));
      return this;
    }

    /** {@code -m comment --comment "text"} (text validated: no quotes or backslashes possible). */
    public Rule comment(String text) {
      tokens.add("-m");
      tokens.add("comment");
      tokens.add("--comment");
      tokens.add("\"" + FwValues.comment(text, "comment") + "\"");
      return this;
    }

    /** Condition tokens already validated by {@link Conditions#iptables}. */
    public Rule conditions(Conditions c) {
      if (c != null) {
        if (c.backend() != Backend.IPTABLES) {
          throw new IllegalArgumentException("nft conditions in an iptables rule");
        }
        tokens.addAll(c.tokens());
      }
      return this;
    }

    /**
     * An interface name for {@code -i}/{@code -o}. A trailing {@code +} (iptables' wildcard) is
     * refused, so a name can only ever match itself.
     */
    public Rule ifname(String name) {
      String n = FwValues.interfaceName(name, "interface");
      if (n.endsWith("+")) {
        throw dev.jcni.spec.CniException.invalidConfig(
            "interface: \"" + n + "\" would be an iptables wildcard");
      }
      tokens.add(n);
      return this;
    }

    public Rule chain(String name) {
      tokens.add(FwValues.chain(name, "chain"));
      return this;
    }

    @Override
    public String toString() {
      return String.join(" ", tokens);
    }
  }
}
