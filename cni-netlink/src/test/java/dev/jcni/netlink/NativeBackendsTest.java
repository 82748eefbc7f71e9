package dev.jcni.netlink;

import static dev.jcni.netlink.TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcni.system.ErrnoException;
import dev.jcni.system.internal.nativ.Native;
import dev.jcni.system.internal.nativ.Syscalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every libc backend ({@code -Djcni.native=jffi|jnr|ffm}) driven explicitly through the core
 * operations, each in its own child JVM (the backend is chosen once per process): flock (held +
 * tryLock refused), namespace create / open / delete, a netlink socket in the namespace with a link
 * dump and a kernel error (errno) path. Runs on the build JDK (jffi, jnr) and, when installed, on a
 * JDK >= 22 (jffi, jnr, ffm).
 */
class NativeBackendsTest {

  static Stream<Arguments> backends() {
    List<Arguments> out = new ArrayList<>();
    Path here = Path.of(System.getProperty("java.home"), "bin");
    out.add(Arguments.of("jffi", here));
    out.add(Arguments.of("jnr", here));
    Path newer = newerJdkBin(22);
    if (newer != null) {
      out.add(Arguments.of("jffi", newer));
      out.add(Arguments.of("jnr", newer));
      out.add(Arguments.of("ffm", newer));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("backends")
  void coreOpsThroughBackend(String backend, Path jdkBin) throws Exception {
    assumeTrue(isRoot(), "needs root: creates network namespaces");
    String ns = uniqueName("nbk" + backend.charAt(1));
    String src =
        String.join(
            "\n",
            "import dev.jcni.netlink.*;",
            "import dev.jcni.system.*;",
            "public class Main { public static void main(String[] a) throws Exception {",
            "  System.out.println(\"backend=\" + dev.jcni.system.internal.nativ.Native.syscalls().getClass().getSimpleName());",
            "  java.nio.file.Path lock = java.nio.file.Files.createTempFile(\"jnl-bk\", \".lock\");",
            "  try (Flock l = Flock.lock(lock)) { System.out.println(\"second=\" + Flock.tryLock(lock)); }",
            "  try (Flock l = Flock.tryLock(lock)) { System.out.println(\"again=\" + (l != null)); }",
            "  java.nio.file.Files.delete(lock);",
            "  String ns = \"" + ns + "\";",
            "  try (NetNs n = NetNs.create(ns); Netlink nl = Netlink.openAt(n)) {",
            "    nl.linkAddVeth(\"b0\", \"b1\", null, 1300);",
            "    System.out.println(\"links=\" + nl.linkList().size() + \" mtu=\" + nl.linkByName(\"b1\").mtu()",
            "        + \" same=\" + n.sameAs(NetNs.openNamed(ns)) + \" current=\" + n.isCurrent());",
            "    try { nl.linkAddVeth(\"b0\", \"b9\", null, 0); } catch (ErrnoException e) { System.out.println(e.getMessage()); }",
            "    System.out.println(\"idx=\" + (n.run(() -> dev.jcni.system.internal.nativ.Native.syscalls().ifNameToIndex(\"b0\")) > 0));",
            "  } finally { NetNs.delete(ns); }",
            "  System.out.println(\"deleted=\" + !java.nio.file.Files.exists(java.nio.file.Path.of(\"/run/netns\", ns)));",
            "}}");
    String cls =
        backend.equals("jffi")
            ? "JffiSyscalls"
            : backend.equals("jnr") ? "JnrSyscalls" : "FfmSyscalls";
    try {
      Result r =
          runJavaSource(
              jdkBin, src, "-Djcni.native=" + backend, "--enable-native-access=ALL-UNNAMED");
      assertThat(r.exit()).as(r.err() + r.out()).isZero();
      assertThat(r.out().lines())
          .containsExactly(
              "backend=" + cls,
              "second=null",
              "again=true",
              "links=3 mtu=1300 same=true current=false",
              "linkAdd b0: File exists (EEXIST)",
              "idx=true",
              "deleted=true");
    } finally {
      deleteQuietly(ns);
    }
  }

  @Test
  void jffiIsTheDefault() throws Exception {
    assertThat(Native.DEFAULT_BACKEND).isEqualTo("jffi");
    Result r =
        runJavaSource(
            Path.of(System.getProperty("java.home"), "bin"),
            String.join(
                "\n",
                "public class Main { public static void main(String[] a) {",
                "  System.out.println(dev.jcni.system.internal.nativ.Native.syscalls().getClass().getSimpleName());",
                "}}"));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().trim()).isEqualTo("JffiSyscalls");
  }

  /**
   * In-process, each available backend instance side by side: errno mapping and flock exclusion
   * across them.
   */
  @Test
  void backendsInteroperateInOneProcess() throws Exception {
    Path dir = Files.createTempDirectory("jnl-bk");
    Path lock = dir.resolve("lock");
    try {
      Syscalls jffi = Native.create("jffi");
      Syscalls jnr = Native.create("jnr");
      int a =
          jffi.open(
              lock.toString(),
              Syscalls.O_RDONLY | Syscalls.O_CREAT | Syscalls.O_CLOEXEC,
              0644,
              "t");
      int b = jnr.open(lock.toString(), Syscalls.O_RDONLY | Syscalls.O_CLOEXEC, 0, "t");
      try {
        assertThat(jffi.flock(a, Syscalls.LOCK_EX | Syscalls.LOCK_NB, "a")).isTrue();
        assertThat(jnr.flock(b, Syscalls.LOCK_EX | Syscalls.LOCK_NB, "b")).isFalse();
        assertThat(jffi.flock(a, Syscalls.LOCK_UN, "a")).isTrue();
        assertThat(jnr.flock(b, Syscalls.LOCK_EX | Syscalls.LOCK_NB, "b")).isTrue();
        assertThat(jffi.flock(a, Syscalls.LOCK_EX | Syscalls.LOCK_NB, "a")).isFalse();
        assertThat(jffi.getpid())
            .isEqualTo(jnr.getpid())
            .isEqualTo((int) ProcessHandle.current().pid());
        assertThat(jffi.fstatfsType(a, "a")).isEqualTo(jnr.fstatfsType(b, "b"));
        assertThat(jffi.ifNameToIndex("lo")).isEqualTo(jnr.ifNameToIndex("lo")).isEqualTo(1);
        assertThat(jffi.ifNameToIndex("no-such-if0")).isZero();
      } finally {
        jffi.close(a);
        jnr.close(b);
      }
      ErrnoException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              ErrnoException.class,
              () ->
                  jffi.open(dir.resolve("missing/x").toString(), Syscalls.O_RDONLY, 0, "openTest"));
      assertThat(e.getMessage()).contains("openTest").contains("ENOENT");
      ErrnoException e2 =
          org.junit.jupiter.api.Assertions.assertThrows(
              ErrnoException.class, () -> jffi.setns(-1, Syscalls.CLONE_NEWNET, "badfd"));
      assertThat(e2.getMessage()).contains("EBADF");
    } finally {
      Files.deleteIfExists(lock);
      Files.deleteIfExists(dir);
    }
  }
}
