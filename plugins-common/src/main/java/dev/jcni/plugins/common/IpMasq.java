package dev.jcni.plugins.common;

import dev.jcni.plugins.common.firewall.Backend;
import dev.jcni.plugins.common.firewall.Firewall;
import dev.jcni.spec.CniException;
import dev.jcni.spec.Result;
import dev.jcni.spec.net.Cidr;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Masquerading for bridge, ptp and vxlan ({@code ipMasq}): traffic from a pod's addresses to
 * anything outside its subnet (multicast excepted) is source-NATed, as Go's ipmasq does. One
 * implementation per backend, both written on the typed script builders of {@link
 * dev.jcni.plugins.common.firewall} and applied through the same {@link Firewall} runner and {@link
 * Backend} choice as portmap: {@link IpMasqNft} (a table per attachment) and {@link IpMasqIptables}
 * (a chain per attachment). Unlike Go, everything is keyed by the attachment's {@link Owner}, so
 * DEL and GC remove it without knowing the pod's addresses, and the names never collide with the Go
 * plugins' ({@code CNI-…} chains, table {@code inet cni_plugins_masquerade}): both can run on one
 * node.
 *
 * <pre>{@code
 * Firewall fw = Firewall.system();
 * Owner owner = new Owner("mynet", containerId, "eth0");
 * IpMasq.choose(IpMasq.parseBackend(conf.ipMasqBackend()), fw).setup(owner, List.of(Cidr.parse("10.22.0.5/24")));
 * IpMasq.teardownAll(fw, owner);               // DEL: both backends, idempotent
 * IpMasq.gcAll(fw, "mynet", validOwners);      // GC
 * }</pre>
 */
public interface IpMasq {

  /** The backend this implementation writes to. */
  Backend backend();

  /**
   * Installs (or replaces) masquerading of the attachment's addresses ({@code ips}: pod addresses
   * with their prefix). One write transaction per tool and family.
   */
  void setup(Owner o, Collection<Cidr> ips);

  /**
   * Removes the attachment's masquerading; nothing there is success. Failures of a backend that is
   * not installed or not usable are ignored (as Go does: otherwise DEL would fail forever on a node
   * without, say, nf_tables); other failures are appended to {@code errors} after every step has
   * run.
   */
  void teardown(Owner o, List<String> errors);

  /** True when the attachment's masquerading is installed (for CHECK). */
  boolean present(Owner o, Collection<Cidr> ips);

  /**
   * Removes the masquerading of every attachment of {@code network} not in {@code keep}; failures
   * to {@code errors}.
   */
  void gc(String network, Collection<Owner> keep, List<String> errors);

  /** The implementation of {@code backend}. */
  static IpMasq of(Backend backend, Firewall fw) {
    return backend == Backend.NFTABLES ? new IpMasqNft(fw) : new IpMasqIptables(fw);
  }

  /** The configured backend, or (null) Go's default choice, the same rule portmap follows. */
  static IpMasq choose(Backend configured, Firewall fw) {
    return of(configured != null ? configured : fw.defaultBackend(), fw);
  }

  /**
   * Parses {@code ipMasqBackend} as Go's ipmasq does (exact spelling); null means automatic. An
   * unknown value is code 7 naming the key.
   */
  static Backend parseBackend(String value) {
    if (value == null) {
      return null;
    }
    for (Backend b : Backend.values()) {
      if (b.configName().equals(value)) {
        return b;
      }
    }
    throw CniException.invalidConfig(
        "ipMasqBackend: unknown ipmasq backend \""
            + value
            + "\" (must be \"iptables\" or \"nftables\")");
  }

  /**
   * Removes the attachment's masquerading from both backends (the pod may have been set up with
   * either).
   */
  static void teardownAll(Firewall fw, Owner o) {
    List<String> errors = new ArrayList<>();
    new IpMasqNft(fw).teardown(o, errors);
    new IpMasqIptables(fw).teardown(o, errors);
    if (!errors.isEmpty()) {
      throw new IllegalStateException("ipMasq teardown: " + String.join("; ", errors));
    }
  }

  /** GC over both backends. */
  static void gcAll(Firewall fw, String network, Collection<Owner> keep) {
    List<String> errors = new ArrayList<>();
    new IpMasqNft(fw).gc(network, keep, errors);
    new IpMasqIptables(fw).gc(network, keep, errors);
    if (!errors.isEmpty()) {
      throw new IllegalStateException("ipMasq gc: " + String.join("; ", errors));
    }
  }

  /** True when the attachment's masquerading is installed with either backend (for CHECK). */
  static boolean presentAny(Firewall fw, Owner o, Collection<Cidr> ips) {
    return new IpMasqNft(fw).present(o, ips) || new IpMasqIptables(fw).present(o, ips);
  }

  /** The addresses of a result's IP entries. */
  static List<Cidr> addresses(List<Result.IpConfig> ips) {
    List<Cidr> out = new ArrayList<>();
    for (Result.IpConfig ip : ips) {
      out.add(ip.address());
    }
    return out;
  }
}
