package dev.beadpool.dispatch.integration;

import dev.beadpool.config.RepositoryConfig;
import dev.beadpool.dispatch.PoolEvent;
import dev.beadpool.dispatch.PoolEvents;
import dev.beadpool.store.MergeEntry;
import dev.beadpool.store.MergeLedger;
import dev.beadpool.store.MergePhase;
import dev.beadpool.store.RefusedException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The merge queue's public face: its integrator's thread (started and stopped with the
 * coordinator), the human's {@code beadpool merge} and {@code reject}, and its part of {@code
 * status}. Without a {@code repository} there is no queue: status says so, merge and reject are
 * refused.
 */
public final class MergeQueue implements AutoCloseable {
  private final RepositoryConfig repository;
  private final Integrator integrator;
  private final MergeRecords records;
  private final MergeLedger merges;
  private final PoolEvents events;
  private final Clock clock;
  private Thread thread;
  private PoolEvents.Subscription pushes;

  public MergeQueue(
      RepositoryConfig repository,
      Integrator integrator,
      MergeRecords records,
      PoolEvents events,
      Clock clock) {
    this.repository = repository;
    this.integrator = integrator;
    this.records = records;
    this.merges = records.ledger();
    this.events = events;
    this.clock = clock;
  }

  /** Starts the integrator's thread; woken by every pushed run, and by {@link #merge}. */
  public synchronized void start() {
    if (integrator == null || thread != null) {
      return;
    }
    pushes =
        events.subscribe(
            Set.of(),
            e -> {
              if (PoolEvent.RUN_ENDED.equals(e.type()) && PoolEvent.PUSHED.equals(e.outcome())) {
                integrator.wake();
              }
            });
    thread = new Thread(integrator, "coordinator-integrator");
    thread.setDaemon(true);
    thread.start();
  }

  public Integrator integrator() {
    return integrator;
  }

  /**
   * {@code beadpool merge ID}: a human says integrate it ({@code merge: manual}; elsewhere it only
   * wakes the integrator).
   *
   * @throws RefusedException with no repository, or if the bead's work is not waiting
   */
  public MergeEntry merge(String beadId) {
    requireRepository();
    MergeEntry approved = merges.approve(beadId);
    integrator.wake();
    return approved;
  }

  /**
   * {@code beadpool reject ID --reason R}: the work goes back to an agent with the reason in its
   * prompt. A rejection spends no attempt: a human reviews each round, so no failure bead is needed
   * to stop a loop.
   *
   * @throws RefusedException with no repository, or if the bead's work is not waiting
   */
  public MergeEntry reject(String beadId, String reason) {
    requireRepository();
    MergeEntry e =
        merges
            .entry(beadId)
            .filter(x -> x.phase().pending())
            .orElseThrow(
                () -> new RefusedException(beadId + " has no pushed work waiting to be merged"));
    String why = reason == null || reason.isBlank() ? "rejected by a reviewer" : reason;
    if (!records.sentBack(e, "Rejected by a reviewer: " + why + "\n", false)) {
      throw new RefusedException(beadId + " has no pushed work waiting to be merged");
    }
    return merges.entry(beadId).orElse(e);
  }

  /** The queue as status shows it; null without a repository. */
  public MergeQueueStatus status() {
    if (repository == null) {
      return null;
    }
    boolean manual = RepositoryConfig.MERGE_MANUAL.equals(repository.merge());
    List<MergeQueueStatus.Waiting> waiting = new ArrayList<>();
    for (MergeEntry e : merges.pending()) {
      waiting.add(
          new MergeQueueStatus.Waiting(
              e.beadId(),
              e.phase().label(),
              e.commit(),
              manual && !e.approved() && e.phase() == MergePhase.PUSHED,
              e.prUrl()));
    }
    Integrator.Current now = integrator.current();
    return new MergeQueueStatus(
        repository.merge(),
        repository.branch(),
        waiting,
        now.beadId(),
        now.activity().name().toLowerCase(java.util.Locale.ROOT),
        merges.mergedSince(clock.instant().minus(MergeQueueStatus.MERGED_WINDOW)),
        integrator.lastError());
  }

  private void requireRepository() {
    if (repository == null) {
      throw new RefusedException(
          "no merge queue: beadpool.yaml has no repository: (see docs/merge-queue.md)");
    }
  }

  @Override
  public synchronized void close() {
    if (integrator != null) {
      integrator.close();
    }
    if (pushes != null) {
      pushes.close();
    }
    // why no join: a git command may run for up to its timeout; the thread is a daemon and a
    // merge cut short is found in the branch (or made again) by the next start
  }
}
