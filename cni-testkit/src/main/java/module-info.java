/**
 * Test kit for plugin authors: CniRunner, NetnsExtension/TestNetns, CniAssertions, Conf/Results
 * builders.
 */
module dev.jcni.testkit {
  requires transitive dev.jcni.api;
  requires transitive dev.jcni.netlink;
  requires transitive org.junit.jupiter.api;
  requires transitive org.assertj.core;

  exports dev.jcni.testkit;
}
