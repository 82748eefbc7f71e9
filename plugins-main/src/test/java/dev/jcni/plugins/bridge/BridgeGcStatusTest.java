package dev.jcni.plugins.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcni.api.Delegate;
import dev.jcni.plugins.common.IpMasqIptables;
import dev.jcni.plugins.common.IpMasqNft;
import dev.jcni.plugins.common.MacSpoofCheckNft;
import dev.jcni.plugins.common.Owner;
import dev.jcni.plugins.ptp.PtpPlugin;
import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.Result;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GC (which Go's bridge and ptp lack) and STATUS: stale firewall state of attachments missing from
 * cni.dev/valid-attachments is removed, the valid ones are kept, and both verbs are forwarded to
 * IPAM.
 */
public class BridgeGcStatusTest {
  private NodeHarness h;

  /** Records the verbs forwarded to IPAM; STATUS can be made to fail. */
  public static final class RecordingIpam implements Delegate.Strategy {
    public final List<String> calls = new ArrayList<>();
    public boolean unavailable;

    @Override
    public Delegate delegate(dev.jcni.api.Invocation inv, String type) {
      return new Delegate() {
        @Override
        public Result add() {
          throw new UnsupportedOperationException();
        }

        @Override
        public void check() {
          calls.add("CHECK " + type);
        }

        @Override
        public void del() {
          calls.add("DEL " + type);
        }

        @Override
        public void gc() {
          calls.add("GC " + type + " keep=" + inv.validAttachments().size());
        }

        @Override
        public void status() {
          calls.add("STATUS " + type);
          if (unavailable) {
            throw new CniException(ErrorCodes.PLUGIN_NOT_AVAILABLE, "ipam store unavailable");
          }
        }
      };
    }
  }

  @BeforeEach
  void setUp() {
    assumeTrue(NodeHarness.ROOT, "needs root: creates network namespaces");
    assumeTrue(
        Files.isExecutable(NodeHarness.GO_CNI.resolve("host-local")),
        "needs /usr/lib/cni/host-local");
    h = new NodeHarness();
  }

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  private String conf(String version, String extra) {
    return "{\"cniVersion\":\""
        + version
        + "\",\"name\":\"jgcnet\",\"type\":\"bridge\",\"bridge\":\"jbr0\""
        + ",\"isGateway\":true,\"ipMasq\":true,\"macspoofchk\":true"
        + extra
        + ",\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.79.0.0/24\",\"dataDir\":\""
        + h.dataDir
        + "\"}}";
  }

  @Test
  void gcRemovesStaleRulesOfBothBackendsKeepsValidOnesAndForwardsToIpam() {
    BridgePlugin plugin = new BridgePlugin();
    String p1 = h.pod("a");
    String p2 = h.pod("b");
    String p3 = h.pod("c");
    String go = NodeHarness.GO_CNI.toString();
    h.call(plugin, "ADD", conf("1.0.0", ",\"ipMasqBackend\":\"nftables\""), p1, "ctr-a", "eth0", go)
        .ok();
    h.call(plugin, "ADD", conf("1.0.0", ",\"ipMasqBackend\":\"iptables\""), p2, "ctr-b", "eth0", go)
        .ok();
    h.call(plugin, "ADD", conf("1.0.0", ",\"ipMasqBackend\":\"nftables\""), p3, "ctr-c", "eth0", go)
        .ok();
    Owner a = new Owner("jgcnet", "ctr-a", "eth0");
    Owner b = new Owner("jgcnet", "ctr-b", "eth0");
    Owner c = new Owner("jgcnet", "ctr-c", "eth0");
    // ctr-a and ctr-b vanished without a DEL (e.g. a node crash); ctr-c is still valid
    h.deletePod(p1);
    h.deletePod(p2);

    RecordingIpam ipam = new RecordingIpam();
    String gc =
        conf("1.1.0", "")
            .replace(
                "\"ipam\"",
                "\"cni.dev/valid-attachments\":[{\"containerID\":\"ctr-c\","
                    + "\"ifname\":\"eth0\"}],\"ipam\"");
    h.call(plugin, ipam, "GC", gc, "", "", "", go).ok();

    String tables = h.inNode("nft", "list", "tables");
    assertThat(tables)
        .doesNotContain(IpMasqNft.table(a))
        .doesNotContain(MacSpoofCheckNft.table(a))
        .doesNotContain(MacSpoofCheckNft.table(b))
        .contains(IpMasqNft.table(c))
        .contains(MacSpoofCheckNft.table(c));
    assertThat(h.inNode("iptables-save", "-t", "nat")).doesNotContain(IpMasqIptables.chain(b));
    assertThat(ipam.calls).containsExactly("GC host-local keep=1");
  }

  @Test
  void statusForwardsToIpamOnlyForLayer3() {
    RecordingIpam ipam = new RecordingIpam();
    BridgePlugin plugin = new BridgePlugin();
    h.call(plugin, ipam, "STATUS", conf("1.1.0", ""), "", "", "", "/nonexistent").ok();
    assertThat(ipam.calls).containsExactly("STATUS host-local");
    ipam.unavailable = true;
    h.call(plugin, ipam, "STATUS", conf("1.1.0", ""), "", "", "", "/nonexistent")
        .failed(50, "unavailable");
    String l2 = "{\"cniVersion\":\"1.1.0\",\"name\":\"jgcnet\",\"type\":\"bridge\"}";
    h.call(plugin, ipam, "STATUS", l2, "", "", "", "/nonexistent").ok();
    assertThat(ipam.calls).hasSize(2);
    h.call(
            new PtpPlugin(),
            ipam,
            "STATUS",
            conf("1.1.0", "").replace("\"bridge\"", "\"ptp\""),
            "",
            "",
            "",
            "/nonexistent")
        .failed(50, "unavailable");
  }
}
