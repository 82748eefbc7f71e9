package dev.jcni.plugins.vxlan;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.spec.CniException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vxlan's ADD proves CNI_NETNS before it programs the node's overlay (issue 14); the refusals need
 * no root.
 */
class VxlanNetnsValidationTest {
  @TempDir Path tmp;

  @Test
  void aMissingPathOrAFileThatIsNotANamespaceIsRefusedInWords() throws Exception {
    Path missing = tmp.resolve("gone");
    assertThatThrownBy(() -> VxlanPlugin.validateNetns(missing.toString()))
        .isInstanceOfSatisfying(
            CniException.class,
            e ->
                org.assertj.core.api.Assertions.assertThat(e.msg())
                    .isEqualTo(
                        "failed to open netns \"" + missing + "\": no such file or directory"));
    Path file = Files.createFile(tmp.resolve("file"));
    assertThatThrownBy(() -> VxlanPlugin.validateNetns(file.toString()))
        .isInstanceOfSatisfying(
            CniException.class,
            e ->
                org.assertj.core.api.Assertions.assertThat(e.msg())
                    .isEqualTo("failed to open netns \"" + file + "\": not a namespace file"));
  }
}
