package dev.jcni.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The parent of every plugin-directory entry's class loader: the JDK (platform loader) plus the
 * jcni SDK packages of the daemon's own loader, and nothing else. Sharing the SDK makes {@code
 * CniPlugin}, {@code Invocation}, {@code Result}, {@code NetNs}... the same classes for the daemon
 * and every entry (an entry's plugin could not be called otherwise); hiding the rest (Jackson, jnr,
 * the reference plugins, the runtime) lets an entry bring its own versions of any library without
 * clashing with ours or another entry's. Resources of the daemon's class path are hidden too,
 * except the daemon's plugin service files and the provider classes they name: an entry's plugin
 * delegating in-process (IPAM) finds the built-in plugins as a JVM with both on its class path
 * would.
 *
 * <p>A shared package the daemon does not have (e.g. plugins-common on a class path without it)
 * falls through to the entry's own jars, as any class not found in the parent does.
 */
final class SdkClassLoader extends ClassLoader {
  /** Packages (and their subpackages) shared with entries: the published SDK artifacts. */
  static final List<String> SHARED =
      List.of(
          "dev.jcni.api.", // cni-api: CniPlugin, CniType, Invocation, Dispatcher, Delegate
          "dev.jcni.spec.", // cni-spec: Result, NetConf, CniException, the JSON binder
          "dev.jcni.netlink.", // cni-netlink: links, addresses, routes
          "dev.jcni.system.", // cni-system: NetNs (its fd aliases are static), Sysctl, Flock,
          // ErrnoException,
          // AF_UNIX sockets, the libc binding (loaded once per daemon)
          "dev.jcni.plugins.common."); // plugins-common: veths, interface configuration, firewall

  // builders

  static {
    registerAsParallelCapable();
  }

  static final String SERVICE = "META-INF/services/dev.jcni.api.CniPlugin";

  private final ClassLoader daemon;
  private final Set<String> builtInProviders;

  SdkClassLoader(ClassLoader daemon) {
    super("jcni-sdk", ClassLoader.getPlatformClassLoader());
    this.daemon = daemon;
    this.builtInProviders = providers(daemon);
  }

  /** Every class named by the daemon's own plugin service files. */
  private static Set<String> providers(ClassLoader daemon) {
    Set<String> out = new HashSet<>();
    try {
      Enumeration<URL> e = daemon.getResources(SERVICE);
      while (e.hasMoreElements()) {
        try (InputStream in = e.nextElement().openStream()) {
          for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            int hash = line.indexOf('#');
            String name = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (!name.isEmpty()) out.add(name);
          }
        }
      }
    } catch (IOException ignored) {
      // then entries see no built-in plugins in-process: their delegates are exec'ed from CNI_PATH
    }
    return Set.copyOf(out);
  }

  /**
   * Whether {@code className} is one of the daemon's own plugin classes (seen by entries for
   * delegation).
   */
  boolean builtInProvider(String className) {
    return builtInProviders.contains(className);
  }

  static boolean shared(String className) {
    for (String p : SHARED) {
      if (className.startsWith(p)) return true;
    }
    return false;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (shared(name) || builtInProviders.contains(name)) return daemon.loadClass(name);
    return super.loadClass(
        name, resolve); // the platform loader, else ClassNotFoundException: the entry's own
  }

  // The daemon's plugin service files are visible (with their provider classes above), so a
  // plugin-dir plugin's
  // in-process delegates (Plugins.find through the context class loader: e.g. IPAM host-local)
  // include the
  // built-in plugins, ahead of the entry's own as parent resources come first. Nothing else of the
  // daemon's is.
  @Override
  protected URL findResource(String name) {
    return SERVICE.equals(name) ? daemon.getResource(name) : null;
  }

  @Override
  protected Enumeration<URL> findResources(String name) throws IOException {
    return SERVICE.equals(name) ? daemon.getResources(name) : Collections.emptyEnumeration();
  }
}
