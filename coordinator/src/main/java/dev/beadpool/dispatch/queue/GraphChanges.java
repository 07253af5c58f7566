package dev.beadpool.dispatch.queue;

import dev.beadpool.bead.Bead;
import dev.beadpool.dispatch.PoolEvent;
import dev.beadpool.dispatch.outbox.Outbox;
import dev.beadpool.dispatch.state.GraphMirror;
import dev.beadpool.graph.Edge;
import dev.beadpool.store.AppliedOperations;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.RunLedger;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the graph in line with a change the store committed (a bead changed by hand or by a run,
 * an agent's bd operations) and queues what became ready. Guarded by the coordinator's lock.
 */
public final class GraphChanges {
  private static final Logger log = LoggerFactory.getLogger(GraphChanges.class);

  private final BeadStore store;
  private final RunLedger ledger;
  private final Clock clock;
  private final GraphMirror graph;
  private final DispatchQueue queue;
  private final Outbox outbox;

  public GraphChanges(
      BeadStore store,
      RunLedger ledger,
      Clock clock,
      GraphMirror graph,
      DispatchQueue queue,
      Outbox outbox) {
    this.store = store;
    this.ledger = ledger;
    this.clock = clock;
    this.graph = graph;
    this.queue = queue;
    this.outbox = outbox;
  }

  /** After a bead changed state: update the graph and dispatch what became ready. */
  public void afterChange(Bead bead) {
    Set<String> flipped = graph.put(bead);
    outbox.happened(
        bead.isClosed()
            ? PoolEvent.closed(bead.id(), clock.instant())
            : PoolEvent.status(bead.id(), bead.status(), clock.instant()));
    queue.remove(bead.id());
    if (bead.isClosed() && bead.labels().contains(RunLedger.FAILURE_LABEL)) {
      ledger
          .failureBeadClosed(bead.id())
          .ifPresent(
              original -> {
                log.info(
                    "failure bead {} closed: {} runs again with a fresh budget",
                    bead.id(),
                    original);
                queue.consider(original);
              });
    }
    queue.considerAll(flipped);
    queue.consider(bead.id());
    queue.pump();
  }

  /**
   * Brings the graph in line with what an agent's bd operations changed (beads first, so new beads
   * exist before their edges) and queues what became ready.
   */
  public void apply(AppliedOperations applied) {
    Set<String> consider = new LinkedHashSet<>();
    for (String id : applied.touched()) {
      store
          .find(id)
          .ifPresent(
              b -> {
                consider.addAll(graph.put(b));
                consider.add(id);
                if (b.isClosed() && b.labels().contains(RunLedger.FAILURE_LABEL)) {
                  ledger.failureBeadClosed(id).ifPresent(consider::add);
                }
              });
    }
    for (Edge e : applied.removed()) {
      consider.addAll(graph.removeEdge(e.from(), e.to()));
      consider.add(e.from());
    }
    for (Edge e : applied.added()) {
      consider.addAll(graph.addEdge(e));
    }
    queue.considerAll(consider);
  }
}
