package dev.jcni.netlink;

import static dev.jcni.netlink.TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The FFM backend ({@code -Djcni.native=ffm}) needs JDK 22+, while the build runs on 17: when a
 * newer JDK is installed, drive every native call through it in a child JVM (namespace
 * create/delete, socket-at netlink, links, addresses, routes, sysctl, flock) and compare with
 * iproute2.
 */
class FfmBackendTest {

  @Test
  void everyNativeCallWorksThroughFfm() throws Exception {
    assumeTrue(isRoot(), "needs root: creates network namespaces");
    Path jdk = newerJdkBin(22);
    assumeTrue(jdk != null, "no JDK >= 22 under /usr/lib/jvm");
    String ns = uniqueName("ffm");
    String src =
        String.join(
            "\n",
            "import dev.jcni.netlink.*;",
            "import dev.jcni.system.*;",
            "import dev.jcni.spec.net.Cidr;",
            "public class Main { public static void main(String[] a) throws Exception {",
            "  String ns = a.length > 0 ? a[0] : \"" + ns + "\";",
            "  try (NetNs n = NetNs.create(ns); Netlink nl = Netlink.openAt(n)) {",
            "    nl.linkAddVeth(\"f0\", \"f1\", null, 1400);",
            "    nl.linkSetUp(\"f0\"); nl.linkSetUp(\"f1\");",
            "    nl.addrAdd(\"f0\", Cidr.parse(\"10.77.0.1/24\"));",
            "    nl.routeAdd(Route.builder().dst(\"10.78.0.0/16\").gateway(\"10.77.0.2\").build());",
            "    Sysctl.set(n, \"net/ipv4/ip_forward\", \"1\");",
            "    System.out.println(\"links=\" + nl.linkList().size() + \" mtu=\" + nl.linkByName(\"f1\").mtu()",
            "        + \" fwd=\" + Sysctl.get(n, \"net/ipv4/ip_forward\") + \" same=\" + n.sameAs(NetNs.openNamed(ns)));",
            "    try { nl.linkAddVeth(\"f0\", \"f9\", null, 0); } catch (ErrnoException e) { System.out.println(e.getMessage()); }",
            "    java.nio.file.Path lock = java.nio.file.Files.createTempFile(\"jnl-ffm\", \".lock\");",
            "    try (Flock l = Flock.lock(lock)) { System.out.println(\"second=\" + Flock.tryLock(lock)); }",
            "    java.nio.file.Files.delete(lock);",
            "    System.out.println(\"ip: \" + new String(new ProcessBuilder(\"ip\", \"-n\", ns, \"-o\", \"-4\", \"route\", \"show\", \"10.78.0.0/16\").start().getInputStream().readAllBytes()).trim());",
            "    try { dev.jcni.system.UnixSocket.connect(java.nio.file.Path.of(\"/nonexistent.sock\")); }",
            "    catch (UnsupportedOperationException e) { System.out.println(e.getMessage()); }",
            "  } finally { NetNs.delete(ns); }",
            "}}");
    try {
      Result r = runJavaSource(jdk, src, "-Djcni.native=ffm", "--enable-native-access=ALL-UNNAMED");
      assertThat(r.exit()).as(r.err() + r.out()).isZero();
      assertThat(r.out().lines())
          .containsExactly(
              "links=3 mtu=1400 fwd=1 same=true",
              "linkAdd f0: File exists (EEXIST)",
              "second=null",
              "ip: 10.78.0.0/16 via 10.77.0.2 dev f0",
              // AF_UNIX sockets (dev.jcni.system) are jffi/jnr only: a clear refusal, not a crash
              "AF_UNIX connect is not supported by the ffm libc backend (use -Djcni.native=jffi or jnr)");
    } finally {
      deleteQuietly(ns);
    }
  }
}
