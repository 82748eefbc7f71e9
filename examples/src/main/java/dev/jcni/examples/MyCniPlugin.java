package dev.jcni.examples;

import com.google.auto.service.AutoService;
import dev.jcni.api.Attachment;
import dev.jcni.api.CniPlugin;
import dev.jcni.api.CniType;
import dev.jcni.api.Invocation;
import dev.jcni.api.PluginLog;
import dev.jcni.api.ResultIface;
import dev.jcni.netlink.Family;
import dev.jcni.netlink.Link;
import dev.jcni.netlink.Netlink;
import dev.jcni.plugins.common.IfaceConfig;
import dev.jcni.plugins.common.Veths;
import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.ErrorText;
import dev.jcni.spec.Result;
import dev.jcni.spec.json.Required;
import dev.jcni.spec.net.Cidr;
import dev.jcni.spec.net.InetAddresses;
import dev.jcni.system.ErrnoException;
import dev.jcni.system.Flock;
import dev.jcni.system.NetNs;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code mycni}, the plugin of the tutorial this project grew from, in full. With the tutorial's
 * conflist
 *
 * <pre>{"cniVersion": "0.3.1", "name": "mynet", "plugins": [{"type": "mycni",
 *   "subnet": "10.40.0.0/16", "gateway": "10.40.0.1", "dataDir": "/var/lib/cni"}]}</pre>
 *
 * ADD wires a pod: the node's bridge ({@code bridge}, default {@code cni0}) gets the gateway
 * address, a veth pair joins it to the pod where its end is {@code CNI_IFNAME}, and the pod gets
 * the next free address of {@code subnet} and a default route via the gateway. Addresses are files
 * {@code <dataDir>/mycni/<network>/<address>} holding the container ID and ifname, allocated under
 * a {@code flock} on {@code lock} in that directory, so concurrent ADDs never share one. DEL
 * removes the veth (if the netns still exists) and the reservation; the bridge stays for the other
 * pods. CHECK verifies both ends; GC drops reservations of attachments that are no longer valid;
 * STATUS fails with code 50 when the subnet is full. Every call logs to {@code logFile} (default
 * {@code <dataDir>/mycni/mycni.log}), as the tutorial's Go logger does, and wherever {@code
 * JCNI_LOG} points.
 *
 * <p>Only SDK API is used: {@code cni-api} (plugin, config binding, prevResult, log), {@code
 * cni-system} (netns, flock), {@code cni-netlink} (netlink) and the published dataplane helpers
 * {@code Veths}/{@code IfaceConfig} of {@code plugins-common} (Go's {@code ip.SetupVeth} and {@code
 * ipam.ConfigureIface}).
 */
@AutoService(CniPlugin.class)
@CniType("mycni")
public final class MyCniPlugin implements CniPlugin {

  /**
   * The tutorial's keys, plus {@code bridge} and {@code logFile}; bound strictly (a misspelt key is
   * code 7).
   */
  record Conf(
      @Required Cidr subnet, Inet4Address gateway, String dataDir, String bridge, String logFile) {}

  /** A validated config: the subnet, its gateway, the node's bridge, the reservation directory. */
  record Net(Cidr subnet, InetAddress gateway, String bridge, Path dir, PluginLog log) {
    /** The gateway with the subnet's prefix, as the bridge carries it. */
    Cidr gatewayNet() {
      return Cidr.of(gateway, subnet.prefixLength());
    }
  }

  // ------------------------------------------------------------------ verbs

  @Override
  public Result add(Invocation inv) {
    Net net = parse(inv);
    InetAddress ip = allocate(net, owner(inv));
    Cidr podAddr = Cidr.of(ip, net.subnet().prefixLength());
    try (NetNs pod = NetNs.open(Path.of(inv.netns()));
        Netlink node = Netlink.open();
        Netlink podNl = Netlink.openAt(pod)) {
      Link bridge = ensureBridge(node, net);
      Veths.Pair veth = Veths.create(node, pod, podNl, inv.ifname(), bridge.mtu(), null);
      try {
        node.linkSetMaster(veth.host().name(), bridge.index());
        Result result = result(inv, net, podAddr, bridge, veth);
        IfaceConfig.configure(pod, podNl, inv.ifname(), result, 2);
        net.log()
            .info(
                "ADD "
                    + podAddr
                    + " on "
                    + inv.ifname()
                    + ", host end "
                    + veth.host().name()
                    + " in "
                    + net.bridge());
        return result;
      } catch (RuntimeException e) {
        Veths.deleteInContainer(podNl, inv.ifname()); // removes both ends
        throw e;
      }
    } catch (RuntimeException e) {
      try {
        release(net, owner(inv));
      } catch (RuntimeException r) {
        e.addSuppressed(r);
      }
      net.log().error("ADD failed, released " + podAddr, e);
      throw e instanceof ErrnoException
          ? ((ErrnoException) e).toCniException("mycni: wiring the pod")
          : e;
    }
  }

  @Override
  public void del(Invocation inv) {
    Net net = parse(inv);
    Optional<NetNs> pod =
        NetNs.openIfPresent(inv.netns()); // DEL may come after the runtime removed the netns
    if (pod.isPresent()) {
      try (NetNs ns = pod.get();
          Netlink podNl = Netlink.openAt(ns)) {
        Veths.deleteInContainer(podNl, inv.ifname());
      }
    }
    String released = release(net, owner(inv));
    net.log().info("DEL released " + (released == null ? "nothing" : released));
  }

  @Override
  public void check(Invocation inv) {
    Net net = parse(inv);
    InetAddress ip = find(net, owner(inv));
    if (ip == null) {
      throw new CniException(
          ErrorCodes.INTERNAL,
          "mycni: no address reserved for " + inv.containerId() + "/" + inv.ifname());
    }
    Cidr want = Cidr.of(ip, net.subnet().prefixLength());
    Optional<ResultIface> prev = inv.prevIface();
    if (prev.isEmpty() || !prev.get().addresses().contains(want)) {
      throw new CniException(
          ErrorCodes.INTERNAL, "mycni: prevResult has no " + want + " on " + inv.ifname());
    }
    try (NetNs pod = NetNs.open(Path.of(inv.netns()));
        Netlink node = Netlink.open();
        Netlink podNl = Netlink.openAt(pod)) {
      Link bridge =
          node.linkGet(net.bridge())
              .orElseThrow(
                  () ->
                      new CniException(
                          ErrorCodes.INTERNAL, "mycni: bridge " + net.bridge() + " is missing"));
      Link eth =
          podNl
              .linkGet(inv.ifname())
              .orElseThrow(
                  () ->
                      new CniException(
                          ErrorCodes.INTERNAL,
                          "mycni: " + inv.ifname() + " is missing in " + inv.netns()));
      Link peer = node.linkGet(eth.vethPeerIndex()).orElse(null);
      if (peer == null || peer.masterIndex() != bridge.index()) {
        throw new CniException(
            ErrorCodes.INTERNAL,
            "mycni: the host end of " + inv.ifname() + " is not in " + net.bridge());
      }
      if (podNl.addrList(eth.index(), Family.V4).stream().noneMatch(a -> a.net().equals(want))) {
        throw new CniException(
            ErrorCodes.INTERNAL, "mycni: " + inv.ifname() + " does not have " + want);
      }
      if (podNl.routeList(Family.V4).stream()
          .noneMatch(r -> r.isDefault() && net.gateway().equals(r.gateway()))) {
        throw new CniException(
            ErrorCodes.INTERNAL, "mycni: no default route via " + net.gateway().getHostAddress());
      }
    } catch (ErrnoException e) {
      throw e.toCniException("mycni: checking the pod");
    }
  }

  @Override
  @SuppressWarnings("try") // try-with-resources holds a lock for the block, which never reads it
  public void gc(Invocation inv) {
    Net net = parse(inv);
    Set<String> keep = new HashSet<>();
    for (Attachment a : inv.validAttachments()) {
      keep.add(a.containerId() + "\n" + a.ifname() + "\n");
    }
    if (!Files.isDirectory(net.dir())) {
      return;
    }
    try (Flock lock = Flock.lock(net.dir().resolve("lock"))) {
      for (Path p : reservations(net)) {
        String owner = read(p);
        if (owner != null && !keep.contains(owner)) {
          delete(p);
          net.log().info("GC released " + p.getFileName());
        }
      }
    }
  }

  @Override
  public void status(Invocation inv) {
    Net net = parse(inv);
    long hosts =
        (1L << (32 - net.subnet().prefixLength())) - 3; // minus network, broadcast, gateway
    if (reservations(net).size() >= hosts) {
      throw new CniException(
          ErrorCodes.PLUGIN_NOT_AVAILABLE, "mycni: no free address in " + net.subnet());
    }
  }

  // ------------------------------------------------------------------ config

  static Net parse(Invocation inv) {
    Conf c = inv.strictConfig(Conf.class);
    Cidr subnet = c.subnet().network();
    if (!subnet.isIpv4() || subnet.prefixLength() < 1 || subnet.prefixLength() > 30) {
      throw CniPlugin.invalidConfig(
          "subnet: " + c.subnet() + " is not an IPv4 CIDR with a prefix of 1..30");
    }
    InetAddress gw = c.gateway() == null ? subnet.firstHost() : c.gateway();
    if (!subnet.contains(gw)
        || gw.equals(subnet.networkAddress())
        || gw.equals(subnet.lastAddress())) {
      throw CniPlugin.invalidConfig(
          "gateway: " + gw.getHostAddress() + " is not a host address of subnet " + subnet);
    }
    String bridge = c.bridge() == null || c.bridge().isEmpty() ? "cni0" : c.bridge();
    if (bridge.length() > 15 || bridge.contains("/") || bridge.contains(" ")) {
      throw CniPlugin.invalidConfig("bridge: \"" + bridge + "\" is not a valid interface name");
    }
    Path data =
        Path.of(
            c.dataDir() == null || c.dataDir().isEmpty() ? "/var/lib/cni" : c.dataDir(), "mycni");
    Path logFile =
        c.logFile() == null || c.logFile().isEmpty()
            ? data.resolve("mycni.log")
            : Path.of(c.logFile());
    try {
      Files.createDirectories(logFile.getParent());
    } catch (IOException e) {
      throw new CniException(
          ErrorCodes.IO_FAILURE, "logFile: cannot create " + logFile.getParent());
    }
    return new Net(
        subnet, gw, bridge, data.resolve(inv.config().name()), PluginLog.of(inv).alsoTo(logFile));
  }

  // ------------------------------------------------------------------ node side

  /**
   * The bridge with the gateway address, up; created when missing (a concurrent ADD may win the
   * race).
   */
  private static Link ensureBridge(Netlink node, Net net) {
    Optional<Link> br = node.linkGet(net.bridge());
    if (br.isEmpty()) {
      try {
        node.linkAddBridge(net.bridge());
        net.log().info("created bridge " + net.bridge());
      } catch (ErrnoException e) {
        if (!e.isExists()) {
          throw e;
        }
      }
      br = node.linkGet(net.bridge());
    }
    Link bridge = br.orElseThrow();
    if (!"bridge".equals(bridge.kind())) {
      throw CniPlugin.invalidConfig("bridge: " + net.bridge() + " exists and is not a bridge");
    }
    try {
      node.addrAdd(net.bridge(), net.gatewayNet());
    } catch (ErrnoException e) {
      if (!e.isExists()) {
        throw e;
      }
    }
    node.linkSetUp(bridge.index());
    return bridge;
  }

  /**
   * interfaces [bridge, host veth, pod end]; the pod's address on interface 2; a default route via
   * the gateway.
   */
  private static Result result(
      Invocation inv, Net net, Cidr podAddr, Link bridge, Veths.Pair veth) {
    InetAddress gw = net.gateway();
    return Result.empty(inv.cniVersion())
        .withInterfaces(
            List.of(
                Result.Interface.of(bridge.name(), bridge.mac().toString(), null),
                Result.Interface.of(veth.host().name(), veth.host().mac().toString(), null),
                Result.Interface.of(inv.ifname(), veth.container().mac().toString(), inv.netns())))
        .withIps(List.of(new Result.IpConfig(2, podAddr, gw)))
        .withRoutes(List.of(Result.Route.of(Cidr.parse("0.0.0.0/0"), gw)));
  }

  // ------------------------------------------------------------------ reservations

  private static String owner(Invocation inv) {
    return inv.containerId() + "\n" + inv.ifname() + "\n";
  }

  /**
   * Reserves the lowest free address for {@code owner}, under the directory's flock. An owner that
   * already has one is an error (the spec forbids a second ADD without DEL), so a failed duplicate
   * ADD never releases a live pod's address.
   */
  @SuppressWarnings("try") // try-with-resources holds a lock for the block, which never reads it
  private static InetAddress allocate(Net net, String owner) {
    try {
      Files.createDirectories(net.dir());
    } catch (IOException e) {
      throw new CniException(
          ErrorCodes.IO_FAILURE, "dataDir: cannot create " + net.dir() + ": " + e.getMessage());
    }
    try (Flock lock = Flock.lock(net.dir().resolve("lock"))) {
      InetAddress mine = find(net, owner);
      if (mine != null) {
        throw new CniException(
            ErrorCodes.INTERNAL,
            "mycni: "
                + owner.trim().replace('\n', '/')
                + " already has "
                + mine.getHostAddress()
                + " (ADD twice without DEL)");
      }
      InetAddress last = net.subnet().lastAddress();
      for (InetAddress ip = net.subnet().firstHost();
          !ip.equals(last);
          ip = InetAddresses.next(ip)) {
        Path p = net.dir().resolve(ip.getHostAddress());
        if (!ip.equals(net.gateway()) && !Files.exists(p)) {
          Files.write(p, owner.getBytes(StandardCharsets.UTF_8));
          return ip;
        }
      }
    } catch (IOException e) {
      throw new CniException(
          ErrorCodes.IO_FAILURE, "dataDir: cannot write " + net.dir() + ": " + ErrorText.of(e));
    }
    throw new CniException(
        ErrorCodes.PLUGIN_NOT_AVAILABLE, "mycni: no free address in " + net.subnet());
  }

  /** Deletes {@code owner}'s reservation; returns its address, or null when there was none. */
  @SuppressWarnings("try") // try-with-resources holds a lock for the block, which never reads it
  private static String release(Net net, String owner) {
    if (!Files.isDirectory(net.dir())) {
      return null;
    }
    try (Flock lock = Flock.lock(net.dir().resolve("lock"))) {
      InetAddress ip = find(net, owner);
      if (ip == null) {
        return null;
      }
      delete(net.dir().resolve(ip.getHostAddress()));
      return ip.getHostAddress();
    }
  }

  private static InetAddress find(Net net, String owner) {
    for (Path p : reservations(net)) {
      if (owner.equals(read(p))) {
        return InetAddresses.fromBytes(InetAddresses.parseBytes(p.getFileName().toString()));
      }
    }
    return null;
  }

  /** The reservation files: those named like an IPv4 address. */
  private static List<Path> reservations(Net net) {
    List<Path> out = new java.util.ArrayList<>();
    if (!Files.isDirectory(net.dir())) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(net.dir())) {
      for (Path p : ds) {
        byte[] b = InetAddresses.parseBytes(p.getFileName().toString());
        if (b != null && b.length == 4) {
          out.add(p);
        }
      }
    } catch (IOException e) {
      throw new CniException(
          ErrorCodes.IO_FAILURE, "dataDir: cannot list " + net.dir() + ": " + ErrorText.of(e));
    }
    return out;
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.nio.file.NoSuchFileException gone) {
      return null;
    } catch (IOException e) {
      throw new CniException(
          ErrorCodes.IO_FAILURE, "dataDir: cannot read " + p + ": " + ErrorText.of(e));
    }
  }

  private static void delete(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new CniException(
          ErrorCodes.IO_FAILURE, "dataDir: cannot delete " + p + ": " + ErrorText.of(e));
    }
  }
}
