package dev.jcni.ipam.staticip;

import com.google.auto.service.AutoService;
import dev.jcni.api.CniPlugin;
import dev.jcni.api.CniType;
import dev.jcni.api.Invocation;
import dev.jcni.spec.CniException;
import dev.jcni.spec.Result;

/**
 * The {@code static} IPAM plugin: the addresses, routes and DNS named in the config (or in {@code
 * CNI_ARGS}, {@code args.cni.ips}, the {@code ips} capability), with Go's precedence and messages.
 * It keeps no state: DEL and GC have nothing to release, STATUS is always available. See the module
 * README.
 */
@AutoService(CniPlugin.class)
@CniType("static")
public final class StaticPlugin implements CniPlugin {

  @Override
  public Result add(Invocation inv) {
    return StaticConfig.parse(inv.config().raw(), inv.args()).result();
  }

  /**
   * Nothing was allocated; DEL does not even read the config, so an edited config cannot block it.
   */
  @Override
  public void del(Invocation inv) {}

  /** Every configured address must be in prevResult, with its gateway when one is configured. */
  @Override
  public void check(Invocation inv) {
    StaticConfig c = StaticConfig.parse(inv.config().raw(), inv.args());
    Result prev = inv.prevResult();
    if (prev == null) {
      throw CniException.invalidConfig(
          "prevResult: required for CHECK (Required prevResult missing)");
    }
    for (StaticConfig.StaticAddress a : c.addresses()) {
      Result.IpConfig found = null;
      for (Result.IpConfig ip : prev.ips()) {
        if (ip.address().address().equals(a.address().address())) {
          found = ip;
          break;
        }
      }
      if (found == null) {
        throw new IllegalStateException(
            "static: address "
                + a.address()
                + " not found in prevResult for interface "
                + inv.ifname());
      }
      if (a.gateway() != null) {
        if (!a.gateway().equals(found.gateway())) {
          throw new IllegalStateException(
              "static: Failed to match addr "
                  + a.address().addressString()
                  + " on interface "
                  + inv.ifname());
        }
      }
    }
  }

  @Override
  public String about() {
    return "jcni static IPAM plugin (addresses from config, CNI_ARGS, args.cni.ips or the ips capability)";
  }
}
