package dev.jcni.plugins.common.firewall;

import dev.jcni.spec.CniException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * User-supplied match conditions (portmap's {@code conditionsV4}/{@code conditionsV6}), validated
 * so they can only add matches to the one rule they belong to: no statement separators, comments,
 * quotes or line breaks, and no verdicts, jumps or NAT/mark statements. Each config string is split
 * on whitespace into tokens.
 *
 * <p>The syntax is detected as Go does: iptables when the first token starts with {@code -} (or
 * {@code !}), nft otherwise.
 */
public final class Conditions {
  private static final Pattern IPT_TOKEN = Pattern.compile("[A-Za-z0-9_.:/,!=+\\-]{1,128}");
  private static final Pattern NFT_TOKEN =
      Pattern.compile("[A-Za-z0-9_.:/,!=<>{}\\[\\]*+\\-]{1,128}");

  /**
   * iptables options that would change the command, the target or the table, rather than add a
   * match.
   */
  private static final Set<String> IPT_FORBIDDEN =
      Set.of(
          "-A",
          "--append",
          "-I",
          "--insert",
          "-D",
          "--delete",
          "-R",
          "--replace",
          "-N",
          "--new-chain",
          "-X",
          "--delete-chain",
          "-F",
          "--flush",
          "-Z",
          "--zero",
          "-P",
          "--policy",
          "-E",
          "--rename-chain",
          "-L",
          "--list",
          "-S",
          "--list-rules",
          "-j",
          "--jump",
          "-g",
          "--goto",
          "-t",
          "--table",
          "COMMIT",
          "--to-destination",
          "--to-source",
          "--set-xmark",
          "--set-mark");

  /** nft statements and verdicts: a condition may only match. */
  private static final Set<String> NFT_FORBIDDEN =
      Set.of(
          "accept",
          "drop",
          "reject",
          "queue",
          "continue",
          "return",
          "jump",
          "goto",
          "dnat",
          "snat",
          "masquerade",
          "redirect",
          "counter",
          "log",
          "limit",
          "quota",
          "set",
          "add",
          "update",
          "delete",
          "flush",
          "insert",
          "replace",
          "table",
          "chain",
          "rule",
          "notrack",
          "meter",
          "fwd",
          "dup",
          "tproxy",
          "synproxy",
          "flow",
          "offload",
          "comment",
          "include",
          "define",
          "vmap",
          "map");

  private final Backend backend;
  private final List<String> tokens;

  private Conditions(Backend backend, List<String> tokens) {
    this.backend = backend;
    this.tokens = List.copyOf(tokens);
  }

  /** Go's syntax detection; null for no conditions. */
  public static Backend detect(List<String> conditions) {
    if (conditions == null
        || conditions.isEmpty()
        || conditions.get(0) == null
        || conditions.get(0).isBlank()) {
      return null;
    }
    char c = conditions.get(0).strip().charAt(0);
    return c == '-' || c == '!' ? Backend.IPTABLES : Backend.NFTABLES;
  }

  /**
   * Validates conditions for {@code backend}; null or empty gives null. Bad input: code 7 naming
   * {@code key}.
   */
  public static Conditions parse(List<String> conditions, Backend backend, String key) {
    if (conditions == null || conditions.isEmpty()) {
      return null;
    }
    List<String> tokens = new ArrayList<>();
    for (String c : conditions) {
      if (c == null) {
        throw CniException.invalidConfig(key + ": null condition");
      }
      for (String t : c.strip().split("[ \t]+")) {
        if (!t.isEmpty()) {
          tokens.add(t);
        }
      }
    }
    if (tokens.isEmpty()) {
      return null;
    }
    if (backend == Backend.IPTABLES) {
      for (String t : tokens) {
        if (!IPT_TOKEN.matcher(t).matches() || IPT_FORBIDDEN.contains(t)) {
          throw refused(key, t);
        }
      }
    } else {
      int depth = 0;
      for (String t : tokens) {
        if (!NFT_TOKEN.matcher(t).matches() || NFT_FORBIDDEN.contains(t.toLowerCase(Locale.ROOT))) {
          throw refused(key, t);
        }
        for (char ch : t.toCharArray()) {
          depth += ch == '{' ? 1 : ch == '}' ? -1 : 0;
          if (depth < 0) {
            throw refused(key, t);
          }
        }
      }
      if (depth != 0) {
        throw CniException.invalidConfig(key + ": unbalanced braces in conditions");
      }
    }
    return new Conditions(backend, tokens);
  }

  private static CniException refused(String key, String token) {
    return CniException.invalidConfig(
        key
            + ": condition token \""
            + FwValues.printable(token)
            + "\" is not allowed (conditions may only add matches)");
  }

  public Backend backend() {
    return backend;
  }

  public List<String> tokens() {
    return tokens;
  }

  @Override
  public String toString() {
    return String.join(" ", tokens);
  }
}
