package dev.jcni.spec.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Json.write / writeIndented produce Go encoding/json text (expected strings are Go's output). */
class GoStyleTest {
  @Test
  void floatsAsGo() {
    String[][] cases = {
      {"1.5", "1.5"},
      {"2.0", "2"},
      {"-0.5", "-0.5"},
      {"0.000001", "0.000001"},
      {"1e-7", "1e-7"},
      {"1e21", "1e+21"},
      {"1.2345678901234568e20", "123456789012345680000"},
      {"1.2345e-10", "1.2345e-10"},
      {"1.7976931348623157e308", "1.7976931348623157e+308"},
      {"0.1", "0.1"},
      {"100.25", "100.25"},
      {"0.0", "0"},
      {"-0.0", "-0"}, // (JDK 17 Double.toString is not always shortest: 4.9e-324 vs Go 5e-324)
    };
    for (String[] c : cases) {
      assertThat(Json.writeString(Double.parseDouble(c[0]))).as(c[0]).isEqualTo(c[1]);
    }
  }

  @Test
  void stringsEscapedAsGo() {
    String s = "a<b>&c\u00e9\u2028\u2029\"\\/\n\r\t\b\f\u0001\u001f\u007f\ud83d\ude00";
    assertThat(Json.writeString(s))
        .isEqualTo(
            "\"a\\u003cb\\u003e\\u0026c\u00e9\\u2028\\u2029\\\"\\\\/\\n\\r\\t\\b\\f\\u0001\\u001f\u007f\ud83d\ude00\"");
    assertThat(Json.parse(Json.write(s))).isEqualTo(s);
  }

  @Test
  void indentedAsMarshalIndent() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cniVersion", "0.4.0");
    m.put("ips", List.of(Map.of("version", "4"), Map.of()));
    m.put("empty", List.of());
    m.put("dns", Map.of());
    m.put("n", 1L);
    assertThat(new String(Json.writeIndented(m), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\n"
                + "    \"cniVersion\": \"0.4.0\",\n"
                + "    \"ips\": [\n"
                + "        {\n"
                + "            \"version\": \"4\"\n"
                + "        },\n"
                + "        {}\n"
                + "    ],\n"
                + "    \"empty\": [],\n"
                + "    \"dns\": {},\n"
                + "    \"n\": 1\n"
                + "}");
    assertThat(new String(Json.writeIndented(List.of()), StandardCharsets.UTF_8)).isEqualTo("[]");
    assertThat(new String(Json.writeIndented("x"), StandardCharsets.UTF_8)).isEqualTo("\"x\"");
  }
}
