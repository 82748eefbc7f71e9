package dev.jcni.packager;

import com.google.auto.service.AutoService;
import dev.jcni.install.ArchiveTrainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code jcni install} trains the installed tree's class-data archives through this, exactly as the
 * build does ({@link Archives}, {@link Train}), for the installed {@code lib/} path and the one
 * Java its launchers use there. It lives in this jar, which jcni-maven-plugin copies into every
 * tree's {@code lib/}: install trains from the tree's own class path, where {@code cni-install} is
 * too when the tree has the {@code jcni install} command.
 */
@AutoService(ArchiveTrainer.class)
public final class InstallTraining implements ArchiveTrainer {
  @Override
  public void train(Path lib, List<String> jars, Set<String> types, Path javaHome)
      throws IOException, InterruptedException {
    Archives.train(lib, jars, types, javaHome, m -> System.out.println("jcni install: " + m));
  }
}
