package dev.jcni.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.api.Dispatcher;
import dev.jcni.netlink.internal.codec.Decoders;
import dev.jcni.netlink.internal.codec.Rtnl;
import dev.jcni.netlink.internal.codec.RtnlMessage;
import dev.jcni.plugins.vxlan.Peer;
import dev.jcni.plugins.vxlan.PeersFile;
import dev.jcni.runtime.ResultCache;
import dev.jcni.runtime.RuntimeConf;
import dev.jcni.spec.CniArgs;
import dev.jcni.spec.CniException;
import dev.jcni.spec.CniVersion;
import dev.jcni.spec.NetConf;
import dev.jcni.spec.NetConfList;
import dev.jcni.spec.Result;
import dev.jcni.spec.ResultCodec;
import dev.jcni.spec.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * The parsers that read outside bytes, one property each: the answer is a value or the parser's
 * defined error ({@link CniException}, for the netlink codec IllegalArgumentException), never
 * another exception type. Seeds are in src/test/resources/fuzz. Nothing here touches the network:
 * files live in a temp dir.
 */
class ParserFuzzTest {
  static final String[] RESULTS = {
    "r-0.1.0", "r-0.2.0", "r-0.3.1", "r-0.4.0", "r-1.0.0", "r-1.1.0"
  };
  static final String[] LISTS = {"list-1.0.0", "list-1.1.0", "conf-0.3.1"};

  static Path dir;

  @BeforeContainer
  static void setUp() throws IOException {
    dir = Files.createTempDirectory("jrl-pfuzz-");
  }

  @AfterContainer
  static void tearDown() throws IOException {
    try (var s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static void outcome(String what, Object o) {
    Statistics.label("outcome")
        .collect(
            what + (o instanceof Throwable t ? " -> " + t.getClass().getSimpleName() : " -> ok"));
  }

  // ------------------------------------------------------------------------------------ results,
  // prevResult

  @Provide
  Arbitrary<byte[]> results() {
    return Arbitraries.randomValue(
        r ->
            Mutator.mutate(
                Mutator.resource("/fuzz/result/" + RESULTS[r.nextInt(RESULTS.length)] + ".json"),
                r));
  }

  @Property
  void resultsAtEveryVersionDecodeConvertAndEncodeOrFailAsCniErrors(
      @ForAll("results") byte[] json, @ForAll("versions") CniVersion version) {
    Object o =
        cni(
            () -> {
              Result r = ResultCodec.decode(json, version);
              for (CniVersion v : CniVersion.ALL) {
                try {
                  Result back = ResultCodec.decode(ResultCodec.toJson(r, v), v);
                  assertThat(back).isNotNull();
                } catch (CniException lossy) {
                  // a result that cannot be expressed at v (libcni's conversion table) is a CNI
                  // error: fine
                }
              }
              return r;
            });
    outcome("decode@" + version, o);
    cni(() -> ResultCodec.convert(json, version.toString()));
  }

  @Provide
  Arbitrary<CniVersion> versions() {
    return Arbitraries.of(CniVersion.ALL);
  }

  // ------------------------------------------------------------------------------------------------ CNI_ARGS

  @Provide
  Arbitrary<String> cniArgs() {
    return Arbitraries.randomValue(
        r -> {
          StringBuilder b = new StringBuilder();
          int n = r.nextInt(5);
          for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : r.nextInt(8) == 0 ? ";;" : ";");
            b.append(
                new String[] {"IgnoreUnknown", "K8S_POD_NAME", "IP", "MAC", "", "x", "é"}
                    [r.nextInt(7)]);
            if (r.nextInt(6) != 0) {
              b.append('=').append(Mutator.randomString(r, 10));
            }
          }
          return b.toString();
        });
  }

  @Property
  void cniArgsParseOrFailAsCniErrors(@ForAll("cniArgs") String args) {
    outcome("CNI_ARGS", cni(() -> CniArgs.parse(args)));
  }

  // ---------------------------------------------------------------------------------------
  // conflists, configs

  @Provide
  Arbitrary<byte[]> conflists() {
    return Arbitraries.randomValue(
        r ->
            Mutator.mutate(
                Mutator.resource("/fuzz/conflist/" + LISTS[r.nextInt(LISTS.length)] + ".json"), r));
  }

  @Property
  void conflistsAndConfigsParseOrFailAsCniErrors(@ForAll("conflists") byte[] json) {
    outcome("NetConfList", cni(() -> NetConfList.parse(json)));
    outcome("NetConf", cni(() -> NetConf.parse(json)));
  }

  // ---------------------------------------------------------------------------------- the
  // runtime's cache files

  @Provide
  Arbitrary<byte[]> cacheFiles() {
    return Arbitraries.randomValue(
        r ->
            r.nextInt(8) == 0
                ? Mutator.mutate(Mutator.resource("/fuzz/cache/legacy-result"), r)
                : Mutator.mutate(Mutator.resource("/fuzz/cache/fzlist-jrl-fz1-eth0"), r));
  }

  @Property
  void cacheFilesReadOrFailAsCniErrors(@ForAll("cacheFiles") byte[] file) throws IOException {
    Path cacheDir = Files.createTempDirectory(dir, "cache");
    ResultCache cache = new ResultCache(cacheDir);
    RuntimeConf rt = RuntimeConf.of("jrl-fz1", "/run/netns/p", "eth0");
    Files.createDirectories(cache.resultsDir());
    Files.write(cache.path("fzlist", "jrl-fz1", "eth0"), file);
    outcome("readResult", cni(() -> cache.readResult("fzlist", "1.0.0", rt)));
    outcome("readConfig", cni(() -> cache.readConfig("fzlist", rt)));
    outcome("attachments", cni(() -> cache.attachments("jrl-fz1")));
  }

  // ----------------------------------------------------------------------------------------- vxlan
  // peers file

  @Provide
  Arbitrary<byte[]> peersFiles() {
    byte[] seed =
        PeersFile.toJson(
                List.of(
                    Peer.of("192.168.1.1", "10.213.1.0/24"),
                    Peer.of("192.168.1.2", "10.213.2.0/24"),
                    Peer.of("fd00::2", "10.213.3.0/24")))
            .getBytes(StandardCharsets.UTF_8);
    return Arbitraries.randomValue(r -> Mutator.mutate(seed, r));
  }

  @Property
  void peersFilesReadOrFailAsCniErrors(@ForAll("peersFiles") byte[] file) throws IOException {
    Path p = Files.createTempFile(dir, "peers", ".json");
    Files.write(p, file);
    outcome("peers", cni(() -> PeersFile.read(p)));
  }

  // ----------------------------------------------------------------------------- host-local
  // reservation files

  record DataDir(Map<String, byte[]> files, String command) {
    @Override
    public String toString() {
      StringBuilder b = new StringBuilder(command);
      files.forEach(
          (k, v) ->
              b.append(" | ")
                  .append(k)
                  .append('=')
                  .append(Answers.show(v).replace("\r\n", "\\r\\n")));
      return b.toString();
    }
  }

  @Provide
  Arbitrary<DataDir> dataDirs() {
    return Arbitraries.randomValue(ParserFuzzTest::dataDir);
  }

  static DataDir dataDir(Random r) {
    Map<String, byte[]> files = new HashMap<>();
    int n = r.nextInt(8);
    for (int i = 0; i < n; i++) {
      String name =
          r.nextInt(6) == 0
              ? new String[] {
                    "last_reserved_ip.0", "lock", "10.9.5.x", "garbage", "10.9.5.1.tmp", "fd00::1"
                  }
                  [r.nextInt(6)]
              : "10.9.5." + r.nextInt(8);
      byte[] content =
          switch (r.nextInt(8)) {
            case 0 -> "jrl-fz1\r\neth0".getBytes(StandardCharsets.UTF_8);
            case 1 -> "other\r\neth0".getBytes(StandardCharsets.UTF_8);
            case 2 -> "jrl-fz1".getBytes(StandardCharsets.UTF_8); // old Go format: the ID alone
            case 3 -> new byte[0];
            case 4 -> "10.9.5.3".getBytes(StandardCharsets.UTF_8);
            case 5 -> Mutator.randomString(r, 20).getBytes(StandardCharsets.UTF_8);
            case 6 -> "  jrl-fz1 \r\neth0\r\n".getBytes(StandardCharsets.UTF_8);
            default -> randomBytes(r, 40);
          };
      files.put(name, content);
    }
    return new DataDir(
        files, new String[] {"ADD", "ADD", "ADD", "DEL", "CHECK", "GC"}[r.nextInt(6)]);
  }

  static byte[] randomBytes(Random r, int max) {
    byte[] b = new byte[r.nextInt(max + 1)];
    r.nextBytes(b);
    return b;
  }

  @Property
  void hostLocalOnAnyDataDirAnswersACniErrorOrAResultAndNeverHandsOutAnotherContainersAddress(
      @ForAll("dataDirs") DataDir d) throws IOException {
    Path data = Files.createTempDirectory(dir, "ipam");
    Path net = Files.createDirectories(data.resolve("fznet"));
    for (Map.Entry<String, byte[]> f : d.files().entrySet()) {
      Files.write(net.resolve(f.getKey()), f.getValue());
    }
    String conf =
        "{\"cniVersion\":\"1.1.0\",\"name\":\"fznet\",\"type\":\"host-local\",\"cni.dev/valid-attachments\":"
            + "[{\"containerID\":\"other\",\"ifname\":\"eth0\"}],\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.9.5.0/29\","
            + "\"dataDir\":\""
            + data
            + "\"}}";
    Map<String, String> env = new HashMap<>();
    env.put("CNI_COMMAND", d.command());
    env.put("CNI_CONTAINERID", "jrl-fz1");
    env.put("CNI_NETNS", dir.toString());
    env.put("CNI_IFNAME", "eth0");
    env.put("CNI_PATH", dir.toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        Dispatcher.run(
            "host-local",
            env,
            new ByteArrayInputStream(conf.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    long code = Answers.check(exit, out.toByteArray(), d.command().equals("ADD"), d.toString());
    Statistics.label("outcome")
        .collect("host-local " + d.command() + " -> " + (code == 0 ? "ok" : "code " + code));
    if (code == 0 && d.command().equals("ADD")) {
      String ip =
          Json.writeString(Json.parseObject(out.toByteArray()).get("ips"))
              .replaceAll(".*\"(10\\.9\\.5\\.\\d+)/.*", "$1");
      byte[] before = d.files().get(ip);
      // an address that held another container's reservation before must not be handed out again
      assertThat(
              before == null
                  || new String(before, StandardCharsets.UTF_8).strip().startsWith("jrl-fz1")
                  || new String(before, StandardCharsets.UTF_8).isBlank())
          .as("got " + ip + " from " + d)
          .isTrue();
    }
  }

  // ---------------------------------------------------------------------------- netlink messages
  // from the kernel

  static final int[] TYPES = {
    Rtnl.RTM_NEWLINK, Rtnl.RTM_NEWADDR, Rtnl.RTM_NEWROUTE, Rtnl.RTM_NEWNEIGH
  };

  @Provide
  Arbitrary<byte[]> netlinkMessages() {
    return Arbitraries.randomValue(ParserFuzzTest::netlinkMessage);
  }

  /**
   * A plausible rtnetlink message: right type and family header size, attributes with random
   * (nested) content.
   */
  static byte[] netlinkMessage(Random r) {
    int type = TYPES[r.nextInt(TYPES.length)];
    int structSize =
        switch (type) {
          case Rtnl.RTM_NEWLINK -> 16;
          case Rtnl.RTM_NEWADDR -> 8;
          case Rtnl.RTM_NEWROUTE -> 12;
          default -> 12;
        };
    ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.nativeOrder());
    b.position(16);
    for (int i = 0; i < structSize; i++) {
      b.put((byte) (r.nextInt(4) == 0 ? r.nextInt(256) : r.nextInt(3)));
    }
    int attrs = r.nextInt(12);
    for (int i = 0; i < attrs && b.remaining() > 300; i++) {
      putAttr(b, r, 0);
    }
    int len = b.position();
    if (r.nextInt(10) == 0) {
      len = r.nextInt(len + 1); // a lying length
    }
    b.putInt(0, len);
    b.putShort(4, (short) type);
    b.putShort(6, (short) r.nextInt(0x400));
    byte[] out = new byte[Math.max(b.position(), 16)];
    System.arraycopy(b.array(), 0, out, 0, out.length);
    return r.nextInt(8) == 0 ? Mutator.damage(out, r) : out;
  }

  private static void putAttr(ByteBuffer b, Random r, int depth) {
    int start = b.position();
    b.position(start + 4);
    int attrType =
        r.nextInt(4) == 0 ? r.nextInt(0x10000) : r.nextInt(40) | (r.nextInt(5) == 0 ? 0x8000 : 0);
    if (depth < 3 && r.nextInt(4) == 0) {
      int nested = r.nextInt(5);
      for (int i = 0; i < nested && b.remaining() > 100; i++) {
        putAttr(b, r, depth + 1);
      }
    } else {
      int n = new int[] {0, 1, 2, 4, 6, 8, 16, 20, r.nextInt(64)}[r.nextInt(9)];
      for (int i = 0; i < n && b.hasRemaining(); i++) {
        b.put((byte) r.nextInt(256));
      }
    }
    int len = b.position() - start;
    if (r.nextInt(15) == 0) {
      len = r.nextInt(0x10000); // a lying attribute length
    }
    b.putShort(start, (short) len);
    b.putShort(start + 2, (short) attrType);
    while (b.position() % 4 != 0 && b.hasRemaining()) {
      b.put((byte) 0);
    }
  }

  @Property
  void netlinkMessagesDecodeOrAreRefusedAsMalformed(@ForAll("netlinkMessages") byte[] msg) {
    List<Function<RtnlMessage, ?>> decoders =
        List.of(
            Decoders.LINK,
            Decoders.ADDRESS,
            Decoders.ROUTE,
            Decoders.NEIGH,
            Decoders.FDB,
            Decoders.BRIDGE_VLANS);
    RtnlMessage m;
    try {
      m = RtnlMessage.decode(msg);
    } catch (IllegalArgumentException malformed) {
      outcome("rtnl", malformed);
      return;
    }
    Function<RtnlMessage, ?> d =
        switch (m.header().type()) {
          case Rtnl.RTM_NEWLINK -> msg.length % 2 == 0 ? Decoders.LINK : Decoders.BRIDGE_VLANS;
          case Rtnl.RTM_NEWADDR -> Decoders.ADDRESS;
          case Rtnl.RTM_NEWROUTE -> Decoders.ROUTE;
          default -> msg.length % 2 == 0 ? Decoders.NEIGH : Decoders.FDB;
        };
    assertThat(decoders).contains(d);
    try {
      Object v = d.apply(m);
      outcome("decode " + m.header().type(), v);
    } catch (IllegalArgumentException malformed) {
      outcome("decode " + m.header().type(), malformed);
    }
  }

  // ------------------------------------------------------------------------------------------------- helpers

  interface Parse {
    Object run() throws Exception;
  }

  /**
   * Runs a parse: a value or a CniException is fine; anything else fails the property (rethrown).
   */
  static Object cni(Parse p) {
    try {
      return p.run();
    } catch (CniException e) {
      assertThat(e.msg()).isNotBlank().doesNotContain("Exception");
      return e;
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
