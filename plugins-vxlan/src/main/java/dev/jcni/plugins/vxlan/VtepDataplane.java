package dev.jcni.plugins.vxlan;

import dev.jcni.plugins.vxlan.VtepEntries.Fdb;
import dev.jcni.plugins.vxlan.VtepEntries.Neigh;
import dev.jcni.plugins.vxlan.VtepEntries.Route;
import dev.jcni.plugins.vxlan.VtepEntries.Snapshot;

/**
 * The kernel entries of one VTEP device, as the reconciler sees them. The real implementation
 * speaks rtnetlink ({@link NetlinkVtep}); tests may supply an in-memory one. Replace operations are
 * idempotent upserts; delete operations return false when the entry was already gone (not an error:
 * another reconciler may have won).
 */
public interface VtepDataplane {

  /** The IPv4 neighbours, FDB remotes and main-table IPv4 routes on the device. */
  Snapshot read();

  void neighReplace(Neigh n);

  boolean neighDel(Neigh n);

  void fdbReplace(Fdb f);

  boolean fdbDel(Fdb f);

  void routeReplace(Route r);

  boolean routeDel(Route r);
}
