package dev.jcni.plugins.meta.firewall;

import dev.jcni.api.Attachment;
import dev.jcni.api.Command;
import dev.jcni.api.Invocation;
import dev.jcni.plugins.common.firewall.CommandRunner;
import dev.jcni.plugins.common.firewall.Firewall;
import dev.jcni.plugins.common.firewall.ProcessRunner;
import dev.jcni.spec.NetConf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A side-effect-free run of the firewall plugin's call path for class-data training (its training
 * hook): config parsing, listing parsers, both backends' transactions and the verbs, against a
 * firewall that answers with canned state and writes nothing; plus one real child process ({@code
 * true}) so the JDK's process classes are archived.
 */
public final class FirewallTraining {
  private FirewallTraining() {}

  private static final String SAVE =
      "*filter\n:FORWARD ACCEPT [0:0]\n:CNI-ADMIN - [0:0]\n:CNI-FORWARD - [0:0]\n"
          + "-A FORWARD -m comment --comment \"CNI firewall plugin rules\" -j CNI-FORWARD\n"
          + "-A CNI-FORWARD -m comment --comment \"CNI firewall plugin admin overrides\" -j CNI-ADMIN\n"
          + "-A CNI-FORWARD -s 10.244.0.5/32 -m comment --comment \"jcni-fw net: train id: t1 if: eth0\" -j ACCEPT\n"
          + "COMMIT\n";
  private static final String LISTING =
      "table inet jcni_firewall { # handle 1\n\tchain forward { # handle 2\n"
          + "\t\ttype filter hook forward priority filter; policy accept;\n"
          + "\t\tiifname vmap @isolation # handle 3\n\t\tjump CNI-ADMIN # handle 4\n"
          + "\t\tip saddr 10.244.0.5 accept comment \"jcni-fw net: train id: t1 if: eth0\" # handle 5\n\t}\n}\n";

  public static void run() {
    String prev =
        "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"cni0\"},{\"name\":\"eth0\","
            + "\"sandbox\":\"/var/run/netns/x\"}],\"ips\":[{\"interface\":1,\"address\":\"10.244.0.5/24\","
            + "\"gateway\":\"10.244.0.1\"},{\"interface\":1,\"address\":\"fd00::5/64\",\"gateway\":\"fd00::1\"}]}";
    CommandRunner canned =
        new CommandRunner() {
          @Override
          public Output run(List<String> argv, byte[] stdin) {
            if (argv.get(0).endsWith("-save")) {
              return new Output(0, SAVE, "");
            }
            return new Output(0, argv.contains("jcni_firewall") ? LISTING : "", "");
          }
        };
    Path locks;
    try {
      locks = Files.createTempDirectory("jcni-train-fw");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      train(new FirewallPlugin(new Firewall(canned), locks), prev);
    } finally {
      for (String l : new String[] {FirewallPlugin.NFT_LOCK, FirewallPlugin.IPTABLES_LOCK}) {
        locks.resolve(l + ".lock").toFile().delete();
      }
      locks.toFile().delete();
    }
    new ProcessRunner().run(List.of("true"), "x".getBytes(StandardCharsets.UTF_8));
  }

  private static void train(FirewallPlugin plugin, String prev) {
    for (String extra :
        new String[] {
          ",\"backend\":\"nftables\"",
          ",\"backend\":\"iptables\"",
          ",\"ingressPolicy\":\"same-bridge\",\"backend\":\"nftables\"",
          ",\"ingressPolicy\":\"same-bridge\",\"backend\":\"iptables\""
        }) {
      String conf =
          "{\"cniVersion\":\"1.1.0\",\"name\":\"train\",\"type\":\"firewall\""
              + extra
              + ",\"prevResult\":"
              + prev
              + "}";
      NetConf nc = NetConf.parse(conf.getBytes(StandardCharsets.UTF_8));
      for (Command cmd : new Command[] {Command.ADD, Command.CHECK, Command.DEL, Command.GC}) {
        Invocation inv =
            new Invocation(
                cmd,
                "t1",
                "/var/run/netns/x",
                "eth0",
                null,
                List.of(),
                nc,
                nc.prevResult(),
                List.of(new Attachment("t1", "eth0")),
                null,
                null);
        try {
          switch (cmd) {
            case ADD -> plugin.add(inv);
            case CHECK -> plugin.check(inv);
            case DEL -> plugin.del(inv);
            default -> plugin.gc(inv);
          }
        } catch (RuntimeException expected) {
          // CHECK finds rules missing in the canned state: the error path is worth archiving too
        }
      }
    }
  }
}
