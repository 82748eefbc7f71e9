package dev.jcni.plugins.meta.bandwidth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.system.NetNs;
import org.junit.jupiter.api.Test;

/** The class-data training run completes and (as root) leaves no namespace behind. */
class BandwidthTrainingTest {
  @Test
  void runsAndCleansUp() {
    BandwidthTraining.run();
    long pid = ProcessHandle.current().pid();
    assertThat(NetNs.exists("jcni-train-bwn" + pid)).isFalse();
    assertThat(NetNs.exists("jcni-train-bwp" + pid)).isFalse();
  }
}
