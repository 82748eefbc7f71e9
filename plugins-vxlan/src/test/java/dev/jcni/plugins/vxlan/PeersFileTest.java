package dev.jcni.plugins.vxlan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.spec.CniException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeersFileTest {
  @TempDir Path dir;

  @Test
  void roundTripsAndSkipsUnchangedWrites() throws Exception {
    Path f = dir.resolve("sub/peers.json");
    List<Peer> peers =
        List.of(
            new Peer(
                Peer.parseAddress("192.168.1.11", "k"),
                Ipv4Subnets.parse("10.244.2.0/24", "k"),
                "node \"b\""),
            Peer.of("fd00::12", "10.244.3.0/24"));
    assertThat(PeersFile.writeAtomically(f, peers)).isTrue();
    assertThat(PeersFile.read(f)).isEqualTo(peers);
    assertThat(PeersFile.writeAtomically(f, peers)).as("same content: untouched").isFalse();
    assertThat(PeersFile.writeAtomically(f, peers.subList(0, 1))).isTrue();
    assertThat(PeersFile.read(f)).isEqualTo(peers.subList(0, 1));
    try (var s = Files.list(f.getParent())) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .containsExactly("peers.json"); // no temp files left
    }
    assertThat(PeersFile.writeAtomically(f, List.of())).isTrue();
    assertThat(PeersFile.read(f)).isEmpty();
  }

  @Test
  void missingOrEmptyFileIsNoPeers() throws Exception {
    assertThat(PeersFile.read(dir.resolve("absent.json"))).isEmpty();
    Files.writeString(dir.resolve("empty.json"), "");
    assertThat(PeersFile.read(dir.resolve("empty.json"))).isEmpty();
  }

  @Test
  void acceptsAnObjectWithPeersAndIgnoresUnknownKeys() throws Exception {
    Path f = dir.resolve("p.json");
    Files.writeString(
        f,
        "{\"peers\": [{\"UnderlayIP\": \"10.0.0.2\", \"podSubnet\": \"10.1.2.0/24\", \"x\": 1}]}");
    assertThat(PeersFile.read(f)).containsExactly(Peer.of("10.0.0.2", "10.1.2.0/24"));
  }

  @Test
  void badContentIsAConfigErrorNamingTheFileKey() throws Exception {
    Path f = dir.resolve("bad.json");
    Files.writeString(f, "[{\"underlayIP\": \"10.0.0.2\"");
    assertThatThrownBy(() -> PeersFile.read(f))
        .isInstanceOfSatisfying(
            CniException.class,
            e -> {
              assertThat(e.code()).isEqualTo(7);
              assertThat(e.msg()).startsWith("peersFile: ");
            });
    Files.writeString(f, "[{\"underlayIP\": \"10.0.0.2\", \"podSubnet\": \"10.1.2.0\"}]");
    assertThatThrownBy(() -> PeersFile.read(f)).hasMessageContaining("peersFile[0].podSubnet");
  }
}
