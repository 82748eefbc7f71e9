package dev.jcni.testkit;

import dev.jcni.api.CniPlugin;
import dev.jcni.spec.CniVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Runs one test body at every CNI version a plugin supports (its {@link
 * CniPlugin#supportedVersions()}), each as its own JUnit dynamic test named {@code cniVersion X},
 * so a failure names the version:
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicTest> addAtEveryVersion() {
 *   return VersionMatrix.of(new MyPlugin()).atLeast("0.3.0").tests(v ->
 *       assertThat(run.add(conf.version(v).json())).result().hasCniVersion(v.toString()));
 * }
 * }</pre>
 *
 * {@code CHECK} exists from 0.4.0, {@code GC}/{@code STATUS} from 1.1.0: narrow with {@link
 * #atLeast}.
 */
public final class VersionMatrix {
  private final List<CniVersion> versions;

  private VersionMatrix(List<CniVersion> versions) {
    this.versions = List.copyOf(versions);
  }

  /** Every version {@code plugin} supports. */
  public static VersionMatrix of(CniPlugin plugin) {
    return new VersionMatrix(plugin.supportedVersions());
  }

  /** Exactly these versions. */
  public static VersionMatrix of(List<CniVersion> versions) {
    return new VersionMatrix(versions);
  }

  /** Only versions at or above {@code min} (e.g. "0.4.0" for CHECK). */
  public VersionMatrix atLeast(String min) {
    CniVersion m = CniVersion.parse(min);
    List<CniVersion> out = new ArrayList<>();
    for (CniVersion v : versions) {
      if (v.atLeast(m)) {
        out.add(v);
      }
    }
    return new VersionMatrix(out);
  }

  /** The versions, for {@code @MethodSource} or a loop. */
  public List<CniVersion> versions() {
    return versions;
  }

  /** One dynamic test per version running {@code body}. */
  public Stream<DynamicTest> tests(Consumer<CniVersion> body) {
    if (versions.isEmpty()) {
      throw new IllegalStateException("no CNI version left to test");
    }
    List<DynamicTest> out = new ArrayList<>();
    for (CniVersion v : versions) {
      out.add(DynamicTest.dynamicTest("cniVersion " + v, () -> body.accept(v)));
    }
    return out.stream();
  }
}
