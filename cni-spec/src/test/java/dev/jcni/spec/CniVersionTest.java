package dev.jcni.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CniVersionTest {
  @Test
  void parseAndOrder() {
    assertThat(CniVersion.parse("")).isEqualTo(CniVersion.V0_1_0);
    assertThat(CniVersion.parse(null)).isEqualTo(CniVersion.V0_1_0);
    assertThat(CniVersion.parse("0.3.1")).isEqualTo(CniVersion.V0_3_1);
    assertThat(CniVersion.parse("0.5.0").isKnown()).isFalse();
    assertThat(CniVersion.V1_1_0.atLeast(CniVersion.V1_0_0)).isTrue();
    assertThat(CniVersion.V0_3_0.compareTo(CniVersion.V0_3_1)).isNegative();
    assertThat(CniVersion.ALL).isSorted();
    for (String bad : new String[] {"1.0", "1.0.0.0", "a.b.c", "1..0", "-1.0.0"}) {
      assertThatThrownBy(() -> CniVersion.parse(bad))
          .as(bad)
          .isInstanceOfSatisfying(CniException.class, e -> assertThat(e.code()).isEqualTo(1));
    }
  }
}
