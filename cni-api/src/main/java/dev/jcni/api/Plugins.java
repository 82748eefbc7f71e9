package dev.jcni.api;

import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds plugins on the class path through {@link java.util.ServiceLoader}, instantiating only the
 * one asked for: a provider's class is matched by its {@link CniType} annotation before it is
 * created. Providers without the annotation are ignored.
 */
public final class Plugins {
  private Plugins() {}

  /**
   * The plugin whose {@link CniType} is {@code type}, if on the class path (the first one if
   * several). When the launcher named the class of its own type ({@code -Djcni.plugin=T
   * -Djcni.plugin.class=C}, written by the dist at package time), that class is loaded directly: no
   * scan of every jar's service file and no annotation proxy, which matters for a JVM started per
   * call. A stale hint falls back to the scan.
   */
  public static Optional<CniPlugin> find(String type) {
    String hint = System.getProperty("jcni.plugin.class");
    if (hint != null && type.equals(System.getProperty("jcni.plugin"))) {
      try {
        Class<?> c = Class.forName(hint);
        if (CniPlugin.class.isAssignableFrom(c)) {
          return Optional.of((CniPlugin) c.getConstructor().newInstance());
        }
      } catch (ReflectiveOperationException | LinkageError e) {
        // fall back to the service files
      }
    }
    Iterator<ServiceLoader.Provider<CniPlugin>> it =
        ServiceLoader.load(CniPlugin.class).stream().iterator();
    while (it.hasNext()) {
      ServiceLoader.Provider<CniPlugin> p = it.next();
      if (type.equals(typeOf(p.type()))) {
        return Optional.of(p.get());
      }
    }
    return Optional.empty();
  }

  /** Every type on the class path with the class that provides it, sorted by type. */
  public static Map<String, String> classes() {
    Map<String, String> out = new TreeMap<>();
    Iterator<ServiceLoader.Provider<CniPlugin>> it =
        ServiceLoader.load(CniPlugin.class).stream().iterator();
    while (it.hasNext()) {
      Class<? extends CniPlugin> c = it.next().type();
      String t = typeOf(c);
      if (t != null) {
        out.putIfAbsent(t, c.getName());
      }
    }
    return out;
  }

  /** Every type on the class path, sorted. */
  public static Set<String> types() {
    return new TreeSet<>(classes().keySet());
  }

  /** The {@link CniType} of a plugin class, or null. */
  public static String typeOf(Class<?> pluginClass) {
    CniType t = pluginClass.getAnnotation(CniType.class);
    return t == null ? null : t.value();
  }

  /** The {@link CniType} of a plugin, or its simple class name when it has none. */
  static String typeOf(CniPlugin plugin) {
    String t = typeOf(plugin.getClass());
    return t == null ? plugin.getClass().getSimpleName() : t;
  }
}
