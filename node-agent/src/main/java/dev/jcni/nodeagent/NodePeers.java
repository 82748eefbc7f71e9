package dev.jcni.nodeagent;

import dev.jcni.plugins.vxlan.Ipv4Subnets;
import dev.jcni.plugins.vxlan.Peer;
import dev.jcni.spec.CniException;
import dev.jcni.spec.net.Cidr;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Turns Node objects into peers: InternalIP (IPv4 preferred) and spec.podCIDR (or the first IPv4
 * podCIDRs).
 */
final class NodePeers {
  private NodePeers() {}

  /** The node's peer entry, or empty when it has no usable InternalIP or IPv4 pod CIDR yet. */
  static Optional<Peer> of(Node n) {
    if (n == null || n.getMetadata() == null) {
      return Optional.empty();
    }
    InetAddress ip = internalIp(n);
    Cidr cidr = podCidr(n);
    if (ip == null || cidr == null) {
      return Optional.empty();
    }
    return Optional.of(new Peer(ip, cidr, n.getMetadata().getName()));
  }

  static InetAddress internalIp(Node n) {
    if (n.getStatus() == null || n.getStatus().getAddresses() == null) {
      return null;
    }
    InetAddress v6 = null;
    for (NodeAddress a : n.getStatus().getAddresses()) {
      if (!"InternalIP".equals(a.getType()) || a.getAddress() == null) {
        continue;
      }
      InetAddress ip = parse(a.getAddress());
      if (ip instanceof java.net.Inet4Address) {
        return ip;
      }
      if (ip != null && v6 == null) {
        v6 = ip;
      }
    }
    return v6;
  }

  static Cidr podCidr(Node n) {
    if (n.getSpec() == null) {
      return null;
    }
    List<String> candidates = new ArrayList<>();
    if (n.getSpec().getPodCIDR() != null) {
      candidates.add(n.getSpec().getPodCIDR());
    }
    if (n.getSpec().getPodCIDRs() != null) {
      candidates.addAll(n.getSpec().getPodCIDRs());
    }
    for (String c : candidates) {
      if (c.indexOf(':') >= 0) {
        continue; // the overlay carries IPv4 pod subnets
      }
      try {
        return Ipv4Subnets.parse(c, "podCIDR");
      } catch (CniException e) {
        // skip malformed values
      }
    }
    return null;
  }

  private static InetAddress parse(String s) {
    try {
      return Peer.parseAddress(s, "InternalIP");
    } catch (CniException e) {
      return null;
    }
  }

  /** Peers of every node that has both, sorted by node name so the peers file is stable. */
  static List<Peer> all(List<Node> nodes) {
    List<Peer> out = new ArrayList<>();
    for (Node n : nodes) {
      of(n).ifPresent(out::add);
    }
    out.sort(Comparator.comparing(Peer::name));
    return out;
  }
}
