package dev.jcni.plugins.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.netlink.Link;
import dev.jcni.netlink.Netlink;
import dev.jcni.netlink.OperState;
import dev.jcni.netlink.VethOptions;
import dev.jcni.spec.CniException;
import dev.jcni.spec.net.Cidr;
import dev.jcni.system.NetNs;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bridge mechanics on a real kernel, inside a throwaway namespace (the work runs on a thread
 * that entered it).
 */
class BridgesTest {
  private String name;
  private NetNs ns;

  @BeforeEach
  void setUp() {
    Assumptions.assumeTrue(TestNs.isRoot(), "needs root: creates a network namespace");
    name =
        "jpl-br-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0x1000000));
    ns = NetNs.create(name);
  }

  @AfterEach
  void tearDown() {
    if (ns != null) {
      ns.close();
      NetNs.delete(name);
    }
  }

  @Test
  void ensureMakesOrAdoptsTheBridgeAndRefusesAnotherKind() {
    ns.run(
        () -> {
          try (Netlink nl = Netlink.open()) {
            Link br = Bridges.ensure(nl, new Bridges.Spec("jplbr0", 1400, false, true));
            assertThat(br.kind()).isEqualTo("bridge");
            assertThat(br.mtu()).isEqualTo(1400);
            Link again = Bridges.ensure(nl, new Bridges.Spec("jplbr0", 9000, false, true));
            assertThat(again.index()).isEqualTo(br.index());
            assertThat(again.mtu()).isEqualTo(1400);
            assertThat(again.isPromisc()).isTrue();
            assertThat(again.isUp()).isTrue();
            nl.linkAddVeth(VethOptions.builder("jplv0", "jplv1").build());
            assertThatThrownBy(() -> Bridges.ensure(nl, new Bridges.Spec("jplv0", 0, false, false)))
                .isInstanceOfSatisfying(
                    CniException.class,
                    e -> {
                      assertThat(e.code()).isEqualTo(7);
                      assertThat(e.msg())
                          .isEqualTo("bridge: \"jplv0\" already exists but is not a bridge");
                    });
          }
          return null;
        });
  }

  @Test
  void attachedPortForwardsAndTheGatewayAddressIsEnsured() {
    ns.run(
        () -> {
          try (Netlink nl = Netlink.open()) {
            Link br = Bridges.ensure(nl, new Bridges.Spec("jplbr1", 0, false, false));
            nl.linkAddVeth(VethOptions.builder("jplp0", "jplp1").build());
            nl.linkSetUp("jplp1");
            Bridges.attach(nl, br, "jplp0", true, false);
            nl.linkSetUp("jplp0");
            Link port = Bridges.waitForPort(nl, "jplp0");
            assertThat(port.operState()).isEqualTo(OperState.UP);
            assertThat(port.masterIndex()).isEqualTo(br.index());

            Cidr gw = Cidr.parse("10.77.0.1/24");
            Bridges.ensureAddress(nl, "jplbr1", gw, false);
            Bridges.ensureAddress(nl, "jplbr1", gw, false); // present: nothing to do
            assertThatThrownBy(
                    () -> Bridges.ensureAddress(nl, "jplbr1", Cidr.parse("10.78.0.1/24"), false))
                .hasMessage("\"jplbr1\" already has an IP address different from 10.78.0.1/24");
            Bridges.ensureAddress(nl, "jplbr1", Cidr.parse("10.78.0.1/24"), true);
            assertThat(nl.addrList("jplbr1", dev.jcni.netlink.Family.V4))
                .extracting(a -> a.net().toString())
                .containsExactly("10.78.0.1/24");
          }
          return null;
        });
  }
}
