package dev.jcni.plugins.meta.firewall;

import static dev.jcni.plugins.meta.firewall.FwNet.CLIENT_V4;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jcni.spec.json.Json;
import dev.jcni.system.NetNs;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * podman itself (4.x, CNI network backend forced by a scratch containers.conf) running two
 * containers on its default network, every CNI plugin of the chain being jcni's (bridge,
 * host-local, portmap, firewall, tuning as launchers of this test's class path). Nothing of the
 * machine's podman setup is used or touched:
 *
 * <ul>
 *   <li>podman runs in a NODE namespace of the test ({@code nsenter --net}), so the bridge, the
 *       rules and the containers' namespaces hang off it; the NODE's FORWARD policy is DROP;
 *   <li>storage, run root, tmp dir, CNI config dir and host-local's dataDir are scratch
 *       directories; no image is needed: {@code --rootfs} runs a static test server compiled here
 *       (musl-gcc or gcc);
 *   <li>each podman call runs in its own mount namespace whose cgroup mounts are made private and
 *       the cgroup2 "unified" mount removed (crun refuses hybrid cgroup layouts), so the host's
 *       mounts never change.
 * </ul>
 *
 * libcni inside podman keeps its result cache in /var/lib/cni (not configurable): entries are
 * removed by podman's DEL, and the directories when this test created them; so are podman's empty
 * {@code libpod_parent} cgroups. Skips when podman, crun, conmon or a C compiler is missing, or
 * when this machine cannot run a container at all.
 */
class PodmanCniTest {
  private FwNet net;
  private Path dir;
  private Map<String, String> env;
  private boolean libcniDirExisted;
  private boolean libpodCgroupExisted = true;

  @AfterEach
  void tearDown() throws Exception {
    if (env != null) {
      podman("rm", "-f", "-a");
    }
    if (net != null) {
      net.close();
    }
    FwNet.deleteTree(dir);
    if (!libpodCgroupExisted) {
      // podman's cgroupfs parent (and conmon's group in it), empty once the containers are gone
      try (var s = Files.list(Path.of("/sys/fs/cgroup"))) {
        for (Path ctl : s.toList()) {
          Path parent = ctl.resolve("libpod_parent");
          Files.deleteIfExists(parent.resolve("conmon"));
          Files.deleteIfExists(parent);
        }
      } catch (java.io.IOException e) {
        // best effort: a group still in use stays
      }
    }
    Path results = Path.of("/var/lib/cni/results");
    if (!libcniDirExisted && Files.isDirectory(results)) {
      try (var s = Files.list(results)) {
        if (s.findAny().isEmpty()) {
          Files.delete(results);
          try (var t = Files.list(results.getParent())) {
            if (t.findAny().isEmpty()) {
              Files.delete(results.getParent());
            }
          }
        }
      }
    }
  }

  private static boolean onPath(String tool) throws Exception {
    return FwNet.run(null, Map.of(), "sh", "-c", "command -v " + tool).exit() == 0;
  }

  /** podman in the node's netns, in a private mount namespace with a v1-only cgroup view. */
  private FwNet.Result podman(String... args) throws Exception {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "unshare",
                "-m",
                "--propagation",
                "unchanged",
                "sh",
                "-c",
                "mount --make-rprivate /sys/fs/cgroup && { umount /sys/fs/cgroup/unified 2>/dev/null; true; } && "
                    + "exec nsenter --net=/run/netns/"
                    + net.node
                    + " podman \"$@\"",
                "podman"));
    argv.addAll(List.of(args));
    return FwNet.run(null, env, argv.toArray(new String[0]));
  }

  private String ok(FwNet.Result r) {
    assertThat(r.exit()).as("stdout=%s stderr=%s", r.stdout(), r.stderr()).isZero();
    return r.stdout().strip();
  }

  private static final String[] RUN = {
    "run", "-d", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"
  };

  private List<String> run(String name, String... rest) {
    List<String> a = new ArrayList<>(List.of(RUN));
    a.addAll(List.of("--name", name));
    a.addAll(List.of(rest));
    return a;
  }

  @Test
  void podmanWithItsCniBackendRunsOnJcniPlugins() throws Exception {
    Assumptions.assumeTrue(FwNet.isRoot(), "needs root: creates network namespaces, runs podman");
    for (String tool : List.of("podman", "crun", "conmon", "unshare", "nsenter")) {
      Assumptions.assumeTrue(onPath(tool), tool + " not installed");
    }
    String cc = onPath("musl-gcc") ? "musl-gcc" : "gcc";
    Assumptions.assumeTrue(onPath(cc), "no C compiler for the static test server");
    libcniDirExisted = Files.exists(Path.of("/var/lib/cni/results"));
    libpodCgroupExisted =
        Files.exists(Path.of("/sys/fs/cgroup/memory/libpod_parent"))
            || Files.exists(Path.of("/sys/fs/cgroup/unified/libpod_parent"));
    dir = Files.createTempDirectory("jfw-podman-");
    Path rootfs = dir.resolve("rootfs");
    for (String d : List.of("bin", "etc", "proc", "sys", "dev")) {
      Files.createDirectories(rootfs.resolve(d));
    }
    Path src = dir.resolve("srv.c");
    try (InputStream in = getClass().getResourceAsStream("/podman/jfw-srv.c")) {
      Files.copy(in, src);
    }
    FwNet.Result built =
        FwNet.run(
            null,
            Map.of(),
            cc,
            "-static",
            "-O2",
            "-o",
            rootfs.resolve("bin/srv").toString(),
            src.toString());
    Assumptions.assumeTrue(built.exit() == 0, "cannot build a static binary: " + built.stderr());

    // jcni launchers named by type, as podman's cni_plugin_dirs expects
    Path bin = Files.createDirectories(dir.resolve("bin"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (String type : List.of("bridge", "host-local", "portmap", "firewall", "tuning")) {
      Path l = bin.resolve(type);
      Files.writeString(
          l,
          "#!/bin/sh\nexec "
              + java
              + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:disable "
              + "-Xlog:all=warning:stderr -cp '"
              + System.getProperty("java.class.path")
              + "' -Djcni.plugin="
              + type
              + " dev.jcni.api.Main\n");
      Files.setPosixFilePermissions(l, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    // the podman conflist (installed, else the same text), host-local's dataDir made scratch
    Path netd = Files.createDirectories(dir.resolve("net.d"));
    String text =
        Files.isReadable(PodmanDefaultNetworkTest.INSTALLED.get(0))
            ? Files.readString(PodmanDefaultNetworkTest.INSTALLED.get(0))
            : PodmanDefaultNetworkTest.PODMAN_CONFLIST;
    Map<String, Object> list = Json.parseObject(text);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> plugins = (List<Map<String, Object>>) list.get("plugins");
    @SuppressWarnings("unchecked")
    Map<String, Object> ipam = (Map<String, Object>) plugins.get(0).get("ipam");
    ipam.put("dataDir", dir.resolve("ipam").toString());
    Files.write(netd.resolve("87-podman-bridge.conflist"), Json.write(list));
    Files.createDirectories(dir.resolve("tmp"));
    Files.writeString(
        dir.resolve("containers.conf"),
        """
        [network]
        network_backend = "cni"
        cni_plugin_dirs = ["%1$s/bin"]
        network_config_dir = "%1$s/net.d"
        default_network = "podman"

        [engine]
        cgroup_manager = "cgroupfs"
        events_logger = "file"
        events_logfile_path = "%1$s/tmp/events.log"
        tmp_dir = "%1$s/tmp"
        """
            .formatted(dir));
    Files.writeString(
        dir.resolve("storage.conf"),
        """
        [storage]
        driver = "vfs"
        graphroot = "%1$s/root"
        runroot = "%1$s/runroot"
        """
            .formatted(dir));
    env = new LinkedHashMap<>();
    env.put("CONTAINERS_CONF", dir.resolve("containers.conf").toString());
    env.put("CONTAINERS_STORAGE_CONF", dir.resolve("storage.conf").toString());

    net = new FwNet();
    // can this machine run a container at all (no network involved)?
    FwNet.Result probe =
        podman(
            run("jfw-probe", "--network", "none", "--rootfs", rootfs.toString(), "/bin/srv")
                .toArray(new String[0]));
    Assumptions.assumeTrue(
        probe.exit() == 0, "podman cannot run a container here: " + probe.stderr().strip());
    ok(podman("rm", "-f", "jfw-probe"));
    net.iptablesForwardDrop();

    String c1 =
        ok(
            podman(
                run("jfw-c1", "-p", "18097:80", "--rootfs", rootfs.toString(), "/bin/srv", "80")
                    .toArray(new String[0])));
    String c2 =
        ok(
            podman(
                run("jfw-c2", "--rootfs", rootfs.toString(), "/bin/srv", "81")
                    .toArray(new String[0])));
    String ip1 = ok(podman("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "jfw-c1"));
    String sandbox2 = ok(podman("inspect", "-f", "{{.NetworkSettings.SandboxKey}}", "jfw-c2"));
    assertThat(ip1).startsWith("10.88.");
    try (NetNs node = NetNs.openNamed(net.node);
        NetNs ns2 = NetNs.open(Path.of(sandbox2));
        NetNs clientNs = NetNs.openNamed(net.client);
        Traffic.Server s = new Traffic.Server(clientNs, 18098)) {
      // the host port (portmap) from the node, container to container on the bridge, and a
      // container out
      // through the node's FORWARD DROP (admitted by firewall, masqueraded by bridge's ipMasq)
      assertThat(Traffic.tcp(node, "192.168.78.1", 18097)).isEqualTo("hello");
      assertThat(Traffic.tcp(ns2, ip1, 80)).isEqualTo("hello");
      assertThat(Traffic.tcp(ns2, CLIENT_V4, 18098)).isEqualTo("192.168.78.1");
    }
    String rules = net.ruleset();
    assertThat(rules)
        .contains("jcni-fw net: podman id: " + c1 + " if: eth0")
        .contains("jcni-fw net: podman id: " + c2 + " if: eth0");

    ok(podman("rm", "-f", "jfw-c1", "jfw-c2"));
    rules = net.ruleset();
    assertThat(rules).doesNotContain(c1).doesNotContain(c2).doesNotContain(ip1 + "/");
    assertThat(FwNet.sh("ip", "netns", "exec", net.node, "iptables-save", "-t", "nat"))
        .doesNotContain(c1)
        .doesNotContain(ip1 + ":80");
    try (var s = Files.list(dir.resolve("ipam").resolve("podman"))) {
      assertThat(s.map(p -> p.getFileName().toString())).doesNotContain(ip1);
    }
  }
}
