package dev.jcni.plugins.meta.firewall;

import org.junit.jupiter.api.Test;

/**
 * The dist's class-data training calls this; a failure there silently drops the archive, so run it
 * here.
 */
class FirewallTrainingTest {
  @Test
  void runsWithoutTouchingTheSystem() {
    FirewallTraining.run();
  }
}
