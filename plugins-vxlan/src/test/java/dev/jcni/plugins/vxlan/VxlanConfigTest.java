package dev.jcni.plugins.vxlan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.spec.CniException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VxlanConfigTest {

  static Map<String, Object> base() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cniVersion", "1.0.0");
    m.put("name", "net");
    m.put("type", "vxlan");
    m.put("underlayInterface", "eth0");
    m.put("nodeSubnet", "10.244.1.0/24");
    return m;
  }

  static Map<String, Object> peer(String ip, String subnet) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("underlayIP", ip);
    m.put("podSubnet", subnet);
    return m;
  }

  @Test
  void defaults() {
    VxlanConfig c = VxlanConfig.from(base());
    assertThat(c.vni()).isEqualTo(1);
    assertThat(c.port()).isEqualTo(4789);
    assertThat(c.mtu()).isNull();
    assertThat(c.vtepName()).isEqualTo("jcni.vxlan1");
    assertThat(c.localIP()).isNull();
    assertThat(c.peers()).isEmpty();
    assertThat(c.peersFile()).isNull();
    assertThat(c.nodeSubnet().toString()).isEqualTo("10.244.1.0/24");
  }

  @Test
  void allKeys() {
    Map<String, Object> m = base();
    m.remove("underlayInterface");
    m.put("LocalIP", "192.168.1.10"); // keys match case-insensitively, like Go
    m.put("vni", 4242L);
    m.put("port", 8472L);
    m.put("mtu", 1400L);
    m.put("peers", List.of(peer("192.168.1.11", "10.244.2.0/24")));
    m.put("peersFile", "/run/jcni/peers.json");
    m.put("readyFile", "/run/jcni/ready");
    m.put("vtepName", "vx0");
    VxlanConfig c = VxlanConfig.from(m);
    assertThat(c.vni()).isEqualTo(4242);
    assertThat(c.port()).isEqualTo(8472);
    assertThat(c.mtu()).isEqualTo(1400);
    assertThat(Peer.format(c.localIP())).isEqualTo("192.168.1.10");
    assertThat(c.peers()).containsExactly(Peer.of("192.168.1.11", "10.244.2.0/24"));
    assertThat(c.peersFile()).isEqualTo(Path.of("/run/jcni/peers.json"));
    assertThat(c.readyFile()).isEqualTo(Path.of("/run/jcni/ready"));
    assertThat(c.vtepName()).isEqualTo("vx0");
  }

  @Test
  void defaultVtepNameFitsIfnamsiz() {
    assertThat(VxlanConfig.defaultVtepName(99999)).isEqualTo("jcni.vxlan99999");
    assertThat(VxlanConfig.defaultVtepName(16777215)).isEqualTo("jcni.vx16777215");
  }

  static void invalid(Map<String, Object> m, String key) {
    assertThatThrownBy(() -> VxlanConfig.from(m))
        .isInstanceOfSatisfying(
            CniException.class,
            e -> {
              assertThat(e.code()).isEqualTo(7);
              assertThat(e.msg()).contains(key);
            });
  }

  @Test
  void validationErrorsNameTheKey() {
    Map<String, Object> m = base();
    m.put("vni", 0L);
    invalid(m, "vni");
    m = base();
    m.put("vni", 1L << 24);
    invalid(m, "vni");
    m = base();
    m.put("vni", "1");
    invalid(m, "vni");
    m = base();
    m.put("port", 70000L);
    invalid(m, "port");
    m = base();
    m.put("mtu", 20L);
    invalid(m, "mtu");
    m = base();
    m.put("mtu", 1400.5);
    invalid(m, "mtu");
    m = base();
    m.remove("nodeSubnet");
    invalid(m, "nodeSubnet");
    m = base();
    m.put("nodeSubnet", "10.244.1.0");
    invalid(m, "nodeSubnet");
    m = base();
    m.remove("underlayInterface");
    invalid(m, "underlayInterface or localIP");
    m = base();
    m.put("localIP", "node1.example");
    invalid(m, "localIP");
    m = base();
    m.put("vtepName", "a-very-long-interface-name");
    invalid(m, "vtepName");
    m = base();
    m.put("underlayInterface", "eth/0");
    invalid(m, "underlayInterface");
    m = base();
    m.put("peers", Map.of("x", 1));
    invalid(m, "peers");
    m = base();
    m.put("peers", List.of(peer("192.168.1.11", "10.244.2.0/24"), peer("192.168.1.12", "bad")));
    invalid(m, "peers[1].podSubnet");
    m = base();
    m.put("peers", List.of(Map.of("podSubnet", "10.244.2.0/24")));
    invalid(m, "peers[0].underlayIP");
    m = base();
    m.put("peersFile", 5L);
    invalid(m, "peersFile");
  }

  @Test
  void remotePeersDropThisNodeAndDuplicates() {
    Map<String, Object> m = base();
    m.put("localIP", "192.168.1.10");
    VxlanConfig c = VxlanConfig.from(m);
    List<Peer> all =
        List.of(
            Peer.of("192.168.1.10", "10.244.1.0/24"), // this node
            Peer.of("192.168.1.11", "10.244.2.0/24"),
            Peer.of("192.168.1.11", "10.244.2.0/24"), // duplicate (inline and file)
            Peer.of("192.168.1.12", "10.244.3.0/24"));
    assertThat(c.remotePeers(all, c.localIP()))
        .containsExactly(
            Peer.of("192.168.1.11", "10.244.2.0/24"), Peer.of("192.168.1.12", "10.244.3.0/24"));
  }

  @Test
  void conflictingPeersAreRejected() {
    VxlanConfig c = VxlanConfig.from(base());
    var local = Peer.parseAddress("192.168.1.10", "k");
    assertThatThrownBy(
            () ->
                c.remotePeers(
                    List.of(
                        Peer.of("192.168.1.11", "10.244.2.0/24"),
                        Peer.of("192.168.1.12", "10.244.2.0/24")),
                    local))
        .hasMessageContaining("claimed by both");
    assertThatThrownBy(
            () -> c.remotePeers(List.of(Peer.of("192.168.1.11", "10.244.0.0/16")), local))
        .hasMessageContaining("overlaps nodeSubnet");
    assertThatThrownBy(
            () ->
                c.remotePeers(
                    List.of(
                        Peer.of("192.168.1.11", "10.244.2.0/24"),
                        Peer.of("192.168.1.12", "10.244.2.128/25")),
                    local))
        .hasMessageContaining("overlaps");
  }
}
