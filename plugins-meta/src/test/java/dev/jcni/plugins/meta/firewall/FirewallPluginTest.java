package dev.jcni.plugins.meta.firewall;

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

/** The verbs against a firewall that only records commands (no root, nothing touched). */
class FirewallPluginTest {
  static final String PREV =
      "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"cni0\"},{\"name\":\"eth0\","
          + "\"sandbox\":\"/run/netns/p\"}],\"ips\":[{\"interface\":1,\"address\":\"10.9.0.5/24\"},"
          + "{\"interface\":1,\"address\":\"fd00::5/64\"}]}";

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
        "{\"cniVersion\":\"1.1.0\",\"name\":\"n\",\"type\":\"firewall\""
            + extra
            + (withPrev ? ",\"prevResult\":" + PREV : "")
            + "}";
    NetConf nc = NetConf.parse(conf.getBytes(StandardCharsets.UTF_8));
    return new Invocation(
        cmd,
        "c1",
        withPrev ? "/run/netns/p" : "",
        "eth0",
        null,
        List.of(),
        nc,
        withPrev ? nc.prevResult() : null,
        List.of(new Attachment("c2", "eth0")),
        null,
        null);
  }

  private static CommandRunner.Output ok(String out) {
    return new CommandRunner.Output(0, out, "");
  }

  private static final CommandRunner.Output NO_TABLE =
      new CommandRunner.Output(1, "", "Error: No such file or directory");

  @Test
  void defaultIsNftablesWhenIptablesIsUnusable() {
    Recorder r =
        new Recorder(
            a ->
                a.get(0).equals("iptables")
                    ? new CommandRunner.Output(1, "", "no xtables")
                    : a.contains("jcni_firewall") ? NO_TABLE : ok(""));
    var out = new FirewallPlugin(new Firewall(r)).add(inv(Command.ADD, "", true));
    assertThat(out.ips()).hasSize(2);
    assertThat(r.calls.get(r.calls.size() - 1))
        .startsWith("nft -f - <<add table inet jcni_firewall")
        .contains("ip saddr 10.9.0.5 accept")
        .contains("ip6 saddr fd00::5 accept");
  }

  @Test
  void iptablesAddIsOneRestorePerFamilyAndRollsBackTheFirstWhenTheSecondFails() {
    java.util.concurrent.atomic.AtomicInteger saves =
        new java.util.concurrent.atomic.AtomicInteger();
    Recorder r =
        new Recorder(
            a -> {
              if (a.get(0).equals("ip6tables-restore")) {
                return new CommandRunner.Output(2, "", "ip6tables-restore: line 2 failed");
              }
              if (a.get(0).equals("iptables-save") && saves.getAndIncrement() > 0) {
                return ok(
                    "*filter\n:CNI-FORWARD - [0:0]\n-A CNI-FORWARD -s 10.9.0.5/32 -m comment --comment "
                        + "\"jcni-fw net: n id: c1 if: eth0\" -j ACCEPT\nCOMMIT\n");
              }
              return ok("*filter\n:FORWARD ACCEPT [0:0]\nCOMMIT\n");
            });
    assertThatThrownBy(
            () ->
                new FirewallPlugin(new Firewall(r))
                    .add(inv(Command.ADD, ",\"backend\":\"iptables\"", true)))
        .isInstanceOf(CniException.class)
        .hasMessageContaining("ip6tables-restore");
    List<String> restores = r.calls.stream().filter(c -> c.contains("-restore")).toList();
    // v4 once, v6 three times (re-read between attempts), then the v4 rollback
    assertThat(restores).hasSize(5);
    assertThat(restores.get(0))
        .startsWith("iptables-restore")
        .contains("-A CNI-FORWARD -s 10.9.0.5/32");
    assertThat(restores.get(4))
        .startsWith(
            "iptables-restore --noflush --wait=10 <<*filter\n-D CNI-FORWARD -s " + "10.9.0.5/32");
  }

  @Test
  void delNeedsNeitherPrevResultNorNetnsAndCleansBothBackendsByDefault() {
    Recorder r =
        new Recorder(
            a ->
                a.get(0).endsWith("-save")
                    ? ok(
                        "*filter\n:CNI-FORWARD - [0:0]\n-A CNI-FORWARD -s "
                            + "10.9.0.5/32 -m comment --comment \"jcni-fw net: n id: c1 if: eth0\" -j ACCEPT\nCOMMIT\n")
                    : a.contains("jcni_firewall") ? NO_TABLE : ok(""));
    new FirewallPlugin(new Firewall(r)).del(inv(Command.DEL, "", false));
    assertThat(r.calls)
        .anyMatch(c -> c.startsWith("nft -a list table inet jcni_firewall"))
        .anyMatch(
            c ->
                c.startsWith(
                    "iptables-restore --noflush --wait=10 <<*filter\n-D CNI-FORWARD -s 10.9.0.5/32"))
        .anyMatch(c -> c.startsWith("ip6tables-restore"));
  }

  @Test
  void delWithAnExplicitBackendCleansOnlyThatOne() {
    Recorder r = new Recorder(a -> a.contains("jcni_firewall") ? NO_TABLE : ok(""));
    new FirewallPlugin(new Firewall(r)).del(inv(Command.DEL, ",\"backend\":\"nftables\"", false));
    assertThat(r.calls).noneMatch(c -> c.contains("iptables"));
  }

  @Test
  void firewalldIsUnsupportedAndStatusTellsWhenTheBackendIsUnusable() {
    Recorder r = new Recorder(a -> new CommandRunner.Output(1, "", "Permission denied"));
    FirewallPlugin p = new FirewallPlugin(new Firewall(r));
    assertThatThrownBy(() -> p.add(inv(Command.ADD, ",\"backend\":\"firewalld\"", true)))
        .satisfies(e -> assertThat(((CniException) e).code()).isEqualTo(2));
    assertThatThrownBy(() -> p.status(inv(Command.STATUS, ",\"backend\":\"nftables\"", false)))
        .satisfies(e -> assertThat(((CniException) e).code()).isEqualTo(50));
    assertThatThrownBy(() -> p.status(inv(Command.STATUS, ",\"backend\":\"firewalld\"", false)))
        .satisfies(e -> assertThat(((CniException) e).code()).isEqualTo(50));
    r.calls.clear();
    p.del(inv(Command.DEL, ",\"backend\":\"firewalld\"", false));
    assertThat(r.calls).isEmpty();
  }

  @Test
  void addWithoutPrevResultIsCode7() {
    Recorder r = new Recorder(a -> ok(""));
    assertThatThrownBy(() -> new FirewallPlugin(new Firewall(r)).add(inv(Command.ADD, "", false)))
        .satisfies(e -> assertThat(((CniException) e).code()).isEqualTo(7));
    assertThat(r.calls).isEmpty();
  }
}
