package dev.jcni.daemon;

import static dev.jcni.daemon.Fixture.env;
import static dev.jcni.daemon.Fixture.name;
import static dev.jcni.daemon.Fixture.rc;
import static dev.jcni.daemon.Fixture.sh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcni.api.Dispatcher;
import dev.jcni.spec.json.Json;
import dev.jcni.system.NetNs;
import dev.jcni.system.UnixServerSocket;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The daemon in-process (started from a thread inside its own throwaway namespace), driven by
 * {@link TestClient} from threads inside throwaway node namespaces, exactly as the shim would.
 */
class DaemonTest {

  @BeforeEach
  void needRoot() {
    assumeTrue(Fixture.ROOT, "needs root: creates network namespaces and enters them");
  }

  private static String sleepConf(Path log, long sleepMs) {
    return "{\"cniVersion\":\"1.0.0\",\"name\":\"jdmnet\",\"type\":\"jdm-sleep\",\"log\":\""
        + log
        + "\",\"sleepMs\":"
        + sleepMs
        + "}";
  }

  private static String inode(NetNs ns) {
    return "net:[" + ns.inode() + "]";
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(String s) {
    return (Map<String, Object>) Json.parse(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void callsRunInTheCallersNamespacesWithCniNetnsTakenFromTheFd() throws Exception {
    try (Fixture f = new Fixture()) {
      NetNs n1 = f.ns("n1");
      NetNs n2 = f.ns("n2");
      NetNs c1 = f.ns("c1");
      NetNs c2 = f.ns("c2");
      f.start(f.options());
      Path log = f.dir.resolve("where.log");
      String conf =
          "{\"cniVersion\":\"1.0.0\",\"name\":\"jdmw\",\"type\":\"jdm-where\",\"link\":\"jdmw0\",\"log\":\""
              + log
              + "\"}";
      // both nodes call at once; node 2 names c2's path but passes c1's fd: the fd is what counts
      CompletableFuture<TestClient.Reply> a =
          TestClient.async(
              n1,
              () ->
                  TestClient.call(
                      f.socket,
                      "jdm-where",
                      env("ADD", "cid1", c1.path().toString(), "eth0"),
                      conf));
      CompletableFuture<TestClient.Reply> b =
          TestClient.async(
              n2,
              () ->
                  TestClient.call(
                      f.socket,
                      "jdm-where",
                      env("ADD", "cid2", c2.path().toString(), "eth0"),
                      conf,
                      false,
                      c1.path().toString()));
      TestClient.Reply ra = a.get(60, TimeUnit.SECONDS);
      TestClient.Reply rb = b.get(60, TimeUnit.SECONDS);
      assertThat(ra.exit()).as(ra.stdout()).isZero();
      assertThat(rb.exit()).as(rb.stdout()).isZero();
      List<String> lines = Files.readAllLines(log);
      assertThat(lines)
          .containsExactlyInAnyOrder(
              "ADD host=" + inode(n1) + " container=" + inode(c1),
              "ADD host=" + inode(n2) + " container=" + inode(c1));
      // the child process (ip link add) ran in each caller's namespace, never in the daemon's own
      assertThat(rc("ip", "-n", name(n1), "link", "show", "jdmw0")).isZero();
      assertThat(rc("ip", "-n", name(n2), "link", "show", "jdmw0")).isZero();
      assertThat(rc("ip", "-n", name(f.daemonNs), "link", "show", "jdmw0")).isNotZero();
    }
  }

  @Test
  void twoNodesAtOnceEachGetTheirOwnBridgeFromTheRealPlugin() throws Exception {
    try (Fixture f = new Fixture()) {
      NetNs[] nodes = {f.ns("b1"), f.ns("b2")};
      NetNs[] pods = {f.ns("p1"), f.ns("p2")};
      f.start(f.options());
      String[] confs = new String[2];
      for (int i = 0; i < 2; i++) {
        Path data =
            Files.createDirectories(f.dir.resolve("ipam" + i)); // each node has its own disk
        confs[i] =
            "{\"cniVersion\":\"1.0.0\",\"name\":\"jdmbr\",\"type\":\"bridge\",\"bridge\":\"jdmbr0\","
                + "\"isGateway\":true,\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.8"
                + i
                + ".0.0/24\",\"dataDir\":\""
                + data
                + "\"}}";
      }
      @SuppressWarnings("unchecked")
      CompletableFuture<TestClient.Reply>[] adds = new CompletableFuture[2];
      for (int i = 0; i < 2; i++) {
        int k = i;
        adds[i] =
            TestClient.async(
                nodes[k],
                () ->
                    TestClient.call(
                        f.socket,
                        "bridge",
                        env("ADD", "cid" + k, pods[k].path().toString(), "eth0"),
                        confs[k]));
      }
      for (int i = 0; i < 2; i++) {
        TestClient.Reply r = adds[i].get(60, TimeUnit.SECONDS);
        assertThat(r.exit()).as(r.stdout() + r.stderr()).isZero();
        assertThat(r.stdout()).contains("10.8" + i + ".0.2/24").contains(pods[i].path().toString());
        assertThat(sh("ip", "-n", name(nodes[i]), "-br", "addr", "show", "jdmbr0"))
            .contains("10.8" + i + ".0.1/24");
        assertThat(sh("ip", "-n", name(pods[i]), "-br", "addr", "show", "eth0"))
            .contains("10.8" + i + ".0.2/24");
      }
      assertThat(rc("ip", "-n", name(f.daemonNs), "link", "show", "jdmbr0")).isNotZero();
      for (int i = 0; i < 2; i++) {
        TestClient.Reply r =
            TestClient.callFrom(
                nodes[i],
                f.socket,
                "bridge",
                env("DEL", "cid" + i, pods[i].path().toString(), "eth0"),
                confs[i]);
        assertThat(r.exit()).as(r.stdout()).isZero();
        assertThat(r.stdout()).isEmpty();
        assertThat(rc("ip", "-n", name(pods[i]), "link", "show", "eth0")).isNotZero();
      }
    }
  }

  @Test
  void aBridgePortmapChainPutsItsFirewallRulesInTheCallersNamespace() throws Exception {
    try (Fixture f = new Fixture()) {
      NetNs node = f.ns("pm");
      NetNs pod = f.ns("pmp");
      f.start(f.options());
      String dmn = name(f.daemonNs);
      String bridgeConf =
          "{\"cniVersion\":\"1.0.0\",\"name\":\"jdmpm\",\"type\":\"bridge\",\"bridge\":\"jdmpm0\","
              + "\"isGateway\":true,\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.87.0.0/24\",\"dataDir\":\""
              + f.dir.resolve("ipam")
              + "\"}}";
      Map<String, String> add = env("ADD", "cpm", pod.path().toString(), "eth0");
      Map<String, String> del = env("DEL", "cpm", pod.path().toString(), "eth0");
      TestClient.Reply br = TestClient.callFrom(node, f.socket, "bridge", add, bridgeConf);
      assertThat(br.exit()).as(br.stdout()).isZero();
      for (String backend : List.of("nftables", "iptables")) {
        String pm =
            "{\"cniVersion\":\"1.0.0\",\"name\":\"jdmpm\",\"type\":\"portmap\",\"backend\":\""
                + backend
                + "\",\"capabilities\":{\"portMappings\":true},\"runtimeConfig\":{\"portMappings\":[{\"HostPort\":18088,"
                + "\"ContainerPort\":80,\"Protocol\":\"tcp\",\"HostIP\":\"\"}]},\"prevResult\":"
                + br.stdout().strip()
                + "}";
        TestClient.Reply r = TestClient.callFrom(node, f.socket, "portmap", add, pm);
        assertThat(r.exit()).as(backend + ": " + r.stdout() + r.stderr()).isZero();
        String[] inNode =
            backend.equals("nftables")
                ? new String[] {"ip", "netns", "exec", name(node), "nft", "list", "ruleset"}
                : new String[] {"ip", "netns", "exec", name(node), "iptables-save", "-t", "nat"};
        String[] inDaemon = inNode.clone();
        inDaemon[3] = dmn;
        assertThat(sh(inNode)).as(backend).contains("18088");
        assertThat(sh(inDaemon)).as(backend).doesNotContain("18088");
        assertThat(TestClient.callFrom(node, f.socket, "portmap", del, pm).exit()).isZero();
        assertThat(sh(inNode)).as(backend).doesNotContain("18088");
      }
      assertThat(TestClient.callFrom(node, f.socket, "bridge", del, bridgeConf).exit()).isZero();
      assertThat(rc("ip", "-n", name(pod), "link", "show", "eth0")).isNotZero();
    }
  }

  /**
   * Runs the dispatcher directly, on a thread inside {@code node}: what the JVM launcher would
   * print.
   */
  private static TestClient.Reply direct(
      NetNs node, String type, Map<String, String> env, String stdin) {
    return node.run(
        () -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          ByteArrayOutputStream err = new ByteArrayOutputStream();
          int exit =
              Dispatcher.run(
                  type,
                  env,
                  new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                  new PrintStream(out, true, StandardCharsets.UTF_8),
                  new PrintStream(err, true, StandardCharsets.UTF_8));
          return new TestClient.Reply(
              1, exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        });
  }

  @Test
  void resultsErrorsAndExitCodesAreByteIdenticalToTheDirectPath() throws Exception {
    try (Fixture f = new Fixture()) {
      NetNs node = f.ns("id");
      NetNs pod = f.ns("idp");
      Daemon d = f.start(f.options());
      String ok = sleepConf(f.dir.resolve("id.log"), 0);
      String boom = "{\"cniVersion\":\"0.4.0\",\"name\":\"jdmnet\",\"type\":\"jdm-boom\"}";
      Map<String, String> add = env("ADD", "cid", pod.path().toString(), "eth0");
      Map<String, String> noCid = env("ADD", "", pod.path().toString(), "eth0");
      Object[][] cases = {
        {"jdm-sleep", add, ok}, // success
        {"jdm-sleep", env("VERSION", "", null, ""), ok}, // VERSION
        {"jdm-boom", add, boom}, // a plugin exception: 999
        {"jdm-boom", env("DEL", "cid", pod.path().toString(), "eth0"), boom}, // stack overflow: 999
        {"jdm-sleep", noCid, ok}, // missing variable: 4
        {"jdm-sleep", add, "{not json"}, // undecodable config: 6
        {
          "bridge", add, "{\"cniVersion\":\"9.9.9\",\"name\":\"x\",\"type\":\"bridge\"}"
        }, // version: 1
        // CNI_NETNS is the caller's own namespace: 8, judged against the caller's namespace, not
        // the daemon's
        {"jdm-sleep", env("ADD", "cid", node.path().toString(), "eth0"), ok},
      };
      for (Object[] c : cases) {
        @SuppressWarnings("unchecked")
        Map<String, String> env = (Map<String, String>) c[1];
        TestClient.Reply viaDaemon =
            TestClient.callFrom(node, f.socket, (String) c[0], env, (String) c[2]);
        TestClient.Reply viaDirect = direct(node, (String) c[0], env, (String) c[2]);
        assertThat(viaDaemon).as("%s %s", c[0], env.get("CNI_COMMAND")).isEqualTo(viaDirect);
      }
      TestClient.Reply own =
          TestClient.callFrom(
              node, f.socket, "jdm-sleep", env("ADD", "cid", node.path().toString(), "eth0"), ok);
      assertThat(json(own.stdout())).containsEntry("code", 8L);
      TestClient.Reply boomAdd = TestClient.callFrom(node, f.socket, "jdm-boom", add, boom);
      assertThat(json(boomAdd.stdout()))
          .containsEntry("code", 999L)
          .containsEntry("msg", "boom: the test plugin failed on purpose");
      TestClient.Reply overflow =
          TestClient.callFrom(
              node, f.socket, "jdm-boom", env("DEL", "cid", pod.path().toString(), "eth0"), boom);
      assertThat(overflow.exit()).isEqualTo(1);
      assertThat(json(overflow.stdout())).containsEntry("code", 999L);
      // an Error the dispatcher does not contain: answered by the daemon, still no class names
      TestClient.Reply internal =
          TestClient.callFrom(
              node,
              f.socket,
              "jdm-boom",
              env("CHECK", "cid", pod.path().toString(), "eth0"),
              boom.replace("}", ",\"prevResult\":{\"cniVersion\":\"0.4.0\"}}"));
      assertThat(internal.exit()).isEqualTo(1);
      assertThat(json(internal.stdout())).containsEntry("code", 999L);
      assertThat(internal.stdout()).doesNotContain("InternalError").doesNotContain("java.");
      // and the daemon goes on serving
      assertThat(TestClient.callFrom(node, f.socket, "jdm-sleep", add, ok).exit()).isZero();
      for (int i = 0; i < 100 && d.liveConnections() > 0; i++)
        Thread.sleep(20); // threads end after answering
      assertThat(d.liveConnections()).isZero();
    }
  }

  @Test
  void delWaitsForItsAddWhileOtherAttachmentsRunInParallel() throws Exception {
    try (Fixture f = new Fixture()) {
      NetNs node = f.ns("ord");
      NetNs pod = f.ns("ordp");
      f.start(f.options());
      Path log = f.dir.resolve("order.log");
      String slow = sleepConf(log, 1500);
      String fast = sleepConf(log, 0);
      String netns = pod.path().toString();
      CompletableFuture<TestClient.Reply> add =
          TestClient.async(
              node,
              () ->
                  TestClient.call(f.socket, "jdm-sleep", env("ADD", "cidA", netns, "eth0"), slow));
      Thread.sleep(300);
      CompletableFuture<TestClient.Reply> del =
          TestClient.async(
              node,
              () ->
                  TestClient.call(f.socket, "jdm-sleep", env("DEL", "cidA", netns, "eth0"), fast));
      Thread.sleep(200);
      // another attachment (container ID) is not held up by cidA's ADD
      TestClient.Reply other =
          TestClient.callFrom(node, f.socket, "jdm-sleep", env("ADD", "cidB", netns, "eth0"), fast);
      assertThat(other.exit()).isZero();
      assertThat(add.get(30, TimeUnit.SECONDS).exit()).isZero();
      assertThat(del.get(30, TimeUnit.SECONDS).exit()).isZero();
      assertThat(Files.readAllLines(log))
          .containsExactly(
              "ADD-start cidA", "ADD-start cidB", "ADD-end cidB", "ADD-end cidA", "DEL cidA");
    }
  }

  @Test
  void manyParallelCallsAllSucceedWithinTheConcurrencyBound() throws Exception {
    try (Fixture f = new Fixture()) {
      NetNs node = f.ns("par");
      NetNs pod = f.ns("parp");
      Daemon d = f.start(f.options().withMaxCalls(4));
      TestPlugins.MAX_RUNNING.set(0);
      List<CompletableFuture<TestClient.Reply>> all = new java.util.ArrayList<>();
      for (int i = 0; i < 24; i++) {
        String cid = "cp" + i;
        all.add(
            TestClient.async(
                node,
                () ->
                    TestClient.call(
                        f.socket,
                        "jdm-sleep",
                        env("ADD", cid, pod.path().toString(), "eth0"),
                        sleepConf(f.dir.resolve("par.log"), 150))));
      }
      for (CompletableFuture<TestClient.Reply> c : all) {
        TestClient.Reply r = c.get(60, TimeUnit.SECONDS);
        assertThat(r.exit()).as(r.stdout()).isZero();
      }
      assertThat(TestPlugins.MAX_RUNNING.get()).isBetween(2, 4);
      assertThat(d.stats.snapshot().get("jdm-sleep ADD")[0]).isEqualTo(24);
      assertThat(Files.readAllLines(f.dir.resolve("par.log"))).hasSize(48);
    }
  }

  @Test
  void aClientThatDisconnectsMidCallDoesNotStopTheCall() throws Exception {
    try (Fixture f = new Fixture()) {
      NetNs node = f.ns("dis");
      NetNs pod = f.ns("disp");
      Daemon d = f.start(f.options());
      Path log = f.dir.resolve("dis.log");
      node.run(
          () ->
              TestClient.call(
                  f.socket,
                  "jdm-sleep",
                  env("ADD", "cidD", pod.path().toString(), "eth0"),
                  sleepConf(log, 800),
                  true));
      Thread.sleep(200);
      assertThat(Files.readAllLines(log)).containsExactly("ADD-start cidD");
      // the following DEL waits for the abandoned ADD, which completes
      TestClient.Reply del =
          TestClient.callFrom(
              node,
              f.socket,
              "jdm-sleep",
              env("DEL", "cidD", pod.path().toString(), "eth0"),
              sleepConf(log, 0));
      assertThat(del.exit()).isZero();
      assertThat(Files.readAllLines(log))
          .containsExactly("ADD-start cidD", "ADD-end cidD", "DEL cidD");
      assertThat(d.stats.snapshot().get("jdm-sleep ADD")[0]).isEqualTo(1);
    }
  }

  @Test
  void garbageOversizedTruncatedAndSlowRequestsAreAnsweredAndServingGoesOn() throws Exception {
    try (Fixture f = new Fixture()) {
      NetNs node = f.ns("bad");
      Daemon d = f.start(f.options().withRequestTimeout(Duration.ofMillis(600)));
      StatusClient.Response http =
          TestClient.raw(
              f.socket,
              "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
              false);
      assertThat(http.kind()).isEqualTo(1);
      assertThat(http.exit()).isEqualTo(1);
      assertThat(json(new String(http.stdout(), StandardCharsets.UTF_8)))
          .containsEntry("code", 999L)
          .hasEntrySatisfying(
              "msg",
              m ->
                  assertThat((String) m)
                      .contains("malformed request")
                      .contains("outside 1..8388608"));
      // 8 MiB + 1
      StatusClient.Response big =
          TestClient.raw(f.socket, new byte[] {0, (byte) 0x80, 0, 1}, false);
      assertThat(new String(big.stdout(), StandardCharsets.UTF_8)).contains("8388609");
      // a body whose fields run past its end
      StatusClient.Response cut =
          TestClient.raw(f.socket, new byte[] {0, 0, 0, 6, 1, 0, 0, 0, 0, 9}, false);
      assertThat(new String(cut.stdout(), StandardCharsets.UTF_8))
          .contains("request ends inside type");
      // unknown kind, too many env entries
      assertThat(
              new String(
                  TestClient.raw(f.socket, new byte[] {0, 0, 0, 1, 7}, false).stdout(),
                  StandardCharsets.UTF_8))
          .contains("unknown request kind 7");
      byte[] manyEnv = {0, 0, 0, 14, 1, 0, 0, 0, 0, 1, 'x', 0, 0, 2, 1, 0, 0, 0};
      assertThat(
              new String(TestClient.raw(f.socket, manyEnv, false).stdout(), StandardCharsets.UTF_8))
          .contains("513 entries");
      // a valid frame without the netns fd
      byte[] body =
          Protocol.encodeCall("jdm-sleep", List.of("CNI_COMMAND=VERSION"), new byte[0], false);
      byte[] framed = new byte[4 + body.length];
      framed[3] = (byte) body.length;
      System.arraycopy(body, 0, framed, 4, body.length);
      assertThat(
              new String(TestClient.raw(f.socket, framed, false).stdout(), StandardCharsets.UTF_8))
          .contains("no network namespace fd");
      // half a length, then the client closes its side: no answer needed, nothing breaks
      assertThat(TestClient.raw(f.socket, new byte[] {0, 0}, true)).isNull();
      // half a request, then silence: answered after the request timeout
      long t0 = System.nanoTime();
      StatusClient.Response slow = TestClient.raw(f.socket, new byte[] {0, 0, 0, 9, 1}, false);
      assertThat(System.nanoTime() - t0).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(500));
      assertThat(new String(slow.stdout(), StandardCharsets.UTF_8))
          .contains("did not arrive within 600 ms");
      assertThat(d.stats.malformed.get()).isGreaterThanOrEqualTo(8);
      // still serving
      NetNs pod = f.ns("badp");
      TestClient.Reply r =
          TestClient.callFrom(
              node,
              f.socket,
              "jdm-sleep",
              env("ADD", "cid", pod.path().toString(), "eth0"),
              sleepConf(f.dir.resolve("x.log"), 0));
      assertThat(r.exit()).as(r.stdout()).isZero();
      assertThat(r.stdout()).isEqualTo("{\"cniVersion\":\"1.0.0\"}");
    }
  }

  @Test
  void unknownTypesFallBackAndStatusReportsCountsAndLatency() throws Exception {
    try (Fixture f = new Fixture()) {
      NetNs node = f.ns("st");
      NetNs pod = f.ns("stp");
      f.start(f.options());
      TestClient.Reply fb =
          TestClient.callFrom(
              node,
              f.socket,
              "jdm-not-here",
              env("ADD", "cid", pod.path().toString(), "eth0"),
              "{}");
      assertThat(fb).isEqualTo(new TestClient.Reply(2, 0, "", ""));
      for (int i = 0; i < 3; i++) {
        TestClient.callFrom(
            node,
            f.socket,
            "jdm-sleep",
            env("ADD", "c" + i, pod.path().toString(), "eth0"),
            sleepConf(f.dir.resolve("s.log"), 0));
      }
      TestClient.callFrom(
          node, f.socket, "jdm-sleep", env("DEL", "c0", pod.path().toString(), "eth0"), "{bad");
      String status = StatusClient.query(f.socket, Duration.ofSeconds(5));
      assertThat(status)
          .contains("jcni daemon: pid " + ProcessHandle.current().pid())
          .contains("uptime: ")
          .contains("calls: 4 served, 1 errors, 0 running, 1 fallbacks")
          .containsPattern("jdm-sleep ADD +3 calls +0 errors")
          .containsPattern("jdm-sleep DEL +1 calls +1 errors")
          .containsPattern("ADD +p50 +[0-9.]+ ms +p99 +[0-9.]+ ms +\\(n=3\\)");
      // the CLI's status subcommand prints the same
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code =
          new DaemonCommand()
              .run(
                  List.of("status", "--socket", f.socket.toString()),
                  Map.of(),
                  new PrintStream(out, true, StandardCharsets.UTF_8),
                  System.err);
      assertThat(code).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8))
          .contains("jdm-sleep ADD")
          .contains("status queries");
    }
  }

  @Test
  void aSecondDaemonIsRefusedWhileTheFirstLivesAndAStaleSocketIsReplaced() throws Exception {
    try (Fixture f = new Fixture()) {
      NetNs node = f.ns("lk");
      NetNs pod = f.ns("lkp");
      // a stale socket file from a crashed daemon (nobody listens, nobody holds the lock)
      UnixServerSocket.bind(f.socket, 1).close();
      assertThat(Files.exists(f.socket)).isTrue();
      Daemon first = f.start(f.options());
      assertThat(f.log()).contains("replaced the stale socket");
      assertThat(Files.getPosixFilePermissions(f.socket)).isEqualTo(Daemon.permissions(0600));
      Daemon second = new Daemon(f.options(), Map.of(), f.log);
      assertThatThrownBy(second::start)
          .isInstanceOf(Daemon.StartException.class)
          .hasMessageContaining("another jcni daemon is serving " + f.socket);
      // the first one is unharmed
      assertThat(
              TestClient.callFrom(
                      node,
                      f.socket,
                      "jdm-sleep",
                      env("ADD", "c", pod.path().toString(), "eth0"),
                      sleepConf(f.dir.resolve("l.log"), 0))
                  .exit())
          .isZero();
      first.stop();
      assertThat(first.await()).isZero();
      assertThat(Files.exists(f.socket)).isFalse();
      // once it is gone, a new daemon takes over the same path
      Daemon third = f.start(f.options().withSocketMode(0660));
      assertThat(Files.getPosixFilePermissions(f.socket)).isEqualTo(Daemon.permissions(0660));
      assertThat(
              TestClient.callFrom(
                      node,
                      f.socket,
                      "jdm-sleep",
                      env("ADD", "c", pod.path().toString(), "eth0"),
                      sleepConf(f.dir.resolve("l.log"), 0))
                  .exit())
          .isZero();
      assertThat(third.callsServed()).isEqualTo(1);
    }
  }

  @Test
  void aCallPastTheTimeoutIsAnsweredTryAgainAndAStuckCallMakesTheDaemonGiveUp() throws Exception {
    try (Fixture f = new Fixture()) {
      NetNs node = f.ns("to");
      NetNs pod = f.ns("top");
      Daemon d =
          f.start(f.options().withCallTimeout(Duration.ofMillis(300), Duration.ofMillis(700)));
      Path log = f.dir.resolve("to.log");
      long t0 = System.nanoTime();
      TestClient.Reply r =
          TestClient.callFrom(
              node,
              f.socket,
              "jdm-sleep",
              env("ADD", "c", pod.path().toString(), "eth0"),
              sleepConf(log, 4000));
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertThat(r.exit()).isEqualTo(1);
      assertThat(json(r.stdout())).containsEntry("code", 11L).containsEntry("cniVersion", "1.0.0");
      assertThat(ms).isBetween(250L, 2500L);
      assertThat(d.await()).isEqualTo(Daemon.EXIT_GAVE_UP);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(3500);
      assertThat(Files.exists(f.socket)).isFalse();
      assertThat(f.log()).contains("still running").contains("exiting with code 70");
    }
  }
}
