package dev.jcni.ipam.hostlocal;

import static dev.jcni.ipam.hostlocal.ConfTrees.conf;
import static dev.jcni.ipam.hostlocal.ConfTrees.list;
import static dev.jcni.ipam.hostlocal.ConfTrees.obj;
import static dev.jcni.ipam.hostlocal.ConfTrees.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.api.Attachment;
import dev.jcni.spec.CniException;
import dev.jcni.spec.Result;
import dev.jcni.spec.net.Cidr;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations against a real temporary data directory (lock: an in-JVM lock, so threads exclude
 * each other).
 */
class HostLocalTest {
  private static final ReentrantLock JVM_LOCK = new ReentrantLock();

  @TempDir Path tmp;

  private final HostLocal hl =
      new HostLocal(
          file -> {
            try {
              Files.createFile(file); // as the real lock does
            } catch (java.nio.file.FileAlreadyExistsException e) {
              // already there
            }
            JVM_LOCK.lock();
            return JVM_LOCK::unlock;
          });

  private HostLocalConfig cfg(Map<String, Object> ipam, Object... extra) {
    ipam.put("dataDir", tmp.toString());
    return HostLocalConfig.parse(conf("1.0.0", ipam, extra), null, true);
  }

  private HostLocalConfig cfg(String subnet) {
    return cfg(obj("ranges", list(list(range(subnet)))));
  }

  private Path net() {
    return tmp.resolve("testnet");
  }

  private List<String> addrs(Result r) {
    return r.ips().stream().map(ip -> ip.address().toString()).collect(Collectors.toList());
  }

  private Set<String> files() throws IOException {
    try (Stream<Path> s = Files.list(net())) {
      return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private String read(String name) throws IOException {
    return Files.readString(net().resolve(name), StandardCharsets.UTF_8);
  }

  @Test
  void allocatesRoundRobinWithGoFileFormat() throws IOException {
    HostLocalConfig c = cfg("10.1.2.0/24");
    Result r = hl.add(c, "ctr1", "eth0");
    assertThat(r.ips()).containsExactly(Result.IpConfig.parse(null, "10.1.2.2/24", "10.1.2.1"));
    assertThat(r.interfaces()).isEmpty();
    assertThat(read("10.1.2.2")).isEqualTo("ctr1\r\neth0");
    assertThat(read("last_reserved_ip.0")).isEqualTo("10.1.2.2");
    assertThat(files()).containsExactly("10.1.2.2", "last_reserved_ip.0", "lock");
    assertThat(addrs(hl.add(c, "ctr2", "eth0"))).containsExactly("10.1.2.3/24");
    hl.del(c, "ctr1", "eth0");
    // round-robin: a released address is not handed out again before the range is used up
    assertThat(addrs(hl.add(c, "ctr3", "eth0"))).containsExactly("10.1.2.4/24");
  }

  @Test
  void dualStackResultWithRoutesAndDns() throws IOException {
    Path resolv = tmp.resolve("resolv.conf");
    Files.writeString(resolv, "nameserver 10.0.0.53\nsearch example\n");
    HostLocalConfig c =
        cfg(
            obj(
                "ranges",
                list(list(range("10.1.2.0/24")), list(range("fd00:1::/64"))),
                "routes",
                list(obj("dst", "0.0.0.0/0"), obj("dst", "::/0")),
                "resolvConf",
                resolv.toString()));
    Result r = hl.add(c, "ctr1", "eth0");
    assertThat(r.ips())
        .containsExactly(
            Result.IpConfig.parse(null, "10.1.2.2/24", "10.1.2.1"),
            Result.IpConfig.parse(null, "fd00:1::2/64", "fd00:1::1"));
    assertThat(r.routes())
        .extracting(Result.Route::dst)
        .containsExactly(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0"));
    assertThat(r.dns().nameservers()).containsExactly("10.0.0.53");
    assertThat(r.dns().search()).containsExactly("example");
    assertThat(read("last_reserved_ip.1")).isEqualTo("fd00:1::2");
    assertThat(read("fd00:1::2")).isEqualTo("ctr1\r\neth0");
  }

  @Test
  void missingResolvConfIsAConfigErrorAndReservesNothing() {
    HostLocalConfig c =
        cfg(obj("subnet", "10.1.2.0/24", "resolvConf", tmp.resolve("nope").toString()));
    assertThatThrownBy(() -> hl.add(c, "ctr1", "eth0"))
        .hasFieldOrPropertyWithValue("code", 7)
        .hasMessageContaining("ipam.resolvConf");
    assertThat(Files.exists(net())).isFalse();
  }

  @Test
  void duplicateAddIsRefusedPerInterface() throws IOException {
    HostLocalConfig c = cfg("10.1.2.0/24");
    hl.add(c, "ctr1", "eth0");
    assertThatThrownBy(() -> hl.add(c, "ctr1", "eth0"))
        .isInstanceOf(CniException.class)
        .hasMessage(
            "failed to allocate for range 0: 10.1.2.2 has been allocated to ctr1, duplicate allocation is not allowed");
    assertThat(addrs(hl.add(c, "ctr1", "eth1"))).containsExactly("10.1.2.3/24");
    assertThat(files()).containsExactly("10.1.2.2", "10.1.2.3", "last_reserved_ip.0", "lock");
  }

  @Test
  void exhaustionNamesTheRangeSetAndLeavesNothing() throws IOException {
    HostLocalConfig c =
        cfg(
            obj(
                "ranges",
                list(
                    list(range("10.9.0.0/24")),
                    list(
                        obj(
                            "subnet",
                            "10.1.2.0/24",
                            "rangeStart",
                            "10.1.2.10",
                            "rangeEnd",
                            "10.1.2.11"),
                        obj("subnet", "10.1.3.0/30")))));
    hl.add(c, "a", "eth0");
    hl.add(c, "b", "eth0");
    hl.add(c, "c", "eth0");
    assertThatThrownBy(() -> hl.add(c, "d", "eth0"))
        .isInstanceOf(CniException.class)
        .hasFieldOrPropertyWithValue("code", 999)
        .hasMessage(
            "failed to allocate for range 1: no IP addresses available in range set: "
                + "10.1.2.10-10.1.2.11,10.1.3.1-10.1.3.2");
    // the address d got from range set 0 was released again
    assertThat(files())
        .containsExactly(
            "10.1.2.10",
            "10.1.2.11",
            "10.1.3.2",
            "10.9.0.2",
            "10.9.0.3",
            "10.9.0.4",
            "last_reserved_ip.0",
            "last_reserved_ip.1",
            "lock");
    hl.del(c, "b", "eth0");
    assertThat(addrs(hl.add(c, "d", "eth0"))).containsExactly("10.9.0.6/24", "10.1.2.11/24");
  }

  @Test
  void requestedIps() throws IOException {
    Map<String, Object> ipam =
        obj(
            "ranges",
            list(list(range("10.1.2.0/24")), list(range("fd00::/64"))),
            "dataDir",
            tmp.toString());
    HostLocalConfig c =
        HostLocalConfig.parse(
            conf(
                "1.0.0",
                ipam,
                "args",
                obj("cni", obj("ips", list("fd00::99"))),
                "runtimeConfig",
                obj("ips", list("10.1.2.77/24"))),
            null,
            true);
    assertThat(addrs(hl.add(c, "a", "eth0"))).containsExactly("10.1.2.77/24", "fd00::99/64");
    assertThat(read("last_reserved_ip.0")).isEqualTo("10.1.2.77");
    // the same address again: not available
    assertThatThrownBy(() -> hl.add(c, "b", "eth0"))
        .hasMessage(
            "failed to allocate for range 0: requested IP address 10.1.2.77 is not available in range set 10.1.2.1-10.1.2.254");
    // the gateway cannot be requested
    assertThatThrownBy(
            () -> hl.add(HostLocalConfig.parse(conf("1.0.0", ipam), "10.1.2.1", true), "b", "eth0"))
        .hasMessage("failed to allocate for range 0: requested ip 10.1.2.1 is subnet's gateway");
    // all must be satisfied: one outside every set fails the ADD and releases the rest
    assertThatThrownBy(
            () -> hl.add(HostLocalConfig.parse(conf("1.0.0", ipam), "10.7.7.7", true), "b", "eth0"))
        .hasMessage("failed to allocate all requested IPs: 10.7.7.7");
    // two in one set: only one can be used
    HostLocalConfig two =
        HostLocalConfig.parse(
            conf("1.0.0", ipam, "args", obj("cni", obj("ips", list("10.1.2.50", "10.1.2.51")))),
            null,
            true);
    assertThatThrownBy(() -> hl.add(two, "b", "eth0"))
        .hasMessage("failed to allocate all requested IPs: 10.1.2.51");
    assertThat(files())
        .containsExactly(
            "10.1.2.77", "fd00::99", "last_reserved_ip.0", "last_reserved_ip.1", "lock");
  }

  @Test
  void delReleasesByIdAndIfnameWithLegacyFallbackAndIsIdempotent() throws IOException {
    HostLocalConfig c = cfg("10.1.2.0/24");
    hl.add(c, "a", "eth0");
    hl.add(c, "a", "eth1");
    hl.del(c, "a", "eth0");
    assertThat(files()).containsExactly("10.1.2.3", "last_reserved_ip.0", "lock");
    hl.del(c, "a", "eth0");
    // a file from an old Go version (container ID only) is released by ID when nothing matches
    // exactly
    Files.writeString(net().resolve("10.1.2.50"), "old\n");
    hl.del(c, "old", "eth0");
    assertThat(files()).containsExactly("10.1.2.3", "last_reserved_ip.0", "lock");
    // never created: nothing to do, and no directory appears
    hl.del(
        HostLocalConfig.parse(
            conf("1.0.0", obj("dataDir", tmp.resolve("other").toString())), null, false),
        "a",
        "eth0");
    assertThat(Files.exists(tmp.resolve("other"))).isFalse();
  }

  @Test
  void check() throws IOException {
    HostLocalConfig c = cfg("10.1.2.0/24");
    assertThatThrownBy(() -> hl.check(c, "a", "eth0"))
        .hasMessage("host-local: Failed to find address added by container a");
    hl.add(c, "a", "eth0");
    hl.check(c, "a", "eth0");
    assertThatThrownBy(() -> hl.check(c, "a", "eth1")).isInstanceOf(CniException.class);
    Files.writeString(net().resolve("10.1.2.60"), "legacy");
    hl.check(c, "legacy", "eth0");
  }

  @Test
  void emptyAndCorruptFilesDoNotBreakAllocationOrDel() throws IOException {
    HostLocalConfig c = cfg("10.1.2.0/29");
    Files.createDirectories(net());
    Files.write(net().resolve("10.1.2.2"), new byte[0]); // crash between create and write
    Files.writeString(net().resolve("10.1.2.3"), "\u0000garbage\u00ff"); // unknown owner: kept
    Files.writeString(net().resolve("last_reserved_ip.0"), "not an ip");
    Files.createDirectory(net().resolve("10.1.2.4")); // not a reservation file
    assertThat(addrs(hl.add(c, "a", "eth0"))).containsExactly("10.1.2.2/29");
    assertThat(read("10.1.2.2")).isEqualTo("a\r\neth0");
    assertThat(addrs(hl.add(c, "b", "eth0"))).containsExactly("10.1.2.5/29");
    hl.del(c, "a", "eth0");
    hl.del(c, "zzz", "eth0");
    assertThat(files())
        .containsExactly("10.1.2.3", "10.1.2.4", "10.1.2.5", "last_reserved_ip.0", "lock");
  }

  @Test
  void gcReleasesWhatIsNotValid() throws IOException {
    HostLocalConfig c = cfg("10.1.2.0/24");
    hl.add(c, "keep", "eth0"); // .2
    hl.add(c, "gone", "eth0"); // .3
    hl.add(c, "twoif", "eth0"); // .4
    hl.add(c, "twoif", "eth1"); // .5
    Files.writeString(net().resolve("10.1.2.100"), "legacy-kept");
    Files.writeString(net().resolve("10.1.2.101"), "legacy-gone");
    Files.write(net().resolve("10.1.2.102"), new byte[0]);
    HostLocalConfig forGc =
        HostLocalConfig.parse(conf("1.1.0", obj("dataDir", tmp.toString())), null, false);
    List<InetAddress> released =
        hl.gc(
            forGc,
            List.of(
                new Attachment("keep", "eth0"),
                new Attachment("twoif", "eth0"),
                new Attachment("legacy-kept", "eth0")));
    assertThat(released)
        .extracting(Addrs::text)
        .containsExactlyInAnyOrder("10.1.2.3", "10.1.2.5", "10.1.2.101", "10.1.2.102");
    assertThat(files())
        .containsExactly("10.1.2.100", "10.1.2.2", "10.1.2.4", "last_reserved_ip.0", "lock");
    // released addresses are allocatable again
    assertThat(hl.gc(forGc, List.of())).hasSize(3);
    assertThat(files()).containsExactly("last_reserved_ip.0", "lock");
    // nothing there at all: success, no directory created
    hl.gc(
        HostLocalConfig.parse(
            conf("1.1.0", obj("dataDir", tmp.resolve("none").toString())), null, false),
        List.of());
    assertThat(Files.exists(tmp.resolve("none"))).isFalse();
  }

  @Test
  void gcReportsWhatItCouldNotReleaseAndReleasesTheRest() throws Exception {
    HostLocalConfig c = cfg("10.1.2.0/24");
    hl.add(c, "stuck", "eth0"); // .2
    hl.add(c, "gone", "eth0"); // .3
    // a directory named like an address is not a reservation and is left alone
    Files.createDirectories(net().resolve("10.1.2.9").resolve("x"));
    HostLocalConfig forGc =
        HostLocalConfig.parse(conf("1.1.0", obj("dataDir", tmp.toString())), null, false);
    Path stuck = net().resolve("10.1.2.2");
    // an immutable file cannot be deleted, not even by root (chattr is only the test's setup tool)
    boolean immutable = new ProcessBuilder("chattr", "+i", stuck.toString()).start().waitFor() == 0;
    org.junit.jupiter.api.Assumptions.assumeTrue(immutable, "chattr +i not supported here");
    try {
      assertThatThrownBy(() -> hl.gc(forGc, List.of()))
          .isInstanceOf(CniException.class)
          .hasFieldOrPropertyWithValue("code", 5)
          .hasMessageContaining("GC could not release 1 stale reservation(s)")
          .hasMessageContaining("10.1.2.2 (stuck/eth0)");
    } finally {
      new ProcessBuilder("chattr", "-i", stuck.toString()).start().waitFor();
    }
    // everything else was still released
    assertThat(files()).containsExactly("10.1.2.2", "10.1.2.9", "last_reserved_ip.0", "lock");
  }

  @Test
  void nothingToDoTakesNoLock() throws IOException {
    HostLocalConfig c = cfg("10.1.2.0/24");
    hl.add(c, "a", "eth0");
    HostLocal noLock =
        new HostLocal(
            file -> {
              throw new AssertionError("lock taken");
            });
    noLock.del(c, "other", "eth0"); // containerd's second DEL finds nothing
    noLock.check(c, "a", "eth0");
    noLock.gc(
        HostLocalConfig.parse(conf("1.1.0", obj("dataDir", tmp.toString())), null, false),
        List.of(new Attachment("a", "eth0")));
    assertThat(files()).containsExactly("10.1.2.2", "last_reserved_ip.0", "lock");
    assertThatThrownBy(() -> noLock.del(c, "a", "eth0")).hasMessageContaining("lock taken");
  }

  @Test
  void statusIs50WhenTheDataDirectoryIsUnusable() throws IOException {
    hl.status(cfg("10.1.2.0/24"));
    assertThat(files()).containsExactly("lock");
    Path notADir = tmp.resolve("file");
    Files.writeString(notADir, "x");
    HostLocalConfig bad =
        HostLocalConfig.parse(
            conf("1.1.0", obj("subnet", "10.0.0.0/24", "dataDir", notADir.toString())), null, true);
    assertThatThrownBy(() -> hl.status(bad))
        .isInstanceOf(CniException.class)
        .hasFieldOrPropertyWithValue("code", 50)
        .hasMessageContaining("is not usable");
    assertThatThrownBy(() -> hl.add(bad, "a", "eth0")).hasFieldOrPropertyWithValue("code", 5);
  }

  @Test
  void concurrentThreadsGetDistinctAddresses() throws Exception {
    HostLocalConfig c = cfg("10.1.0.0/24");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    Set<String> got = ConcurrentHashMap.newKeySet();
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        String id = "ctr" + i;
        fs.add(pool.submit(() -> got.addAll(addrs(hl.add(c, id, "eth0")))));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(got).hasSize(64);
    assertThat(files()).hasSize(66);
  }
}
