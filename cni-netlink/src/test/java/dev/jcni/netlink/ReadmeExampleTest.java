package dev.jcni.netlink;

import static dev.jcni.netlink.TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcni.spec.net.Cidr;
import dev.jcni.system.NetNs;
import dev.jcni.system.Sysctl;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README example, verbatim, in a throwaway node and pod namespace; then the pod reaches the
 * gateway.
 */
class ReadmeExampleTest {

  @Test
  void bridgePluginStyleAdd() {
    assumeTrue(isRoot(), "needs root: creates network namespaces");
    String nodeName = uniqueName("rn");
    String podName = uniqueName("rp");
    Path nodeNetnsPath = NetNs.RUN_DIR.resolve(nodeName);
    String cniNetns = NetNs.RUN_DIR.resolve(podName).toString();
    NetNs.create(nodeName).close();
    NetNs.create(podName).close();
    try {
      Link eth0Seen;
      // ---- README example begins
      try (NetNs node = NetNs.open(nodeNetnsPath); // or NetNs.current() in a real plugin
          NetNs pod = NetNs.open(Path.of(cniNetns)); // CNI_NETNS
          Netlink hostNl = Netlink.openAt(node);
          Netlink podNl = Netlink.openAt(pod)) {
        hostNl.linkAddBridge("cni0", BridgeOptions.builder().mtu(1500).build());
        hostNl.addrAdd("cni0", Cidr.parse("10.22.0.1/16"));
        hostNl.linkSetUp("cni0");
        // pod side "eth0", node side "veth1234" created directly in the node namespace
        podNl.linkAddVeth(VethOptions.builder("eth0", "veth1234").peerNs(node).mtu(1500).build());
        hostNl.linkSetMaster("veth1234", "cni0");
        hostNl.linkSetHairpin("veth1234", true);
        hostNl.linkSetUp("veth1234");
        podNl.linkSetUp("eth0");
        podNl.addrAdd("eth0", Cidr.parse("10.22.0.5/16")); // brd + computed
        podNl.routeAdd(
            Route.builder().family(Family.V4).gateway("10.22.0.1").build()); // default route
        Link eth0 = podNl.linkByName("eth0"); // index, mac, mtu...
        Sysctl.set(pod, "net/ipv4/conf/eth0/arp_notify", "1");
        Sysctl.enableIpForward(node, true, false);
        // ---- README example ends
        eth0Seen = eth0;
      }
      assertThat(eth0Seen.kind()).isEqualTo("veth");
      assertThat(ipJson(nodeName, "link", "show", "veth1234").get(0).get("master").asText())
          .isEqualTo("cni0");
      assertThat(ipJson(podName, "route", "show", "default").get(0).get("gateway").asText())
          .isEqualTo("10.22.0.1");
      // traffic only between our own namespaces: the pod reaches its gateway on the node's bridge
      Result ping = run("ip", "netns", "exec", podName, "ping", "-c", "1", "-W", "5", "10.22.0.1");
      assertThat(ping.exit()).as("ping pod -> gateway: " + ping.out() + ping.err()).isZero();
    } finally {
      deleteQuietly(podName);
      deleteQuietly(nodeName);
    }
  }
}
