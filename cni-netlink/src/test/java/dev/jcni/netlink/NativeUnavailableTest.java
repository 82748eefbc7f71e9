package dev.jcni.netlink;

import static dev.jcni.netlink.TestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * When the native binding cannot load, every call reports it as a {@link
 * NativeUnavailableException} with the cause, repeatedly, and nothing fails in a static initializer
 * (no NoClassDefFoundError on the second call). Runs in a child JVM that pretends not to be Linux.
 */
class NativeUnavailableTest {

  @Test
  void clearErrorOnEveryUseNeverAStaticInitFailure() throws Exception {
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path src = Files.createTempFile("jnl-nonative", ".java");
    try {
      Files.writeString(
          src,
          String.join(
              "\n",
              "public class NoNative { public static void main(String[] a) {",
              "  for (int i = 0; i < 2; i++) {",
              "    try { dev.jcni.system.NetNs.current(); System.out.println(\"loaded\"); }",
              "    catch (dev.jcni.system.NativeUnavailableException e) { System.out.println(\"unavailable: \" + e.getMessage()); }",
              "  }",
              "  System.out.println(\"available=\" + dev.jcni.system.internal.nativ.Native.isAvailable());",
              "  System.out.println(\"ip=\" + dev.jcni.spec.net.Cidr.parse(\"10.0.0.1/8\"));", // pure classes still work
              "}}"));
      TestSupport.Result r = run(java, "-Dos.name=Plan9", "-cp", cp, src.toString());
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out().lines())
          .containsExactly(
              "unavailable: native libc binding unavailable: cni-netlink needs"
                  + " Linux, this is Plan9",
              "unavailable: native libc binding unavailable: cni-netlink needs"
                  + " Linux, this is Plan9",
              "available=false",
              "ip=10.0.0.1/8");
    } finally {
      Files.delete(src);
    }
  }
}
