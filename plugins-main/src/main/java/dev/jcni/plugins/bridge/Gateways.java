package dev.jcni.plugins.bridge;

import dev.jcni.spec.Result;
import dev.jcni.spec.net.Cidr;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Go's calcGateways: every IPAM address goes on the container interface (index 2), a missing
 * gateway becomes the subnet's first address when the bridge is a gateway, a default route per
 * family is added for {@code isDefaultGateway} unless IPAM already gave one with a gateway, and the
 * bridge's gateway addresses ({@code gw/prefix}) are collected per family.
 */
final class Gateways {
  /**
   * The result with interface indexes, gateways and default routes applied, and the bridge
   * addresses.
   */
  record Plan(Result result, List<Cidr> v4, List<Cidr> v6) {}

  private static final Cidr ANY4 = Cidr.parse("0.0.0.0/0");
  private static final Cidr ANY6 = Cidr.parse("::/0");

  private Gateways() {}

  static Plan calc(Result r, boolean isGateway, boolean isDefaultGateway, int containerIndex) {
    List<Result.IpConfig> ips = new ArrayList<>();
    List<Result.Route> routes = new ArrayList<>(r.routes());
    List<Cidr> v4 = new ArrayList<>();
    List<Cidr> v6 = new ArrayList<>();
    boolean[] defaultFound = new boolean[2];
    for (Result.IpConfig ip : r.ips()) {
      Cidr addr = ip.address();
      int fam = addr.isIpv4() ? 0 : 1;
      InetAddress gw = ip.gateway();
      if (gw == null && isGateway) {
        gw = addr.firstHost();
      }
      ips.add(new Result.IpConfig(containerIndex, ip.address(), gw));
      if (isDefaultGateway && !defaultFound[fam]) {
        for (Result.Route rt : r.routes()) {
          if (rt.gw() != null && isDefault(rt.dst(), addr.isIpv4())) {
            defaultFound[fam] = true;
            break;
          }
        }
        if (!defaultFound[fam]) {
          routes.add(Result.Route.of(addr.isIpv4() ? ANY4 : ANY6, gw));
          defaultFound[fam] = true;
        }
      }
      if (isGateway) {
        Cidr gwNet = Cidr.of(gw, addr.prefixLength());
        (addr.isIpv4() ? v4 : v6).add(gwNet);
      }
    }
    return new Plan(r.withIps(ips).withRoutes(routes), v4, v6);
  }

  private static boolean isDefault(Cidr dst, boolean v4) {
    return dst.isIpv4() == v4 && dst.prefixLength() == 0;
  }
}
