package dev.jcni.maven;

import dev.jcni.packager.Generate;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipFile;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;

/**
 * Packages the project's CNI plugins as node executables: {@code bin/<type>} (the prebuilt jcni
 * shim, hard-linked once per type), {@code libexec/<type>} (the JVM launcher), {@code lib/} (the
 * project's runtime class path) and class-data archives trained on those types. See the module
 * README for parameters and training resources.
 */
@Mojo(
    name = "package",
    defaultPhase = LifecyclePhase.PACKAGE,
    requiresDependencyResolution = ResolutionScope.RUNTIME,
    threadSafe = true)
public final class PackageMojo extends AbstractMojo {
  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  private MavenProject project;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  private MavenSession session;

  @Parameter(defaultValue = "${plugin.version}", readonly = true, required = true)
  private String pluginVersion;

  // @Component is deprecated in favour of JSR-330 @Inject, but the Maven 3.x versions this plugin
  // supports inject
  // a mojo's fields only through @Component (a Sisu-indexed @Inject constructor is the migration,
  // not done here)
  @SuppressWarnings("deprecation")
  @Component
  private RepositorySystem repositorySystem;

  /** Where the tree goes. */
  @Parameter(property = "jcni.outputDirectory", defaultValue = "${project.build.directory}/jcni")
  private File outputDirectory;

  /**
   * Types to package (default: every {@code @CniType} in the project's own jar, or in {@link
   * #pluginArtifacts}).
   */
  @Parameter(property = "jcni.types")
  private List<String> types;

  /**
   * {@code groupId:artifactId} of dependencies whose plugin types are packaged (instead of the
   * project's own jar's): for a packaging-only project such as jcni's {@code dist}.
   */
  @Parameter private List<String> pluginArtifacts;

  /**
   * Also write {@code bin/jcni}, the CLI (needs {@code dev.jcni:cni-runtime} among the
   * dependencies).
   */
  @Parameter(property = "jcni.cli", defaultValue = "false")
  private boolean cli;

  /**
   * Extra JDK homes (comma-separated) to train archives for; JDKs ≥ 25 under /usr/lib/jvm are found
   * anyway.
   */
  @Parameter(property = "jcni.dist.jdks", defaultValue = "")
  private String jdks;

  /**
   * Every JDK >= 25 in this directory also gets archives; {@code none}: the build JDK and {@link
   * #jdks} only.
   */
  @Parameter(property = "jcni.dist.jvmDir", defaultValue = "/usr/lib/jvm")
  private String jvmDir;

  /** No class-data archives (faster package, slower plugin start). */
  @Parameter(property = "jcni.dist.skipArchives", defaultValue = "false")
  private boolean skipArchives;

  /**
   * The JDK that lists the plugins and trains the first archive (default: the one running Maven).
   */
  @Parameter(property = "jcni.javaHome", defaultValue = "${java.home}")
  private File javaHome;

  /**
   * A jcni-shim binary to use instead of {@code dev.jcni:cni-shim:exe:<shimClassifier>} of this
   * plugin's version.
   */
  @Parameter(property = "jcni.shim")
  private File shim;

  /**
   * The classifier of the prebuilt shim (default: {@code linux-x86_64} or {@code linux-aarch_64} by
   * os.arch).
   */
  @Parameter(property = "jcni.shimClassifier")
  private String shimClassifier;

  /**
   * Also write {@code runtime/}: a Java runtime image jlinked from {@link #javaHome} (java.base,
   * java.logging, jdk.unsupported) that the launchers prefer over the node's Java, with class-data
   * archives of its own.
   */
  @Parameter(property = "jcni.runtime", defaultValue = "false")
  private boolean runtime;

  /**
   * Also write {@code VERSION} with the project's version (what {@code jcni install} names the
   * installed tree).
   */
  @Parameter(property = "jcni.versionFile", defaultValue = "false")
  private boolean versionFile;

  @Parameter(property = "jcni.skip", defaultValue = "false")
  private boolean skip;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip || "pom".equals(project.getPackaging())) {
      getLog().info("jcni: skipped");
      return;
    }
    List<Path> jars = new ArrayList<>();
    Set<String> owners = new LinkedHashSet<>();
    File own = project.getArtifact().getFile();
    if (own != null && own.isFile() && hasClasses(own)) {
      jars.add(own.toPath());
      owners.add(own.getName());
    } else if (pluginArtifacts == null || pluginArtifacts.isEmpty()) {
      throw new MojoFailureException(
          "jcni: no project jar with classes to package ("
              + own
              + "): run the package goal in the package phase, after the jar is made, or name <pluginArtifacts>");
    }
    Set<String> wanted = new LinkedHashSet<>();
    if (pluginArtifacts != null) {
      for (String ga : pluginArtifacts) {
        wanted.add(ga.trim());
      }
    }
    for (Artifact a : project.getArtifacts()) {
      if (!a.getArtifactHandler().isAddedToClasspath()
          || a.getFile() == null
          || !(Artifact.SCOPE_COMPILE.equals(a.getScope())
              || Artifact.SCOPE_RUNTIME.equals(a.getScope()))) {
        continue;
      }
      if (a.getFile().isDirectory()) {
        throw new MojoFailureException(
            "jcni: "
                + a
                + " resolves to a classes directory ("
                + a.getFile()
                + "), not a jar: a plugin module built in the same reactor is usable from the package phase on"
                + " (mvn package / verify, not mvn compile)");
      }
      jars.add(a.getFile().toPath());
      if (wanted.remove(a.getGroupId() + ":" + a.getArtifactId())) {
        owners.add(a.getFile().getName());
      }
    }
    if (!wanted.isEmpty()) {
      throw new MojoFailureException(
          "jcni: <pluginArtifacts> "
              + wanted
              + " are not runtime dependencies of "
              + project.getId());
    }
    Path shimFile = shim != null ? shim.toPath() : resolveShim();
    try {
      Map<String, String> done =
          Generate.generate(
              new Generate.Request(
                  outputDirectory.toPath(),
                  jars,
                  owners,
                  types == null ? List.of() : types,
                  shimFile,
                  cli,
                  skipArchives,
                  javaHome.toPath(),
                  jdks,
                  jvmDir,
                  versionFile ? project.getVersion() : null,
                  runtime,
                  m -> getLog().info("jcni: " + m)));
      getLog().debug("jcni: packaged " + done);
    } catch (IOException e) {
      throw new MojoFailureException("jcni: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MojoExecutionException("jcni: interrupted", e);
    }
  }

  private Path resolveShim() throws MojoExecutionException {
    String classifier = shimClassifier;
    if (classifier == null || classifier.isBlank()) {
      String arch = System.getProperty("os.arch", "");
      classifier =
          switch (arch) {
            case "amd64", "x86_64" -> "linux-x86_64";
            case "aarch64", "arm64" -> "linux-aarch_64";
            default -> "linux-" + arch;
          };
    }
    ArtifactRequest req =
        new ArtifactRequest(
            new DefaultArtifact("dev.jcni", "cni-shim", classifier, "exe", pluginVersion),
            project.getRemoteProjectRepositories(),
            null);
    try {
      return repositorySystem
          .resolveArtifact(session.getRepositorySession(), req)
          .getArtifact()
          .getFile()
          .toPath();
    } catch (ArtifactResolutionException e) {
      throw new MojoExecutionException(
          "jcni: no prebuilt shim dev.jcni:cni-shim:exe:"
              + classifier
              + ":"
              + pluginVersion
              + " (set <shim> to a jcni-shim binary): "
              + e.getMessage(),
          e);
    }
  }

  /** An empty jar (a packaging-only module) is not worth a place in lib/. */
  private static boolean hasClasses(File jar) throws MojoExecutionException {
    try (ZipFile z = new ZipFile(jar)) {
      return z.stream().anyMatch(e -> e.getName().endsWith(".class"));
    } catch (IOException e) {
      throw new MojoExecutionException("jcni: cannot read " + jar + ": " + e.getMessage(), e);
    }
  }
}
