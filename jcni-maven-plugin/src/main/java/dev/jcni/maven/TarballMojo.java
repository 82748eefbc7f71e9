package dev.jcni.maven;

import dev.jcni.packager.Tarball;
import java.io.File;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Writes a release tarball of the tree the {@code package} goal made: {@code
 * <tarballName>-<version>-linux-<arch> .tar.gz} in {@code tarballDirectory}, one top directory
 * {@code <tarballName>-<version>/} holding the tree (without its class-data archives, which are
 * only valid where they were made) and {@code tarballFiles}. List this goal after {@code package}
 * in the same execution (goals of one phase run in that order).
 */
@Mojo(name = "tarball", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public final class TarballMojo extends AbstractMojo {
  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  private MavenProject project;

  /** The packaged tree (the {@code package} goal's {@code outputDirectory}). */
  @Parameter(property = "jcni.outputDirectory", defaultValue = "${project.build.directory}/jcni")
  private File outputDirectory;

  /** Where the tarball goes. */
  @Parameter(property = "jcni.tarballDirectory", defaultValue = "${project.build.directory}")
  private File tarballDirectory;

  /** The name before {@code -<version>}. */
  @Parameter(property = "jcni.tarballName", defaultValue = "${project.artifactId}")
  private String tarballName;

  @Parameter(property = "jcni.tarballVersion", defaultValue = "${project.version}")
  private String tarballVersion;

  /**
   * Files or directories put beside the tree at the top level, under their own names (each must
   * exist).
   */
  @Parameter private List<File> tarballFiles;

  @Parameter(property = "jcni.skip", defaultValue = "false")
  private boolean skip;

  @Override
  public void execute() throws MojoFailureException {
    if (skip || "pom".equals(project.getPackaging())) {
      getLog().info("jcni: skipped");
      return;
    }
    Map<String, java.nio.file.Path> extras = new LinkedHashMap<>();
    if (tarballFiles != null) {
      for (File f : tarballFiles) {
        if (extras.put(f.getName(), f.toPath()) != null) {
          throw new MojoFailureException("jcni: two <tarballFiles> named " + f.getName());
        }
      }
    }
    try {
      Tarball.write(
          outputDirectory.toPath(),
          extras,
          tarballDirectory.toPath(),
          tarballName,
          tarballVersion,
          m -> getLog().info("jcni: " + m));
    } catch (IOException e) {
      throw new MojoFailureException("jcni: tarball: " + e.getMessage(), e);
    }
  }
}
