package dev.jcni.netlink;

import static dev.jcni.netlink.TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcni.system.ErrnoException;
import dev.jcni.system.NetNs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** NetNs create/delete/open/run/compare, checked against {@code ip netns} and /proc. */
class NetNsTest {

  @Test
  void createIsVisibleToIpNetnsAndDeleteRemovesIt() throws Exception {
    assumeTrue(isRoot(), "needs root: creates network namespaces");
    String name = uniqueName("ns");
    try (NetNs ns = NetNs.create(name)) {
      assertThat(Files.exists(Path.of("/run/netns", name))).isTrue();
      assertThat(sh("ip", "netns", "list")).contains(name);
      // a fresh namespace has only lo, down
      assertThat(ipJson(name, "link", "show")).hasSize(1);
      assertThat(ns.path()).isEqualTo(Path.of("/run/netns", name));
      assertThat(ns.fd()).isGreaterThan(2);
      assertThat(ns.isCurrent()).isFalse();
      try (NetNs again = NetNs.openNamed(name);
          NetNs cur = NetNs.current()) {
        assertThat(again.sameAs(ns)).isTrue();
        assertThat(again.inode()).isEqualTo(ns.inode());
        assertThat(cur.sameAs(ns)).isFalse();
        assertThat(cur.isCurrent()).isTrue();
      }
      assertThatThrownBy(() -> NetNs.create(name))
          .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.isExists()).isTrue());
      // ip netns exec sees the same namespace inode
      String inode =
          sh("ip", "netns", "exec", name, "stat", "-L", "-c", "%i", "/proc/self/ns/net").trim();
      assertThat(Long.parseLong(inode)).isEqualTo(ns.inode());
    } finally {
      NetNs.delete(name);
    }
    assertThat(Files.exists(Path.of("/run/netns", name))).isFalse();
    assertThat(sh("ip", "netns", "list")).doesNotContain(name);
    assertThatThrownBy(() -> NetNs.delete(name))
        .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.isNotFound()).isTrue());
  }

  @Test
  void runEntersOnlyTheWorkerThreadAndRestoresNothingElse() throws Exception {
    assumeTrue(isRoot(), "needs root: creates network namespaces");
    String name = uniqueName("nr");
    try (NetNs ns = NetNs.create(name)) {
      long hostInode = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).hashCode();
      String inside =
          ns.run(() -> Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString());
      assertThat(inside).isEqualTo("net:[" + ns.inode() + "]");
      assertThat(Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).hashCode())
          .isEqualTo(hostInode);
      // /proc/thread-self/net shows the namespace's devices (only lo)
      String dev = ns.run(() -> Files.readString(Path.of("/proc/thread-self/net/dev")));
      assertThat(dev.lines().skip(2).map(l -> l.trim().split(":")[0])).containsExactly("lo");
      // checked exceptions propagate unchanged
      assertThatThrownBy(
              () ->
                  ns.run(
                      () -> {
                        throw new IOException("boom");
                      }))
          .isInstanceOf(IOException.class)
          .hasMessage("boom");
      // a socket opened "at" the namespace stays there when used from this (host) thread
      try (Netlink nl = Netlink.openAt(ns)) {
        assertThat(nl.linkList()).extracting(Link::name).containsExactly("lo");
      }
    } finally {
      NetNs.delete(name);
    }
  }

  @Test
  void openRejectsNonNamespaceFilesAndMissingPaths() throws Exception {
    Path tmp = Files.createTempFile("jnl-notns", "");
    try {
      assertThatThrownBy(() -> NetNs.open(tmp))
          .isInstanceOfSatisfying(
              ErrnoException.class, e -> assertThat(e.errnoName()).isEqualTo("EINVAL"));
    } finally {
      Files.delete(tmp);
    }
    assertThatThrownBy(() -> NetNs.open(Path.of("/run/netns/jnl-does-not-exist")))
        .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.isNotFound()).isTrue());
    assertThatThrownBy(() -> NetNs.create("a/b")).isInstanceOf(IllegalArgumentException.class);
    try (NetNs cur = NetNs.current()) {
      assertThat(cur.isCurrent()).isTrue();
      assertThat(cur.run(() -> 42)).isEqualTo(42);
    }
  }

  @Test
  void runRefusesVirtualThreads() throws Exception {
    java.lang.reflect.Method ofVirtual;
    try {
      ofVirtual = Thread.class.getMethod("ofVirtual");
    } catch (NoSuchMethodException e) {
      assumeTrue(false, "JDK " + Runtime.version() + " has no virtual threads");
      return;
    }
    Object builder;
    try {
      builder = ofVirtual.invoke(null);
    } catch (java.lang.reflect.InvocationTargetException e) {
      assumeTrue(false, "virtual threads are a preview feature here: " + e.getCause());
      return;
    }
    Throwable[] seen = new Throwable[1];
    Runnable task =
        () -> {
          try (NetNs cur = NetNs.current()) {
            cur.run(() -> 1);
          } catch (Throwable t) {
            seen[0] = t;
          }
        };
    // through the public interface Thread.Builder: the builder's own class is internal to java.base
    Thread vt =
        (Thread)
            Class.forName("java.lang.Thread$Builder")
                .getMethod("start", Runnable.class)
                .invoke(builder, task);
    vt.join();
    assertThat(seen[0])
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("virtual thread");
  }

  /**
   * CI runs JDK 17, which has no virtual threads: when a newer JDK is installed, run the check
   * there in a child process (single-file source launch against this module's class path).
   */
  @Test
  void virtualThreadsOnANewerJdk() throws Exception {
    Path jdkBin = newerJdkBin(21);
    assumeTrue(jdkBin != null, "no JDK >= 21 under /usr/lib/jvm");
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path src = Files.createTempFile("jnl-vt", ".java");
    try {
      Files.writeString(
          src,
          String.join(
              "\n",
              "public class VtCheck { public static void main(String[] a) throws Exception {",
              "  String[] out = new String[2];",
              "  Thread vt = Thread.ofVirtual().start(() -> {",
              "    try (var cur = dev.jcni.system.NetNs.current()) {",
              "      try { cur.run(() -> 1); out[0] = \"accepted\"; } catch (IllegalStateException e) { out[0] = \"refused\"; }",
              "      try (var nl = dev.jcni.netlink.Netlink.openAt(cur)) { out[1] = \"links=\" + nl.linkList().size(); }",
              "    } catch (Throwable t) { out[1] = t.toString(); }",
              "  });",
              "  vt.join();",
              "  System.out.println(out[0] + \" \" + out[1]);",
              "}}"));
      Result r =
          run(
              jdkBin.resolve("java").toString(),
              "--enable-native-access=ALL-UNNAMED",
              "-cp",
              cp,
              src.toString());
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out().trim()).startsWith("refused links=");
    } finally {
      Files.delete(src);
    }
  }
}
