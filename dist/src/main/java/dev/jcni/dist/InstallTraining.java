package dev.jcni.dist;

import com.google.auto.service.AutoService;
import dev.jcni.install.ArchiveTrainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code jcni install} trains the installed tree's class-data archives through this, exactly as the build does
 * ({@link Archives}, {@link Train}), for the installed {@code lib/} path and the one Java its launchers use there.
 */
@AutoService(ArchiveTrainer.class)
public final class InstallTraining implements ArchiveTrainer {
  @Override
  public void train(Path lib, List<String> jars, Set<String> types, Path javaHome)
      throws IOException, InterruptedException {
    Archives.train(lib, jars, types, javaHome);
  }
}
