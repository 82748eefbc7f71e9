package dev.jcni.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MyCniPluginTest {
  @TempDir
  Path data;

  String conf(String version, String subnet, String gateway) {
    return "{\"cniVersion\":\"" + version + "\",\"name\":\"mynet\",\"type\":\"mycni\",\"subnet\":\"" + subnet + "\","
        + (gateway == null ? "" : "\"gateway\":\"" + gateway + "\",") + "\"dataDir\":\"" + data + "\"}";
  }

  @SuppressWarnings("unchecked")
  static String address(Run r) {
    return (String) ((List<Map<String, Object>>) r.json().get("ips")).get(0).get("address");
  }

  @Test
  void addReservesDistinctAddressesIdempotentlyAndDelReleases() {
    String c = conf("0.3.1", "10.40.0.0/16", "10.40.0.1");
    Run a = Run.call(new MyCniPlugin(), Run.env("ADD", "c1", "eth0"), c);
    assertThat(a.exit()).as(a.stdout()).isZero();
    assertThat(address(a)).isEqualTo("10.40.0.2/16");
    assertThat(a.json().get("cniVersion")).isEqualTo("0.3.1");
    assertThat(address(Run.call(new MyCniPlugin(), Run.env("ADD", "c2", "eth0"), c))).isEqualTo("10.40.0.3/16");
    // the same container again gets the same address
    assertThat(address(Run.call(new MyCniPlugin(), Run.env("ADD", "c1", "eth0"), c))).isEqualTo("10.40.0.2/16");
    assertThat(Files.exists(data.resolve("mycni/mynet/10.40.0.2"))).isTrue();
    assertThat(Run.call(new MyCniPlugin(), Run.env("DEL", "c1", "eth0"), c).exit()).isZero();
    assertThat(Run.call(new MyCniPlugin(), Run.env("DEL", "c1", "eth0"), c).exit()).isZero(); // idempotent
    assertThat(Files.exists(data.resolve("mycni/mynet/10.40.0.2"))).isFalse();
    assertThat(address(Run.call(new MyCniPlugin(), Run.env("ADD", "c3", "eth0"), c))).isEqualTo("10.40.0.2/16");
  }

  @Test
  void checkGcAndStatus() {
    String c = conf("1.1.0", "10.41.0.0/30", null);
    Run a = Run.call(new MyCniPlugin(), Run.env("ADD", "c1", "eth0"), c);
    assertThat(address(a)).isEqualTo("10.41.0.2/30"); // .1 is the default gateway, .3 the broadcast
    assertThat(Run.call(new MyCniPlugin(), Run.env("CHECK", "c1", "eth0"), c).exit()).isZero();
    assertThat(Run.call(new MyCniPlugin(), Run.env("CHECK", "c9", "eth0"), c).exit()).isEqualTo(1);
    Map<String, String> status = Map.of("CNI_COMMAND", "STATUS", "CNI_PATH", "/x");
    Run full = Run.call(new MyCniPlugin(), status, c);
    assertThat(full.json()).containsEntry("code", 50L);
    String gc = c.substring(0, c.length() - 1) + ",\"cni.dev/valid-attachments\":[]}";
    assertThat(Run.call(new MyCniPlugin(), Map.of("CNI_COMMAND", "GC", "CNI_PATH", "/x"), gc).exit()).isZero();
    assertThat(Run.call(new MyCniPlugin(), status, c).exit()).isZero();
  }

  @ParameterizedTest
  @CsvSource({"'',,subnet", "10.0.0.0,,subnet", "10.0.0.0/33,,subnet", "300.0.0.0/8,,subnet",
      "10.0.0.0/24,10.0.1.1,gateway", "10.0.0.0/24,10.0.0.255,gateway", "10.0.0.0/24,nope,gateway"})
  void badConfigIsCode7NamingTheKey(String subnet, String gateway, String key) {
    Run r = Run.call(new MyCniPlugin(), Run.env("ADD", "c1", "eth0"), conf("1.0.0", subnet, gateway));
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.json()).containsEntry("code", 7L);
    assertThat((String) r.json().get("msg")).startsWith(key + ":");
  }
}
