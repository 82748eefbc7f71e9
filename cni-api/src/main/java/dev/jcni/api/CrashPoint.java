package dev.jcni.api;

/**
 * Named, deterministic crash points for crash-consistency tests: with {@code
 * -Djcni.test.crashAt=NAME} the process halts (as kill -9 would: no finally blocks, no shutdown
 * hooks, no rollback) when it reaches the point NAME, after one marker line on stderr ({@code jcni:
 * crash point NAME reached}) that lets the test prove the point was reached. Without the property
 * this is one comparison against null.
 */
public final class CrashPoint {
  private static final String AT = System.getProperty("jcni.test.crashAt");

  private CrashPoint() {}

  /** Halts the JVM with status 137 when {@code name} is the configured crash point. */
  public static void reached(String name) {
    if (AT != null && AT.equals(name)) {
      System.err.println("jcni: crash point " + name + " reached");
      System.err.flush();
      Runtime.getRuntime().halt(137);
    }
  }
}
