package dev.jcni.daemon;

import java.util.List;

/**
 * The parent of every plugin-directory entry's class loader: the JDK (platform loader) plus the jcni SDK packages
 * of the daemon's own loader, and nothing else. Sharing the SDK makes {@code CniPlugin}, {@code Invocation},
 * {@code Result}, {@code NetNs}... the same classes for the daemon and every entry (an entry's plugin could not be
 * called otherwise); hiding the rest (Jackson, jnr, the reference plugins, the runtime) lets an entry bring its own
 * versions of any library without clashing with ours or another entry's. Resources of the daemon's class path are
 * hidden too, so {@code ServiceLoader} on an entry's loader sees only that entry's plugins.
 *
 * <p>A shared package the daemon does not have (e.g. plugins-common on a class path without it) falls through to
 * the entry's own jars, as any class not found in the parent does.
 */
final class SdkClassLoader extends ClassLoader {
  /** Packages (and their subpackages) shared with entries: the published SDK artifacts. */
  static final List<String> SHARED = List.of(
      "dev.jcni.api.",              // cni-api: CniPlugin, CniType, Invocation, Dispatcher, Delegate
      "dev.jcni.spec.",             // cni-spec: Result, NetConf, CniException, the JSON binder
      "dev.jcni.netlink.",          // cni-netlink: links, addresses, routes, NetNs (its fd aliases are static)
      "dev.jcni.system.",           // cni-netlink: AF_UNIX sockets, peer credentials
      "dev.jcni.plugins.common.");  // plugins-common: veths, interface configuration, firewall builders

  static {
    registerAsParallelCapable();
  }

  private final ClassLoader daemon;

  SdkClassLoader(ClassLoader daemon) {
    super("jcni-sdk", ClassLoader.getPlatformClassLoader());
    this.daemon = daemon;
  }

  static boolean shared(String className) {
    for (String p : SHARED) {
      if (className.startsWith(p)) return true;
    }
    return false;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (shared(name)) return daemon.loadClass(name);
    return super.loadClass(name, resolve); // the platform loader, else ClassNotFoundException: the entry's own
  }
}
