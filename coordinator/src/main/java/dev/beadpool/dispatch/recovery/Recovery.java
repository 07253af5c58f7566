package dev.beadpool.dispatch.recovery;

import dev.beadpool.dispatch.CoordinatorSettings;
import dev.beadpool.dispatch.lease.Leases;
import dev.beadpool.dispatch.outbox.BdContext;
import dev.beadpool.dispatch.outbox.DispatchPublisher;
import dev.beadpool.dispatch.outbox.Outbox;
import dev.beadpool.dispatch.pause.PauseBoard;
import dev.beadpool.dispatch.queue.DispatchQueue;
import dev.beadpool.dispatch.state.GraphMirror;
import dev.beadpool.dispatch.state.InFlight;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.Run;
import dev.beadpool.store.RunLedger;
import dev.beadpool.store.RunState;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Memory made from the store: at start (the graph, the runs a predecessor left in flight), and
 * again after a batch that rolled back, when memory may hold changes the store does not. Guarded by
 * the coordinator's lock.
 */
public final class Recovery {
  private static final Logger log = LoggerFactory.getLogger(Recovery.class);

  private final BeadStore store;
  private final RunLedger ledger;
  private final CoordinatorSettings settings;
  private final Clock clock;
  private final GraphMirror graph;
  private final InFlight inFlight;
  private final Leases leases;
  private final DispatchQueue queue;
  private final Outbox outbox;
  private final DispatchPublisher publisher;
  private final BdContext bdContext;
  private final PauseBoard pauses;

  public Recovery(
      BeadStore store,
      RunLedger ledger,
      CoordinatorSettings settings,
      Clock clock,
      GraphMirror graph,
      InFlight inFlight,
      Leases leases,
      DispatchQueue queue,
      Outbox outbox,
      DispatchPublisher publisher,
      BdContext bdContext,
      PauseBoard pauses) {
    this.store = store;
    this.ledger = ledger;
    this.settings = settings;
    this.clock = clock;
    this.graph = graph;
    this.inFlight = inFlight;
    this.leases = leases;
    this.queue = queue;
    this.outbox = outbox;
    this.publisher = publisher;
    this.bdContext = bdContext;
    this.pauses = pauses;
  }

  /**
   * At start: loads the graph, restores the runs in flight (a running run gets a full lease, a
   * dispatched one is published again) and queues what is ready.
   */
  public void restore() {
    pauses.restore();
    graph.load();
    publisher.storeId(store.storeId());
    bdContext.reload();
    Instant now = clock.instant();
    for (Run run : ledger.inFlight()) {
      inFlight.put(run);
      if (run.state() == RunState.RUNNING) {
        leases.grant(run.run(), now);
      } else {
        publisher.owe(run.run());
      }
    }
    // why: a crashed predecessor's consumers stay on the results queue until the broker drops its
    // connection (ClusterIT saw 14 s with a 10 s TTL on a loaded machine), and the broker hands
    // them results in turn with ours: silence is no proof of a dead worker until then, for the
    // runs restored here and the ones claimed meanwhile alike
    if (!inFlight.isEmpty()) {
      // runs in flight: a predecessor had work, so it may have crashed with consumers attached
      leases.silentUntil(
          now.plus(settings.lease()).plus(settings.broker().connectionTtl().multipliedBy(2)));
    }
    log.info("restored {} in-flight runs ({} to republish)", inFlight.size(), publisher.owed());
    queue.considerReady(now);
    queue.pump();
  }

  /**
   * Rebuilds everything in memory from the store: after a batch that rolled back, memory may hold
   * changes the store does not. In-flight runs not yet claimed are published again (the broker
   * drops the ones it already has).
   */
  public void rebuild() {
    log.warn("rebuilding the coordinator's state from the store");
    outbox.clear();
    pauses.restore();
    graph.load();
    inFlight.clear();
    queue.clear();
    Instant now = clock.instant();
    Set<Long> running = new HashSet<>();
    for (Run run : ledger.inFlight()) {
      inFlight.put(run);
      if (run.state() == RunState.RUNNING) {
        running.add(run.run());
      } else {
        publisher.owe(run.run());
      }
    }
    leases.keepOnly(running, now);
    queue.considerReady(now);
    publisher.republish();
    queue.pump();
  }
}
