package dev.jcni.spec.result;

import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;

/**
 * libcni's converter table: within one package a result is only relabelled; 020 ↔ 040 and 040 ↔ 100
 * have converters, and 020 ↔ 100 goes through 0.4.0. A pair without a converter fails with code 1.
 */
final class Converter {
  private Converter() {}

  static final int K020 = 2;
  static final int K040 = 4;
  static final int K100 = 100;

  static int kindOf(String version) {
    switch (version) {
      case "0.1.0":
      case "0.2.0":
        return K020;
      case "0.3.0":
      case "0.3.1":
      case "0.4.0":
        return K040;
      case "1.0.0":
      case "1.1.0":
        return K100;
      default:
        return 0;
    }
  }

  static WireResult convert(WireResult from, String to) {
    if (from.version.equals(to)) {
      return from;
    }
    int fk = kindOf(from.version);
    int tk = kindOf(to);
    if (tk == fk) {
      return from.relabel(to);
    }
    switch (fk) {
      case K020:
        if (tk == K040) {
          return from02x((Types020) from, to);
        }
        if (tk == K100) {
          return between04and100(from02x((Types020) from, "0.4.0"), new Types100(to));
        }
        break;
      case K040:
        if (tk == K020) {
          return to02x((Types040) from, to);
        }
        if (tk == K100) {
          return between04and100((Types040) from, new Types100(to));
        }
        break;
      case K100:
        if (tk == K040) {
          return between04and100((Types100) from, new Types040(to));
        }
        if (tk == K020) {
          return convert(between04and100((Types100) from, new Types040("0.4.0")), to);
        }
        break;
      default:
        break;
    }
    throw new CniException(
        ErrorCodes.INCOMPATIBLE_CNI_VERSION,
        "no converter for CNI result version " + from.version + " to " + to);
  }

  /**
   * types040 convertFrom02x: ip4 then ip6 become labelled ips; their routes, ip4's first, go to the
   * top level.
   */
  private static Types040 from02x(Types020 from, String to) {
    Types040 w = new Types040(to);
    w.dns = from.dns;
    for (int f = 4; f <= 6; f += 2) {
      Types020.Ip02 src = f == 4 ? from.ip4 : from.ip6;
      if (src == null) {
        continue;
      }
      Parts.Ip ip = new Parts.Ip();
      ip.label = f == 4 ? "4" : "6";
      ip.address = src.ip;
      ip.gateway = src.gateway;
      w.ips.add(ip);
      w.routes.addAll(src.routes);
    }
    return w;
  }

  /**
   * types040 convertTo02x: the first IP labelled "4" and the first labelled "6" (the label, not the
   * address, is trusted); routes go by the family of their dst, only dst and gw kept, dropped when
   * that family has no IP.
   */
  private static Types020 to02x(Types040 from, String to) {
    Types020 w = new Types020(to);
    w.dns = from.dns;
    for (Parts.Ip ip : from.ips) {
      if (ip.label.equals("4") && w.ip4 == null) {
        w.ip4 = Types020.Ip02.of(ip);
      } else if (ip.label.equals("6") && w.ip6 == null) {
        w.ip6 = Types020.Ip02.of(ip);
      }
      if (w.ip4 != null && w.ip6 != null) {
        break;
      }
    }
    for (Parts.Rt r : from.routes) {
      boolean is4 = r.dst.isIpv4();
      if (is4 && w.ip4 != null) {
        w.ip4.routes.add(r.basic());
      } else if (!is4 && w.ip6 != null) {
        w.ip6.routes.add(r.basic());
      }
    }
    if (w.ip4 == null && w.ip6 == null) {
      throw new CniException(
          ErrorCodes.INCOMPATIBLE_CNI_VERSION, "cannot convert: no valid IP addresses");
    }
    return w;
  }

  /**
   * types100 convertFrom04x / convertTo04x: both keep the same fields (interfaces trimmed to name,
   * mac, sandbox; routes whole); only 0.4.0's per-IP "version" label differs, taken from the
   * address family.
   */
  private static <T extends ListResult> T between04and100(ListResult from, T w) {
    w.dns = from.dns;
    for (Parts.If i : from.ifs) {
      w.ifs.add(i.trimmed());
    }
    for (Parts.Ip ip : from.ips) {
      Parts.Ip o = new Parts.Ip();
      o.label = w.labelled() ? ListResult.familyLabel(ip.address) : "";
      o.iface = ip.iface;
      o.address = ip.address;
      o.gateway = ip.gateway;
      w.ips.add(o);
    }
    w.routes.addAll(from.routes);
    return w;
  }
}
