package dev.jcni.spec;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class ValidationTest {
  private static void fails(ThrowingCallable c, int code, String msg) {
    assertThatThrownBy(c)
        .isInstanceOfSatisfying(
            CniException.class,
            e -> {
              org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo(code);
              org.assertj.core.api.Assertions.assertThat(e.msg()).isEqualTo(msg);
            });
  }

  @Test
  void containerIds() {
    assertThatCode(() -> Validation.containerId("a")).doesNotThrowAnyException();
    assertThatCode(() -> Validation.containerId("0abc_D.e-f")).doesNotThrowAnyException();
    fails(() -> Validation.containerId(""), 3, "missing containerID");
    fails(() -> Validation.containerId(null), 3, "missing containerID");
    fails(() -> Validation.containerId("_abc"), 4, "invalid characters in containerID");
    fails(() -> Validation.containerId("a/b"), 4, "invalid characters in containerID");
    fails(() -> Validation.containerId("a b"), 4, "invalid characters in containerID");
    fails(() -> Validation.containerId("é"), 4, "invalid characters in containerID");
  }

  @Test
  void networkNames() {
    assertThatCode(() -> Validation.networkName("k8s-pod-network")).doesNotThrowAnyException();
    fails(() -> Validation.networkName(""), 7, "missing network name");
    fails(() -> Validation.networkName("-x"), 7, "invalid characters found in network name");
    fails(() -> Validation.networkName("a/../b"), 7, "invalid characters found in network name");
  }

  @Test
  void interfaceNames() {
    assertThatCode(() -> Validation.interfaceName("eth0")).doesNotThrowAnyException();
    assertThatCode(() -> Validation.interfaceName("123456789012345")).doesNotThrowAnyException();
    assertThatCode(() -> Validation.interfaceName("...")).doesNotThrowAnyException();
    fails(() -> Validation.interfaceName(""), 4, "interface name is empty");
    fails(() -> Validation.interfaceName("1234567890123456"), 4, "interface name is too long");
    fails(() -> Validation.interfaceName("ééééééééé"), 4, "interface name is too long"); // 18 bytes
    // the kernel's limit is on bytes: 8 characters, 16 bytes (Go's len() on the string is bytes
    // too)
    fails(() -> Validation.interfaceName("éééééééé"), 4, "interface name is too long");
    assertThatCode(() -> Validation.interfaceName("ééééééé0"))
        .doesNotThrowAnyException(); // exactly 15 bytes
    assertThatCode(() -> Validation.interfaceName("éth0")).doesNotThrowAnyException();
    fails(() -> Validation.interfaceName("\ufffdth0"), 4, "interface name is not valid UTF-8");
    fails(() -> Validation.interfaceName("."), 4, "interface name is . or ..");
    fails(() -> Validation.interfaceName(".."), 4, "interface name is . or ..");
    for (String bad : new String[] {"a/b", "a:b", "a b", "a\tb", "a\u00a0b", "a\u2003b"}) {
      fails(
          () -> Validation.interfaceName(bad),
          4,
          "interface name contains / or : or whitespace characters");
    }
  }
}
