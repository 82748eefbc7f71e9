package dev.jcni.plugins.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MacSpoofCheckTest {
  private final Owner a = new Owner("mynet", "ctr-a", "eth0");
  private final Owner b = new Owner("mynet", "ctr-b", "eth0");

  @Test
  void dropsFramesFromOtherMacsOnTheHostVeth() {
    String s = MacSpoofCheck.setupScript(a, "veth0a1b2c3d", "0A:58:0A:16:00:05");
    String t = MacSpoofCheck.table(a);
    assertThat(s).startsWith("add table bridge " + t + "\ndelete table bridge " + t + "\n")
        .contains("type filter hook prerouting priority -300; policy accept;")
        .contains("iifname \"veth0a1b2c3d\" ether saddr != 0a:58:0a:16:00:05 drop");
  }

  @Test
  void refusesInjection() {
    assertThatThrownBy(() -> MacSpoofCheck.setupScript(a, "veth\"; flush ruleset", "0a:58:0a:16:00:05"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MacSpoofCheck.setupScript(a, "veth0", "0a:58 drop"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void gcKeepsValidAttachments() {
    FakeNetfilter nf = new FakeNetfilter();
    nf.tables = "table bridge " + MacSpoofCheck.table(a) + "\ntable bridge " + MacSpoofCheck.table(b) + "\n"
        + "table bridge nat\n";
    new MacSpoofCheck(nf).gc("mynet", List.of(b));
    assertThat(nf.nftScripts).containsExactly(
        "add table bridge " + MacSpoofCheck.table(a) + "\ndelete table bridge " + MacSpoofCheck.table(a) + "\n");
  }
}
