package org.example.jpk;

import com.google.auto.service.AutoService;
import dev.jcni.api.CniPlugin;
import dev.jcni.api.CniType;
import dev.jcni.api.Invocation;
import dev.jcni.spec.Result;
import dev.jcni.spec.net.Cidr;
import java.net.InetAddress;
import java.util.List;

/** An IPAM plugin that hands out {@code ipam.address}; CHECK insists that it is set. */
@AutoService(CniPlugin.class)
@CniType("jpk-hello")
public final class HelloPlugin implements CniPlugin {
  record Ipam(Cidr address, InetAddress gateway) {}

  record Conf(Ipam ipam) {}

  private static Ipam ipam(Invocation inv) {
    Ipam ipam = inv.config(Conf.class).ipam();
    if (ipam == null || ipam.address() == null) {
      throw CniPlugin.invalidConfig("ipam.address is required");
    }
    return ipam;
  }

  @Override
  public Result add(Invocation inv) {
    Ipam ipam = ipam(inv);
    return Result.empty(inv.cniVersion()).withIps(List.of(new Result.IpConfig(null, ipam.address(), ipam.gateway())));
  }

  @Override
  public void check(Invocation inv) {
    ipam(inv);
  }

  @Override
  public void del(Invocation inv) {}
}
