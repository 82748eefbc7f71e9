package dev.jcni.nodeagent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.plugins.vxlan.Peer;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodePeersTest {

  static Node node(String name, List<String[]> addresses, String podCidr, List<String> podCidrs) {
    NodeBuilder b =
        new NodeBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .withPodCIDR(podCidr)
            .withPodCIDRs(podCidrs)
            .endSpec()
            .withNewStatus()
            .endStatus();
    for (String[] a : addresses) {
      b.editStatus().addNewAddress().withType(a[0]).withAddress(a[1]).endAddress().endStatus();
    }
    return b.build();
  }

  @Test
  void prefersIpv4InternalIpAndIpv4PodCidr() {
    Node n =
        node(
            "a",
            List.of(
                new String[] {"ExternalIP", "203.0.113.5"},
                new String[] {"InternalIP", "fd00::5"},
                new String[] {"InternalIP", "192.168.1.5"}),
            "fd10::/64",
            List.of("fd10::/64", "10.244.5.0/24"));
    assertThat(NodePeers.of(n))
        .contains(
            new Peer(
                Peer.parseAddress("192.168.1.5", "k"),
                dev.jcni.plugins.vxlan.Ipv4Subnets.parse("10.244.5.0/24", "k"),
                "a"));
  }

  @Test
  void ipv6OnlyUnderlayIsKept() {
    Node n =
        node("b", List.<String[]>of(new String[] {"InternalIP", "fd00::6"}), "10.244.6.0/24", null);
    assertThat(NodePeers.of(n))
        .hasValueSatisfying(p -> assertThat(Peer.format(p.underlayIP())).isEqualTo("fd00::6"));
  }

  @Test
  void nodesWithoutAddressOrCidrAreNotPeersYet() {
    assertThat(NodePeers.of(node("c", List.of(), "10.244.7.0/24", null))).isEmpty();
    assertThat(
            NodePeers.of(
                node(
                    "d",
                    List.<String[]>of(new String[] {"InternalIP", "192.168.1.8"}),
                    null,
                    null)))
        .isEmpty();
    assertThat(
            NodePeers.of(
                node(
                    "e",
                    List.<String[]>of(new String[] {"InternalIP", "192.168.1.9"}),
                    "garbage",
                    null)))
        .isEmpty();
    assertThat(NodePeers.of(null)).isEmpty();
  }

  @Test
  void allIsSortedByName() {
    List<Peer> all =
        NodePeers.all(
            List.of(
                node(
                    "z",
                    List.<String[]>of(new String[] {"InternalIP", "192.168.1.2"}),
                    "10.244.2.0/24",
                    null),
                node("m", List.of(), null, null),
                node(
                    "a",
                    List.<String[]>of(new String[] {"InternalIP", "192.168.1.1"}),
                    "10.244.1.0/24",
                    null)));
    assertThat(all).extracting(Peer::name).containsExactly("a", "z");
  }
}
