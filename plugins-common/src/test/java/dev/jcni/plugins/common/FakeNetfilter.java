package dev.jcni.plugins.common;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Records what would be applied; listings are whatever the test sets. */
class FakeNetfilter implements Netfilter {
  boolean nft = true;
  boolean ipt = true;
  boolean usable = true;
  RuntimeException failure;
  final List<String> nftScripts = new ArrayList<>();
  final List<String> restores = new ArrayList<>();
  String tables = "";
  final Map<Integer, String> saved = new HashMap<>();

  @Override
  public boolean nftAvailable() {
    return nft;
  }

  @Override
  public boolean iptablesAvailable() {
    return ipt;
  }

  @Override
  public boolean nftUsable() {
    return usable && nft;
  }

  @Override
  public boolean iptablesUsable() {
    return usable && ipt;
  }

  @Override
  public void nft(String script) {
    if (failure != null) {
      throw failure;
    }
    nftScripts.add(script);
  }

  @Override
  public String nftListTables() {
    return tables;
  }

  @Override
  public boolean nftTableExists(String family, String name) {
    return tables.contains("table " + family + " " + name + "\n");
  }

  @Override
  public void iptablesRestore(int family, String script) {
    restores.add(family + ":" + script);
  }

  @Override
  public String iptablesSave(int family, String table) {
    return saved.getOrDefault(family, "");
  }
}
