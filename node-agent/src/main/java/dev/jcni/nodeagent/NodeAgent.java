package dev.jcni.nodeagent;

import dev.jcni.plugins.vxlan.Peer;
import dev.jcni.plugins.vxlan.PeersFile;
import dev.jcni.plugins.vxlan.PeersLock;
import dev.jcni.plugins.vxlan.Reconciler;
import dev.jcni.plugins.vxlan.VxlanConfig;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The per-node agent: a Node informer feeds one sync worker that writes the peers file (atomically)
 * and reconciles this node's VTEP through the same code as the plugin. Events are coalesced (a
 * burst of Node changes causes one sync), a periodic full resync repairs drift (a deleted route
 * comes back), failures are retried with backoff, and readiness is the ready file (the plugin's
 * STATUS checks it).
 *
 * <p>All syncs run on one platform thread, so no two reconciles of this node overlap; namespace
 * work inside {@link VtepSync} uses sockets opened in the target namespace, never a {@code setns}
 * on a pooled thread.
 */
public final class NodeAgent implements AutoCloseable {
  private static final Duration RETRY_MIN = Duration.ofSeconds(1);
  private static final Duration RETRY_MAX = Duration.ofSeconds(30);
  private static final Duration LOCK_WAIT = Duration.ofSeconds(60);

  private final KubernetesClient client;
  private final AgentConfig cfg;
  private final VtepSync vtep;
  private final Consumer<String> log;
  private final ScheduledExecutorService worker;
  private final AtomicBoolean pending = new AtomicBoolean();
  private final AtomicLong syncs = new AtomicLong();
  private volatile SharedIndexInformer<Node> informer;
  private volatile boolean ready;
  private volatile Reconciler.Outcome lastOutcome;
  private volatile boolean closed;
  private Duration backoff = RETRY_MIN; // worker thread only
  private boolean retryPending; // worker thread only

  public NodeAgent(KubernetesClient client, AgentConfig cfg, VtepSync vtep, Consumer<String> log) {
    this.client = Objects.requireNonNull(client);
    this.cfg = Objects.requireNonNull(cfg);
    this.vtep = Objects.requireNonNull(vtep);
    this.log = Objects.requireNonNull(log);
    ScheduledThreadPoolExecutor w =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t =
                  new Thread(
                      r, "jcni-vxlan-agent-" + cfg.nodeName()); // a platform thread, never virtual
              t.setDaemon(true);
              return t;
            });
    w.setExecuteExistingDelayedTasksAfterShutdownPolicy(
        false); // pending retries die with the agent
    w.setRemoveOnCancelPolicy(true);
    this.worker = w;
  }

  /**
   * Starts the informer and the periodic resync; returns at once (syncs begin when the informer has
   * listed).
   */
  public NodeAgent start() {
    setReady(false); // a ready file left by an earlier run means nothing until this run has synced
    SharedIndexInformer<Node> inf = client.nodes().runnableInformer(0);
    inf.addEventHandler(
        new ResourceEventHandler<Node>() {
          @Override
          public void onAdd(Node n) {
            log.accept("node added: " + describe(n));
            requestSync();
          }

          @Override
          public void onUpdate(Node oldNode, Node newNode) {
            if (!NodePeers.of(oldNode).equals(NodePeers.of(newNode))) {
              log.accept("node changed: " + describe(oldNode) + " -> " + describe(newNode));
              requestSync();
            }
          }

          @Override
          public void onDelete(Node n, boolean finalStateUnknown) {
            log.accept("node deleted: " + describe(n));
            requestSync();
          }
        });
    informer = inf;
    inf.start()
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                log.accept("node informer failed to start: " + e);
              } else {
                log.accept("node informer synced");
                requestSync();
              }
            });
    long period = cfg.resync().toMillis();
    worker.scheduleWithFixedDelay(this::resync, period, period, TimeUnit.MILLISECONDS);
    return this;
  }

  private static String describe(Node n) {
    String name = n == null || n.getMetadata() == null ? "?" : n.getMetadata().getName();
    return NodePeers.of(n).map(Peer::toString).orElse(name + " (no InternalIP/podCIDR yet)");
  }

  /** Asks for a sync soon; requests made while one is queued collapse into it. */
  public void requestSync() {
    if (!closed && pending.compareAndSet(false, true)) {
      try {
        worker.execute(
            () -> {
              pending.set(false);
              syncOnWorker();
            });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        pending.set(false); // shutting down
      }
    }
  }

  private void resync() {
    log.accept("periodic resync");
    syncOnWorker();
  }

  /** Runs one full sync now on the worker and waits for it (tests, benchmarks, {@code --once}). */
  public Reconciler.Outcome syncNow(Duration timeout)
      throws InterruptedException, TimeoutException {
    Future<Reconciler.Outcome> f = worker.submit(this::syncOnWorker);
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  @SuppressWarnings("try") // the peers lock is held for the block, never referenced
  private Reconciler.Outcome syncOnWorker() {
    SharedIndexInformer<Node> inf = informer;
    if (closed || inf == null || !inf.hasSynced()) {
      return null;
    }
    syncs.incrementAndGet();
    try {
      List<Peer> peers = NodePeers.all(inf.getStore().list());
      Optional<Peer> self = NodePeers.of(inf.getStore().getByKey(cfg.nodeName()));
      Files.createDirectories(cfg.peersFile().toAbsolutePath().getParent());
      Reconciler.Outcome o;
      VxlanConfig vc;
      // write + reconcile under the lock plugin calls take too, so none of them reconciles to an
      // older list
      try (PeersLock lock = PeersLock.acquire(cfg.peersFile(), LOCK_WAIT)) {
        if (PeersFile.writeAtomically(cfg.peersFile(), peers)) {
          log.accept("peers file " + cfg.peersFile() + " updated: " + peers.size() + " nodes");
        }
        if (self.isEmpty()) {
          log.accept(
              "node "
                  + cfg.nodeName()
                  + " has no Node object with InternalIP and podCIDR yet; not ready");
          setReady(false);
          return null;
        }
        vc = cfg.vxlanConfig(self.get());
        o = vtep.sync(vc, peers, s -> log.accept(vc.vtepName() + ": " + s));
      }
      lastOutcome = o;
      if (!o.applied().isEmpty()) {
        log.accept(
            "reconciled "
                + vc.vtepName()
                + ": +"
                + o.added()
                + " -"
                + o.removed()
                + " ="
                + o.unchanged());
      }
      setReady(true);
      if (o.ok()) {
        backoff = RETRY_MIN;
      } else {
        scheduleRetry(o.failures().size() + " entries failed");
      }
      return o;
    } catch (IOException | RuntimeException e) {
      setReady(false);
      scheduleRetry(e.toString());
      return null;
    }
  }

  private void scheduleRetry(String why) {
    if (closed) {
      return;
    }
    log.accept("sync incomplete (" + why + "); retrying in " + backoff.toSeconds() + "s");
    if (!retryPending) {
      retryPending = true;
      worker.schedule(
          () -> {
            retryPending = false;
            syncOnWorker();
          },
          backoff.toMillis(),
          TimeUnit.MILLISECONDS);
    }
    backoff =
        backoff.multipliedBy(2).compareTo(RETRY_MAX) > 0 ? RETRY_MAX : backoff.multipliedBy(2);
  }

  private void setReady(boolean r) {
    // compare with the file too: it may have been removed by hand, or left behind by a crashed
    // agent
    if (r == ready && r == Files.exists(cfg.readyFile())) {
      return;
    }
    try {
      if (r) {
        Files.createDirectories(cfg.readyFile().toAbsolutePath().getParent());
        Files.writeString(
            cfg.readyFile(),
            "node=" + cfg.nodeName() + " since=" + Instant.now() + "\n",
            StandardCharsets.UTF_8);
        log.accept("ready (" + cfg.readyFile() + ")");
      } else if (Files.deleteIfExists(cfg.readyFile())) {
        log.accept("not ready (" + cfg.readyFile() + " removed)");
      }
      ready = r;
    } catch (IOException e) {
      log.accept("cannot update " + cfg.readyFile() + ": " + e);
    }
  }

  public boolean isReady() {
    return ready;
  }

  /** Number of syncs run so far (each one a full read-diff-apply). */
  public long syncCount() {
    return syncs.get();
  }

  public Reconciler.Outcome lastOutcome() {
    return lastOutcome;
  }

  /** Stops the informer and the worker (waiting for a running sync), and withdraws readiness. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    SharedIndexInformer<Node> inf = informer;
    if (inf != null) {
      inf.close();
    }
    worker.shutdown(); // lets a running sync finish: a half-applied plan is repaired later, but why
    // leave one
    try {
      if (!worker.awaitTermination(20, TimeUnit.SECONDS)) {
        worker.shutdownNow();
        log.accept("sync worker did not stop within 20s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Files.deleteIfExists(cfg.readyFile());
    } catch (IOException e) {
      log.accept("cannot remove " + cfg.readyFile() + ": " + e);
    }
    log.accept("stopped");
  }
}
