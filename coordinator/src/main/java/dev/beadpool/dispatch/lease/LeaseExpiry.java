package dev.beadpool.dispatch.lease;

import dev.beadpool.config.Durations;
import dev.beadpool.dispatch.CoordinatorSettings;
import dev.beadpool.dispatch.PoolEvent;
import dev.beadpool.dispatch.budget.BudgetGate;
import dev.beadpool.dispatch.outbox.Outbox;
import dev.beadpool.dispatch.result.Settlement;
import dev.beadpool.store.RunLedger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds dead work: runs whose lease lapsed without a heartbeat end (a failed attempt if the agent
 * started, released with none spent if it never did). Notices first whether this process itself
 * stood still, in which case no silence proves anything. Called by the lease timer, or by a test on
 * a clock of its own, under the coordinator's lock.
 */
public final class LeaseExpiry {
  private static final Logger log = LoggerFactory.getLogger(LeaseExpiry.class);

  /** Lease checks missed in a row before the coordinator counts itself as having been paused. */
  static final int PAUSE_TICKS = 5;

  private final RunLedger ledger;
  private final CoordinatorSettings settings;
  private final Clock clock;
  private final Leases leases;
  private final Settlement settlement;
  private final Outbox outbox;
  private final BudgetGate budget;

  /** When the lease timer last ran: a long gap means this process was paused (GC, SIGSTOP). */
  private Instant lastTick;

  public LeaseExpiry(
      RunLedger ledger,
      CoordinatorSettings settings,
      Clock clock,
      Leases leases,
      Settlement settlement,
      Outbox outbox,
      BudgetGate budget) {
    this.ledger = ledger;
    this.settings = settings;
    this.clock = clock;
    this.leases = leases;
    this.settlement = settlement;
    this.outbox = outbox;
    this.budget = budget;
    this.lastTick = clock.instant();
  }

  /** The timer starts now: the first check's gap is measured from here. */
  public void timerStarts(Instant now) {
    lastTick = now;
  }

  /** One lease check at {@code now}: a pause noticed, then every lapsed lease ended. */
  public void check(Instant now) {
    noticePause(now);
    for (long run : leases.lapsed(now)) {
      expire(run);
    }
  }

  /**
   * A tick far later than its schedule means this process stood still (a GC pause, SIGSTOP, a
   * laptop lid): the heartbeats it missed prove nothing, so every lease gets a full lease again.
   */
  private void noticePause(Instant now) {
    Duration gap = Duration.between(lastTick, now);
    lastTick = now;
    if (gap.compareTo(settings.leaseCheck().multipliedBy(PAUSE_TICKS)) > 0) {
      log.warn(
          "the coordinator stood still for {} (paused?); leases get {} to be heard from again",
          Durations.format(gap),
          Durations.format(settings.lease()));
      leases.silentUntilAtLeast(now.plus(settings.lease()));
    }
  }

  /**
   * Ends a run whose lease lapsed: a failed attempt if its agent started (its worker was heard from
   * after the claim, then fell silent); released with no attempt spent if not (the claim's answer
   * never reached a worker that ran it).
   */
  private void expire(long runNumber) {
    boolean started = leases.end(runNumber);
    RunLedger.Decision decision =
        started
            ? ledger.expire(runNumber, settings.maxAttempts(), budget.beadCap())
            : ledger.releaseRun(
                runNumber,
                "the claim was granted but no worker was heard from running it; no attempt spent");
    if (decision == null) {
      return;
    }
    if (started) {
      log.warn(
          "lease expired bead={} run={} worker={}: attempt ended, bead re-dispatched",
          decision.run().beadId(),
          decision.run().run(),
          decision.run().worker());
      outbox.happened(
          PoolEvent.runEnded(decision.run(), PoolEvent.EXPIRED, "lease expired", clock.instant()));
    } else {
      log.warn(
          "lease lapsed bead={} run={} worker={} before the worker was heard from: released, no"
              + " attempt spent",
          decision.run().beadId(),
          decision.run().run(),
          decision.run().worker());
      outbox.happened(
          PoolEvent.runEnded(
              decision.run(),
              PoolEvent.RELEASED,
              "claimed but never started: released",
              clock.instant()));
    }
    settlement.settle(decision);
  }
}
