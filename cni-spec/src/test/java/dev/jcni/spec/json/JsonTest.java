package dev.jcni.spec.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.spec.CniException;
import dev.jcni.spec.Result;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  @SuppressWarnings("unchecked")
  void parsesTreesKeepingOrderAndNumberKinds() {
    Map<String, Object> m =
        Json.parseObject(
            "{\"z\":1,\"a\":[1.5,true,null,\"s\"],\"big\":123456789012345678901234,"
                + "\"neg\":-7,\"o\":{\"k\":false}}");
    assertThat(m.keySet()).containsExactly("z", "a", "big", "neg", "o");
    assertThat(m.get("z")).isEqualTo(1L);
    assertThat((List<Object>) m.get("a")).containsExactly(1.5, true, null, "s");
    assertThat(m.get("big")).isEqualTo(new BigInteger("123456789012345678901234"));
    assertThat(m.get("neg")).isEqualTo(-7L);
    assertThat(m.get("o")).isEqualTo(Map.of("k", false));
  }

  @Test
  void duplicateKeysKeepLastValueAtFirstPosition() {
    Map<String, Object> m = Json.parseObject("{\"a\":1,\"b\":2,\"a\":3}");
    assertThat(m.keySet()).containsExactly("a", "b");
    assertThat(m.get("a")).isEqualTo(3L);
  }

  @Test
  void malformedInputIsCode6() {
    for (String bad : new String[] {"", "{", "{\"a\":}", "nope", "{} {}", "{\"a\":1,}", "[1,2"}) {
      assertThatThrownBy(() -> Json.parse(bad.getBytes(StandardCharsets.UTF_8)))
          .as(bad)
          .isInstanceOf(CniException.class)
          .satisfies(e -> assertThat(((CniException) e).code()).isEqualTo(6));
    }
    assertThatThrownBy(() -> Json.parseObject("[1]"))
        .isInstanceOf(CniException.class)
        .hasMessageContaining("expected an object");
  }

  @Test
  void writesCompactWithEscaping() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "quote\" back\\ nl\n tab\t ctl\u0001 uni é");
    m.put("n", null);
    m.put("l", List.of(1L, 2L, 2.5, true));
    assertThat(Json.writeString(m))
        .isEqualTo(
            "{\"s\":\"quote\\\" back\\\\ nl\\n tab\\t ctl\\u0001 uni é\",\"n\":null,\"l\":[1,2,2.5,true]}");
    // round trip
    assertThat(Json.parse(Json.write(m))).isEqualTo(m);
  }

  record Inner(String name, int port) {}

  enum Proto {
    TCP,
    UDP
  }

  record Outer(
      String cniVersion,
      Integer mtu,
      long count,
      boolean flag,
      Boolean maybe,
      Double ratio,
      List<Inner> inners,
      Map<String, Integer> weights,
      List<List<String>> nested,
      Proto proto,
      Object raw,
      Set<String> tags,
      @JsonName("cni.dev/valid-attachments") List<String> attachments) {}

  @Test
  void bindsRecordsRecursivelyWithGenerics() {
    Map<String, Object> tree =
        Json.parseObject(
            "{\"CNIVersion\":\"1.0.0\",\"MTU\":1400,\"count\":3,\"flag\":true,"
                + "\"ratio\":2,\"inners\":[{\"Name\":\"a\",\"PORT\":80}],\"weights\":{\"x\":1},\"nested\":[[\"p\"],[]],"
                + "\"proto\":\"udp\",\"raw\":{\"any\":[1]},\"tags\":[\"t\",\"t\"],\"cni.dev/valid-attachments\":[\"c\"],"
                + "\"unknown\":1}");
    Outer o = Json.bind(tree, Outer.class);
    assertThat(o.cniVersion()).isEqualTo("1.0.0");
    assertThat(o.mtu()).isEqualTo(1400);
    assertThat(o.count()).isEqualTo(3L);
    assertThat(o.flag()).isTrue();
    assertThat(o.maybe()).isNull();
    assertThat(o.ratio()).isEqualTo(2.0);
    assertThat(o.inners()).containsExactly(new Inner("a", 80));
    assertThat(o.weights()).containsEntry("x", 1);
    assertThat(o.nested()).containsExactly(List.of("p"), List.of());
    assertThat(o.proto()).isEqualTo(Proto.UDP);
    assertThat(o.raw()).isEqualTo(Map.of("any", List.of(1L)));
    assertThat(o.tags()).containsExactly("t");
    assertThat(o.attachments()).containsExactly("c");
  }

  @Test
  void missingComponentsAreNullOrZero() {
    Outer o = Json.bind(Map.of(), Outer.class);
    assertThat(o.mtu()).isNull();
    assertThat(o.count()).isZero();
    assertThat(o.flag()).isFalse();
    assertThat(o.inners()).isNull();
  }

  @Test
  void exactKeyWinsOverCaseInsensitive() {
    Map<String, Object> tree =
        Json.parseObject("{\"CNIVersion\":\"0.4.0\",\"cniVersion\":\"1.0.0\"}");
    assertThat(Json.get(tree, "cniVersion")).isEqualTo("1.0.0");
    assertThat(Json.bind(tree, Outer.class).cniVersion()).isEqualTo("1.0.0");
    Map<String, Object> t2 =
        Json.parseObject("{\"cniversion\":\"0.4.0\",\"CNIVERSION\":\"1.0.0\"}");
    assertThat(Json.get(t2, "cniVersion")).isEqualTo("1.0.0"); // last case-insensitive match, as Go
    assertThat(Json.get(t2, "absent")).isNull();
    assertThat(Json.has(t2, "CniVersion")).isTrue();
  }

  @Test
  void mismatchesAreCode6WithKeyPath() {
    assertThatThrownBy(() -> Json.bind(Json.parseObject("{\"mtu\":\"1400\"}"), Outer.class))
        .isInstanceOf(CniException.class)
        .hasMessageStartingWith("\"mtu\": expected a number")
        .satisfies(e -> assertThat(((CniException) e).code()).isEqualTo(6));
    assertThatThrownBy(
            () ->
                Json.bind(
                    Json.parseObject("{\"inners\":[{\"name\":\"a\",\"port\":\"x\"}]}"),
                    Outer.class))
        .hasMessageStartingWith("\"inners[0].port\": expected a number");
    assertThatThrownBy(
            () -> Json.bind(Json.parseObject("{\"inners\":[{\"port\":1.5}]}"), Outer.class))
        .hasMessageStartingWith("\"inners[0].port\": expected an integer");
    assertThatThrownBy(() -> Json.bind(Json.parseObject("{\"mtu\":3000000000}"), Outer.class))
        .hasMessageContaining("\"mtu\": number 3000000000 is out of range");
    assertThatThrownBy(() -> Json.bind(Json.parseObject("{\"flag\":\"true\"}"), Outer.class))
        .hasMessageStartingWith("\"flag\": expected true or false");
    assertThatThrownBy(() -> Json.bind(Json.parseObject("{\"proto\":\"sctp\"}"), Outer.class))
        .hasMessageStartingWith("\"proto\": invalid value \"sctp\"");
    assertThatThrownBy(
            () -> Json.bind(Json.parseObject("{\"weights\":{\"x\":\"y\"}}"), Outer.class))
        .hasMessageStartingWith("\"weights.x\": expected a number");
    assertThatThrownBy(() -> Json.bind(Json.parseObject("{\"nested\":[[1]]}"), Outer.class))
        .hasMessageStartingWith("\"nested[0][0]\": expected a string");
    assertThatThrownBy(() -> Json.bind(List.of(), Outer.class))
        .hasMessageStartingWith("expected an object, got an array");
  }

  @Test
  void writesRecordsOmittingNullComponents() {
    assertThat(Json.writeString(new Inner(null, 5))).isEqualTo("{\"port\":5}");
    Outer o =
        new Outer(
            "1.0.0",
            null,
            1,
            false,
            null,
            null,
            List.of(new Inner("n", 1)),
            null,
            null,
            Proto.TCP,
            null,
            null,
            List.of("a"));
    assertThat(Json.writeString(o))
        .isEqualTo(
            "{\"cniVersion\":\"1.0.0\",\"count\":1,\"flag\":false,"
                + "\"inners\":[{\"name\":\"n\",\"port\":1}],\"proto\":\"TCP\",\"cni.dev/valid-attachments\":[\"a\"]}");
    assertThat(Json.bind(Json.parse(Json.write(o)), Outer.class)).isEqualTo(o);
  }

  @Test
  void bindsDnsRecordFromEmptyObject() {
    Result.Dns dns = Json.bind(Map.of(), Result.Dns.class);
    assertThat(dns.isEmpty()).isTrue();
  }
}
