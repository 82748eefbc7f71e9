package dev.jcni.plugins.common;

import dev.jcni.plugins.common.firewall.CommandRunner;
import dev.jcni.plugins.common.firewall.Firewall;
import dev.jcni.plugins.common.firewall.FirewallException;
import dev.jcni.plugins.common.firewall.IpFamily;
import dev.jcni.plugins.common.firewall.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@link Netfilter} on the shared {@link Firewall} transaction runner. */
final class FirewallNetfilter implements Netfilter {
  private final Firewall fw;

  FirewallNetfilter(Firewall fw) {
    this.fw = fw;
  }

  @Override
  public boolean nftAvailable() {
    return present("nft");
  }

  @Override
  public boolean iptablesAvailable() {
    return present("iptables-restore") && present("iptables-save");
  }

  // a cheap presence test (no exec); whether the tool then works shows in its transaction's result
  private static boolean present(String tool) {
    for (String d : ProcessRunner.SYSTEM_PATH.split(":")) {
      if (Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean nftUsable() {
    return fw.nftUsable();
  }

  @Override
  public boolean iptablesUsable() {
    return fw.iptablesUsable(IpFamily.V4);
  }

  @Override
  public void nft(String script) {
    try {
      fw.nft(script);
    } catch (FirewallException e) {
      throw new NetfilterException(e.getMessage());
    }
  }

  @Override
  public String nftListTables() {
    try {
      return fw.nftRead("list", "tables");
    } catch (FirewallException e) {
      throw new NetfilterException(e.getMessage());
    }
  }

  @Override
  public boolean nftTableExists(String family, String name) {
    try {
      return fw.nftListTable(family, name, false).isPresent();
    } catch (FirewallException e) {
      return false;
    }
  }

  @Override
  public void iptablesRestore(int family, String script) {
    try {
      fw.iptablesRestore(family == 6 ? IpFamily.V6 : IpFamily.V4, script);
    } catch (FirewallException e) {
      throw new NetfilterException(e.getMessage());
    }
  }

  @Override
  public String iptablesSave(int family, String table) {
    IpFamily f = family == 6 ? IpFamily.V6 : IpFamily.V4;
    if (!present(f.iptablesSave())) {
      return "";
    }
    CommandRunner.Output o = fw.runner().run(List.of(f.iptablesSave(), "-t", table), null);
    if (!o.ok()) {
      throw new NetfilterException(f.iptablesSave() + " -t " + table + " failed: " + o.stderr().strip());
    }
    return o.stdout();
  }
}
