package dev.jcni.plugins.common;

import dev.jcni.plugins.common.firewall.Backend;
import java.util.List;

class IpMasqNftTest extends IpMasqContract {
  @Override
  Backend backend() {
    return Backend.NFTABLES;
  }

  @Override
  String expectedSetupScripts() {
    String t = "jcni_masq_6b4e0f05b8fb8988_a1e2d49ecdb10577";
    return "add table inet "
        + t
        + "\n"
        + "delete table inet "
        + t
        + "\n"
        + "add table inet "
        + t
        + " { comment \"jcni ipMasq net: itnet, if: eth0, id: ctr-a\"; }\n"
        + "add chain inet "
        + t
        + " postrouting { type nat hook postrouting priority srcnat; policy accept; }\n"
        + "add rule inet "
        + t
        + " postrouting ip saddr 10.22.0.5 ip daddr != 10.22.0.0/24 ip daddr != 224.0.0.0/4"
        + " masquerade\n"
        + "add rule inet "
        + t
        + " postrouting ip saddr 10.23.0.5 ip daddr != 10.23.0.0/16 ip daddr != 224.0.0.0/4"
        + " masquerade\n"
        + "add rule inet "
        + t
        + " postrouting ip6 saddr fd00:22::5 ip6 daddr != fd00:22::/64 ip6 daddr != ff00::/8"
        + " masquerade\n";
  }

  @Override
  List<String> goldenKernelFiles() {
    return List.of("ipmasq-nft.kernel.txt");
  }

  @Override
  List<List<String>> kernelListings() {
    return List.of(List.of("nft", "list", "table", "inet", IpMasqNft.table(A)));
  }

  @Override
  void addGoState(String ns) {
    TestNs.inNs(
        ns,
        "nft",
        "add table inet cni_plugins_masquerade; add chain inet cni_plugins_masquerade postrouting"
            + " { type nat hook postrouting priority srcnat; }");
  }

  @Override
  boolean goStatePresent(String ns) {
    return TestNs.inNs(ns, "nft", "list", "tables").contains("table inet cni_plugins_masquerade");
  }

  @Override
  boolean mentions(String ns, Owner o) {
    return TestNs.inNs(ns, "nft", "list", "tables").contains(IpMasqNft.table(o));
  }
}
