package dev.jcni.packager;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which plugin types a package holds: pure logic over what {@code Train --list} found on the class
 * path.
 */
public final class Selection {
  private Selection() {}

  /**
   * One plugin on the class path: its type, provider class and the file name of the jar holding it.
   */
  public record Found(String type, String cls, String jar) {}

  /**
   * The types to package, type → class, sorted. With {@code types} given, exactly those (each must
   * exist on the class path, from whatever jar). Otherwise every type whose class lives in one of
   * {@code ownerJars} (the project's own jar, or the jars of the plugin artifacts it names): a
   * dependency's plugins are not packaged just because they are on the class path.
   *
   * @throws IllegalArgumentException naming what is missing, when a requested type does not exist
   *     or nothing would be packaged
   */
  public static Map<String, String> select(
      List<Found> found, Set<String> ownerJars, List<String> types) {
    Map<String, String> all = new TreeMap<>();
    Map<String, String> owned = new TreeMap<>();
    for (Found f : found) {
      all.putIfAbsent(f.type(), f.cls());
      if (ownerJars.contains(f.jar())) {
        owned.putIfAbsent(f.type(), f.cls());
      }
    }
    if (types != null && !types.isEmpty()) {
      Map<String, String> out = new TreeMap<>();
      List<String> missing = new ArrayList<>();
      for (String t : types) {
        String c = all.get(t.trim());
        if (c == null) {
          missing.add(t.trim());
        } else {
          out.put(t.trim(), c);
        }
      }
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException(
            "no @CniType plugin of type "
                + String.join(", ", missing)
                + " on the class path (found: "
                + String.join(", ", all.keySet())
                + ")");
      }
      return out;
    }
    if (owned.isEmpty()) {
      throw new IllegalArgumentException(
          "no @CniType plugin (registered with @AutoService(CniPlugin.class)) in "
              + String.join(", ", new java.util.TreeSet<>(ownerJars))
              + (all.isEmpty()
                  ? ""
                  : "; on the class path only in dependencies: "
                      + String.join(", ", all.keySet())
                      + " (name them in <types> or their artifacts in <pluginArtifacts>)"));
    }
    return owned;
  }

  /** Parses the output of {@code Train --list} (the {@code cli} line excluded). */
  public static List<Found> parseList(List<String> lines) {
    List<Found> out = new ArrayList<>();
    for (String l : lines) {
      String[] f = l.split("\t", -1);
      if (f.length == 3 && !f[0].isEmpty() && !f[1].isEmpty()) {
        out.add(new Found(f[0], f[1], f[2]));
      }
    }
    return out;
  }
}
