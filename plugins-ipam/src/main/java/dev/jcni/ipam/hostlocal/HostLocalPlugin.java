package dev.jcni.ipam.hostlocal;

import com.google.auto.service.AutoService;
import dev.jcni.api.CniPlugin;
import dev.jcni.api.CniType;
import dev.jcni.api.Invocation;
import dev.jcni.spec.CniArgs;
import dev.jcni.spec.Result;
import dev.jcni.system.Flock;
import java.util.Map;

/**
 * The {@code host-local} IPAM plugin: a drop-in for Go's host-local that can share its data
 * directory (same files, same flock) and adds GC (spec 1.1) and STATUS. See the module README for
 * the config keys.
 */
@AutoService(CniPlugin.class)
@CniType("host-local")
public final class HostLocalPlugin implements CniPlugin {
  private static final String VALID_ATTACHMENTS = "cni.dev/valid-attachments";
  private static final String ATTACHMENTS = "cni.dev/attachments";
  private final HostLocal hostLocal;

  /**
   * The plugin as the launcher runs it: flock(2) on {@code <dataDir>/<net>/lock}, interoperable
   * with Go.
   */
  public HostLocalPlugin() {
    this(new FlockLocker());
  }

  /**
   * A named class, not a method reference: a lambda's bootstrap costs start-up time in every call's
   * fresh JVM.
   */
  private static final class FlockLocker implements Store.Locker {
    @Override
    public AutoCloseable lock(java.nio.file.Path file) {
      return Flock.lock(file);
    }
  }

  HostLocalPlugin(Store.Locker locker) {
    this.hostLocal = new HostLocal(locker);
  }

  @Override
  public Result add(Invocation inv) {
    return hostLocal.add(config(inv, true), inv.containerId(), inv.ifname());
  }

  @Override
  public void del(Invocation inv) {
    // DEL needs only the directory: a range config edited into an invalid state must not block the
    // release
    hostLocal.del(config(inv, false), inv.containerId(), inv.ifname());
  }

  @Override
  public void check(Invocation inv) {
    hostLocal.check(config(inv, true), inv.containerId(), inv.ifname());
  }

  @Override
  public void gc(Invocation inv) {
    HostLocalConfig cfg = config(inv, false);
    // no list at all is not "nothing is valid": releasing every address of a live node on a
    // malformed request
    // would be the worst possible outcome (libcni always sends the key, with null for none)
    Map<String, Object> raw = inv.config().raw();
    if (!raw.containsKey(VALID_ATTACHMENTS) && !raw.containsKey(ATTACHMENTS)) {
      throw CniPlugin.invalidConfig(
          VALID_ATTACHMENTS + ": required for GC; refusing to release every reservation");
    }
    hostLocal.gc(cfg, inv.validAttachments());
  }

  @Override
  public void status(Invocation inv) {
    hostLocal.status(config(inv, true));
  }

  @Override
  public String about() {
    return "jcni host-local IPAM plugin (compatible with containernetworking/plugins host-local data directories)";
  }

  private static HostLocalConfig config(Invocation inv, boolean ranges) {
    CniArgs args = inv.args();
    String ip = ranges && args != null ? args.get("IP") : null;
    return HostLocalConfig.parse(inv.config().raw(), ip, ranges);
  }
}
