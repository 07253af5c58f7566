package dev.beadpool.dispatch.result;

import dev.beadpool.bead.Bead;
import dev.beadpool.bead.DependencyType;
import dev.beadpool.dispatch.CoordinatorSettings;
import dev.beadpool.dispatch.PoolEvent;
import dev.beadpool.dispatch.RunOutput;
import dev.beadpool.dispatch.budget.BudgetGate;
import dev.beadpool.dispatch.lease.Leases;
import dev.beadpool.dispatch.outbox.Outbox;
import dev.beadpool.dispatch.queue.DispatchQueue;
import dev.beadpool.dispatch.queue.Dispatcher;
import dev.beadpool.dispatch.queue.GraphChanges;
import dev.beadpool.dispatch.state.Counters;
import dev.beadpool.dispatch.state.GraphMirror;
import dev.beadpool.dispatch.state.InFlight;
import dev.beadpool.graph.Edge;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.Run;
import dev.beadpool.store.RunLedger;
import java.time.Clock;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings memory in line with a ledger decision on a run (a result, an expired lease, a
 * dead-lettered dispatch) and dispatches what follows from it: the next turn, a retry after its
 * backoff, or the failure bead's block. Guarded by the coordinator's lock.
 */
public final class Settlement {
  private static final Logger log = LoggerFactory.getLogger(Settlement.class);

  private final BeadStore store;
  private final RunLedger ledger;
  private final CoordinatorSettings settings;
  private final Clock clock;
  private final InFlight inFlight;
  private final Leases leases;
  private final RunOutput output;
  private final GraphMirror graph;
  private final GraphChanges changes;
  private final DispatchQueue queue;
  private final Dispatcher dispatcher;
  private final Counters counters;
  private final Outbox outbox;
  private final BudgetGate budget;

  public Settlement(
      BeadStore store,
      RunLedger ledger,
      CoordinatorSettings settings,
      Clock clock,
      InFlight inFlight,
      Leases leases,
      RunOutput output,
      GraphMirror graph,
      GraphChanges changes,
      DispatchQueue queue,
      Dispatcher dispatcher,
      Counters counters,
      Outbox outbox,
      BudgetGate budget) {
    this.store = store;
    this.ledger = ledger;
    this.settings = settings;
    this.clock = clock;
    this.inFlight = inFlight;
    this.leases = leases;
    this.output = output;
    this.graph = graph;
    this.changes = changes;
    this.queue = queue;
    this.dispatcher = dispatcher;
    this.counters = counters;
    this.outbox = outbox;
    this.budget = budget;
  }

  /** What a ledger decision means for the run, as watchers see it. */
  public static String outcome(RunLedger.Decision decision) {
    return switch (decision.effect()) {
      case CLOSED -> PoolEvent.DONE;
      case RETRY -> PoolEvent.RETRY;
      case FAILURE_BEAD -> PoolEvent.FAILED;
      case RELEASED -> PoolEvent.RELEASED;
      default -> decision.effect().name().toLowerCase(Locale.ROOT);
    };
  }

  /** Brings memory in line with a ledger decision and dispatches what follows from it. */
  public void settle(RunLedger.Decision decision) {
    Run run = decision.run();
    inFlight.remove(run.beadId());
    leases.end(run.run());
    output.forget(run.run());
    if (decision.applied() != null) {
      changes.apply(decision.applied());
    }
    Bead bead = store.get(run.beadId());
    switch (decision.effect()) {
      case HANDOFF -> {
        counters.countHandoff();
        log.info(
            "handoff bead={} after turn {}: a fresh agent takes the next turn",
            bead.id(),
            run.turn());
        graph.put(bead);
        queue.consider(bead.id());
      }
      case BLOCKED -> {
        counters.countBlockedByDiscovery();
        log.info("bead={} waits for blockers its agent found", bead.id());
        queue.considerAll(graph.put(bead));
      }
      case CLOSED -> {
        counters.countClosed();
        changes.afterChange(bead);
      }
      case RETRY -> retry(bead);
      case FAILURE_BEAD -> {
        counters.countFailureBead();
        log.warn(
            "bead={} failed {} attempts: failure bead {} now blocks it",
            bead.id(),
            settings.maxAttempts(),
            decision.failureBead());
        outbox.happened(PoolEvent.failureBead(run, decision.failureBead(), clock.instant()));
        // why: inside a batch, fresh readers cannot see the failure bead yet; update in place
        Bead failure = store.get(decision.failureBead());
        graph.put(failure);
        graph.addEdge(new Edge(bead.id(), failure.id(), DependencyType.BLOCKS, null));
        graph.put(bead);
      }
      case RELEASED -> {
        graph.put(bead);
        queue.consider(bead.id());
      }
      default -> {}
    }
    queue.pump();
  }

  /** An attempt failed with budget left: the bead goes again after its backoff. */
  private void retry(Bead bead) {
    counters.countRetry();
    graph.put(bead);
    int failures = ledger.failures(bead.id());
    long delay = settings.backoff().delay(failures).toMillis();
    log.info(
        "retry bead={} after {} ms (failure {} of {})",
        bead.id(),
        delay,
        failures,
        settings.maxAttempts());
    if (budget.hold(bead.id(), null) != null) {
      queue.consider(bead.id()); // why: over a budget, the retry waits in the queue for a raise
      return;
    }
    dispatcher.dispatch(bead.id(), delay);
  }
}
