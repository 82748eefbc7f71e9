package dev.jcni.plugins.common.firewall;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The parsed output of {@code iptables-save}: per table, its chains and its rules in order. */
public final class IptablesState {
  /** No tables yet. */
  public IptablesState() {}

  private final Map<String, Set<String>> chains = new LinkedHashMap<>();
  private final Map<String, List<SavedRule>> rules = new LinkedHashMap<>();

  /** One {@code -A CHAIN spec} line as the kernel rendered it. */
  public record SavedRule(String table, String chain, String spec) {
    /**
     * The value of the rule's {@code --comment}, or null. Handles iptables-save's quoting and
     * escapes.
     */
    public String comment() {
      int i = spec.indexOf("--comment ");
      if (i < 0) {
        return null;
      }
      i += "--comment ".length();
      if (i < spec.length() && spec.charAt(i) == '"') {
        StringBuilder b = new StringBuilder();
        for (int j = i + 1; j < spec.length(); j++) {
          char c = spec.charAt(j);
          if (c == '\\' && j + 1 < spec.length()) {
            b.append(spec.charAt(++j));
          } else if (c == '"') {
            return b.toString();
          } else {
            b.append(c);
          }
        }
        return b.toString();
      }
      int end = spec.indexOf(' ', i);
      return end < 0 ? spec.substring(i) : spec.substring(i, end);
    }

    /** The jump/goto target ({@code -j X} / {@code -g X}), or null. */
    public String target() {
      String[] t = spec.split(" ");
      for (int i = 0; i + 1 < t.length; i++) {
        if (t[i].equals("-j") || t[i].equals("-g")) {
          return t[i + 1];
        }
      }
      return null;
    }
  }

  public static IptablesState parse(String save) {
    IptablesState s = new IptablesState();
    String table = null;
    for (String raw : save.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("*")) {
        table = line.substring(1);
        if (!s.chains.containsKey(table)) {
          s.chains.put(table, new LinkedHashSet<>());
          s.rules.put(table, new ArrayList<>());
        }
      } else if (table != null && line.startsWith(":")) {
        int sp = line.indexOf(' ');
        s.chains.get(table).add(sp < 0 ? line.substring(1) : line.substring(1, sp));
      } else if (table != null && line.startsWith("-A ")) {
        String rest = line.substring(3);
        int sp = rest.indexOf(' ');
        String chain = sp < 0 ? rest : rest.substring(0, sp);
        String spec = sp < 0 ? "" : rest.substring(sp + 1);
        s.rules.get(table).add(new SavedRule(table, chain, spec));
      }
    }
    return s;
  }

  /** Chains of {@code table} (built-in and user), empty when the table was not listed. */
  public Set<String> chains(String table) {
    return Collections.unmodifiableSet(chains.getOrDefault(table, Set.of()));
  }

  public boolean hasChain(String table, String chain) {
    return chains(table).contains(chain);
  }

  /** Rules of one chain, in order. */
  public List<SavedRule> rules(String table, String chain) {
    List<SavedRule> out = new ArrayList<>();
    for (SavedRule r : rules.getOrDefault(table, List.of())) {
      if (r.chain().equals(chain)) {
        out.add(r);
      }
    }
    return out;
  }

  /** Every rule of {@code table}, in order. */
  public List<SavedRule> rules(String table) {
    return Collections.unmodifiableList(rules.getOrDefault(table, List.of()));
  }
}
