package dev.jcni.plugins.common.firewall;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Builds an {@code nft -f -} script, one command per line. Names, addresses and numbers go in
 * through typed, validated methods and keywords must look like keywords, so a value from a config
 * can only ever be one token of the kind it was declared as. Apply with {@link
 * Firewall#nft(NftScript)}: the whole script is one transaction.
 *
 * <pre>{@code
 * NftScript s = new NftScript()
 *     .replaceTable("inet", "jcni_hp_0123", "portmap id: abc")     // add + delete + add: atomic replace
 *     .addBaseChain("inet", "jcni_hp_0123", "prerouting", "nat", "prerouting", "dstnat")
 *     .addRule("inet", "jcni_hp_0123", "prerouting",
 *         new NftScript.Rule().kw("ip", "daddr").addr(a).kw("tcp", "dport").num(8080)
 *             .kw("dnat", "ip", "to").hostPort(pod, 80));
 * }</pre>
 */
public final class NftScript {
  /** An empty script. */
  public NftScript() {}

  private static final Pattern FAMILY = Pattern.compile("ip|ip6|inet|arp|bridge|netdev");
  private static final Pattern KEYWORD =
      Pattern.compile("[a-z][a-z0-9_\\-]*|!=|==|<|>|<=|>=|\\.|\\{|\\}|,|-|:");
  private static final Pattern DATA_TYPE =
      Pattern.compile("ifname|ipv4_addr|ipv6_addr|inet_service|mark");
  private static final Pattern PRIORITY =
      Pattern.compile(
          "raw|mangle|dstnat|filter|security|srcnat|out|-?[0-9]{1,6}"
              + "|(dstnat|srcnat|filter|mangle|raw) [+-] [0-9]{1,4}");
  private static final Pattern CHAIN_TYPE = Pattern.compile("filter|nat|route");
  private static final Pattern HOOK =
      Pattern.compile("prerouting|input|forward|output|postrouting|ingress");

  private final List<String> lines = new ArrayList<>();

  /** {@code add table F T} (idempotent). */
  public NftScript addTable(String family, String table) {
    lines.add("add table " + family(family) + " " + name(table));
    return this;
  }

  /** {@code add table F T { comment "..." }}. */
  public NftScript addTable(String family, String table, String comment) {
    lines.add(
        "add table "
            + family(family)
            + " "
            + name(table)
            + " { comment \""
            + FwValues.comment(comment, "comment")
            + "\"; }");
    return this;
  }

  /**
   * Deletes a table if it exists: {@code add} then {@code delete} in the same transaction, so it
   * works on nft versions without {@code destroy} and never fails on a missing table.
   */
  public NftScript deleteTableIfExists(String family, String table) {
    addTable(family, table);
    lines.add("delete table " + family(family) + " " + name(table));
    return this;
  }

  /**
   * Replaces a table atomically: whatever it held is dropped and it is recreated empty (with a
   * comment).
   */
  public NftScript replaceTable(String family, String table, String comment) {
    deleteTableIfExists(family, table);
    return comment == null ? addTable(family, table) : addTable(family, table, comment);
  }

  /** {@code add chain F T C} (a regular chain, jumped to). */
  public NftScript addChain(String family, String table, String chain) {
    lines.add("add chain " + family(family) + " " + name(table) + " " + name(chain));
    return this;
  }

  /** {@code add chain F T C { type TYPE hook HOOK priority PRIO; policy accept; }}. */
  public NftScript addBaseChain(
      String family, String table, String chain, String type, String hook, String priority) {
    check(CHAIN_TYPE, type, "chain type");
    check(HOOK, hook, "hook");
    check(PRIORITY, priority, "priority");
    lines.add(
        "add chain "
            + family(family)
            + " "
            + name(table)
            + " "
            + name(chain)
            + " { type "
            + type
            + " hook "
            + hook
            + " priority "
            + priority
            + "; policy accept; }");
    return this;
  }

  /**
   * {@code add chain F T C { type TYPE hook HOOK priority PRIO; }} without a policy: creates the
   * chain with the default policy (accept), and leaves the policy of an existing chain as it is (an
   * admin's {@code drop} stays).
   */
  public NftScript addBaseChainKeepPolicy(
      String family, String table, String chain, String type, String hook, String priority) {
    check(CHAIN_TYPE, type, "chain type");
    check(HOOK, hook, "hook");
    check(PRIORITY, priority, "priority");
    lines.add(
        "add chain "
            + family(family)
            + " "
            + name(table)
            + " "
            + name(chain)
            + " { type "
            + type
            + " hook "
            + hook
            + " priority "
            + priority
            + "; }");
    return this;
  }

  /** {@code add set F T S { type TYPE; }} (idempotent). */
  public NftScript addSet(String family, String table, String set, String type) {
    lines.add(
        "add set "
            + family(family)
            + " "
            + name(table)
            + " "
            + name(set)
            + " { type "
            + check(DATA_TYPE, type, "data type")
            + "; }");
    return this;
  }

  /** {@code add map F T M { type KEY : verdict; }} (idempotent). */
  public NftScript addVerdictMap(String family, String table, String map, String keyType) {
    lines.add(
        "add map "
            + family(family)
            + " "
            + name(table)
            + " "
            + name(map)
            + " { type "
            + check(DATA_TYPE, keyType, "data type")
            + " : verdict; }");
    return this;
  }

  /**
   * {@code add element F T S { ELEMENT }} (idempotent for an existing key), the element built from
   * typed tokens, e.g. {@code new Rule().ifname("br0").kw(":", "jump").name("iso_x")} for a verdict
   * map.
   */
  public NftScript addElement(String family, String table, String set, Rule element) {
    lines.add(
        "add element "
            + family(family)
            + " "
            + name(table)
            + " "
            + name(set)
            + " { "
            + element
            + " }");
    return this;
  }

  /**
   * {@code add rule F T C position H <rule>}: the rule goes right after the rule with handle {@code
   * H}.
   */
  public NftScript addRuleAfter(String family, String table, String chain, long handle, Rule rule) {
    if (handle < 0) {
      throw new IllegalArgumentException("negative handle");
    }
    lines.add(
        "add rule "
            + family(family)
            + " "
            + name(table)
            + " "
            + name(chain)
            + " position "
            + handle
            + " "
            + rule);
    return this;
  }

  /** {@code insert rule F T C <rule>}: the rule goes first in the chain. */
  public NftScript insertRule(String family, String table, String chain, Rule rule) {
    lines.add("insert rule " + family(family) + " " + name(table) + " " + name(chain) + " " + rule);
    return this;
  }

  public NftScript flushChain(String family, String table, String chain) {
    lines.add("flush chain " + family(family) + " " + name(table) + " " + name(chain));
    return this;
  }

  public NftScript deleteChain(String family, String table, String chain) {
    lines.add("delete chain " + family(family) + " " + name(table) + " " + name(chain));
    return this;
  }

  /** {@code add rule F T C <rule>}. */
  public NftScript addRule(String family, String table, String chain, Rule rule) {
    lines.add("add rule " + family(family) + " " + name(table) + " " + name(chain) + " " + rule);
    return this;
  }

  /** {@code delete rule F T C handle N}. */
  public NftScript deleteRule(String family, String table, String chain, long handle) {
    if (handle < 0) {
      throw new IllegalArgumentException("negative handle");
    }
    lines.add(
        "delete rule "
            + family(family)
            + " "
            + name(table)
            + " "
            + name(chain)
            + " handle "
            + handle);
    return this;
  }

  public boolean isEmpty() {
    return lines.isEmpty();
  }

  /** The script, one command per line, newline-terminated. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (String l : lines) {
      b.append(l).append('\n');
    }
    return b.toString();
  }

  /** One rule's expressions and statements, built from typed tokens. */
  public static final class Rule {
    /** An empty rule. */
    public Rule() {}

    private final List<String> tokens = new ArrayList<>();
    private String comment;

    /** Keywords and operators ({@code ip}, {@code saddr}, {@code !=}, {@code masquerade}, ...). */
    public Rule kw(String... keywords) {
      for (String k : keywords) {
        check(KEYWORD, k, "keyword");
        tokens.add(k);
      }
      return this;
    }

    /** An address literal. */
    public Rule addr(InetAddress a) {
      tokens.add(FwValues.text(a));
      return this;
    }

    /** A prefix ({@code 10.1.0.0/24}); the network address is used, as nft requires. */
    public Rule cidr(FwValues.Cidr c) {
      tokens.add(c.networkText());
      return this;
    }

    public Rule num(long n) {
      tokens.add(Long.toString(n));
      return this;
    }

    /** Hex number ({@code 0x2000}), e.g. for marks. */
    public Rule hex(long n) {
      tokens.add("0x" + Long.toHexString(n));
      return this;
    }

    /** {@code addr:port} / {@code [addr6]:port}, as in {@code dnat to}. */
    public Rule hostPort(InetAddress a, int port) {
      tokens.add(FwValues.hostPort(a, FwValues.port(port, "port")));
      return this;
    }

    /** A chain/set name (e.g. after {@code jump}). */
    public Rule name(String n) {
      tokens.add(NftScript.name(n));
      return this;
    }

    /** A reference to a named set or map: {@code @name}. */
    public Rule setRef(String n) {
      tokens.add("@" + NftScript.name(n));
      return this;
    }

    /** A MAC address ({@code ether saddr != MAC}), lower case. */
    public Rule mac(String m) {
      tokens.add(FwValues.mac(m, "MAC address"));
      return this;
    }

    /** An interface name, quoted. */
    public Rule ifname(String n) {
      tokens.add("\"" + FwValues.interfaceName(n, "interface") + "\"");
      return this;
    }

    /** Condition tokens already validated by {@link Conditions#nft}. */
    public Rule conditions(Conditions c) {
      if (c != null) {
        if (c.backend() != Backend.NFTABLES) {
          throw new IllegalArgumentException("iptables conditions in an nft rule");
        }
        tokens.addAll(c.tokens());
      }
      return this;
    }

    /** The rule's comment (rendered last). */
    public Rule comment(String c) {
      this.comment = FwValues.comment(c, "comment");
      return this;
    }

    @Override
    public String toString() {
      String s = String.join(" ", tokens);
      return comment == null ? s : s + " comment \"" + comment + "\"";
    }
  }

  private static String family(String f) {
    return check(FAMILY, f, "family");
  }

  static String name(String n) {
    return FwValues.nftName(n, "nftables name");
  }

  private static String check(Pattern p, String v, String what) {
    if (v == null || !p.matcher(v).matches()) {
      throw new IllegalArgumentException("invalid nft " + what + ": " + FwValues.printable(v));
    }
    return v;
  }
}
