package dev.jcni.examples;

import com.google.auto.service.AutoService;
import dev.jcni.api.CniPlugin;
import dev.jcni.api.CniType;
import dev.jcni.api.Invocation;
import dev.jcni.spec.Result;
import dev.jcni.spec.net.Cidr;
import java.net.InetAddress;
import java.util.List;

/**
 * The README's ten-line plugin: an IPAM plugin that hands out the one address in {@code
 * ipam.address}.
 */
@AutoService(CniPlugin.class)
@CniType("fixed-ip")
public final class FixedIpPlugin implements CniPlugin {
  record Ipam(Cidr address, InetAddress gateway) {}

  record Conf(Ipam ipam) {}

  @Override
  public Result add(Invocation inv) {
    Ipam ipam = inv.config(Conf.class).ipam();
    if (ipam == null || ipam.address() == null) {
      throw CniPlugin.invalidConfig("ipam.address is required");
    }
    return Result.empty(inv.cniVersion())
        .withIps(List.of(new Result.IpConfig(null, ipam.address(), ipam.gateway())));
  }

  @Override
  public void del(Invocation inv) {} // nothing was reserved
}
