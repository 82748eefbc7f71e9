package dev.jcni.api;

import java.util.Optional;
import java.util.Set;

/** Finds plugins on the class path through {@link java.util.ServiceLoader}, instantiating only the one asked for. */
public final class Plugins {
  private Plugins() {}

  /** The plugin whose {@link CniType} is {@code type}, if on the class path. */
  public static Optional<CniPlugin> find(String type) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Every type on the class path. */
  public static Set<String> types() {
    throw new UnsupportedOperationException("TODO");
  }
}
