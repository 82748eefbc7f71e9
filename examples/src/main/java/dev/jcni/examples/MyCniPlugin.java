package dev.jcni.examples;

import dev.jcni.spec.ErrorText;
import com.google.auto.service.AutoService;
import dev.jcni.api.Attachment;
import dev.jcni.api.CniPlugin;
import dev.jcni.api.CniType;
import dev.jcni.api.Invocation;
import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code mycni}, the plugin of the tutorial this project started from, in its simplest honest form: it validates
 * the tutorial's config keys ({@code subnet}, {@code gateway}, {@code dataDir}), reserves one IPv4 address of
 * {@code subnet} per (container, interface) in files under {@code <dataDir>/mycni/<network name>/}, and returns it
 * with a default route via the gateway. It configures no interface: chain it after a plugin that does, or put it in
 * front of one, as the tutorial's conflist would.
 *
 * <p>A reservation is a file named after the address holding {@code <containerID>\n<ifname>\n}, created with
 * CREATE_NEW, so concurrent ADDs for different containers never get the same address without any lock.
 */
@AutoService(CniPlugin.class)
@CniType("mycni")
public final class MyCniPlugin implements CniPlugin {
  /** The tutorial's keys; {@code dataDir} defaults to /var/lib/cni like the tutorial's config. */
  record Conf(String subnet, String gateway, String dataDir) {}

  /** A parsed, validated config. */
  record Net(int network, int prefix, int gateway, Path dir) {
    int broadcast() {
      return prefix == 32 ? network : network | (int) ((1L << (32 - prefix)) - 1);
    }

    String cidr(int ip) {
      return dotted(ip) + "/" + prefix;
    }
  }

  @Override
  public Result add(Invocation inv) {
    Net net = parse(inv);
    String owner = owner(inv);
    int ip = find(net, owner);
    if (ip == 0) {
      ip = reserve(net, owner);
    }
    Result base = inv.prevResult() != null ? inv.prevResult() : Result.empty(inv.cniVersion());
    List<Result.IpConfig> ips = new ArrayList<>(base.ips());
    ips.add(new Result.IpConfig(null, net.cidr(ip), dotted(net.gateway())));
    List<Result.Route> routes = new ArrayList<>(base.routes());
    routes.add(Result.Route.of("0.0.0.0/0", dotted(net.gateway())));
    return base.withIps(ips).withRoutes(routes);
  }

  @Override
  public void del(Invocation inv) {
    Net net = parse(inv);
    int ip = find(net, owner(inv));
    if (ip != 0) {
      delete(net.dir().resolve(dotted(ip)));
    }
  }

  @Override
  public void check(Invocation inv) {
    Net net = parse(inv);
    int ip = find(net, owner(inv));
    if (ip == 0) {
      throw new CniException(ErrorCodes.INTERNAL,
          "mycni: no address reserved for " + inv.containerId() + "/" + inv.ifname());
    }
    if (inv.prevResult() != null
        && inv.prevResult().ips().stream().noneMatch(c -> net.cidr(ip).equals(c.address()))) {
      throw new CniException(ErrorCodes.INTERNAL, "mycni: reserved " + net.cidr(ip) + " is not in prevResult");
    }
  }

  @Override
  public void gc(Invocation inv) {
    Net net = parse(inv);
    Set<String> keep = new HashSet<>();
    for (Attachment a : inv.validAttachments()) {
      keep.add(a.containerId() + "\n" + a.ifname() + "\n");
    }
    for (Path p : reservations(net)) {
      String owner = read(p);
      if (owner != null && !keep.contains(owner)) {
        delete(p);
      }
    }
  }

  @Override
  public void status(Invocation inv) {
    Net net = parse(inv);
    long free = (long) net.broadcast() - net.network() - 1 - 1 - reservations(net).size();
    if (free <= 0) {
      throw new CniException(ErrorCodes.PLUGIN_NOT_AVAILABLE, "mycni: no free address in " + net.cidr(net.network()));
    }
  }

  // ------------------------------------------------------------------ config

  static Net parse(Invocation inv) {
    Conf c = inv.config(Conf.class);
    if (c.subnet() == null || c.subnet().isEmpty()) {
      throw CniPlugin.invalidConfig("subnet: required (an IPv4 CIDR such as 10.40.0.0/16)");
    }
    int slash = c.subnet().indexOf('/');
    int prefix;
    int addr;
    try {
      prefix = Integer.parseInt(c.subnet().substring(slash + 1));
      addr = slash > 0 ? ipv4(c.subnet().substring(0, slash)) : -1;
    } catch (RuntimeException e) {
      throw CniPlugin.invalidConfig("subnet: " + c.subnet() + " is not an IPv4 CIDR");
    }
    if (slash <= 0 || prefix < 1 || prefix > 30) {
      throw CniPlugin.invalidConfig("subnet: " + c.subnet() + " is not an IPv4 CIDR with a prefix of 1..30");
    }
    int mask = (int) (0xffffffffL << (32 - prefix));
    int network = addr & mask;
    int gw;
    if (c.gateway() == null || c.gateway().isEmpty()) {
      gw = network + 1;
    } else {
      try {
        gw = ipv4(c.gateway());
      } catch (RuntimeException e) {
        throw CniPlugin.invalidConfig("gateway: " + c.gateway() + " is not an IPv4 address");
      }
      Net probe = new Net(network, prefix, gw, null);
      if ((gw & mask) != network || gw == network || gw == probe.broadcast()) {
        throw CniPlugin.invalidConfig("gateway: " + c.gateway() + " is not a host address of subnet " + c.subnet());
      }
    }
    String dataDir = c.dataDir() == null || c.dataDir().isEmpty() ? "/var/lib/cni" : c.dataDir();
    return new Net(network, prefix, gw, Path.of(dataDir, "mycni", inv.config().name()));
  }

  static int ipv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException(s);
    }
    int v = 0;
    for (String p : parts) {
      int b = Integer.parseInt(p);
      if (b < 0 || b > 255 || p.length() > 3) {
        throw new IllegalArgumentException(s);
      }
      v = v << 8 | b;
    }
    return v;
  }

  static String dotted(int ip) {
    return (ip >>> 24) + "." + (ip >>> 16 & 255) + "." + (ip >>> 8 & 255) + "." + (ip & 255);
  }

  // ------------------------------------------------------------------ reservations

  private static String owner(Invocation inv) {
    return inv.containerId() + "\n" + inv.ifname() + "\n";
  }

  /** The address reserved for {@code owner}, or 0. */
  private static int find(Net net, String owner) {
    for (Path p : reservations(net)) {
      if (owner.equals(read(p))) {
        return ipv4(p.getFileName().toString());
      }
    }
    return 0;
  }

  private static int reserve(Net net, String owner) {
    try {
      Files.createDirectories(net.dir());
      for (int ip = net.network() + 1; ip != net.broadcast(); ip++) {
        if (ip == net.gateway()) {
          continue;
        }
        try {
          Files.write(net.dir().resolve(dotted(ip)), owner.getBytes(StandardCharsets.UTF_8),
              java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
          return ip;
        } catch (FileAlreadyExistsException taken) {
          // next one
        }
      }
    } catch (IOException e) {
      throw new CniException(ErrorCodes.IO_FAILURE, "dataDir: cannot write " + net.dir() + ": " + ErrorText.of(e));
    }
    throw new CniException(ErrorCodes.INTERNAL, "mycni: no free address in " + net.cidr(net.network()));
  }

  private static List<Path> reservations(Net net) {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(net.dir())) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(net.dir())) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (n.indexOf('.') > 0 && Character.isDigit(n.charAt(0))) {
          out.add(p);
        }
      }
    } catch (IOException e) {
      throw new CniException(ErrorCodes.IO_FAILURE, "dataDir: cannot list " + net.dir() + ": " + ErrorText.of(e));
    }
    return out;
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (NoSuchFileException gone) {
      return null;
    } catch (IOException e) {
      throw new CniException(ErrorCodes.IO_FAILURE, "dataDir: cannot read " + p + ": " + ErrorText.of(e));
    }
  }

  private static void delete(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new CniException(ErrorCodes.IO_FAILURE, "dataDir: cannot delete " + p + ": " + ErrorText.of(e));
    }
  }
}
