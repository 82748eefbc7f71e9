package dev.jcni.plugins.common;

import dev.jcni.plugins.common.firewall.CommandRunner;
import dev.jcni.plugins.common.firewall.Firewall;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A command runner that records firewall writes and answers reads with what the test set; no kernel
 * involved.
 */
class FakeRunner implements CommandRunner {
  boolean nft = true;
  boolean ipt = true;
  boolean usable = true;

  /** When set, every write fails with this stderr. */
  String failure;

  final List<String> nftScripts = new ArrayList<>();
  final List<String> restores = new ArrayList<>();
  String tables = "";
  final Map<String, String> saved = new HashMap<>();

  Firewall firewall() {
    return new Firewall(this);
  }

  @Override
  public Output run(List<String> argv, byte[] stdin) {
    String tool = argv.get(0);
    boolean isNft = tool.equals("nft");
    if (isNft ? !nft : !ipt) {
      return new Output(127, "", tool + ": not found");
    }
    String in = stdin == null ? null : new String(stdin, StandardCharsets.UTF_8);
    if (isNft && argv.contains("-f")) {
      if (failure != null) {
        return new Output(1, "", failure);
      }
      nftScripts.add(in);
      return new Output(0, "", "");
    }
    if (isNft && argv.contains("list") && argv.contains("tables")) {
      return usable ? new Output(0, tables, "") : new Output(1, "", "Operation not supported");
    }
    if (isNft && argv.contains("table")) {
      String t = "table " + argv.get(argv.size() - 2) + " " + argv.get(argv.size() - 1) + "\n";
      return tables.contains(t)
          ? new Output(0, t, "")
          : new Output(1, "", "No such file or directory");
    }
    if (tool.endsWith("-restore")) {
      if (failure != null) {
        return new Output(1, "", failure);
      }
      restores.add(tool + ":" + in);
      return new Output(0, "", "");
    }
    if (tool.endsWith("-save")) {
      return new Output(
          0, saved.getOrDefault(tool, "*nat\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n"), "");
    }
    // iptables -S INPUT (usability) and --version (presence)
    return new Output(usable ? 0 : 1, "", usable ? "" : "iptables: Operation not supported");
  }
}
