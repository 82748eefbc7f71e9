package dev.jcni.plugins.vxlan;

import dev.jcni.plugins.vxlan.ReconcilePlan.Op;
import dev.jcni.plugins.vxlan.VtepEntries.Fdb;
import dev.jcni.plugins.vxlan.VtepEntries.Neigh;
import dev.jcni.plugins.vxlan.VtepEntries.Route;
import dev.jcni.plugins.vxlan.VtepEntries.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Brings a VTEP's entries to the desired state: read, diff ({@link ReconcilePlan}), apply. Shared
 * by the plugin (on every ADD) and the node agent (on every Node event and on each periodic
 * resync). Every operation is idempotent, so concurrent reconcilers converge; one failing entry
 * does not stop the others.
 */
public final class Reconciler {
  private Reconciler() {}

  /**
   * The outcome of one reconcile.
   *
   * @param applied operations that changed something
   * @param unchanged desired entries that were already right
   * @param failures operations that failed, with the reason
   */
  public record Outcome(List<Op> applied, int unchanged, List<String> failures) {
    public boolean ok() {
      return failures.isEmpty();
    }

    public long added() {
      return applied.stream().filter(o -> !o.isDelete()).count();
    }

    public long removed() {
      return applied.stream().filter(Op::isDelete).count();
    }
  }

  /**
   * Reconciles {@code dp} to {@code desired}; {@code log} receives one line per change and failure.
   */
  public static Outcome reconcile(VtepDataplane dp, Snapshot desired, Consumer<String> log) {
    return apply(dp, ReconcilePlan.diff(desired, dp.read()), log);
  }

  public static Outcome apply(VtepDataplane dp, ReconcilePlan plan, Consumer<String> log) {
    List<Op> applied = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (Op op : plan.ops()) {
      try {
        boolean changed =
            switch (op.kind()) {
              case NEIGH_REPLACE -> {
                dp.neighReplace((Neigh) op.entry());
                yield true;
              }
              case FDB_REPLACE -> {
                dp.fdbReplace((Fdb) op.entry());
                yield true;
              }
              case ROUTE_REPLACE -> {
                dp.routeReplace((Route) op.entry());
                yield true;
              }
              case NEIGH_DEL -> dp.neighDel((Neigh) op.entry());
              case FDB_DEL -> dp.fdbDel((Fdb) op.entry());
              case ROUTE_DEL -> dp.routeDel((Route) op.entry());
            };
        if (changed) {
          applied.add(op);
          log.accept(op.toString());
        }
      } catch (RuntimeException e) {
        String msg = op + ": " + (e.getMessage() == null ? e.toString() : e.getMessage());
        failures.add(msg);
        log.accept("failed: " + msg);
      }
    }
    return new Outcome(applied, plan.unchanged(), failures);
  }
}
