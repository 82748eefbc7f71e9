package dev.jcni.nodeagent;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;

/**
 * A fabric8 mock API server in CRUD mode (list + watch work as on a real API server) and helpers
 * for Nodes.
 */
final class MockCluster implements AutoCloseable {
  final KubernetesMockServer server;
  final KubernetesClient client;

  MockCluster() {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
  }

  static Node node(String name, String internalIp, String podCidr) {
    NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).endMetadata();
    if (podCidr != null) {
      b.withNewSpec().withPodCIDR(podCidr).addToPodCIDRs(podCidr).endSpec();
    }
    b.withNewStatus().addNewAddress().withType("Hostname").withAddress(name).endAddress();
    if (internalIp != null) {
      b.editStatus()
          .addNewAddress()
          .withType("InternalIP")
          .withAddress(internalIp)
          .endAddress()
          .endStatus();
    }
    return b.build();
  }

  void addNode(String name, String internalIp, String podCidr) {
    client.nodes().resource(node(name, internalIp, podCidr)).create();
  }

  void deleteNode(String name) {
    client.nodes().withName(name).delete();
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
