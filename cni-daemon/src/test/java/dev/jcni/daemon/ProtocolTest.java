package dev.jcni.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The pure parts: protocol decoding and limits, response framing, per-key ordering, option parsing.
 */
class ProtocolTest {

  @Test
  void aCallRoundTripsWithRawUtf8EnvironmentWhateverTheLocale() throws Exception {
    byte[] body =
        Protocol.encodeCall(
            "bridge",
            List.of(
                "CNI_COMMAND=ADD", "CNI_ARGS=K8S_POD_NAME=café", "JCNI_LOG=stderr", "CNI_EMPTY="),
            "{\"cniVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8),
            true);
    Protocol.Request r = Protocol.decode(body);
    assertThat(r.kind()).isEqualTo(Protocol.KIND_CALL);
    assertThat(r.hasNetnsFd()).isTrue();
    assertThat(r.type()).isEqualTo("bridge");
    assertThat(r.env())
        .extracting(e -> e[0] + "|" + e[1])
        .containsExactly(
            "CNI_COMMAND|ADD", "CNI_ARGS|K8S_POD_NAME=café", "JCNI_LOG|stderr", "CNI_EMPTY|");
    assertThat(new String(r.stdin(), StandardCharsets.UTF_8))
        .isEqualTo("{\"cniVersion\":\"1.0.0\"}");
    assertThat(Protocol.decode(new byte[] {2}).kind()).isEqualTo(Protocol.KIND_STATUS);
  }

  private static String malformed(byte[] body) {
    try {
      Protocol.decode(body);
      throw new AssertionError("accepted");
    } catch (Protocol.Malformed e) {
      return e.getMessage();
    }
  }

  @Test
  void limitsAndMalformedBodiesAreRefusedInWords() throws Exception {
    assertThatThrownBy(() -> Protocol.bodyLength(new byte[] {0, 0, 0, 0}))
        .hasMessageContaining("outside 1..8388608");
    assertThatThrownBy(() -> Protocol.bodyLength(new byte[] {0, (byte) 0x80, 0, 1}))
        .hasMessageContaining("8388609");
    assertThat(Protocol.bodyLength(new byte[] {0, (byte) 0x80, 0, 0})).isEqualTo(8 * 1024 * 1024);
    assertThat(malformed(new byte[] {2, 0})).contains("status query has no fields");
    assertThat(malformed(new byte[] {3})).contains("unknown request kind 3");
    assertThat(malformed(new byte[] {1, 2})).contains("unknown flag bits 0x2");
    assertThat(malformed(new byte[] {1, 0, 0, 0, 0, 0})).contains("plugin type length 0");
    assertThat(malformed(new byte[] {1, 0, 0, 0, 1, 0})).contains("plugin type length 256");
    assertThat(malformed(Protocol.encodeCall("a/b", List.of(), new byte[0], false)))
        .contains("'/'");
    assertThat(malformed(Protocol.encodeCall("x", List.of("NOEQUALS"), new byte[0], false)))
        .contains("NAME=VALUE");
    assertThat(malformed(Protocol.encodeCall("x", List.of("=v"), new byte[0], false)))
        .contains("NAME=VALUE");
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 513; i++) many.add("CNI_X" + i + "=1");
    assertThat(malformed(Protocol.encodeCall("x", many, new byte[0], false)))
        .contains("513 entries");
    assertThat(
            malformed(
                Protocol.encodeCall(
                    "x", List.of("CNI_BIG=" + "v".repeat(64 * 1024)), new byte[0], false)))
        .contains("more than 65536");
    byte[] ok = Protocol.encodeCall("x", List.of(), new byte[] {'{', '}'}, false);
    byte[] trailing = java.util.Arrays.copyOf(ok, ok.length + 3);
    assertThat(malformed(trailing)).contains("3 unexpected bytes after stdin");
    assertThat(malformed(java.util.Arrays.copyOf(ok, ok.length - 1)))
        .contains("request ends inside stdin");
  }

  @Test
  void responsesAreFramedAsPinned() {
    byte[] f =
        Protocol.response(
            Protocol.RESP_RESULT,
            -1,
            "out".getBytes(StandardCharsets.UTF_8),
            "e".getBytes(StandardCharsets.UTF_8));
    assertThat(f)
        .containsExactly(
            0, 0, 0, 17, 1, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 3, 'o', 'u', 't', 0, 0, 0, 1, 'e');
    assertThat(Protocol.GREETING).containsExactly('J', 'C', 'N', 'I', 0, 0, 0, 1);
  }

  @Test
  void errorJsonAndCniVersionSniffing() {
    assertThat(
            new String(Protocol.errorJson("0.4.0", 999, "a \"b\" <c>\n"), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"cniVersion\":\"0.4.0\",\"code\":999,\"msg\":\"a \\\"b\\\" \\u003cc\\u003e\\n\"}");
    assertThat(
            Protocol.cniVersionOf(
                "{\"cniVersion\" : \"0.3.1\",\"name\":\"n\"}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("0.3.1");
    assertThat(Protocol.cniVersionOf("{\"name\":\"n\"}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("1.0.0");
    assertThat(Protocol.cniVersionOf("garbage".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("1.0.0");
  }

  @Test
  void keyedOrderRunsOneKeyInArrivalOrderAndOtherKeysInParallel() throws Exception {
    KeyedOrder order = new KeyedOrder();
    List<String> events = new CopyOnWriteArrayList<>();
    KeyedOrder.Ticket a1 = order.enter("a");
    KeyedOrder.Ticket a2 = order.enter("a");
    KeyedOrder.Ticket a3 = order.enter("a");
    KeyedOrder.Ticket b1 = order.enter("b");
    assertThat(order.awaitTurn(a1)).isTrue();
    assertThat(order.awaitTurn(b1)).isTrue(); // another key does not wait for a1
    CountDownLatch started = new CountDownLatch(2);
    Thread t3 =
        new Thread(
            () -> {
              started.countDown();
              if (order.awaitTurn(a3)) events.add("a3");
              order.leave(a3);
            });
    Thread t2 =
        new Thread(
            () -> {
              started.countDown();
              if (order.awaitTurn(a2)) events.add("a2");
              order.leave(a2);
            });
    t3.start();
    t2.start();
    started.await();
    Thread.sleep(100);
    assertThat(events).isEmpty();
    order.leave(a1);
    t2.join(5000);
    t3.join(5000);
    assertThat(events).containsExactly("a2", "a3");
    order.leave(b1);
    assertThat(order.activeKeys()).isZero();
    // a cancelled waiter leaves without running
    KeyedOrder.Ticket c1 = order.enter("c");
    KeyedOrder.Ticket c2 = order.enter("c");
    order.cancel(c2);
    assertThat(order.awaitTurn(c2)).isFalse();
    order.leave(c1);
    assertThat(order.activeKeys()).isZero();
  }

  @Test
  void optionsParseAndRejectInWords() {
    DaemonOptions o =
        DaemonOptions.parse(
            List.of(
                "--socket",
                "/tmp/x.sock",
                "--socket-mode=0660",
                "--allow-uid",
                "1000",
                "--allow-uid=1001",
                "--call-timeout",
                "90s",
                "--grace",
                "500ms",
                "--max-calls",
                "4",
                "--shutdown-timeout",
                "2m"),
            Map.of());
    assertThat(o.socket()).hasToString("/tmp/x.sock");
    assertThat(o.lockFile()).hasToString("/tmp/x.sock.lock");
    assertThat(o.socketMode()).isEqualTo(0660);
    assertThat(o.allowUids()).isEqualTo(Set.of(1000, 1001));
    assertThat(o.callTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(o.grace()).isEqualTo(Duration.ofMillis(500));
    assertThat(o.maxCalls()).isEqualTo(4);
    assertThat(o.shutdownTimeout()).isEqualTo(Duration.ofMinutes(2));
    DaemonOptions d = DaemonOptions.parse(List.of(), Map.of());
    assertThat(d.socket()).hasToString("/run/jcni/jcni.sock");
    assertThat(d.socketMode()).isEqualTo(0600);
    assertThat(d.callTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(DaemonOptions.parse(List.of(), Map.of("JCNI_SOCKET", "/tmp/e.sock")).socket())
        .hasToString("/tmp/e.sock");
    assertThatThrownBy(() -> DaemonOptions.parse(List.of("--socket-mode", "0999"), Map.of()))
        .hasMessageContaining("octal mode");
    assertThatThrownBy(() -> DaemonOptions.parse(List.of("--allow-uid", "bob"), Map.of()))
        .hasMessageContaining("numeric uid");
    assertThatThrownBy(() -> DaemonOptions.parse(List.of("--call-timeout", "soon"), Map.of()))
        .hasMessageContaining("duration");
    assertThatThrownBy(() -> DaemonOptions.parse(List.of("--max-calls", "0"), Map.of()))
        .hasMessageContaining("at least 1");
    assertThatThrownBy(() -> DaemonOptions.parse(List.of("--bogus"), Map.of()))
        .hasMessageContaining("unknown option");
    assertThatThrownBy(() -> DaemonOptions.parse(List.of("--socket"), Map.of()))
        .hasMessageContaining("needs a value");
  }
}
