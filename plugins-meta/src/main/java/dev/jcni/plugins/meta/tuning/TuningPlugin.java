package dev.jcni.plugins.meta.tuning;

import com.google.auto.service.AutoService;
import dev.jcni.api.Attachment;
import dev.jcni.api.CniPlugin;
import dev.jcni.api.CniType;
import dev.jcni.api.Invocation;
import dev.jcni.netlink.Link;
import dev.jcni.netlink.MacAddress;
import dev.jcni.netlink.Netlink;
import dev.jcni.plugins.common.Failures;
import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.Result;
import dev.jcni.system.ErrnoException;
import dev.jcni.system.NetNs;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code tuning} meta plugin: sysctls in the pod's namespace and the pod interface's MAC, MTU,
 * promiscuous and all-multicast modes and transmit queue length, with Go's keys and precedence. ADD
 * saves the original values (Go's file format, so Go's tuning and ours can undo each other's
 * changes) and DEL puts them back; a failed ADD undoes what it did. See the module README.
 */
@AutoService(CniPlugin.class)
@CniType("tuning")
public final class TuningPlugin implements CniPlugin {
  private static final String VALID_ATTACHMENTS = "cni.dev/valid-attachments";
  private static final String ATTACHMENTS = "cni.dev/attachments";

  private final Path allowlist;

  public TuningPlugin() {
    this(Allowlist.DEFAULT);
  }

  /** For tests: another sysctl allowlist file (null: none). */
  public TuningPlugin(Path allowlist) {
    this.allowlist = allowlist;
  }

  // ------------------------------------------------------------------------------------------------ ADD

  @Override
  public Result add(Invocation inv) {
    TuningConfig c = TuningConfig.parse(inv.config().raw(), inv.config().bytes(), inv.args());
    Result prev = inv.prevResult();
    if (prev == null) {
      throw CniException.invalidConfig(
          "prevResult: tuning must be called as a chained plugin (Required prevResult"
              + " missing)");
    }
    List<PodSysctls.Key> keys = keys(c, inv.ifname());
    Allowlist.check(allowlist, c.sysctls().keySet());
    if (keys.isEmpty() && !c.changesLink()) {
      return prev;
    }
    try (NetNs ns = openNetns(inv.netns());
        Netlink nl = Netlink.openAt(ns)) {
      refuseOwnNetns(inv, ns);
      Link link = nl.linkGet(inv.ifname()).orElse(null);
      if (link == null) {
        throw new IllegalStateException("failed to get \"" + inv.ifname() + "\": Link not found");
      }
      Map<String, String> originals = keys.isEmpty() ? Map.of() : PodSysctls.read(ns, keys);
      Backup backup =
          new Backup(
              c.mac() != null ? macText(link) : null,
              c.promisc() ? link.isPromisc() : null,
              c.mtu() != 0 ? link.mtu() : 0,
              c.allmulti() != null ? link.isAllmulti() : null,
              c.txQLen() != null ? link.txQueueLen() : null,
              inv.config().name(),
              originals);
      Path file = Backup.file(c.dataDir(), inv.containerId(), inv.ifname());
      byte[] before = readQuietly(file);
      Backup older = before == null ? null : Backup.parse(before);
      if (older != null) {
        backup = backup.keepOriginals(older);
      }
      try {
        backup.write(file);
      } catch (IOException e) {
        throw new CniException(
            ErrorCodes.IO_FAILURE,
            "failed to save the original values of \""
                + inv.ifname()
                + "\" in "
                + file
                + ": "
                + e.getMessage());
      }
      apply(c, ns, nl, inv.ifname(), keys, backup, file, before);
    }
    return withLinkChanges(prev, inv.ifname(), c);
  }

  /**
   * Go's order: sysctls, MAC, promisc, MTU, allmulti, txQLen. Any failure undoes the earlier steps.
   */
  private static void apply(
      TuningConfig c,
      NetNs ns,
      Netlink nl,
      String ifname,
      List<PodSysctls.Key> keys,
      Backup saved,
      Path file,
      byte[] fileBefore) {
    List<String> written = new ArrayList<>();
    int linkSteps = 0;
    try {
      if (!keys.isEmpty()) {
        PodSysctls.write(ns, keys, c.sysctls(), written);
      }
      if (c.mac() != null) {
        set(nl, ifname, c.macKey(), c.mac(), Step.MAC, c);
        linkSteps = 1;
      }
      if (c.promisc()) {
        set(nl, ifname, "promisc", "true", Step.PROMISC, c);
        linkSteps = 2;
      }
      if (c.mtu() != 0) {
        set(nl, ifname, "mtu", Integer.toString(c.mtu()), Step.MTU, c);
        linkSteps = 3;
      }
      if (c.allmulti() != null) {
        set(nl, ifname, "allmulti", c.allmulti().toString(), Step.ALLMULTI, c);
        linkSteps = 4;
      }
      if (c.txQLen() != null) {
        set(nl, ifname, "txQLen", c.txQLen().toString(), Step.TXQLEN, c);
        linkSteps = 5;
      }
    } catch (RuntimeException e) {
      undo(e, ns, nl, ifname, saved, written, linkSteps, c);
      try {
        if (fileBefore == null) {
          Files.deleteIfExists(file);
        } else {
          Files.write(file, fileBefore);
        }
      } catch (IOException x) {
        e.addSuppressed(x);
      }
      throw e;
    }
  }

  private enum Step {
    MAC,
    PROMISC,
    MTU,
    ALLMULTI,
    TXQLEN
  }

  private static void set(
      Netlink nl, String ifname, String key, String value, Step step, TuningConfig c) {
    try {
      switch (step) {
        case MAC:
          nl.linkSetMac(ifname, MacAddress.parse(c.mac()));
          break;
        case PROMISC:
          nl.linkSetPromisc(ifname, true);
          break;
        case MTU:
          nl.linkSetMtu(ifname, c.mtu());
          break;
        case ALLMULTI:
          nl.linkSetAllmulti(ifname, c.allmulti());
          break;
        default:
          nl.linkSetTxQLen(ifname, c.txQLen());
          break;
      }
    } catch (ErrnoException e) {
      int errno = e.errno();
      // EINVAL, ERANGE, EADDRNOTAVAIL, EOPNOTSUPP: the value itself is refused for this device
      if (errno == 22 || errno == 34 || errno == 99 || errno == 95) {
        throw CniException.invalidConfig(
            key + ": the kernel refused " + value + " for \"" + ifname + "\": " + e.getMessage());
      }
      throw new IllegalStateException(
          "failed to set " + key + " of \"" + ifname + "\": " + e.getMessage(), e);
    }
  }

  /** Puts back what a failed ADD changed: link steps newest first, then the sysctls written. */
  private static void undo(
      RuntimeException cause,
      NetNs ns,
      Netlink nl,
      String ifname,
      Backup saved,
      List<String> written,
      int linkSteps,
      TuningConfig c) {
    Backup partial =
        new Backup(
            linkSteps >= 1 ? saved.mac() : null,
            linkSteps >= 2 ? saved.promisc() : null,
            linkSteps >= 3 ? saved.mtu() : 0,
            linkSteps >= 4 ? saved.allmulti() : null,
            linkSteps >= 5 ? saved.txQLen() : null,
            null,
            Map.of());
    List<String> errors = restoreLink(nl, ifname, partial);
    if (!written.isEmpty()) {
      Map<String, String> back = new java.util.LinkedHashMap<>();
      for (String p : written) {
        back.put(p, saved.sysctls().get(p));
      }
      try {
        errors.addAll(PodSysctls.restore(ns, back));
      } catch (RuntimeException e) {
        cause.addSuppressed(e);
      }
    }
    for (String err : errors) {
      cause.addSuppressed(new IllegalStateException(err));
    }
  }

  /**
   * Go's restore order (MTU, MAC, promisc, allmulti, txQLen) and messages; returns the failures.
   */
  private static List<String> restoreLink(Netlink nl, String ifname, Backup b) {
    List<String> errors = new ArrayList<>();
    if (b.mtu() != 0) {
      try {
        nl.linkSetMtu(ifname, b.mtu());
      } catch (RuntimeException e) {
        errors.add("failed to restore MTU: " + e.getMessage());
      }
    }
    if (b.mac() != null) {
      try {
        nl.linkSetMac(ifname, MacAddress.parse(b.mac()));
      } catch (RuntimeException e) {
        errors.add("failed to restore MAC address: " + e.getMessage());
      }
    }
    if (b.promisc() != null) {
      try {
        nl.linkSetPromisc(ifname, b.promisc());
      } catch (RuntimeException e) {
        errors.add("failed to restore promiscuous mode: " + e.getMessage());
      }
    }
    if (b.allmulti() != null) {
      try {
        nl.linkSetAllmulti(ifname, b.allmulti());
      } catch (RuntimeException e) {
        errors.add("failed to restore all-multicast mode: " + e.getMessage());
      }
    }
    if (b.txQLen() != null) {
      try {
        nl.linkSetTxQLen(ifname, b.txQLen());
      } catch (RuntimeException e) {
        errors.add("failed to restore transmit queue length: " + e.getMessage());
      }
    }
    return errors;
  }

  /** prevResult with the pod interface's new MAC (and MTU where the result carries one, 1.1.0). */
  static Result withLinkChanges(Result prev, String ifname, TuningConfig c) {
    if (c.mac() == null && c.mtu() == 0) {
      return prev;
    }
    boolean sandboxed = false;
    for (Result.Interface i : prev.interfaces()) {
      if (i.name().equals(ifname) && i.sandbox() != null && !i.sandbox().isEmpty()) {
        sandboxed = true;
      }
    }
    List<Result.Interface> out = new ArrayList<>(prev.interfaces().size());
    for (Result.Interface i : prev.interfaces()) {
      boolean pod =
          i.name().equals(ifname)
              && (!sandboxed || (i.sandbox() != null && !i.sandbox().isEmpty()));
      if (pod) {
        out.add(
            new Result.Interface(
                i.name(),
                c.mac() != null ? c.mac() : i.mac(),
                c.mtu() != 0 && i.mtu() != null ? Integer.valueOf(c.mtu()) : i.mtu(),
                i.sandbox(),
                i.socketPath(),
                i.pciID()));
      } else {
        out.add(i);
      }
    }
    return prev.withInterfaces(out);
  }

  // ------------------------------------------------------------------------------------------------ DEL

  /**
   * Puts the saved values back and removes the file. Best effort: no file, no netns or no interface
   * any more means there is nothing to restore (the file goes). The file also goes when a restore
   * fails, after reporting it: a retried DEL could not do better, and must not fail forever.
   */
  @Override
  public void del(Invocation inv) {
    Path file =
        Backup.file(TuningConfig.dataDir(inv.config().raw()), inv.containerId(), inv.ifname());
    byte[] bytes = readQuietly(file);
    if (bytes == null) {
      return;
    }
    Backup b = Backup.parse(bytes);
    List<String> errors = new ArrayList<>();
    if (b != null && !b.isEmpty() && !inv.netns().isEmpty()) {
      NetNs ns = null;
      try {
        ns = NetNs.open(Path.of(inv.netns()));
      } catch (RuntimeException e) {
        // the namespace is gone, and the interface with it (or back in the node's namespace, beyond
        // our reach)
      }
      if (ns != null) {
        try (NetNs n = ns;
            Netlink nl = Netlink.openAt(n)) {
          if (nl.linkGet(inv.ifname()).isPresent()) {
            errors.addAll(restoreLink(nl, inv.ifname(), b));
            if (!b.sysctls().isEmpty()) {
              errors.addAll(PodSysctls.restore(n, b.sysctls()));
            }
          }
        }
      }
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      errors.add("failed to remove file " + file + ": " + e.getMessage());
    }
    if (!errors.isEmpty()) {
      throw new IllegalStateException(String.join("; ", errors));
    }
  }

  // ------------------------------------------------------------------------------------------------ CHECK

  @Override
  public void check(Invocation inv) {
    TuningConfig c = TuningConfig.parse(inv.config().raw(), inv.config().bytes(), inv.args());
    if (inv.prevResult() == null) {
      throw CniException.invalidConfig(
          "prevResult: tuning must be called as a chained plugin (Required prevResult"
              + " missing)");
    }
    List<PodSysctls.Key> keys = keys(c, inv.ifname());
    try (NetNs ns = openNetns(inv.netns());
        Netlink nl = Netlink.openAt(ns)) {
      if (!keys.isEmpty()) {
        Map<String, String> now = PodSysctls.read(ns, keys);
        for (PodSysctls.Key k : keys) {
          String want = c.sysctls().get(k.configured());
          String have = now.get(k.path());
          if (!normalize(want).equals(normalize(have))) {
            throw new IllegalStateException(
                "Error: Tuning configured value of /proc/sys/"
                    + k.path()
                    + " is "
                    + want
                    + ", current value is "
                    + have);
          }
        }
      }
      Link link = nl.linkGet(inv.ifname()).orElse(null);
      if (link == null) {
        throw new IllegalStateException("Cannot find container link " + inv.ifname());
      }
      if (c.mac() != null && !c.mac().equals(macText(link))) {
        throw new IllegalStateException(
            "Error: Tuning configured Ethernet of "
                + inv.ifname()
                + " is "
                + c.mac()
                + ", current value is "
                + macText(link));
      }
      // Go's rule: without promisc:true the link must not be promiscuous
      if (c.promisc() != link.isPromisc()) {
        throw new IllegalStateException(
            "Error: Tuning link "
                + inv.ifname()
                + " configured promisc is "
                + c.promisc()
                + ", current value is "
                + (link.isPromisc() ? 1 : 0));
      }
      if (c.mtu() != 0 && c.mtu() != link.mtu()) {
        throw new IllegalStateException(
            "Error: Tuning configured MTU of "
                + inv.ifname()
                + " is "
                + c.mtu()
                + ", current value is "
                + link.mtu());
      }
      if (c.allmulti() != null && c.allmulti() != link.isAllmulti()) {
        throw new IllegalStateException(
            "Error: Tuning configured all-multicast mode of "
                + inv.ifname()
                + " is "
                + c.allmulti()
                + ", current value is "
                + link.isAllmulti());
      }
      if (c.txQLen() != null && c.txQLen() != link.txQueueLen()) {
        throw new IllegalStateException(
            "Error: Tuning configured Transmit Queue Length of "
                + inv.ifname()
                + " is "
                + c.txQLen()
                + ", current value is "
                + link.txQueueLen());
      }
    }
  }

  /** Multi-value sysctls print tab-separated; a config may separate with spaces. */
  private static String normalize(String v) {
    return v == null ? "" : v.trim().replaceAll("\\s+", " ");
  }

  // ------------------------------------------------------------------------------------------------ GC, STATUS

  /**
   * Removes this network's saved values of attachments that are gone (their namespaces, and the
   * interfaces, went without a DEL). Files without our network mark (Go's) are left alone: they
   * could belong to any network.
   */
  @Override
  public void gc(Invocation inv) {
    Map<String, Object> raw = inv.config().raw();
    if (!raw.containsKey(VALID_ATTACHMENTS) && !raw.containsKey(ATTACHMENTS)) {
      throw CniPlugin.invalidConfig(
          VALID_ATTACHMENTS
              + ": required for GC; refusing to treat every attachment as"
              + " stale");
    }
    Path dir = TuningConfig.dataDir(raw);
    String net = inv.config().name();
    Set<String> keep = new HashSet<>();
    for (Attachment a : inv.validAttachments()) {
      keep.add(Backup.file(dir, a.containerId(), a.ifname()).getFileName().toString());
    }
    Failures f = new Failures("GC");
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
      for (Path p : files) {
        String fn = p.getFileName().toString();
        if (fn.startsWith(".") || keep.contains(fn)) {
          continue;
        }
        byte[] bytes = readQuietly(p);
        Backup b = bytes == null ? null : Backup.parse(bytes);
        if (b != null && net.equals(b.network())) {
          try {
            Files.deleteIfExists(p);
          } catch (IOException e) {
            f.add(new IllegalStateException("failed to remove " + p + ": " + e.getMessage()));
          }
        }
      }
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      f.add(new IllegalStateException("failed to list " + dir + ": " + e.getMessage()));
    }
    f.throwIfAny();
  }

  /**
   * Available when the data directory can be created and written (ADD must save originals there).
   */
  @Override
  public void status(Invocation inv) {
    Path dir = TuningConfig.dataDir(inv.config().raw());
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new CniException(
          ErrorCodes.PLUGIN_NOT_AVAILABLE,
          "tuning: cannot create its data directory " + dir + ": " + e.getMessage());
    }
    if (!Files.isWritable(dir)) {
      throw new CniException(
          ErrorCodes.PLUGIN_NOT_AVAILABLE,
          "tuning: its data directory " + dir + " is not writable");
    }
  }

  @Override
  public String about() {
    return "jcni tuning plugin (sysctls, MAC, MTU, promisc, allmulti, txQLen; originals restored on DEL)";
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private static List<PodSysctls.Key> keys(TuningConfig c, String ifname) {
    List<PodSysctls.Key> keys = new ArrayList<>(c.sysctls().size());
    for (String k : c.sysctls().keySet()) {
      keys.add(new PodSysctls.Key(k, SysctlKeys.resolve(k, ifname)));
    }
    return keys;
  }

  private static String macText(Link link) {
    return link.mac() == null ? "" : link.mac().toString();
  }

  private static NetNs openNetns(String path) {
    if (path == null || path.isEmpty()) {
      throw new CniException(ErrorCodes.INVALID_ENVIRONMENT_VARIABLES, "CNI_NETNS: required");
    }
    try {
      return NetNs.open(Path.of(path));
    } catch (ErrnoException e) {
      throw new IllegalStateException(
          "failed to open netns \"" + path + "\": " + e.getMessage(), e);
    }
  }

  /**
   * skel checks "CNI_NETNS is not my own namespace" only after ADD returns; tuning refuses before
   * writing, so the node's own sysctls and links are never touched.
   */
  private static void refuseOwnNetns(Invocation inv, NetNs ns) {
    String override = inv.env().get("CNI_NETNS_OVERRIDE");
    if (override != null && (override.equalsIgnoreCase("true") || override.equals("1"))) {
      return;
    }
    if (ns.isCurrent()) {
      throw new CniException(
          ErrorCodes.INVALID_NETNS,
          "plugin's netns and netns from CNI_NETNS should not be the same");
    }
  }

  private static byte[] readQuietly(Path file) {
    try {
      return Backup.read(file);
    } catch (IOException e) {
      return null;
    }
  }
}
