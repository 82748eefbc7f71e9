package dev.jcni.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.spec.CniException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessEnvTest {
  private static byte[] environ(String... entries) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (String e : entries) {
      b.writeBytes(e.getBytes(StandardCharsets.UTF_8));
      b.write(0);
    }
    return b.toByteArray();
  }

  @Test
  void environBytesAreDecodedAsUtf8WhateverTheLocale() {
    Map<String, String> env =
        ProcessEnv.parseEnviron(
            environ(
                "CNI_IFNAME=éth0",
                "CNI_ARGS=K8S_POD_NAME=pöd;A=b=c",
                "EMPTY=",
                "noequals",
                "=novalue",
                "CNI_IFNAME=second"));
    assertThat(env)
        .containsEntry("CNI_IFNAME", "éth0") // first wins, as getenv
        .containsEntry("CNI_ARGS", "K8S_POD_NAME=pöd;A=b=c")
        .containsEntry("EMPTY", "")
        .hasSize(3);
  }

  @Test
  void invalidUtf8BecomesTheReplacementCharacterWhichIfnameValidationRefuses() {
    byte[] latin1 = {
      'C', 'N', 'I', '_', 'I', 'F', 'N', 'A', 'M', 'E', '=', (byte) 0xE9, 't', 'h', '0', 0
    };
    String ifname = ProcessEnv.parseEnviron(latin1).get("CNI_IFNAME");
    assertThat(ifname).isEqualTo("\ufffdth0");
    assertThatThrownBy(() -> dev.jcni.spec.Validation.interfaceName(ifname))
        .isInstanceOfSatisfying(
            CniException.class,
            e -> {
              assertThat(e.code()).isEqualTo(4);
              assertThat(e.msg()).isEqualTo("interface name is not valid UTF-8");
            });
  }

  @Test
  void thisJvmSeesItsOwnEnvironmentUnchanged() {
    // the test JVM runs under a UTF-8 locale: environment() is getenv() itself
    if (ProcessEnv.jvmIsUtf8()) {
      assertThat(ProcessEnv.environment()).isEqualTo(System.getenv());
    }
    if (ProcessEnv.jvmIsUtf8()) {
      assertThat(ProcessEnv.relaunchUnderUtf8()).isEqualTo(-1); // nothing to fix: never relaunches
    }
  }

  @Test
  void aNonAsciiCniValueIsRefusedRatherThanGarbledForAChildOfANonUtf8Jvm() {
    assertThatThrownBy(
            () ->
                PluginExec.refuseLossyEnvironment(
                    Path.of("/opt/cni/bin/host-local"),
                    Map.of("CNI_IFNAME", "éth0", "PATH", "/bin")))
        .isInstanceOfSatisfying(
            CniException.class,
            e ->
                assertThat(e.msg())
                    .startsWith(
                        "cannot pass CNI_IFNAME to netplugin /opt/cni/bin/host-local: its value is not ASCII")
                    .endsWith("run the JVM under a UTF-8 locale (LC_ALL=C.UTF-8)"));
    PluginExec.refuseLossyEnvironment(Path.of("/x"), Map.of("CNI_IFNAME", "eth0", "OTHER", "é"));
  }
}
