package dev.jcni.testkit;

import dev.jcni.api.CniPlugin;
import dev.jcni.api.CniType;
import dev.jcni.api.Invocation;
import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.Result;
import dev.jcni.spec.net.Cidr;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A test plugin: ADD appends {@code address} (config key) on CNI_IFNAME to prevResult; "fail" fails
 * with code 7.
 */
@CniType("tk-echo")
public final class EchoPlugin implements CniPlugin {
  record Conf(Cidr address, InetAddress gateway, Boolean fail) {}

  @Override
  public Result add(Invocation inv) {
    Conf c = inv.config(Conf.class);
    if (Boolean.TRUE.equals(c.fail())) {
      throw new CniException(ErrorCodes.INVALID_NETWORK_CONFIG, "fail: asked to fail");
    }
    if (c.address() == null) {
      throw new IllegalStateException("no address");
    }
    Result base = inv.prevResult() != null ? inv.prevResult() : Result.empty(inv.cniVersion());
    List<Result.Interface> ifs = new ArrayList<>(base.interfaces());
    ifs.add(Result.Interface.of(inv.ifname(), "02:00:00:00:00:01", inv.netns()));
    List<Result.IpConfig> ips = new ArrayList<>(base.ips());
    ips.add(new Result.IpConfig(ifs.size() - 1, c.address(), c.gateway()));
    return base.withInterfaces(ifs).withIps(ips);
  }

  @Override
  public void del(Invocation inv) {}
}
