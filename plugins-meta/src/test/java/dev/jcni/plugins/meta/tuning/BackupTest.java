package dev.jcni.plugins.meta.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The saved-values file: Go's format both ways, our extra keys, repeated ADD keeping the first
 * originals.
 */
class BackupTest {
  @TempDir Path dir;

  @Test
  void readsWhatGoWrites() {
    // Go's json.MarshalIndent(configToRestore, "", " ") output (tuning v1.1.1 and later)
    String go =
        "{\n \"mac\": \"0a:58:0a:58:00:05\",\n \"promisc\": false,\n \"mtu\": 1500,\n \"allmulti\": false,\n"
            + " \"txQLen\": 1000\n}";
    Backup b = Backup.parse(go.getBytes(StandardCharsets.UTF_8));
    assertThat(b)
        .isEqualTo(new Backup("0a:58:0a:58:00:05", false, 1500, false, 1000, null, Map.of()));
    assertThat(Backup.parse("{\n \"mtu\": 9000\n}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new Backup(null, null, 9000, null, null, null, Map.of()));
  }

  @Test
  void writesGoFieldsOnlyWhenSavedPlusOurExtras() throws Exception {
    Backup b =
        new Backup(
            "0a:58:0a:58:00:05",
            true,
            0,
            null,
            500,
            "tnet",
            Map.of("net/ipv4/conf/eth0/arp_notify", "0"));
    Path f = Backup.file(dir.resolve("sub"), "ctr_1", "eth0");
    assertThat(f.getFileName().toString()).isEqualTo("ctr_1_eth0.json");
    b.write(f);
    String text = Files.readString(f);
    assertThat(text)
        .contains("\"mac\"", "\"promisc\"", "\"txQLen\"", "\"jcni.network\"", "\"jcni.sysctl\"")
        .doesNotContain("\"mtu\"", "\"allmulti\"");
    assertThat(Files.getPosixFilePermissions(f))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(f.getParent()))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(Backup.parse(Files.readAllBytes(f))).isEqualTo(b);
    try (var s = Files.list(f.getParent())) {
      assertThat(s.count()).as("no temp file left").isEqualTo(1);
    }
  }

  @Test
  void repeatedAddKeepsTheFirstOriginals() {
    Backup first =
        new Backup("02:00:00:00:00:01", null, 1500, null, null, "n", Map.of("net/a/b", "0"));
    Backup second =
        new Backup(
            "02:00:00:00:00:99",
            false,
            1400,
            null,
            null,
            "n",
            Map.of("net/a/b", "1", "net/c/d", "7"));
    Backup merged = second.keepOriginals(first);
    assertThat(merged.mac()).isEqualTo("02:00:00:00:00:01");
    assertThat(merged.mtu()).isEqualTo(1500);
    assertThat(merged.promisc()).isFalse();
    assertThat(merged.sysctls()).containsEntry("net/a/b", "0").containsEntry("net/c/d", "7");
  }

  @Test
  void foreignContentIsNotABackup() {
    assertThat(Backup.parse("not json".getBytes(StandardCharsets.UTF_8))).isNull();
    assertThat(Backup.parse("{\"mtu\":\"1500\"}".getBytes(StandardCharsets.UTF_8))).isNull();
    assertThat(Backup.parse("{\"jcni.sysctl\":{\"net/a/b\":1}}".getBytes(StandardCharsets.UTF_8)))
        .isNull();
    assertThat(Backup.parse("{}".getBytes(StandardCharsets.UTF_8)).isEmpty()).isTrue();
  }
}
