package dev.jcni.plugins.meta.portmap;

import dev.jcni.plugins.common.firewall.FwValues;
import dev.jcni.spec.Result;
import java.util.List;

/**
 * The pod's first IPv4 and first IPv6 address from prevResult, as Go's portmap picks them: IPs
 * whose {@code interface} index points at a sandbox interface named CNI_IFNAME, or IPs without an
 * index.
 *
 * @param v4 address with its prefix (the prefix gives the pod subnet), or null
 * @param v6 same for IPv6, or null
 */
public record PodAddresses(FwValues.Cidr v4, FwValues.Cidr v6) {

  public static PodAddresses from(Result prev, String ifname) {
    FwValues.Cidr v4 = null;
    FwValues.Cidr v6 = null;
    List<Result.Interface> ifs = prev.interfaces();
    for (Result.IpConfig ip : prev.ips()) {
      Integer idx = ip.interfaceIndex();
      if (idx != null && idx >= 0 && idx < ifs.size()) {
        Result.Interface itf = ifs.get(idx);
        boolean sandbox = itf.sandbox() != null && !itf.sandbox().isEmpty();
        if (!sandbox || (ifname != null && !ifname.isEmpty() && !ifname.equals(itf.name()))) {
          continue;
        }
      }
      FwValues.Cidr c = new FwValues.Cidr(ip.address().address(), ip.address().prefixLength());
      if (c.family() == dev.jcni.plugins.common.firewall.IpFamily.V4) {
        if (v4 == null) {
          v4 = c;
        }
      } else if (v6 == null) {
        v6 = c;
      }
    }
    return new PodAddresses(v4, v6);
  }

  public boolean isEmpty() {
    return v4 == null && v6 == null;
  }
}
