package dev.jcni.api;

import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds plugins on the class path through {@link java.util.ServiceLoader}, instantiating only the one asked for: a
 * provider's class is matched by its {@link CniType} annotation before it is created. Providers without the
 * annotation are ignored.
 */
public final class Plugins {
  private Plugins() {}

  /** The plugin whose {@link CniType} is {@code type}, if on the class path (the first one if several). */
  public static Optional<CniPlugin> find(String type) {
    return ServiceLoader.load(CniPlugin.class).stream()
        .filter(p -> type.equals(typeOf(p.type())))
        .findFirst()
        .map(ServiceLoader.Provider::get);
  }

  /** Every type on the class path, sorted. */
  public static Set<String> types() {
    Set<String> out = new TreeSet<>();
    ServiceLoader.load(CniPlugin.class).stream().map(p -> typeOf(p.type())).filter(t -> t != null)
        .forEach(out::add);
    return out;
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
