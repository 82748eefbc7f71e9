package dev.jcni.netlink;

import static dev.jcni.netlink.TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcni.system.ErrnoException;
import dev.jcni.system.NetNs;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link NetNs#aliasPathToFd}: the daemon's way to make {@code NetNs.open(CNI_NETNS)} open the fd
 * the caller passed. The alias holds on the thread and on threads it starts, and nowhere else.
 */
class NetNsAliasTest {

  @Test
  void aliasedPathOpensTheFdOnThisThreadAndItsChildrenOnly() throws Exception {
    assumeTrue(isRoot(), "needs root: creates network namespaces");
    String name = uniqueName("al").replace("jnl-", "jdm-");
    Path fake = Path.of("/nonexistent/jdm-netns/" + name);
    try (NetNs ns = NetNs.create(name)) {
      assertThatThrownBy(() -> NetNs.open(fake)).isInstanceOf(ErrnoException.class);
      NetNs.aliasPathToFd(fake, ns.fd());
      try {
        try (NetNs viaAlias = NetNs.open(fake)) {
          assertThat(viaAlias.inode()).isEqualTo(ns.inode());
          assertThat(viaAlias.path()).isEqualTo(fake); // messages still name the caller's path
        }
        AtomicLong child = new AtomicLong();
        Thread t =
            new Thread(
                () -> {
                  try (NetNs n = NetNs.open(fake)) {
                    child.set(n.inode());
                  }
                });
        t.start();
        t.join();
        assertThat(child.get()).isEqualTo(ns.inode());
        // other paths are untouched
        try (NetNs named = NetNs.openNamed(name)) {
          assertThat(named.inode()).isEqualTo(ns.inode());
        }
      } finally {
        NetNs.aliasPathToFd(null, -1);
      }
      assertThatThrownBy(() -> NetNs.open(fake)).isInstanceOf(ErrnoException.class);
    } finally {
      NetNs.delete(name);
    }
  }
}
