package dev.beadpool.dispatch.result;

import dev.beadpool.dispatch.CoordinatorSettings;
import dev.beadpool.dispatch.PoolEvent;
import dev.beadpool.dispatch.budget.BudgetGate;
import dev.beadpool.dispatch.outbox.Outbox;
import dev.beadpool.dispatch.outbox.OutboxFlush;
import dev.beadpool.dispatch.pause.LimitPauses;
import dev.beadpool.dispatch.recovery.Recovery;
import dev.beadpool.dispatch.state.Counters;
import dev.beadpool.dispatch.state.InFlight;
import dev.beadpool.protocol.RunResult;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.Run;
import dev.beadpool.store.RunLedger;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies workers' results: a batch in one store transaction (one fsync), each judged by the ledger
 * (forged, stale, or a decision to settle), then what they released is published. Under the
 * coordinator's lock.
 */
public final class ResultApplier {
  private static final Logger log = LoggerFactory.getLogger(ResultApplier.class);

  private final Object lock;
  private final BeadStore store;
  private final RunLedger ledger;
  private final CoordinatorSettings settings;
  private final Clock clock;
  private final InFlight inFlight;
  private final Counters counters;
  private final Outbox outbox;
  private final Settlement settlement;
  private final Recovery recovery;
  private final OutboxFlush flush;
  private final BudgetGate budget;
  private final LimitPauses limits;

  public ResultApplier(
      Object lock,
      BeadStore store,
      RunLedger ledger,
      CoordinatorSettings settings,
      Clock clock,
      InFlight inFlight,
      Counters counters,
      Outbox outbox,
      Settlement settlement,
      Recovery recovery,
      OutboxFlush flush,
      BudgetGate budget,
      LimitPauses limits) {
    this.lock = lock;
    this.store = store;
    this.ledger = ledger;
    this.settings = settings;
    this.clock = clock;
    this.inFlight = inFlight;
    this.counters = counters;
    this.outbox = outbox;
    this.settlement = settlement;
    this.recovery = recovery;
    this.flush = flush;
    this.budget = budget;
    this.limits = limits;
  }

  /**
   * Applies a batch of results in one store transaction (one fsync), then publishes what they
   * released. If the transaction fails, memory is rebuilt from the store and the results are
   * redelivered.
   */
  public void apply(List<RunResult> results) {
    synchronized (lock) {
      try {
        store.batch(() -> applyEach(results));
      } catch (RuntimeException e) {
        budget.spendChanged(); // why: totals read inside the rolled-back batch are read again
        recovery.rebuild();
        throw e;
      }
      flush.flush();
    }
  }

  /** The body of the batch's transaction. */
  private Void applyEach(List<RunResult> results) {
    results.forEach(this::applyOne);
    return null;
  }

  private void applyOne(RunResult result) {
    Run current = inFlight.get(result.beadId());
    RunLedger.Decision decision =
        ledger.apply(
            result,
            settings.maxAttempts(),
            settings.agents().maxTurns(current == null ? null : current.profile()),
            budget.beadCap());
    if (result.usage() != null && !result.usage().isEmpty()) {
      budget.spendChanged();
    }
    if (decision.effect() == RunLedger.Effect.FORGED) {
      counters.countForgedResult();
      log.warn(
          "forged result rejected bead={} run={} worker={} outcome={}: it does not carry the"
              + " secret of the run's claim",
          result.beadId(),
          result.run(),
          result.worker(),
          result.outcome());
      return;
    }
    if (decision.effect() == RunLedger.Effect.STALE) {
      counters.countStaleResult();
      log.warn(
          "stale result rejected bead={} run={} worker={} outcome={}: not the current lease",
          result.beadId(),
          result.run(),
          result.worker(),
          result.outcome());
      return;
    }
    log.info(
        "result bead={} run={} worker={} outcome={} -> {}",
        result.beadId(),
        result.run(),
        result.worker(),
        result.outcome(),
        decision.effect());
    outbox.happened(
        PoolEvent.runEnded(
            decision.run(), Settlement.outcome(decision), result.error(), clock.instant()));
    if (decision.effect() == RunLedger.Effect.RELEASED && result.limit() != null) {
      // why before settling: the release puts the bead back in the queue, which must hold it
      limits.hit(decision.run(), result.limit());
    }
    settlement.settle(decision);
  }
}
