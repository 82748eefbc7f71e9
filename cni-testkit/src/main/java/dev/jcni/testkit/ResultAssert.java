package dev.jcni.testkit;

import dev.jcni.api.ResultIface;
import dev.jcni.spec.Result;
import dev.jcni.spec.net.Cidr;
import dev.jcni.spec.net.InetAddresses;
import java.net.InetAddress;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a {@link Result}; see {@link CniAssertions}. Addresses compare as CIDRs, not as
 * text.
 */
public final class ResultAssert extends AbstractAssert<ResultAssert, Result> {
  ResultAssert(Result actual) {
    super(actual, ResultAssert.class);
  }

  public ResultAssert hasCniVersion(String version) {
    isNotNull();
    if (!actual.cniVersion().toString().equals(version)) {
      failWithMessage("expected cniVersion %s but was %s", version, actual.cniVersion());
    }
    return this;
  }

  /** Some {@code ips} entry has address {@code cidr} (e.g. {@code 10.40.0.2/16}). */
  public ResultAssert hasIp(String cidr) {
    isNotNull();
    Cidr want = Cidr.parse(cidr);
    for (Result.IpConfig ip : actual.ips()) {
      if (want.equals(ip.address())) {
        return this;
      }
    }
    failWithMessage("expected an ip %s in %s", cidr, actual.ips());
    return this;
  }

  /** Interface {@code ifname} exists and owns address {@code cidr}. */
  public ResultAssert hasIp(String ifname, String cidr) {
    ResultIface f = iface(ifname);
    if (!f.addresses().contains(Cidr.parse(cidr))) {
      failWithMessage("expected %s to have %s but it has %s", ifname, cidr, f.addresses());
    }
    return this;
  }

  /** Some {@code ips} entry has gateway {@code gw}. */
  public ResultAssert hasGateway(String gw) {
    isNotNull();
    InetAddress want = InetAddresses.parse(gw);
    for (Result.IpConfig ip : actual.ips()) {
      if (want.equals(ip.gateway())) {
        return this;
      }
    }
    failWithMessage("expected gateway %s in %s", gw, actual.ips());
    return this;
  }

  /** An interface named {@code ifname}; with {@code inSandbox} true it must carry a sandbox. */
  public ResultAssert hasInterface(String ifname, boolean inSandbox) {
    ResultIface f = iface(ifname);
    if (inSandbox && (f.sandbox() == null || f.sandbox().isEmpty())) {
      failWithMessage("expected interface %s to be in a sandbox but it has none", ifname);
    }
    return this;
  }

  /** A route to {@code dst} via {@code gw} ({@code gw} null: any or no gateway). */
  public ResultAssert hasRoute(String dst, String gw) {
    isNotNull();
    Cidr d = Cidr.parse(dst);
    InetAddress g = gw == null ? null : InetAddresses.parse(gw);
    for (Result.Route r : actual.routes()) {
      if (d.equals(r.dst()) && (g == null || g.equals(r.gw()))) {
        return this;
      }
    }
    failWithMessage("expected a route %s via %s in %s", dst, gw, actual.routes());
    return this;
  }

  public ResultAssert hasNoIps() {
    isNotNull();
    if (!actual.ips().isEmpty()) {
      failWithMessage("expected no ips but got %s", actual.ips());
    }
    return this;
  }

  private ResultIface iface(String ifname) {
    isNotNull();
    Optional<ResultIface> f = ResultIface.find(actual, ifname);
    if (f.isEmpty()) {
      failWithMessage("expected an interface %s in %s", ifname, actual.interfaces());
    }
    return f.orElseThrow();
  }
}
