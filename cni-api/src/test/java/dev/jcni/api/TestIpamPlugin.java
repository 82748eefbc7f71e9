package dev.jcni.api;

import com.google.auto.service.AutoService;
import dev.jcni.spec.CniException;
import dev.jcni.spec.Result;
import java.util.List;
import java.util.Map;

/**
 * A tiny IPAM-like plugin used to compare in-process and exec'd delegation. Reads {@code
 * ipam.address}, {@code ipam.gateway}; {@code ipam.failCode}/{@code ipam.failMsg} make every verb
 * fail with that CNI error, and {@code ipam.crash} makes every verb throw a plain exception.
 */
@AutoService(CniPlugin.class)
@CniType("test-ipam")
public final class TestIpamPlugin implements CniPlugin {
  @Override
  public Result add(Invocation inv) {
    Map<String, Object> ipam = fail(inv);
    return Result.empty(inv.cniVersion())
        .withIps(
            List.of(
                Result.IpConfig.parse(
                    null, (String) ipam.get("address"), (String) ipam.get("gateway"))))
        .withRoutes(List.of(Result.Route.parse("0.0.0.0/0", (String) ipam.get("gateway"))))
        .withDns(new Result.Dns(List.of("10.9.0.53"), "cluster.local", List.of("svc"), List.of()));
  }

  @Override
  public void del(Invocation inv) {
    fail(inv);
  }

  @Override
  public void check(Invocation inv) {
    fail(inv);
  }

  @Override
  public void gc(Invocation inv) {
    fail(inv);
  }

  @Override
  public void status(Invocation inv) {
    fail(inv);
  }

  private static Map<String, Object> fail(Invocation inv) {
    Map<String, Object> ipam = inv.config().ipam();
    if (ipam.get("crash") != null) {
      throw new IllegalStateException("boom: " + ipam.get("crash"));
    }
    Object code = ipam.get("failCode");
    if (code != null) {
      throw new CniException(
          ((Number) code).intValue(), (String) ipam.get("failMsg"), "from " + inv.command());
    }
    return ipam;
  }
}
