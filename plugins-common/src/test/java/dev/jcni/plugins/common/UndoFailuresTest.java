package dev.jcni.plugins.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcni.spec.CniException;
import dev.jcni.spec.Result;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UndoFailuresTest {
  @Test
  void rollbackRunsNewestFirstAndKeepsTheCause() {
    List<String> ran = new ArrayList<>();
    Undo u = new Undo();
    u.push(
        new Runnable() {
          @Override
          public void run() {
            ran.add("veth");
          }
        });
    u.push(
        new Runnable() {
          @Override
          public void run() {
            throw new IllegalStateException("ipam del failed");
          }
        });
    u.push(
        new Runnable() {
          @Override
          public void run() {
            ran.add("rules");
          }
        });
    RuntimeException cause = new IllegalStateException("add failed");
    assertThat(u.rollback(cause)).isSameAs(cause);
    assertThat(ran).containsExactly("rules", "veth");
    assertThat(cause.getSuppressed())
        .singleElement()
        .extracting(Throwable::getMessage)
        .isEqualTo("ipam del failed");
    u.rollback(cause);
    assertThat(ran).hasSize(2);
  }

  @Test
  void commitForgetsTheSteps() {
    List<String> ran = new ArrayList<>();
    Undo u = new Undo();
    u.push(
        new Runnable() {
          @Override
          public void run() {
            ran.add("x");
          }
        });
    u.commit();
    u.rollback(new IllegalStateException());
    assertThat(ran).isEmpty();
  }

  @Test
  void aSingleCniErrorKeepsItsCodeSeveralAreJoined() {
    Failures one = new Failures("DEL");
    one.add(new CniException(11, "try again"));
    assertThatThrownBy(one::throwIfAny).isInstanceOf(CniException.class).hasMessage("try again");

    Failures two = new Failures("DEL");
    two.add(new CniException(11, "try again"));
    two.add(new IllegalStateException("nft failed"));
    assertThatThrownBy(two::throwIfAny)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("DEL: try again; nft failed");
    new Failures("GC").throwIfAny();
  }

  @Test
  void runTriesEveryStepAndReportsLikeAdd() {
    Failures f = new Failures("DEL");
    List<String> ran = new java.util.ArrayList<>();
    boolean first =
        f.run(
            new Runnable() {
              @Override
              public void run() {
                ran.add("veth");
                throw new CniException(11, "try again");
              }
            });
    boolean second =
        f.run(
            new Runnable() {
              @Override
              public void run() {
                ran.add("ipam");
              }
            });
    assertThat(first).isFalse();
    assertThat(second).isTrue();
    assertThat(ran).containsExactly("veth", "ipam");
    assertThatThrownBy(f::throwIfAny)
        .isInstanceOfSatisfying(
            CniException.class,
            e -> {
              assertThat(e.code()).isEqualTo(11);
              assertThat(e.msg()).isEqualTo("try again");
            });
  }

  @Test
  void podInterfaceIsTheEntryWithTheIfnameAndTheSandbox() {
    Result prev =
        Result.empty(dev.jcni.spec.CniVersion.CURRENT)
            .withInterfaces(
                List.of(
                    Result.Interface.of("cni0", "0a:00:00:00:00:01", null),
                    Result.Interface.of("eth0", "0a:00:00:00:00:02", "/var/run/netns/other"),
                    Result.Interface.of("eth0", "0a:00:00:00:00:03", "/var/run/netns/pod")));
    assertThat(IfaceCheck.podInterfaceIndex(prev, "eth0", "/var/run/netns/pod")).isEqualTo(2);
    assertThat(IfaceCheck.podInterfaceIndex(prev, "eth1", "/var/run/netns/pod")).isEqualTo(-1);
    assertThat(IfaceCheck.podInterfaceIndex(prev, "cni0", "/var/run/netns/pod")).isEqualTo(-1);
  }
}
