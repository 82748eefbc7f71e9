package dev.jcni.install;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Makes the class-data archives of an installed tree, for its final location and one JDK. Found
 * with {@link java.util.ServiceLoader}: the packaging code that trains archives at package time
 * provides it ({@code dev.jcni.packager.InstallTraining}, in the jcni-packager jar every packaged
 * {@code lib/} holds), so install trains exactly the way the build does without this module
 * depending on the packaging code. Absent, the tree runs without archives (slower starts, same
 * results).
 */
public interface ArchiveTrainer {
  /**
   * @param lib the installed {@code lib/} directory, as the launchers will name it (real path)
   * @param jars the launchers' class path, in order, as file names in {@code lib}
   * @param types the plugin types of the tree
   * @param javaHome the JDK or runtime image the launchers will use
   */
  void train(Path lib, List<String> jars, Set<String> types, Path javaHome)
      throws IOException, InterruptedException;
}
