package dev.jcni.plugins.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.spec.CniException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MacSpoofCheckTest {
  private final Owner a = new Owner("mynet", "ctr-a", "eth0");
  private final Owner b = new Owner("mynet", "ctr-b", "eth0");

  @Test
  void setupScriptIsTheGoldenText() {
    Owner o = new Owner("itnet", "ctr-a", "eth0");
    String t = "jcni_msc_6b4e0f05b8fb8988_a1e2d49ecdb10577";
    assertThat(MacSpoofCheckNft.setupScript(o, "veth01020304", "0A:58:0a:16:00:05").toString())
        .isEqualTo(
            "add table bridge "
                + t
                + "\n"
                + "delete table bridge "
                + t
                + "\n"
                + "add table bridge "
                + t
                + " { comment \"jcni macspoofchk net: itnet, if: eth0, id: ctr-a\"; }\n"
                + "add chain bridge "
                + t
                + " prerouting { type filter hook prerouting priority -300; policy accept; }\n"
                + "add rule bridge "
                + t
                + " prerouting iifname \"veth01020304\" ether saddr != 0a:58:0a:16:00:05 drop\n");
  }

  @Test
  void refusesInjection() {
    assertThatThrownBy(
            () -> MacSpoofCheckNft.setupScript(a, "veth\"; flush ruleset", "0a:58:0a:16:00:05"))
        .isInstanceOf(CniException.class);
    assertThatThrownBy(() -> MacSpoofCheckNft.setupScript(a, "veth0", "0a:58 drop"))
        .isInstanceOf(CniException.class)
        .hasMessageContaining("is not a MAC address");
  }

  @Test
  void gcKeepsValidAttachmentsAndForeignTables() {
    FakeRunner r = new FakeRunner();
    r.tables =
        "table bridge "
            + MacSpoofCheckNft.table(a)
            + "\ntable bridge "
            + MacSpoofCheckNft.table(b)
            + "\n"
            + "table bridge nat\ntable inet "
            + MacSpoofCheckNft.table(a)
            + "\n";
    MacSpoofCheck.of(r.firewall()).gc("mynet", List.of(b));
    assertThat(r.nftScripts)
        .containsExactly(
            "add table bridge "
                + MacSpoofCheckNft.table(a)
                + "\ndelete table bridge "
                + MacSpoofCheckNft.table(a)
                + "\n");
  }

  @Test
  void teardownIsAddThenDeleteAndReportsFailuresWithoutTheCniWrapper() {
    FakeRunner r = new FakeRunner();
    MacSpoofCheck.of(r.firewall()).teardown(a);
    assertThat(r.nftScripts).containsExactly(MacSpoofCheckNft.teardownScript(a).toString());
    r.failure = "Error: boom";
    assertThatThrownBy(() -> MacSpoofCheck.of(r.firewall()).teardown(a))
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage("nft transaction failed: Error: boom");
  }
}
