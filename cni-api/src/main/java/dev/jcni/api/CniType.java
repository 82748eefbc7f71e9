package dev.jcni.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The plugin's type: its executable name and the conflist {@code type}. Put it on every {@link
 * CniPlugin} implementation so the dispatcher can pick one provider without instantiating the
 * others.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface CniType {
  String value();
}
