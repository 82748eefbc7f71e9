package com.example.podroutes;

import com.google.auto.service.AutoService;
import dev.jcni.api.CniPlugin;
import dev.jcni.api.CniType;
import dev.jcni.api.Invocation;
import dev.jcni.api.ResultIface;
import dev.jcni.netlink.Family;
import dev.jcni.netlink.Link;
import dev.jcni.system.NetNs;
import dev.jcni.netlink.Netlink;
import dev.jcni.system.ErrnoException;
import dev.jcni.netlink.Route;
import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.Result;
import dev.jcni.spec.json.Required;
import dev.jcni.spec.net.Cidr;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A chained plugin: after the plugin that created the pod's interface (bridge, ptp, ...), it adds routes to extra
 * destinations in the pod, via the gateway that plugin reported for {@code CNI_IFNAME}.
 *
 * <pre>{"type": "pod-routes", "routes": ["10.96.0.0/12"], "gateway": "10.40.0.1"}</pre>
 *
 * {@code gateway} is optional (default: the gateway of {@code CNI_IFNAME} in prevResult, per address family).
 * ADD returns prevResult with the routes appended; DEL removes them (nothing to do when the namespace or the
 * interface is already gone); CHECK verifies that they are still in the pod.
 */
@AutoService(CniPlugin.class)
@CniType("pod-routes")
public final class PodRoutesPlugin implements CniPlugin {

  /** The config keys of this plugin, bound strictly: a misspelt key is a code 7 error naming it. */
  record Conf(@Required List<Cidr> routes, InetAddress gateway) {}

  /** One route to add: destination network and next hop. */
  record Hop(Cidr dst, InetAddress gw) {
    Route on(int oif) {
      return Route.builder().dst(dst).gateway(gw).oif(oif).build();
    }
  }

  @Override
  public Result add(Invocation inv) {
    Result prev = inv.prevResult();
    if (prev == null) {
      throw CniPlugin.invalidConfig("pod-routes is a chained plugin: it needs a prevResult (put it after the plugin"
          + " that creates " + inv.ifname() + ")");
    }
    List<Hop> hops = hops(inv);
    try (NetNs pod = NetNs.open(Path.of(inv.netns())); Netlink nl = Netlink.openAt(pod)) {
      int oif = ifindex(nl, inv);
      List<Route> added = new ArrayList<>();
      try {
        for (Hop h : hops) {
          nl.routeReplace(h.on(oif)); // replace: a retried ADD finds its own routes
          added.add(h.on(oif));
        }
      } catch (ErrnoException e) {
        for (Route r : added) {
          nl.routeDel(r); // leave nothing behind on failure
        }
        throw e;
      }
    } catch (ErrnoException e) {
      throw e.toCniException("pod-routes: adding routes in " + inv.netns());
    }
    List<Result.Route> routes = new ArrayList<>(prev.routes());
    for (Hop h : hops) {
      routes.add(Result.Route.of(h.dst(), h.gw()));
    }
    return prev.withRoutes(routes);
  }

  @Override
  public void del(Invocation inv) {
    Conf conf = inv.strictConfig(Conf.class);
    Optional<NetNs> ns = NetNs.openIfPresent(inv.netns()); // the runtime may have removed the pod already
    if (ns.isEmpty()) {
      return;
    }
    try (NetNs pod = ns.get(); Netlink nl = Netlink.openAt(pod)) {
      Optional<Link> link = nl.linkGet(inv.ifname());
      if (link.isEmpty()) {
        return; // its routes went with it
      }
      for (Cidr dst : conf.routes()) {
        for (Route r : routesTo(nl, dst.network(), link.get().index())) {
          nl.routeDel(r);
        }
      }
    } catch (ErrnoException e) {
      if (!e.isNotFound()) {
        throw e.toCniException("pod-routes: removing routes in " + inv.netns());
      }
    }
  }

  @Override
  public void check(Invocation inv) {
    List<Hop> hops = hops(inv);
    try (NetNs pod = NetNs.open(Path.of(inv.netns())); Netlink nl = Netlink.openAt(pod)) {
      int oif = ifindex(nl, inv);
      for (Hop h : hops) {
        if (routesTo(nl, h.dst(), oif).stream().noneMatch(r -> h.gw().equals(r.gateway()))) {
          throw new CniException(ErrorCodes.INTERNAL, "pod-routes: no route to " + h.dst() + " via "
              + h.gw().getHostAddress() + " on " + inv.ifname());
        }
      }
    } catch (ErrnoException e) {
      throw e.toCniException("pod-routes: checking routes in " + inv.netns());
    }
  }

  /** The config's routes with their next hops: {@code gateway}, else CNI_IFNAME's gateway in prevResult. */
  static List<Hop> hops(Invocation inv) {
    Conf conf = inv.strictConfig(Conf.class);
    Optional<ResultIface> iface = inv.prevIface();
    List<Hop> hops = new ArrayList<>();
    for (Cidr dst : conf.routes()) {
      int family = dst.isIpv4() ? 4 : 6;
      InetAddress gw = conf.gateway() != null && (conf.gateway().getAddress().length == 4) == (family == 4)
          ? conf.gateway()
          : iface.flatMap(i -> i.gateway(family)).orElseThrow(() -> CniPlugin.invalidConfig("routes: no IPv"
              + family + " gateway for " + dst + ": prevResult has none on " + inv.ifname()
              + " and \"gateway\" is not set"));
      hops.add(new Hop(dst.network(), gw));
    }
    return hops;
  }

  private static int ifindex(Netlink nl, Invocation inv) {
    return nl.linkGet(inv.ifname()).map(Link::index).orElseThrow(() -> new CniException(ErrorCodes.INTERNAL,
        "pod-routes: no interface " + inv.ifname() + " in " + inv.netns()));
  }

  private static List<Route> routesTo(Netlink nl, Cidr dst, int oif) {
    Family f = dst.isIpv4() ? Family.V4 : Family.V6;
    return nl.routeList(f, Netlink.RouteFilter.MAIN.withDst(dst).withOif(oif));
  }
}
