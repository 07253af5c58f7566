package dev.beadpool.dispatch.lease;

import dev.beadpool.dispatch.budget.BudgetFile;
import dev.beadpool.dispatch.outbox.DispatchPublisher;
import dev.beadpool.dispatch.outbox.OutboxFlush;
import dev.beadpool.dispatch.pause.PauseBoard;
import dev.beadpool.dispatch.queue.DispatchQueue;
import dev.beadpool.dispatch.registry.StallWatch;
import dev.beadpool.dispatch.state.Lifecycle;
import java.time.Clock;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's periodic duties, run by its lease timer ({@code coordinator-leases}) every
 * lease check: expire leases, end the pauses whose time has come, send again what could not be
 * sent, dispatch what has room, say what stalls. Under the coordinator's lock; catches everything
 * and tries again next time.
 */
public final class LeaseCheck implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(LeaseCheck.class);

  private final Object lock;
  private final Clock clock;
  private final Lifecycle lifecycle;
  private final BooleanSupplier brokerUp;
  private final LeaseExpiry expiry;
  private final DispatchPublisher publisher;
  private final DispatchQueue queue;
  private final StallWatch stalls;
  private final OutboxFlush flush;
  private final BudgetFile budgets;
  private final PauseBoard pauses;

  public LeaseCheck(
      Object lock,
      Clock clock,
      Lifecycle lifecycle,
      BooleanSupplier brokerUp,
      LeaseExpiry expiry,
      DispatchPublisher publisher,
      DispatchQueue queue,
      StallWatch stalls,
      OutboxFlush flush,
      BudgetFile budgets,
      PauseBoard pauses) {
    this.lock = lock;
    this.clock = clock;
    this.lifecycle = lifecycle;
    this.brokerUp = brokerUp;
    this.expiry = expiry;
    this.publisher = publisher;
    this.queue = queue;
    this.stalls = stalls;
    this.flush = flush;
    this.budgets = budgets;
    this.pauses = pauses;
  }

  /** Expires leases, republishes what could not be sent. */
  @Override
  public void run() {
    synchronized (lock) {
      if (lifecycle.isStopped()) {
        return;
      }
      try {
        Instant now = clock.instant();
        expiry.check(now);
        pauses.check(now);
        if (brokerUp.getAsBoolean()) {
          publisher.republish();
        }
        budgets.check(); // a raised budget releases what it held in the pump below
        queue.pump();
        stalls.check(now);
        flush.flush();
      } catch (Throwable t) {
        log.error("lease check failed; will try again", t);
      }
    }
  }
}
