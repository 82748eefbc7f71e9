package dev.jcni.netlink;

import static dev.jcni.netlink.TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcni.system.NetNs;
import dev.jcni.system.Sysctl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Many threads work in different namespaces at once: through {@link NetNs#run} (thread-bound work,
 * sysctl) and through shared "socket-at" {@link Netlink} handles. Nothing may land in the wrong
 * namespace, and no caller thread may end up moved.
 */
class NamespaceConcurrencyTest {
  private static final int NAMESPACES = 5;
  private static final int THREADS_PER_NS = 4;
  private static final int ROUNDS = 15;

  private static String threadNs() throws Exception {
    return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
  }

  @Test
  void threadsNeverCrossNamespaces() throws Exception {
    assumeTrue(isRoot(), "needs root: creates network namespaces");
    List<String> names = new ArrayList<>();
    List<NetNs> nss = new ArrayList<>();
    List<Netlink> handles = new ArrayList<>();
    String hostNs = threadNs();
    try {
      for (int i = 0; i < NAMESPACES; i++) {
        String n = uniqueName("cc" + i);
        names.add(n);
        NetNs ns = NetNs.create(n);
        nss.add(ns);
        handles.add(Netlink.openAt(ns));
      }
      Queue errors = new Queue();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < NAMESPACES; i++) {
        for (int t = 0; t < THREADS_PER_NS; t++) {
          int nsIdx = i;
          int tIdx = t;
          threads.add(
              new Thread(
                  () -> {
                    try {
                      start.await();
                      work(nss.get(nsIdx), handles.get(nsIdx), nsIdx, tIdx, hostNs, errors);
                    } catch (Throwable e) {
                      errors.add("ns" + nsIdx + "/t" + tIdx + ": " + e);
                    }
                  },
                  "cc-" + i + "-" + t));
        }
      }
      threads.forEach(Thread::start);
      start.countDown();
      for (Thread t : threads) t.join();
      assertThat(errors.items()).isEmpty();

      // every namespace holds exactly its own links (plus lo), the host thread never moved
      for (int i = 0; i < NAMESPACES; i++) {
        List<String> links = handles.get(i).linkList().stream().map(Link::name).toList();
        List<String> expected = new ArrayList<>(List.of("lo"));
        for (int t = 0; t < THREADS_PER_NS; t++) {
          expected.add("c" + i + "t" + t + "a");
          expected.add("c" + i + "t" + t + "b");
        }
        assertThat(links).containsExactlyInAnyOrderElementsOf(expected);
        // the oracle agrees
        assertThat(ipJson(names.get(i), "link", "show")).hasSize(expected.size());
        assertThat(Sysctl.get(nss.get(i), "net/ipv4/conf/all/arp_ignore"))
            .isEqualTo(Integer.toString(i % 3));
      }
      assertThat(threadNs()).isEqualTo(hostNs);
    } finally {
      handles.forEach(Netlink::close);
      nss.forEach(NetNs::close);
      names.forEach(TestSupport::deleteQuietly);
    }
  }

  private static void work(NetNs ns, Netlink nl, int nsIdx, int tIdx, String hostNs, Queue errors)
      throws Exception {
    String expectedNs = "net:[" + ns.inode() + "]";
    String a = "c" + nsIdx + "t" + tIdx + "a";
    String b = "c" + nsIdx + "t" + tIdx + "b";
    for (int r = 0; r < ROUNDS; r++) {
      // thread-bound work lands in ns
      String seen = ns.run(NamespaceConcurrencyTest::threadNs);
      if (!seen.equals(expectedNs)) errors.add("run saw " + seen + " instead of " + expectedNs);
      String dev = ns.run(() -> Files.readString(Path.of("/proc/thread-self/net/dev")));
      for (String line : dev.lines().skip(2).toList()) {
        String ifname = line.trim().split(":")[0];
        if (!ifname.equals("lo") && !ifname.startsWith("c" + nsIdx + "t")) {
          errors.add("ns" + nsIdx + " shows foreign device " + ifname);
        }
      }
      Sysctl.set(ns, "net/ipv4/conf/all/arp_ignore", Integer.toString(nsIdx % 3));
      // socket-at work from this (host) thread, on a handle shared with other threads
      nl.linkAddVeth(a, b, null, 0);
      if (nl.linkGet(a).isEmpty()) errors.add(a + " not visible in its namespace");
      if (r < ROUNDS - 1) nl.linkDel(a);
      if (!threadNs().equals(hostNs)) errors.add("worker thread moved to " + threadNs());
    }
  }

  /** A tiny thread-safe error sink. */
  static final class Queue {
    private final ConcurrentLinkedQueue<String> q = new ConcurrentLinkedQueue<>();

    void add(String s) {
      q.add(s);
    }

    List<String> items() {
      return Collections.unmodifiableList(new ArrayList<>(q));
    }
  }
}
