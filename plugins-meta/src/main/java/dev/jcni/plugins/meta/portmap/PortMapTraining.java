package dev.jcni.plugins.meta.portmap;

import dev.jcni.api.Command;
import dev.jcni.api.Invocation;
import dev.jcni.plugins.common.firewall.CommandRunner;
import dev.jcni.plugins.common.firewall.Firewall;
import dev.jcni.plugins.common.firewall.IpFamily;
import dev.jcni.plugins.common.firewall.IptablesState;
import dev.jcni.plugins.common.firewall.ProcessRunner;
import dev.jcni.spec.NetConf;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A side-effect-free run of portmap's call path for class-data training (its training hook): config
 * parsing, both backends' script generation, the plugin's ADD/CHECK/DEL with a firewall that only
 * records, and one real child process ({@code true}) so the JDK's process classes are archived too.
 * Writes nothing to the system.
 */
public final class PortMapTraining {
  private PortMapTraining() {}

  public static void run() {
    String prev =
        "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"veth0\"},{\"name\":\"eth0\","
            + "\"sandbox\":\"/var/run/netns/x\"}],\"ips\":[{\"interface\":1,\"address\":\"10.244.0.5/24\","
            + "\"gateway\":\"10.244.0.1\"},{\"interface\":1,\"address\":\"fd00::5/64\",\"gateway\":\"fd00::1\"}]}";
    String maps =
        "{\"portMappings\":[{\"HostPort\":18080,\"ContainerPort\":80,\"Protocol\":\"tcp\",\"HostIP\":\"\"},"
            + "{\"hostPort\":15353,\"containerPort\":53,\"protocol\":\"udp\",\"hostIP\":\"10.0.0.1\"}]}";
    String[] extras = {
      ",\"backend\":\"nftables\",\"snat\":false",
      ",\"backend\":\"iptables\",\"snat\":false",
      ",\"conditionsV4\":[\"-s\",\"10.0.0.0/8\"],\"snat\":false"
    };
    CommandRunner recorder =
        new CommandRunner() {
          @Override
          public Output run(List<String> argv, byte[] stdin) {
            return new Output(0, "", "");
          }
        };
    PortMapPlugin plugin = new PortMapPlugin(new Firewall(recorder));
    for (String extra : extras) {
      String conf =
          "{\"cniVersion\":\"1.0.0\",\"name\":\"train\",\"type\":\"portmap\",\"capabilities\":"
              + "{\"portMappings\":true}"
              + extra
              + ",\"runtimeConfig\":"
              + maps
              + ",\"prevResult\":"
              + prev
              + "}";
      NetConf nc = NetConf.parse(conf.getBytes(StandardCharsets.UTF_8));
      PortMapConfig c = PortMapConfig.parse(nc.raw());
      PodAddresses pod = PodAddresses.from(nc.prevResult(), "eth0");
      if (c.backendRequiredByOptions() != dev.jcni.plugins.common.firewall.Backend.IPTABLES) {
        NftPortmap.add("train", "t1", c, pod).toString();
        NftPortmap.del("train", "t1").toString();
      }
      for (IpFamily f : IpFamily.values()) {
        IptablesState st =
            IptablesState.parse(
                "*nat\n:PREROUTING ACCEPT [0:0]\n:JCNI-HOSTPORT-DNAT - [0:0]\n"
                    + "-A JCNI-HOSTPORT-DNAT -p tcp -m comment --comment \"jcni-portmap net: train id: t0\" -j JCNI-DN-0\n"
                    + "COMMIT\n");
        IptablesPortmap.add(f, "train", "t1", c, f == IpFamily.V4 ? pod.v4() : pod.v6(), st)
            .toString();
        IptablesPortmap.del("train", "t1", st).toString();
        IptablesPortmap.gc("train", List.of("t1"), st).toString();
      }
      if (extra.contains("nftables")) {
        for (Command cmd : new Command[] {Command.ADD, Command.DEL}) {
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
                  List.of(),
                  null,
                  null);
          if (cmd == Command.ADD) {
            plugin.add(inv);
          } else {
            plugin.del(inv);
          }
        }
      }
    }
    new ProcessRunner().run(List.of("true"), "x".getBytes(StandardCharsets.UTF_8));
  }
}
