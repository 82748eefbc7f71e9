package dev.jcni.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jcni.spec.CniException;
import dev.jcni.spec.CniVersion;
import dev.jcni.spec.NetConf;
import dev.jcni.spec.Result;
import dev.jcni.spec.net.Cidr;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * In-process and exec'd delegation give the same results: the exec'd delegate is the SAME test-ipam
 * plugin, run as a process through {@link Main} by a launcher script in CNI_PATH.
 */
class DelegationTest {
  @TempDir Path bin;

  final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static String classPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isEmpty() ? cp : System.getProperty("java.class.path");
  }

  static Path script(Path dir, String name, String body) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  /** test-ipam as an executable: the JVM running {@link Main} on this test's class path. */
  Path installTestIpam() throws IOException {
    return script(
        bin,
        "test-ipam",
        "exec '"
            + java()
            + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:disable -Xlog:all=warning:stderr -cp '"
            + classPath()
            + "' -Djcni.plugin=test-ipam dev.jcni.api.Main");
  }

  static String config(String version, String ipamExtra) {
    return "{\"cniVersion\":\""
        + version
        + "\",\"name\":\"dnet\",\"type\":\"main\",\"ipam\":{\"type\":\"test-ipam\","
        + "\"address\":\"10.9.0.7/24\",\"gateway\":\"10.9.0.1\""
        + ipamExtra
        + "}}";
  }

  Invocation inv(Command c, String config, Delegate.Strategy d) {
    Map<String, String> env = new HashMap<>();
    env.put("CNI_COMMAND", c.name());
    env.put("CNI_CONTAINERID", "ctr-9");
    env.put("CNI_NETNS", "/dev/null");
    env.put("CNI_IFNAME", "eth0");
    env.put("CNI_PATH", bin.toString());
    env.put("TRACEPARENT", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    return Invocation.builder()
        .command(c)
        .containerId("ctr-9")
        .netns("/dev/null")
        .ifname("eth0")
        .path(List.of(bin.toString()))
        .env(env)
        .config(NetConf.parse(config.getBytes(StandardCharsets.UTF_8)))
        .delegation(Delegate.withStderr(d, new PrintStream(stderr, true, StandardCharsets.UTF_8)))
        .build();
  }

  Delegate exec(Command c, String config) {
    return inv(c, config, Delegate.execOnly()).ipam();
  }

  Delegate local(Command c, String config) {
    return inv(c, config, Delegate.inProcessOnly()).ipam();
  }

  @Test
  void addGivesIdenticalResultsInProcessAndExecAtEveryVersion() throws IOException {
    installTestIpam();
    for (CniVersion v : CniVersion.ALL) {
      String conf = config(v.toString(), "");
      Result viaExec = exec(Command.ADD, conf).add();
      Result inProcess = local(Command.ADD, conf).add();
      assertThat(inProcess).as("version %s", v).isEqualTo(viaExec);
      assertThat(viaExec.cniVersion()).isEqualTo(v);
      assertThat(viaExec.ips())
          .extracting(Result.IpConfig::address)
          .containsExactly(Cidr.parse("10.9.0.7/24"));
    }
  }

  @Test
  void otherVerbsSucceedBothWays() throws IOException {
    installTestIpam();
    String conf = config("1.1.0", "");
    for (Consumer<Delegate> verb :
        List.<Consumer<Delegate>>of(
            Delegate::del, Delegate::check, Delegate::gc, Delegate::status)) {
      verb.accept(exec(Command.ADD, conf));
      verb.accept(local(Command.ADD, conf));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {",\"failCode\":7,\"failMsg\":\"ipam: bad range\"", ",\"crash\":\"yes\""})
  void errorsAreIdenticalInProcessAndExec(String extra) throws IOException {
    installTestIpam();
    String conf = config("1.0.0", extra);
    for (Consumer<Delegate> verb :
        List.<Consumer<Delegate>>of(Delegate::add, Delegate::del, Delegate::check)) {
      CniException a =
          catchThrowableOfType(CniException.class, () -> verb.accept(exec(Command.ADD, conf)));
      CniException b =
          catchThrowableOfType(CniException.class, () -> verb.accept(local(Command.ADD, conf)));
      assertThat(a).isNotNull();
      assertThat(b).isNotNull();
      assertThat(b.code()).isEqualTo(a.code()).isIn(7, 999);
      assertThat(b.msg()).isEqualTo(a.msg());
      assertThat(b.details()).isEqualTo(a.details());
    }
  }

  @Test
  void versionGatesApplyToInProcessDelegatesToo() throws IOException {
    installTestIpam();
    String conf = config("0.3.1", "");
    CniException a =
        catchThrowableOfType(CniException.class, () -> exec(Command.ADD, conf).check());
    CniException b =
        catchThrowableOfType(CniException.class, () -> local(Command.ADD, conf).check());
    assertThat(a.code()).isEqualTo(b.code()).isEqualTo(1);
    assertThat(a.msg()).isEqualTo(b.msg()).isEqualTo("config version does not allow CHECK");
  }

  @Test
  void standardPrefersTheClassPathAndFallsBackToCniPath() throws IOException {
    // no executable in CNI_PATH: only the in-process route can answer
    assertThat(inv(Command.ADD, config("1.0.0", ""), Delegate.standard()).ipam().add().ips())
        .hasSize(1);
    // a type that is not on the class path: found in CNI_PATH
    script(
        bin,
        "shell-ipam",
        "cat >/dev/null; echo '{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.8.0.2/24\"}]}'");
    Result r =
        inv(Command.ADD, config("1.0.0", ""), Delegate.standard()).delegate("shell-ipam").add();
    assertThat(r.ips())
        .extracting(Result.IpConfig::address)
        .containsExactly(Cidr.parse("10.8.0.2/24"));
  }

  @Test
  void execPassesTheWholeEnvWithCommandOverriddenAndTheFullConfig() throws IOException {
    Path seen = bin.resolve("seen");
    script(
        bin,
        "env-ipam",
        "cat > '"
            + seen
            + ".stdin'; env > '"
            + seen
            + ".env'; echo 'to stderr' >&2;"
            + " echo '{\"ips\":[{\"version\":\"4\",\"address\":\"10.7.0.2/24\"}]}'");
    String conf = config("0.4.0", "");
    Result r = inv(Command.CHECK, conf, Delegate.execOnly()).delegate("env-ipam").add();
    assertThat(Files.readString(Path.of(seen + ".stdin"))).isEqualTo(conf);
    assertThat(Files.readAllLines(Path.of(seen + ".env")))
        .contains(
            "CNI_COMMAND=ADD",
            "CNI_CONTAINERID=ctr-9",
            "CNI_IFNAME=eth0",
            "CNI_PATH=" + bin,
            "TRACEPARENT=00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"); // passed
    // through, as
    // Go plugins do
    assertThat(stderr.toString(StandardCharsets.UTF_8)).isEqualTo("to stderr\n");
    // no cniVersion in the result: libcni takes it to be the config's
    assertThat(r.cniVersion()).isEqualTo(CniVersion.V0_4_0);
  }

  @Test
  void execFailuresAreReportedLikeLibcni() throws IOException {
    script(bin, "err-json", "echo '{\"code\":11,\"msg\":\"busy\",\"details\":\"later\"}'; exit 1");
    script(bin, "err-stderr", "echo 'it broke' >&2; exit 3");
    script(bin, "err-silent", "exit 2");
    script(bin, "err-garbage", "echo 'not json'; exit 1");
    CniException e = fail("err-json");
    assertThat(e.code()).isEqualTo(11);
    assertThat(e.msg()).isEqualTo("busy");
    assertThat(e.details()).isEqualTo("later");
    e = fail("err-stderr");
    assertThat(e.code()).isZero();
    assertThat(e.msg()).isEqualTo("netplugin failed: \"it broke\\n\": exit status 3");
    e = fail("err-silent");
    assertThat(e.msg()).isEqualTo("netplugin failed with no error message: exit status 2");
    e = fail("err-garbage");
    assertThat(e.code()).isZero();
    assertThat(e.msg())
        .startsWith("netplugin failed but error parsing its diagnostic message \"not json\\n\": ");
  }

  CniException fail(String type) {
    return catchThrowableOfType(
        CniException.class,
        () -> inv(Command.DEL, config("1.0.0", ""), Delegate.execOnly()).delegate(type).del());
  }

  @Test
  void findInPathRules() {
    assertThat(PluginExec.findError("a/b", List.of("/x"))).isEqualTo("invalid plugin name: a/b");
    assertThat(PluginExec.findError("", List.of("/x"))).isEqualTo("no plugin name provided");
    assertThat(PluginExec.findError("p", List.of())).isEqualTo("no paths provided");
    assertThat(PluginExec.findError("nope", List.of("/x", "/y")))
        .isEqualTo("failed to find plugin \"nope\" in path [/x /y]");
    assertThat(
            catchThrowableOfType(
                    CniException.class,
                    () ->
                        inv(Command.ADD, config("1.0.0", ""), Delegate.execOnly())
                            .delegate("nope")
                            .add())
                .code())
        .isEqualTo(999);
    assertThatThrownBy(
            () -> inv(Command.ADD, config("1.0.0", ""), Delegate.inProcessOnly()).delegate("nope"))
        .isInstanceOf(CniException.class)
        .hasMessageContaining("\"nope\"");
  }

  @Test
  void hungDelegateIsKilledAfterTheTimeout() throws IOException {
    script(bin, "hang", "sleep 30");
    long t0 = System.nanoTime();
    Delegate.Strategy d = Delegate.withExecTimeout(Delegate.execOnly(), Duration.ofMillis(300));
    CniException e =
        catchThrowableOfType(
            CniException.class,
            () -> inv(Command.ADD, config("1.0.0", ""), d).delegate("hang").add());
    assertThat(e.code()).isEqualTo(999);
    assertThat(e.msg()).contains("timed out");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void textFileBusyIsRetried() throws Exception {
    Path p =
        script(
            bin,
            "busy",
            "cat >/dev/null; echo '{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.6.0.2/24\"}]}'");
    FileOutputStream writer =
        new FileOutputStream(p.toFile(), true); // open for writing: exec gives ETXTBSY
    Thread closer =
        new Thread(
            () -> {
              try {
                Thread.sleep(1500);
                writer.close();
              } catch (Exception ignored) {
                // test thread
              }
            });
    closer.start();
    long t0 = System.nanoTime();
    Result r = inv(Command.ADD, config("1.0.0", ""), Delegate.execOnly()).delegate("busy").add();
    closer.join();
    assertThat(r.ips()).hasSize(1);
    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
  }
}
