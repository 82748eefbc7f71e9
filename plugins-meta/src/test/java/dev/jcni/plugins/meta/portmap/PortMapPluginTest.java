package dev.jcni.plugins.meta.portmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.api.Attachment;
import dev.jcni.api.Command;
import dev.jcni.api.Invocation;
import dev.jcni.plugins.common.firewall.CommandRunner;
import dev.jcni.plugins.common.firewall.Firewall;
import dev.jcni.spec.CniException;
import dev.jcni.spec.NetConf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The plugin's verbs against a firewall that only records commands (no root, nothing touched). */
class PortMapPluginTest {
  static final String PREV =
      "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"veth0\"},{\"name\":\"eth0\","
          + "\"sandbox\":\"/run/netns/p\"}],\"ips\":[{\"interface\":1,\"address\":\"10.9.0.5/24\"},"
          + "{\"interface\":1,\"address\":\"fd00::5/64\"},{\"interface\":0,\"address\":\"10.9.0.1/24\"}]}";
  static final String MAPS =
      "{\"portMappings\":[{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"udp\"}]}";

  static final class Recorder implements CommandRunner {
    final List<String> calls = new ArrayList<>();
    final Function<List<String>, Output> answer;

    Recorder(Function<List<String>, Output> answer) {
      this.answer = answer;
    }

    @Override
    public Output run(List<String> argv, byte[] stdin) {
      calls.add(
          String.join(" ", argv)
              + (stdin == null ? "" : " <<" + new String(stdin, StandardCharsets.UTF_8)));
      return answer.apply(argv);
    }
  }

  static Invocation inv(Command cmd, String extra, boolean withPrev) {
    String conf =
        "{\"cniVersion\":\"1.1.0\",\"name\":\"n\",\"type\":\"portmap\""
            + extra
            + ",\"runtimeConfig\":"
            + MAPS
            + (withPrev ? ",\"prevResult\":" + PREV : "")
            + "}";
    NetConf nc = NetConf.parse(conf.getBytes(StandardCharsets.UTF_8));
    return new Invocation(
        cmd,
        "c1",
        "/run/netns/p",
        "eth0",
        null,
        List.of(),
        nc,
        withPrev ? nc.prevResult() : null,
        List.of(new Attachment("c2", "eth0")),
        null,
        null);
  }

  @Test
  void nftAddIsOneTransactionThenConntrackFlushPerFamily() {
    Recorder r = new Recorder(a -> new CommandRunner.Output(0, "", ""));
    var out =
        new PortMapPlugin(new Firewall(r))
            .add(inv(Command.ADD, ",\"backend\":\"nftables\",\"snat\":false", true));
    assertThat(out.ips()).hasSize(3);
    assertThat(r.calls).hasSize(3);
    assertThat(r.calls.get(0))
        .startsWith("nft -f - <<add table inet " + Names.table("n", "c1"))
        .contains("udp dport 8080")
        .contains("dnat ip to 10.9.0.5:80")
        .contains("dnat ip6 to [fd00::5]:80");
    assertThat(r.calls.get(1)).isEqualTo("conntrack -D -f ipv4 -p udp --orig-port-dst 8080");
    assertThat(r.calls.get(2)).isEqualTo("conntrack -D -f ipv6 -p udp --orig-port-dst 8080");
  }

  @Test
  void aFailedSecondFamilyRollsBackTheFirst() {
    // the saves show the container's chain (as after the v4 restore), so the undo has something to
    // remove
    String saved = "*nat\n:" + Names.dnChain("n", "c1") + " - [0:0]\nCOMMIT\n";
    Recorder r =
        new Recorder(
            a ->
                new CommandRunner.Output(
                    a.get(0).equals("ip6tables-restore") ? 1 : 0,
                    a.get(0).endsWith("-save") ? saved : "",
                    a.get(0).equals("ip6tables-restore") ? "boom" : ""));
    assertThatThrownBy(
            () ->
                new PortMapPlugin(new Firewall(r))
                    .add(inv(Command.ADD, ",\"backend\":\"iptables\",\"snat\":false", true)))
        .isInstanceOfSatisfying(
            CniException.class,
            e -> assertThat(e.msg()).contains("ip6tables-restore failed: boom"));
    List<String> argv0 = new ArrayList<>();
    for (String c : r.calls) {
      argv0.add(c.split(" ")[0]);
    }
    // save+restore v4, save+restore v6 (fails), then the v4 undo: save+restore
    assertThat(argv0)
        .containsExactly(
            "iptables-save",
            "iptables-restore",
            "ip6tables-save",
            "ip6tables-restore",
            "iptables-save",
            "iptables-restore");
  }

  @Test
  void delWithExplicitBackendTouchesOnlyIt() {
    Recorder r = new Recorder(a -> new CommandRunner.Output(0, "", ""));
    new PortMapPlugin(new Firewall(r)).del(inv(Command.DEL, ",\"backend\":\"nftables\"", false));
    assertThat(r.calls)
        .containsExactly(
            "nft -f - <<add table inet "
                + Names.table("n", "c1")
                + "\ndelete table inet "
                + Names.table("n", "c1")
                + "\n");
    r.calls.clear();
    new PortMapPlugin(new Firewall(r)).del(inv(Command.DEL, "", false));
    List<String> argv0 = new ArrayList<>();
    for (String c : r.calls) {
      argv0.add(c.split(" ")[0]);
    }
    // default backend: both; no prevResult: both families; nothing found: no restore
    assertThat(argv0).containsExactly("nft", "iptables-save", "ip6tables-save");
  }

  @Test
  void noMappingsTouchesNothingAndAddNeedsPrevResult() {
    Recorder r = new Recorder(a -> new CommandRunner.Output(0, "", ""));
    PortMapPlugin p = new PortMapPlugin(new Firewall(r));
    NetConf nc =
        NetConf.parse(
            ("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"portmap\",\"prevResult\":"
                    + PREV
                    + "}")
                .getBytes(StandardCharsets.UTF_8));
    p.add(
        new Invocation(
            Command.ADD,
            "c1",
            "/x",
            "eth0",
            null,
            List.of(),
            nc,
            nc.prevResult(),
            List.of(),
            null,
            null));
    p.del(
        new Invocation(
            Command.DEL, "c1", "", "eth0", null, List.of(), nc, null, List.of(), null, null));
    assertThat(r.calls).isEmpty();
    assertThatThrownBy(() -> p.add(inv(Command.ADD, "", false)))
        .isInstanceOfSatisfying(CniException.class, e -> assertThat(e.code()).isEqualTo(7));
  }

  @Test
  void backendChoiceFollowsGo() {
    // iptables usable -> default iptables; nft-only options then refused naming the fix
    Recorder ok = new Recorder(a -> new CommandRunner.Output(0, "", ""));
    assertThatThrownBy(
            () ->
                new PortMapPlugin(new Firewall(ok))
                    .add(inv(Command.ADD, ",\"conditionsV4\":[\"ip saddr 1.2.3.4\"]", true)))
        .hasMessageContaining("iptables backend was chosen by default")
        .hasMessageContaining("\"backend\": \"nftables\"");
    // only nft usable -> default nftables; iptables-only options (markMasqBit given) refused
    Recorder nftOnly =
        new Recorder(a -> new CommandRunner.Output(a.get(0).equals("nft") ? 0 : 1, "", ""));
    assertThatThrownBy(
            () ->
                new PortMapPlugin(new Firewall(nftOnly))
                    .add(inv(Command.ADD, ",\"markMasqBit\":3", true)))
        .hasMessageContaining("nftables backend was chosen by default")
        .hasMessageContaining("iptables-specific");
    // STATUS: unusable backend -> 50
    Recorder none = new Recorder(a -> new CommandRunner.Output(1, "", "denied"));
    assertThatThrownBy(
            () ->
                new PortMapPlugin(new Firewall(none))
                    .status(inv(Command.STATUS, ",\"backend\":\"nftables\"", false)))
        .isInstanceOfSatisfying(CniException.class, e -> assertThat(e.code()).isEqualTo(50));
  }
}
