package dev.jcni.netlink;

import static dev.jcni.netlink.TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcni.system.NetNs;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The README's tc example, verbatim, in a throwaway namespace ({@code jbw-rt-*}), checked with
 * {@code tc}.
 */
class ReadmeTcExampleTest {

  @Test
  void shapeBothDirectionsOfAVeth() {
    assumeTrue(isRoot(), "needs root: creates network namespaces");
    String name =
        "jbw-rt-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    try (NetNs node = NetNs.create(name);
        Netlink nl = Netlink.openAt(node)) {
      nl.linkAddVeth("veth1234", "peer1234", null, 1500);
      nl.linkSetUp("veth1234");
      // ---- README tc example begins
      Link veth = nl.linkByName("veth1234");
      // traffic leaving veth1234: 4 Mbit/s, 32 KB bucket, 25 ms of queue
      nl.qdiscAdd(
          Qdisc.tbfRoot(veth.index(), TcHandle.make(1, 0), Qdisc.Tbf.of(500_000, 32_000, 44_500)));
      // traffic arriving on veth1234: redirected to an ifb and shaped there
      nl.linkAddIfb("ifb1234", veth.mtu(), true);
      int ifb = nl.linkByName("ifb1234").index();
      nl.qdiscAdd(Qdisc.ingress(veth.index()));
      nl.filterAdd(
          TcFilter.u32(
              veth.index(),
              TcHandle.INGRESS_HANDLE,
              1,
              TcFilter.ETH_P_ALL,
              TcFilter.matchAll(),
              TcHandle.make(1, 1),
              List.of(TcFilter.Mirred.egressRedirect(ifb))));
      nl.qdiscAdd(Qdisc.tbfRoot(ifb, TcHandle.make(1, 0), Qdisc.Tbf.of(250_000, 32_000, 38_250)));
      for (Qdisc q : nl.qdiscList(veth.index())) {
        System.out.println(
            q.kind()
                + " "
                + TcHandle.format(q.handle())
                + " "
                + q.tbf()); // tbf 1: Tbf[rate=500000...
      }
      // ---- README tc example ends
      String shown = sh("tc", "-n", name, "qdisc", "show");
      assertThat(shown)
          .containsPattern(
              "qdisc tbf 1: dev veth1234 root refcnt \\d+ rate 4Mbit burst 32000b lat 25ms")
          .contains("qdisc ingress ffff: dev veth1234")
          .containsPattern(
              "qdisc tbf 1: dev ifb1234 root refcnt \\d+ rate 2Mbit burst 32000b lat 25ms");
      assertThat(sh("tc", "-n", name, "filter", "show", "dev", "veth1234", "parent", "ffff:"))
          .contains("Egress Redirect to device ifb1234");
    } finally {
      deleteQuietly(name);
    }
  }
}
