package dev.jcni.plugins.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.spec.CniVersion;
import dev.jcni.spec.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatewaysTest {
  private static Result ipam(List<Result.IpConfig> ips, List<Result.Route> routes) {
    return new Result(CniVersion.V1_0_0, List.of(), ips, routes, null);
  }

  @Test
  void missingGatewayBecomesFirstHostAndDefaultRouteIsAdded() {
    Result r =
        ipam(
            List.of(
                Result.IpConfig.parse(null, "10.22.0.5/24", null),
                Result.IpConfig.parse(null, "fd00:22::5/64", "fd00:22::1")),
            List.of());
    Gateways.Plan p = Gateways.calc(r, true, true, 2);
    assertThat(p.result().ips())
        .containsExactly(
            Result.IpConfig.parse(2, "10.22.0.5/24", "10.22.0.1"),
            Result.IpConfig.parse(2, "fd00:22::5/64", "fd00:22::1"));
    assertThat(p.result().routes())
        .containsExactly(
            Result.Route.parse("0.0.0.0/0", "10.22.0.1"), Result.Route.parse("::/0", "fd00:22::1"));
    assertThat(p.v4()).hasSize(1).first().hasToString("10.22.0.1/24");
    assertThat(p.v6()).hasSize(1).first().hasToString("fd00:22::1/64");
  }

  @Test
  void existingDefaultRouteWithGatewayIsKept() {
    Result r =
        ipam(
            List.of(Result.IpConfig.parse(null, "10.22.0.5/24", "10.22.0.1")),
            List.of(Result.Route.parse("0.0.0.0/0", "10.22.0.254")));
    Gateways.Plan p = Gateways.calc(r, true, true, 2);
    assertThat(p.result().routes()).containsExactly(Result.Route.parse("0.0.0.0/0", "10.22.0.254"));
  }

  @Test
  void notAGatewayLeavesGatewaysAlone() {
    Result r =
        ipam(
            List.of(Result.IpConfig.parse(null, "10.22.0.5/24", null)),
            List.of(Result.Route.parse("10.0.0.0/8", null)));
    Gateways.Plan p = Gateways.calc(r, false, false, 2);
    assertThat(p.result().ips()).containsExactly(Result.IpConfig.parse(2, "10.22.0.5/24", null));
    assertThat(p.v4()).isEmpty();
    assertThat(p.result().routes()).hasSize(1);
  }
}
