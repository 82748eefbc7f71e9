package dev.jcni.api;

/** Strategy that turns (invocation, type) into a {@link Delegate}; see {@link Delegations} for the standard ones. */
@FunctionalInterface
public interface Delegation {
  Delegate delegate(Invocation inv, String type);
}
