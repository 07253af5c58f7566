package dev.beadpool.dispatch.integration;

import dev.beadpool.bead.Bead;
import dev.beadpool.dispatch.PoolEvent;
import dev.beadpool.dispatch.outbox.Outbox;
import dev.beadpool.dispatch.outbox.OutboxFlush;
import dev.beadpool.dispatch.queue.GraphChanges;
import dev.beadpool.dispatch.result.Settlement;
import dev.beadpool.dispatch.state.Counters;
import dev.beadpool.store.MergeEntry;
import dev.beadpool.store.MergeLedger;
import dev.beadpool.store.RunLedger;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the integrator learned, made durable and acted on under the coordinator's lock: a merge
 * closes the bead and releases its dependents (with the new head as their base); work sent back
 * goes through the settlement a failed run gets (a retry after its backoff, or a failure bead).
 */
public final class MergeRecords {
  private static final Logger log = LoggerFactory.getLogger(MergeRecords.class);

  private final Object lock;
  private final MergeLedger merges;
  private final int maxAttempts;
  private final Clock clock;
  private final Counters counters;
  private final Outbox outbox;
  private final GraphChanges changes;
  private final Settlement settlement;
  private final OutboxFlush flush;

  public MergeRecords(
      Object lock,
      MergeLedger merges,
      int maxAttempts,
      Clock clock,
      Counters counters,
      Outbox outbox,
      GraphChanges changes,
      Settlement settlement,
      OutboxFlush flush) {
    this.lock = lock;
    this.merges = merges;
    this.maxAttempts = maxAttempts;
    this.clock = clock;
    this.counters = counters;
    this.outbox = outbox;
    this.changes = changes;
    this.settlement = settlement;
    this.flush = flush;
  }

  public MergeLedger ledger() {
    return merges;
  }

  /** The bead's commit is in the integration branch: it closes; its dependents become ready. */
  public void merged(MergeEntry e, String mergeCommit, String branch, String head) {
    synchronized (lock) {
      Bead closed = merges.merged(e.beadId(), mergeCommit, branch, head);
      if (closed == null) {
        return; // recorded already
      }
      log.info(
          "merged bead={} run={} commit={} merge={} into {}",
          e.beadId(),
          e.run(),
          e.commit(),
          mergeCommit,
          branch);
      counters.countClosed();
      outbox.happened(
          PoolEvent.merge(e.beadId(), e.run(), PoolEvent.MERGED, mergeCommit, clock.instant()));
      changes.afterChange(closed);
      flush.flush();
    }
  }

  /**
   * The work goes back to an agent with {@code feedback}; with {@code spend} an attempt is spent.
   *
   * @return false if the bead's work was no longer waiting (nothing changed)
   */
  public boolean sentBack(MergeEntry e, String feedback, boolean spend) {
    synchronized (lock) {
      RunLedger.Decision d = merges.sendBack(e.beadId(), feedback, maxAttempts, spend);
      if (d == null) {
        return false;
      }
      log.info(
          "sent back bead={} run={} commit={} -> {}: {}",
          e.beadId(),
          e.run(),
          e.commit(),
          d.effect(),
          feedback.strip().lines().findFirst().orElse(""));
      outbox.happened(
          PoolEvent.merge(e.beadId(), e.run(), PoolEvent.SENT_BACK, feedback, clock.instant()));
      settlement.settle(d);
      flush.flush();
      return true;
    }
  }

  /** A pull request is open for the bead's branch. */
  public void prCreated(MergeEntry e, String url) {
    synchronized (lock) {
      merges.prCreated(e.beadId(), url);
      log.info("pull request bead={} run={} url={}", e.beadId(), e.run(), url);
      outbox.happened(
          PoolEvent.merge(e.beadId(), e.run(), PoolEvent.PR_CREATED, url, clock.instant()));
      flush.flush();
    }
  }
}
