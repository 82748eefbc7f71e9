package dev.jcni.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.api.Dispatcher;
import dev.jcni.spec.json.Json;
import dev.jcni.system.NetNs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Every plugin's network config (and prevResult, runtimeConfig, CNI_ARGS) from outside: mutated
 * seed configs (src/test/resources/fuzz/config) through the real {@link Dispatcher}, in-process.
 * Property: exit 0 with one valid result, or exit 1 with one CNI error object with a spec code and
 * a message in words; never an exception out of the dispatcher, never a hang.
 *
 * <p>Nothing may touch the machine: CNI_NETNS is a regular file, so bridge, ptp, vxlan, loopback
 * and portmap stop at opening it, before any change (which is what issue 14 guarantees; their
 * config parsing comes first); host-local's dataDir is forced into a temp dir after mutation;
 * CNI_PATH is an empty dir (no delegate can be exec'd); and as root every call runs on a thread
 * inside a throwaway namespace ({@code jrl-fz...}).
 */
class PluginConfigFuzzTest {
  static final String[] TYPES = {"bridge", "ptp", "vxlan", "loopback", "portmap", "host-local"};
  static final String[] SEEDS = {
    "bridge",
    "bridge-0.3.1",
    "ptp",
    "vxlan",
    "loopback",
    "portmap",
    "portmap-0.4.0",
    "host-local",
    "host-local-ranges",
    "host-local-gc"
  };

  static Path dir;
  static Path notANetns;
  static Path dataDir;
  static NetNs sandbox;
  static String sandboxName;

  @BeforeContainer
  static void setUp() throws IOException {
    dir = Files.createTempDirectory("jrl-fuzz-");
    notANetns = Files.createFile(dir.resolve("netns-file"));
    dataDir = Files.createDirectories(dir.resolve("ipam"));
    Files.createDirectories(dir.resolve("bin"));
    if (dev.jcni.testkit.NetnsExtension.isRoot()) {
      sandboxName = "jrl-fz" + ProcessHandle.current().pid();
      sandbox = NetNs.create(sandboxName);
    }
  }

  @AfterContainer
  static void tearDown() throws IOException {
    if (sandbox != null) {
      sandbox.close();
      NetNs.delete(sandboxName);
    }
    try (var s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  record Case(String type, String command, byte[] stdin, String cniArgs) {
    @Override
    public String toString() {
      return type + " " + command + " CNI_ARGS=" + cniArgs + " stdin=" + Answers.show(stdin);
    }
  }

  @Provide
  Arbitrary<Case> calls() {
    return Arbitraries.randomValue(PluginConfigFuzzTest::call);
  }

  static Case call(Random r) {
    String seed = SEEDS[r.nextInt(SEEDS.length)];
    // mostly the seed's own plugin; sometimes another type gets it (a conflist entry with the wrong
    // type)
    String type =
        r.nextInt(5) == 0
            ? TYPES[r.nextInt(TYPES.length)]
            : seed.startsWith("host-local") ? "host-local" : seed.replaceAll("-[0-9.]+$", "");
    byte[] stdin = confined(Mutator.mutate(Mutator.resource("/fuzz/config/" + seed + ".json"), r));
    // only host-local (confined to the temp dataDir) gets verbs other than ADD: bridge's GC or
    // portmap's DEL
    // would change the firewall of the namespace the call runs in
    String command =
        type.equals("host-local")
            ? new String[] {"ADD", "ADD", "DEL", "CHECK", "GC", "STATUS"}[r.nextInt(6)]
            : "ADD";
    String args =
        r.nextInt(3) == 0
            ? Mutator.randomString(r, 30)
            : new String[] {
                  "",
                  "IgnoreUnknown=1",
                  "IgnoreUnknown=1;K8S_POD_NAME=p;MAC=02:00:00:00:00:09",
                  "IP=10.1.2.9",
                  "MAC=zz",
                  "IgnoreUnknown=true;IP=10.9.0.2,fd00::2"
                }
                [r.nextInt(6)];
    return new Case(type, command, stdin, args);
  }

  /**
   * Pins every ipam dataDir to the temp dir (whatever the mutation did to it), when the input is
   * JSON at all.
   */
  @SuppressWarnings("unchecked")
  static byte[] confined(byte[] stdin) {
    Object tree;
    try {
      tree = Json.parse(stdin);
    } catch (RuntimeException notJson) {
      return stdin;
    }
    if (!(tree instanceof Map<?, ?> m)) {
      return stdin;
    }
    Map<String, Object> top = new LinkedHashMap<>((Map<String, Object>) m);
    for (Map.Entry<String, Object> e : top.entrySet()) {
      if (e.getKey().equalsIgnoreCase("ipam") && e.getValue() instanceof Map<?, ?> ipam0) {
        Map<String, Object> ipam = new LinkedHashMap<>((Map<String, Object>) ipam0);
        ipam.keySet().removeIf(k -> k.equalsIgnoreCase("dataDir"));
        ipam.put("dataDir", dataDir.toString());
        e.setValue(ipam);
      }
    }
    return Json.write(top);
  }

  @Property
  void everyPluginAnswersOneJsonDocumentWithASpecCodeOrAValidResult(@ForAll("calls") Case c)
      throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("CNI_COMMAND", c.command());
    env.put("CNI_CONTAINERID", "jrl-fz1");
    env.put("CNI_NETNS", notANetns.toString());
    env.put("CNI_IFNAME", "eth0");
    env.put("CNI_PATH", dir.resolve("bin").toString());
    env.put("CNI_ARGS", c.cniArgs());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Call call = new Call(c, env, out, err);
    long start = System.nanoTime();
    int exit = sandbox != null ? sandbox.run(call) : call.call();
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(ms).as("took " + ms + " ms: " + c).isLessThan(20_000);
    long code = Answers.check(exit, out.toByteArray(), c.command().equals("ADD"), c.toString());
    // how deep the calls get (reported by jqwik): a fuzz that only ever hits the JSON parser proves
    // little
    Statistics.label("outcome")
        .collect(c.type() + " " + c.command() + " -> " + (code == 0 ? "ok" : "code " + code));
  }

  static final class Call implements NetNs.Task<Integer, RuntimeException> {
    final Case c;
    final Map<String, String> env;
    final ByteArrayOutputStream out;
    final ByteArrayOutputStream err;

    Call(Case c, Map<String, String> env, ByteArrayOutputStream out, ByteArrayOutputStream err) {
      this.c = c;
      this.env = env;
      this.out = out;
      this.err = err;
    }

    @Override
    public Integer call() {
      return Dispatcher.run(
          c.type(),
          env,
          new ByteArrayInputStream(c.stdin()),
          new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
    }
  }

  static List<String> seeds() {
    return List.of(SEEDS);
  }
}
