package dev.jcni.ipam.hostlocal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RangeIteratorTest {

  private static RangeSet set(IpRange... ranges) {
    return RangeSet.of("t", List.of(ranges));
  }

  private static List<String> walk(RangeSet s, String last) {
    RangeIterator it = new RangeIterator(s, last == null ? null : Addrs.parseOrNull(last));
    List<String> out = new ArrayList<>();
    for (InetAddress ip = it.next(); ip != null; ip = it.next()) {
      out.add(Addrs.text(ip) + "@" + it.range());
      if (out.size() > 1000) {
        throw new AssertionError("iterator does not terminate");
      }
    }
    return out;
  }

  @Test
  void freshStartSkipsTheGatewayAndVisitsEverythingOnce() {
    RangeSet s = set(IpRange.of("r", "10.0.0.0/29", null, null, null));
    assertThat(walk(s, null))
        .containsExactly(
            "10.0.0.2@10.0.0.1-10.0.0.6",
            "10.0.0.3@10.0.0.1-10.0.0.6",
            "10.0.0.4@10.0.0.1-10.0.0.6",
            "10.0.0.5@10.0.0.1-10.0.0.6",
            "10.0.0.6@10.0.0.1-10.0.0.6");
  }

  @Test
  void resumesAfterTheLastReservedAddressAndWraps() {
    RangeSet s = set(IpRange.of("r", "10.0.0.0/29", null, null, null));
    assertThat(walk(s, "10.0.0.4"))
        .extracting(x -> x.substring(0, x.indexOf('@')))
        .containsExactly("10.0.0.5", "10.0.0.6", "10.0.0.2", "10.0.0.3", "10.0.0.4");
    // a last address outside the set (ranges changed) restarts at rangeStart
    assertThat(walk(s, "10.9.0.4")).first().asString().startsWith("10.0.0.2@");
    assertThat(walk(s, "fd00::1")).hasSize(5);
  }

  @Test
  void wrapsAcrossRangesOfTheSet() {
    RangeSet s =
        set(
            IpRange.of("a", "10.0.0.0/24", "10.0.0.10", "10.0.0.11", null),
            IpRange.of("b", "10.0.1.0/24", "10.0.1.1", "10.0.1.3", null));
    assertThat(walk(s, null))
        .containsExactly(
            "10.0.0.10@10.0.0.10-10.0.0.11",
            "10.0.0.11@10.0.0.10-10.0.0.11",
            "10.0.1.2@10.0.1.1-10.0.1.3",
            "10.0.1.3@10.0.1.1-10.0.1.3");
    assertThat(walk(s, "10.0.1.2"))
        .extracting(x -> x.substring(0, x.indexOf('@')))
        .containsExactly("10.0.1.3", "10.0.0.10", "10.0.0.11", "10.0.1.2");
    assertThat(walk(s, "10.0.1.3"))
        .extracting(x -> x.substring(0, x.indexOf('@')))
        .containsExactly("10.0.0.10", "10.0.0.11", "10.0.1.2", "10.0.1.3");
  }

  @Test
  void explicitGatewayInsideTheRangeIsSkipped() {
    RangeSet s = set(IpRange.of("r", "10.0.0.0/29", "10.0.0.2", "10.0.0.5", "10.0.0.3"));
    assertThat(walk(s, null))
        .extracting(x -> x.substring(0, x.indexOf('@')))
        .containsExactly("10.0.0.2", "10.0.0.4", "10.0.0.5");
  }

  @Test
  void rangeHoldingOnlyTheGatewayIsEmpty() {
    RangeSet s = set(IpRange.of("r", "10.0.0.0/30", "10.0.0.1", "10.0.0.1", null));
    assertThat(walk(s, null)).isEmpty();
    assertThat(walk(s, "10.0.0.1")).isEmpty();
  }

  @Test
  void ipv6() {
    RangeSet s = set(IpRange.of("r", "fd00::/64", "fd00::fffe", "fd00::1:1", null));
    assertThat(walk(s, null))
        .extracting(x -> x.substring(0, x.indexOf('@')))
        .containsExactly("fd00::fffe", "fd00::ffff", "fd00::1:0", "fd00::1:1");
    RangeSet big = set(IpRange.of("r", "fd00::/64", null, null, null));
    RangeIterator it = new RangeIterator(big, Addrs.parseOrNull("fd00::ffff:ffff:ffff:fffe"));
    assertThat(Addrs.text(it.next())).isEqualTo("fd00::ffff:ffff:ffff:ffff");
    assertThat(Addrs.text(it.next())).isEqualTo("fd00::2"); // wrapped, ::1 is the gateway
  }
}
