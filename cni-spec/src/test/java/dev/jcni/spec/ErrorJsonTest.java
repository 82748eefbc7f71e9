package dev.jcni.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ErrorJsonTest {
  @Test
  void encodesWithVersionAndOptionalDetails() {
    CniException e = new CniException(7, "invalid config", null);
    assertThat(new String(ErrorJson.toJson(e, "1.1.0"), StandardCharsets.UTF_8))
        .isEqualTo("{\"cniVersion\":\"1.1.0\",\"code\":7,\"msg\":\"invalid config\"}");
    CniException d =
        new CniException(
            1, "incompatible CNI versions", "config is \"9.9.9\", plugin supports [1.1.0]");
    assertThat(new String(ErrorJson.toJson(d, CniVersion.V1_0_0), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"cniVersion\":\"1.0.0\",\"code\":1,\"msg\":\"incompatible CNI versions\","
                + "\"details\":\"config is \\\"9.9.9\\\", plugin supports [1.1.0]\"}");
  }

  @Test
  void decodesLibcniErrorsWithoutVersion() {
    ErrorJson e =
        ErrorJson.decode("{\"code\":999,\"msg\":\"boom\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(e.cniVersion()).isNull();
    assertThat(e.code()).isEqualTo(999);
    assertThat(e.msg()).isEqualTo("boom");
    assertThat(e.details()).isNull();
    assertThat(e.toException().code()).isEqualTo(999);
    assertThat(e.errorString()).isEqualTo("boom");
    ErrorJson v =
        ErrorJson.decode(
            ("{\"cniVersion\":\"1.1.0\",\"code\":4,\"msg\":\"unknown CNI_COMMAND: VERSION\","
                    + "\"details\":\"x\"}")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(v.errorString()).isEqualTo("unknown CNI_COMMAND: VERSION; x");
    assertThat(ErrorJson.decode("{}".getBytes(StandardCharsets.UTF_8)).code()).isZero();
    assertThatThrownBy(() -> ErrorJson.decode("{\"code\":\"1\"}".getBytes(StandardCharsets.UTF_8)))
        .hasMessageStartingWith("\"code\": expected a number");
    assertThatThrownBy(() -> ErrorJson.decode("oops".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(CniException.class, x -> assertThat(x.code()).isEqualTo(6));
  }

  @Test
  void roundTrip() {
    CniException e = new CniException(11, "try later", "lock busy");
    ErrorJson back = ErrorJson.decode(ErrorJson.toJson(e, "0.4.0"));
    assertThat(back).isEqualTo(new ErrorJson("0.4.0", 11, "try later", "lock busy"));
  }
}
