package dev.jcni.api;

import static dev.jcni.api.TestSupport.env;
import static dev.jcni.api.TestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.api.TestSupport.Out;
import dev.jcni.spec.CniException;
import dev.jcni.spec.CniVersion;
import dev.jcni.spec.Result;
import dev.jcni.spec.json.Json;
import dev.jcni.spec.net.Cidr;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DispatcherTest {
  /** A readable file that is not a network namespace. */
  static final Path netnsFile = Path.of("/dev/null");

  @TempDir Path tmp;

  /** A plugin whose behaviour the test sets; records what it was called with. */
  static final class Fake implements CniPlugin {
    final List<Invocation> calls = new ArrayList<>();
    List<CniVersion> versions = CniVersion.ALL;
    Function<Invocation, Result> onAdd =
        inv ->
            Result.empty(CniVersion.V1_1_0)
                .withIps(List.of(Result.IpConfig.parse(null, "10.1.0.5/24", "10.1.0.1")));
    Consumer<Invocation> onOther = inv -> {};

    @Override
    public Result add(Invocation inv) {
      calls.add(inv);
      return onAdd.apply(inv);
    }

    @Override
    public void del(Invocation inv) {
      calls.add(inv);
      onOther.accept(inv);
    }

    @Override
    public void check(Invocation inv) {
      calls.add(inv);
      onOther.accept(inv);
    }

    @Override
    public void gc(Invocation inv) {
      calls.add(inv);
      onOther.accept(inv);
    }

    @Override
    public void status(Invocation inv) {
      calls.add(inv);
      onOther.accept(inv);
    }

    @Override
    public List<CniVersion> supportedVersions() {
      return versions;
    }

    @Override
    public String about() {
      return "fake plugin v0";
    }
  }

  Fake fake;

  @BeforeEach
  void setUp() {
    fake = new Fake();
  }

  static String conf(String version) {
    return "{\"cniVersion\":\"" + version + "\",\"name\":\"net1\",\"type\":\"fake\"}";
  }

  static Map<String, String> env(String command) {
    return TestSupport.env(command, netnsFile);
  }

  static Map<String, String> envWith(String command, String... kv) {
    Map<String, String> e = env(command);
    for (int i = 0; i < kv.length; i += 2) {
      if (kv[i + 1] == null) {
        e.remove(kv[i]);
      } else {
        e.put(kv[i], kv[i + 1]);
      }
    }
    return e;
  }

  // ---------------------------------------------------------------- VERSION

  static Stream<Path> versionFixtures() throws IOException {
    List<Path> out = new ArrayList<>();
    Path dir = TestSupport.fixtures("version");
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "VERSION__*.json")) {
      ds.forEach(out::add);
    }
    assertThat(out).hasSizeGreaterThanOrEqualTo(10);
    return out.stream().sorted();
  }

  @ParameterizedTest
  @MethodSource("versionFixtures")
  @SuppressWarnings("unchecked")
  void versionMatchesLibcniByteForByte(Path fixture) throws IOException {
    Map<String, Object> f = Json.parseObject(Files.readAllBytes(fixture));
    Map<String, String> e = new HashMap<>((Map<String, String>) (Map<?, ?>) f.get("env"));
    Out o = run(fake, e, (String) f.get("stdin"));
    assertThat(o.exit()).isEqualTo(0);
    assertThat(o.stdout()).isEqualTo(f.get("stdout"));
    assertThat(o.stderr()).isEmpty();
    assertThat(fake.calls).isEmpty();
  }

  @Test
  void versionListsAllSevenVersionsAndNeedsOnlyCniCommand() {
    Out o = run(fake, Map.of("CNI_COMMAND", "VERSION"), "");
    assertThat(o.exit()).isZero();
    assertThat(o.json().get("supportedVersions"))
        .isEqualTo(List.of("0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"));
    assertThat(o.json().get("cniVersion")).isEqualTo("1.1.0");
    assertThat(o.stdout()).endsWith("}\n");
  }

  @Test
  void versionListsThePluginsOwnVersions() {
    fake.versions = List.of(CniVersion.V0_4_0, CniVersion.V1_0_0);
    Out o = run(fake, Map.of("CNI_COMMAND", "VERSION"), "garbage");
    assertThat(o.stdout())
        .isEqualTo("{\"cniVersion\":\"1.1.0\",\"supportedVersions\":[\"0.4.0\",\"1.0.0\"]}\n");
  }

  @Test
  void emptyCommandPrintsAboutToStderrAndExitsZero() {
    Out o = run(fake, Map.of(), "");
    assertThat(o.exit()).isZero();
    assertThat(o.stdout()).isEmpty();
    assertThat(o.stderr())
        .isEqualTo(
            "fake plugin v0\nCNI protocol versions supported: "
                + "0.1.0, 0.2.0, 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0\n");
  }

  // ---------------------------------------------------------------- error table

  static Stream<Arguments> errors() {
    String ok = conf("1.0.0");
    return Stream.of(
        Arguments.of(
            "ADD, nothing set",
            Map.of("CNI_COMMAND", "ADD"),
            ok,
            4,
            "required env variables [CNI_CONTAINERID,CNI_NETNS,CNI_IFNAME,CNI_PATH] missing"),
        Arguments.of(
            "ADD without netns",
            envWith("ADD", "CNI_NETNS", null),
            ok,
            4,
            "required env variables [CNI_NETNS] missing"),
        Arguments.of(
            "ADD with empty path",
            envWith("ADD", "CNI_PATH", ""),
            ok,
            4,
            "required env variables [CNI_PATH] missing"),
        Arguments.of(
            "DEL without ifname and path",
            envWith("DEL", "CNI_IFNAME", null, "CNI_PATH", null),
            ok,
            4,
            "required env variables [CNI_IFNAME,CNI_PATH] missing"),
        Arguments.of(
            "CHECK without netns",
            envWith("CHECK", "CNI_NETNS", null),
            ok,
            4,
            "required env variables [CNI_NETNS] missing"),
        Arguments.of(
            "GC without path",
            Map.of("CNI_COMMAND", "GC"),
            conf("1.1.0"),
            4,
            "required env variables [CNI_PATH] missing"),
        Arguments.of(
            "STATUS without path",
            Map.of("CNI_COMMAND", "STATUS"),
            conf("1.1.0"),
            4,
            "required env variables [CNI_PATH] missing"),
        Arguments.of("bad container id", envWith("ADD", "CNI_CONTAINERID", "-bad id"), ok, 4, null),
        Arguments.of(
            "ifname too long", envWith("ADD", "CNI_IFNAME", "a23456789012345678"), ok, 4, null),
        Arguments.of("ifname with slash", envWith("DEL", "CNI_IFNAME", "a/b"), ok, 4, null),
        // a validator failure wins over a missing variable listed after it, as in skel's loop
        Arguments.of(
            "bad id before missing path",
            envWith("ADD", "CNI_CONTAINERID", "-x", "CNI_PATH", null),
            ok,
            4,
            null),
        Arguments.of("unknown command", envWith("FOO"), ok, 4, "unknown CNI_COMMAND: FOO"),
        Arguments.of("lower-case command", envWith("add"), ok, 4, "unknown CNI_COMMAND: add"),
        Arguments.of("bad JSON", env("ADD"), "{not json", 6, null),
        Arguments.of("JSON array", env("ADD"), "[1,2]", 6, null),
        Arguments.of("empty stdin", env("ADD"), "", 6, null),
        Arguments.of(
            "name not a string", env("ADD"), "{\"cniVersion\":\"1.0.0\",\"name\":5}", 6, null),
        Arguments.of(
            "missing name", env("ADD"), "{\"cniVersion\":\"1.0.0\"}", 7, "missing network name"),
        Arguments.of(
            "empty name",
            env("DEL"),
            "{\"cniVersion\":\"1.0.0\",\"name\":\"\"}",
            7,
            "missing network name"),
        Arguments.of(
            "invalid name", env("ADD"), "{\"cniVersion\":\"1.0.0\",\"name\":\"a b\"}", 7, null),
        Arguments.of(
            "unknown command still validates stdin",
            envWith("FOO"),
            "{}",
            7,
            "missing network name"),
        Arguments.of(
            "unsupported version", env("ADD"), conf("0.5.0"), 1, "incompatible CNI versions"),
        Arguments.of("malformed version", env("DEL"), conf("1.0"), 1, "incompatible CNI versions"),
        Arguments.of(
            "CHECK on 0.3.1",
            env("CHECK"),
            conf("0.3.1"),
            1,
            "config version does not allow CHECK"),
        Arguments.of(
            "CHECK on no version",
            env("CHECK"),
            "{\"name\":\"n\"}",
            1,
            "config version does not allow CHECK"),
        Arguments.of(
            "GC on 1.0.0", env("GC"), conf("1.0.0"), 1, "config version does not allow GC"),
        Arguments.of(
            "STATUS on 1.0.0",
            env("STATUS"),
            conf("1.0.0"),
            1,
            "config version does not allow STATUS"),
        Arguments.of("CHECK with unparsable version", env("CHECK"), conf("x.y"), 6, null),
        Arguments.of(
            "cniVersion not a string", env("ADD"), "{\"cniVersion\":1,\"name\":\"n\"}", 6, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void errorTable(String name, Map<String, String> env, String stdin, int code, String msg) {
    Out o = run(fake, env, stdin);
    assertThat(o.exit()).as(o.stdout()).isEqualTo(1);
    assertThat(o.code().intValue()).as(o.stdout()).isEqualTo(code);
    assertThat(o.json()).containsKey("cniVersion");
    assertThat(o.msg()).isNotEmpty();
    if (msg != null) {
      assertThat(o.msg()).isEqualTo(msg);
    }
    assertThat(fake.calls).isEmpty();
  }

  @Test
  void unsupportedVersionDetailsNameTheSupportedVersions() {
    fake.versions = List.of(CniVersion.V0_3_1, CniVersion.V0_4_0);
    Out o = run(fake, env("ADD"), conf("1.0.0"));
    assertThat(o.code().intValue()).isEqualTo(1);
    assertThat(o.json().get("details"))
        .isEqualTo("config is \"1.0.0\", plugin supports [\"0.3.1\" \"0.4.0\"]");
    // the error carries a version the client speaks, not the unsupported one it sent
    assertThat(o.json().get("cniVersion")).isEqualTo("1.0.0");
  }

  @Test
  void checkWhenThePluginDoesNotReachTheConfigVersion() {
    fake.versions = List.of(CniVersion.V0_4_0);
    Out o = run(fake, env("CHECK"), conf("1.0.0"));
    assertThat(o.code().intValue()).isEqualTo(1);
    assertThat(o.msg()).isEqualTo("plugin version does not allow CHECK");
  }

  @Test
  void missingVersionMeans010() {
    fake.versions = List.of(CniVersion.V0_2_0);
    Out o = run(fake, env("ADD"), "{\"name\":\"n\"}");
    assertThat(o.json().get("details"))
        .isEqualTo("config is \"0.1.0\", plugin supports [\"0.2.0\"]");
  }

  // ---------------------------------------------------------------- successful calls

  @Test
  void addGetsEverythingParsedAndItsResultConvertedToTheConfigVersion() {
    Map<String, String> e =
        envWith(
            "ADD",
            "CNI_ARGS",
            "IgnoreUnknown=1;K8S_POD_NAME=web",
            "CNI_PATH",
            "/opt/cni/bin::/usr/lib/cni");
    Out o = run(fake, e, conf("0.4.0"));
    assertThat(o.exit()).as(o.stdout()).isZero();
    Map<String, Object> r = o.json();
    assertThat(r.get("cniVersion")).isEqualTo("0.4.0");
    @SuppressWarnings("unchecked")
    Map<String, Object> ip = ((List<Map<String, Object>>) r.get("ips")).get(0);
    assertThat(ip).containsEntry("version", "4").containsEntry("address", "10.1.0.5/24");
    Invocation inv = fake.calls.get(0);
    assertThat(inv.command()).isEqualTo(Command.ADD);
    assertThat(inv.containerId()).isEqualTo("ctr-1");
    assertThat(inv.netns()).isEqualTo(netnsFile.toString());
    assertThat(inv.ifname()).isEqualTo("eth0");
    assertThat(inv.args().get("K8S_POD_NAME")).isEqualTo("web");
    assertThat(inv.args().ignoreUnknown()).isTrue();
    assertThat(inv.path()).containsExactly("/opt/cni/bin", "/usr/lib/cni");
    assertThat(inv.cniVersion()).isEqualTo(CniVersion.V0_4_0);
    assertThat(inv.prevResult()).isNull();
    assertThat(inv.env()).containsEntry("CNI_COMMAND", "ADD");
  }

  @Test
  void resultThatCannotBeConvertedIsAnError() {
    fake.onAdd = inv -> Result.empty(CniVersion.V1_1_0);
    Out o = run(fake, env("ADD"), conf("0.2.0"));
    assertThat(o.exit()).isEqualTo(1);
    assertThat(o.code().intValue()).isPositive();
    assertThat(o.msg()).contains("no valid IP");
  }

  @Test
  void prevResultIsConvertedToTheConfigVersion() {
    String stdin =
        "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"fake\",\"prevResult\":{\"cniVersion\":\"0.4.0\","
            + "\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\"/x\"}],"
            + "\"ips\":[{\"version\":\"4\",\"interface\":0,\"address\":\"10.2.0.3/16\",\"gateway\":\"10.2.0.1\"}]}}";
    Out o = run(fake, env("DEL"), stdin);
    assertThat(o.exit()).as(o.stdout()).isZero();
    assertThat(o.stdout()).isEmpty();
    Result prev = fake.calls.get(0).prevResult();
    assertThat(prev.cniVersion()).isEqualTo(CniVersion.V1_0_0);
    assertThat(prev.ips()).containsExactly(Result.IpConfig.parse(0, "10.2.0.3/16", "10.2.0.1"));
    assertThat(prev.interfaces()).extracting(Result.Interface::name).containsExactly("eth0");
  }

  @Test
  void prevResultWithoutVersionIsReadAtTheConfigVersion() {
    String stdin =
        "{\"cniVersion\":\"0.2.0\",\"name\":\"n\",\"prevResult\":{\"ip4\":{\"ip\":\"10.3.0.4/24\"}}}";
    Out o = run(fake, env("ADD"), stdin);
    assertThat(o.exit()).as(o.stdout()).isZero();
    Result prev = fake.calls.get(0).prevResult();
    assertThat(prev.cniVersion()).isEqualTo(CniVersion.V0_2_0);
    assertThat(prev.ips())
        .extracting(Result.IpConfig::address)
        .containsExactly(Cidr.parse("10.3.0.4/24"));
  }

  @Test
  void badPrevResultIsAnErrorNamingIt() {
    String stdin =
        "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"prevResult\":{\"cniVersion\":\"7.0.0\"}}";
    Out o = run(fake, env("ADD"), stdin);
    assertThat(o.exit()).isEqualTo(1);
    assertThat(o.msg()).startsWith("could not parse prevResult: ");
    assertThat(fake.calls).isEmpty();
  }

  @Test
  void delNeedsNoNetnsAndPrintsNothing() {
    Out o = run(fake, envWith("DEL", "CNI_NETNS", null), conf("0.3.1"));
    assertThat(o.exit()).isZero();
    assertThat(o.stdout()).isEmpty();
    assertThat(fake.calls.get(0).netns()).isEmpty();
  }

  @Test
  void checkGcAndStatusReachThePlugin() {
    assertThat(run(fake, env("CHECK"), conf("0.4.0")).exit()).isZero();
    assertThat(run(fake, Map.of("CNI_COMMAND", "STATUS", "CNI_PATH", "/x"), conf("1.1.0")).exit())
        .isZero();
    assertThat(run(fake, Map.of("CNI_COMMAND", "GC", "CNI_PATH", "/x"), conf("1.1.0")).exit())
        .isZero();
    assertThat(fake.calls)
        .extracting(Invocation::command)
        .containsExactly(Command.CHECK, Command.STATUS, Command.GC);
    assertThat(fake.calls.get(1).containerId()).isEmpty();
  }

  @Test
  void gcAcceptsBothAttachmentKeys() {
    Map<String, String> e = Map.of("CNI_COMMAND", "GC", "CNI_PATH", "/x");
    String valid =
        "{\"cniVersion\":\"1.1.0\",\"name\":\"n\",\"cni.dev/valid-attachments\":"
            + "[{\"containerID\":\"c1\",\"ifname\":\"eth0\"},{\"containerID\":\"c2\",\"ifname\":\"net1\"}]}";
    String old =
        "{\"cniVersion\":\"1.1.0\",\"name\":\"n\",\"cni.dev/attachments\":"
            + "[{\"containerID\":\"c3\",\"ifname\":\"eth0\"}]}";
    assertThat(run(fake, e, valid).exit()).isZero();
    assertThat(run(fake, e, old).exit()).isZero();
    assertThat(fake.calls.get(0).validAttachments())
        .containsExactly(new Attachment("c1", "eth0"), new Attachment("c2", "net1"));
    assertThat(fake.calls.get(1).validAttachments()).containsExactly(new Attachment("c3", "eth0"));
  }

  // ---------------------------------------------------------------- plugin failures

  @Test
  void cniExceptionKeepsItsCodeAndDetails() {
    fake.onAdd =
        inv -> {
          throw new CniException(7, "subnet: bad CIDR", "got 10.0.0.0/33");
        };
    Out o = run(fake, env("ADD"), conf("1.1.0"));
    assertThat(o.exit()).isEqualTo(1);
    assertThat(o.stdout())
        .isEqualTo(
            "{\"cniVersion\":\"1.1.0\",\"code\":7,\"msg\":\"subnet: bad CIDR\",\"details\":\"got 10.0.0.0/33\"}");
  }

  @Test
  void unexpectedExceptionIs999WithItsMessageAndNoStackTraceOnStdout() {
    fake.onOther =
        inv -> {
          throw new IllegalStateException("disk on fire");
        };
    Out o = run(fake, env("DEL"), conf("0.3.1"));
    assertThat(o.exit()).isEqualTo(1);
    assertThat(o.code().intValue()).isEqualTo(999);
    assertThat(o.msg()).isEqualTo("disk on fire");
    assertThat(o.json().get("cniVersion")).isEqualTo("0.3.1");
    assertThat(o.stdout()).doesNotContain("at dev.jcni");
    assertThat(o.stderr()).isEmpty();
  }

  @Test
  void exceptionWithoutMessageIsDescribedInWords() {
    fake.onAdd =
        inv -> {
          throw new NullPointerException();
        };
    assertThat(run(fake, env("ADD"), conf("1.0.0")).msg())
        .isEqualTo("internal error (null pointer)");
  }

  /**
   * The fallback path (anything a plugin throws that is not a CniException): 999 in words, never a
   * class name.
   */
  @ParameterizedTest
  @MethodSource("failures")
  void anyFailureIs999InWordsWithoutJavaClassNames(RuntimeException thrown, String expected) {
    fake.onAdd =
        inv -> {
          throw thrown;
        };
    Out o = run(fake, env("ADD"), conf("1.0.0"));
    assertThat(o.exit()).isEqualTo(1);
    assertThat(o.code().intValue()).isEqualTo(999);
    assertThat(o.msg()).isEqualTo(expected).doesNotContain("Exception").doesNotContain("java.");
    assertThat(o.stdout()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of(
            new java.io.UncheckedIOException(
                new java.nio.file.NoSuchFileException("/var/lib/cni/x")),
            "/var/lib/cni/x: no such file or directory"),
        Arguments.of(
            new IllegalStateException(new java.nio.file.AccessDeniedException("/run/y")),
            "/run/y: permission denied"),
        Arguments.of(
            new java.io.UncheckedIOException(
                new java.nio.file.FileSystemException("/d/f", null, "Read-only file system")),
            "/d/f: read-only file system"),
        Arguments.of(
            new java.nio.file.InvalidPathException("a\0b", "Nul character not allowed"),
            "invalid path \"a\0b\": Nul character not allowed"),
        Arguments.of(new ArithmeticException(), "internal error (arithmetic)"));
  }

  @Test
  void nullResultFromAddIsAnError() {
    fake.onAdd = inv -> null;
    Out o = run(fake, env("ADD"), conf("1.0.0"));
    assertThat(o.code().intValue()).isEqualTo(999);
  }

  // ---------------------------------------------------------------- netns guard

  @Test
  void ownNetnsIsRefusedBeforeAddOrCheckRunsAndDelRunsWithoutItUnlessOverridden() {
    String own = "/proc/thread-self/ns/net";
    Out add = run(fake, envWith("ADD", "CNI_NETNS", own), conf("1.0.0"));
    assertThat(add.exit()).isEqualTo(1);
    assertThat(add.code().intValue()).isEqualTo(8);
    assertThat(add.msg())
        .isEqualTo("plugin's netns and netns from CNI_NETNS should not be the same");
    assertThat(run(fake, envWith("CHECK", "CNI_NETNS", own), conf("1.0.0")).code().intValue())
        .isEqualTo(8);
    // unlike skel, the plugin never ran: nothing was made on the host first
    assertThat(fake.calls).isEmpty();

    // DEL releases what the container ID holds, sees no netns (nothing in our own namespace is
    // touched) and
    // succeeds; delegates inherit the environment without CNI_NETNS
    Out del = run(fake, envWith("DEL", "CNI_NETNS", own), conf("1.0.0"));
    assertThat(del.exit()).as(del.stdout()).isZero();
    assertThat(del.stdout()).isEmpty();
    assertThat(fake.calls).hasSize(1);
    assertThat(fake.calls.get(0).netns()).isEmpty();
    assertThat(fake.calls.get(0).env())
        .doesNotContainKey("CNI_NETNS")
        .containsEntry("CNI_COMMAND", "DEL");

    fake.calls.clear();
    for (String v : List.of("true", "TRUE", "1")) {
      assertThat(
              run(fake, envWith("ADD", "CNI_NETNS", own, "CNI_NETNS_OVERRIDE", v), conf("1.0.0"))
                  .exit())
          .isZero();
      assertThat(
              run(fake, envWith("DEL", "CNI_NETNS", own, "CNI_NETNS_OVERRIDE", v), conf("1.0.0"))
                  .exit())
          .isZero();
    }
    assertThat(fake.calls).hasSize(6).allSatisfy(inv -> assertThat(inv.netns()).isEqualTo(own));
    assertThat(
            run(fake, envWith("ADD", "CNI_NETNS", own, "CNI_NETNS_OVERRIDE", "yes"), conf("1.0.0"))
                .exit())
        .isEqualTo(1);
    // a path that is not our namespace is the plugin's business (host-local never opens it)
    fake.calls.clear();
    assertThat(run(fake, envWith("ADD", "CNI_NETNS", "/nonexistent/ns"), conf("1.0.0")).exit())
        .isZero();
    assertThat(run(fake, envWith("DEL", "CNI_NETNS", "/nonexistent/ns"), conf("1.0.0")).exit())
        .isZero();
    assertThat(fake.calls.get(1).netns()).isEqualTo("/nonexistent/ns");
  }

  @Test
  void ownNetnsDelReachesAnInProcessDelegateWithoutNetns() {
    List<Invocation> delegated = new ArrayList<>();
    fake.onOther = inv -> delegated.add(inv.withCommand(Command.DEL));
    assertThat(run(fake, envWith("DEL", "CNI_NETNS", "/proc/self/ns/net"), conf("1.0.0")).exit())
        .isZero();
    assertThat(delegated)
        .singleElement()
        .satisfies(
            inv -> {
              assertThat(inv.netns()).isEmpty();
              assertThat(inv.env()).doesNotContainKey("CNI_NETNS");
            });
  }

  // ---------------------------------------------------------------- debug log

  @Test
  void debugLogWritesOneLinePerCallToAFile() throws IOException {
    Path log = tmp.resolve("jcni.log");
    Files.deleteIfExists(log);
    assertThat(run(fake, envWith("ADD", "JCNI_LOG", log.toString()), conf("1.0.0")).exit())
        .isZero();
    assertThat(run(fake, envWith("ADD", "JCNI_LOG", log.toString()), conf("9.9.9")).exit())
        .isEqualTo(1);
    List<String> lines = Files.readAllLines(log);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0))
        .contains(
            " ADD ", "containerid=ctr-1", "netns=" + netnsFile, "ifname=eth0", "-> ok", " ms");
    assertThat(lines.get(1)).contains("-> error code=1 msg=\"incompatible CNI versions\"");
  }

  @Test
  void debugLogToStderrGetsTheStackTraceOfUnexpectedExceptions() {
    fake.onAdd =
        inv -> {
          throw new IllegalArgumentException("kaputt");
        };
    Out o = run(fake, envWith("ADD", "JCNI_LOG", "stderr"), conf("1.0.0"));
    assertThat(o.stderr())
        .contains(
            "java.lang.IllegalArgumentException: kaputt",
            "at dev.jcni.api",
            "-> error code=999 msg=\"kaputt\"");
    assertThat(o.stdout()).doesNotContain("at dev.jcni");
  }

  @Test
  void debugLogIsOffByDefault() {
    Out o = run(fake, env("ADD"), conf("1.0.0"));
    assertThat(o.stderr()).isEmpty();
  }
}
