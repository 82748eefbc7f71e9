package dev.jcni.plugins.common;

import dev.jcni.plugins.common.firewall.Backend;
import java.util.List;

class IpMasqIptablesTest extends IpMasqContract {
  private static final String C = "JCNI-M-6B4E0F05A1E2D49ECDB10";
  private static final String COMMENT =
      " -m comment --comment \"jcni ipMasq net: itnet, if: eth0, id: ctr-a\"";

  @Override
  Backend backend() {
    return Backend.IPTABLES;
  }

  @Override
  String expectedSetupScripts() {
    return "iptables-restore:*nat\n"
        + ":"
        + C
        + " - [0:0]\n"
        + "-A "
        + C
        + " -d 10.22.0.0/24"
        + COMMENT
        + " -j ACCEPT\n"
        + "-A "
        + C
        + " -d 10.23.0.0/16"
        + COMMENT
        + " -j ACCEPT\n"
        + "-A "
        + C
        + " ! -d 224.0.0.0/4"
        + COMMENT
        + " -j MASQUERADE\n"
        + "-A POSTROUTING -s 10.22.0.5/32"
        + COMMENT
        + " -j "
        + C
        + "\n"
        + "-A POSTROUTING -s 10.23.0.5/32"
        + COMMENT
        + " -j "
        + C
        + "\n"
        + "COMMIT\n"
        + "ip6tables-restore:*nat\n"
        + ":"
        + C
        + " - [0:0]\n"
        + "-A "
        + C
        + " -d fd00:22::/64"
        + COMMENT
        + " -j ACCEPT\n"
        + "-A "
        + C
        + " ! -d ff00::/8"
        + COMMENT
        + " -j MASQUERADE\n"
        + "-A POSTROUTING -s fd00:22::5/128"
        + COMMENT
        + " -j "
        + C
        + "\n"
        + "COMMIT\n";
  }

  @Override
  List<String> goldenKernelFiles() {
    return List.of("ipmasq-iptables-v4.kernel.txt", "ipmasq-iptables-v6.kernel.txt");
  }

  @Override
  List<List<String>> kernelListings() {
    return List.of(List.of("iptables-save", "-t", "nat"), List.of("ip6tables-save", "-t", "nat"));
  }

  @Override
  void addGoState(String ns) {
    TestNs.inNs(ns, "iptables", "-t", "nat", "-N", "CNI-0123456789abcdef01234567");
    TestNs.inNs(
        ns,
        "iptables",
        "-t",
        "nat",
        "-A",
        "POSTROUTING",
        "-s",
        "10.22.0.9/32",
        "-j",
        "CNI-0123456789abcdef01234567");
  }

  @Override
  boolean goStatePresent(String ns) {
    return TestNs.inNs(ns, "iptables-save", "-t", "nat")
        .contains("-A POSTROUTING -s 10.22.0.9/32 -j " + "CNI-0123456789abcdef01234567");
  }

  @Override
  boolean mentions(String ns, Owner o) {
    String c = IpMasqIptables.chain(o);
    return TestNs.inNs(ns, "iptables-save", "-t", "nat").contains(c)
        || TestNs.inNs(ns, "ip6tables-save", "-t", "nat").contains(c);
  }
}
