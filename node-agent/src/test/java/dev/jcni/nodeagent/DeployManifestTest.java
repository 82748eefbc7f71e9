package dev.jcni.nodeagent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The node bundle deploy/jcni.yaml parses as Kubernetes objects, the API server (mock) accepts
 * them, and the agent's part grants exactly what it needs (deploy/test/podman-run.sh runs the same
 * manifest for real).
 */
class DeployManifestTest {

  @Test
  void manifestIsValidAndMinimal() throws Exception {
    Path manifest = Path.of(System.getProperty("jcni.root", "..")).resolve("deploy/jcni.yaml");
    if (!Files.exists(manifest)) {
      manifest = Path.of("../deploy/jcni.yaml");
    }
    List<HasMetadata> items;
    try (MockCluster cluster = new MockCluster();
        InputStream in = Files.newInputStream(manifest)) {
      items = cluster.client.load(in).items();
      // the API server (mock) accepts every object as written
      for (HasMetadata item : items) {
        cluster.client.resource(item).create();
      }
      assertThat(
              cluster
                  .client
                  .apps()
                  .daemonSets()
                  .inNamespace("kube-system")
                  .withName("jcni-node")
                  .get())
          .isNotNull();
    }
    assertThat(items)
        .extracting(HasMetadata::getKind)
        .containsExactly(
            "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "ConfigMap", "DaemonSet");

    ClusterRole role = (ClusterRole) items.get(1);
    assertThat(role.getRules())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getResources()).containsExactly("nodes");
              assertThat(r.getVerbs()).containsExactlyInAnyOrder("get", "list", "watch");
            });
    ClusterRoleBinding binding = (ClusterRoleBinding) items.get(2);
    assertThat(binding.getSubjects()).singleElement().extracting("name").isEqualTo("jcni-node");

    DaemonSet ds = (DaemonSet) items.get(4);
    var pod = ds.getSpec().getTemplate().getSpec();
    assertThat(pod.getHostNetwork()).isTrue();
    assertThat(pod.getServiceAccountName()).isEqualTo("jcni-node");
    var c =
        pod.getContainers().stream()
            .filter(x -> x.getName().equals("vxlan-agent"))
            .findFirst()
            .orElseThrow();
    assertThat(c.getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("NODE_NAME");
              assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
            });
    assertThat(c.getReadinessProbe().getExec().getCommand())
        .containsExactly("test", "-f", "/run/jcni/vxlan-ready");
    assertThat(c.getSecurityContext().getCapabilities().getAdd()).containsExactly("NET_ADMIN");
    // every argument is one the agent understands
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    List<String> args = new java.util.ArrayList<>(c.getArgs());
    args.add("--help");
    assertThat(Main.run(args.toArray(new String[0]), new java.io.PrintStream(err))).isZero();
  }
}
