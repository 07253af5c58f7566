package dev.beadpool.store;

import dev.beadpool.bead.Bead;
import dev.beadpool.bead.BeadEdits;
import dev.beadpool.store.RunLedger.Decision;
import dev.beadpool.store.RunLedger.Effect;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The merge queue's durable state: which beads' work is pushed and waits to be integrated, what was
 * merged (and the integration branch's head after it), what was sent back and why. Each change is
 * one transaction, committed before the coordinator acts on it; a row is added by the result that
 * pushed the work ({@link RunLedger#apply}), in the result's own transaction.
 *
 * <p>A bead in the queue stays {@code in_progress} and assigned to the worker that pushed it, so
 * nothing dispatches it and its dependents stay blocked; it is closed when its merge is recorded.
 */
public final class MergeLedger {
  private final Transactions transactions;
  private final Clock clock;
  private final MergeRows rows;
  private final RunOutcomes outcomes;

  public MergeLedger(BeadStore store) {
    this.transactions = store.transactions();
    this.clock = store.clock();
    this.rows = new MergeRows(clock, store.writers().fields());
    this.outcomes =
        new RunOutcomes(
            clock, new RunEnd(clock, null), new FailureBeads(clock, store.writers().creation()));
  }

  // ---- reads -----------------------------------------------------------------------------------

  /** Beads whose work waits to be merged (or whose pull request is open), in the queue's order. */
  public List<MergeEntry> pending() {
    return transactions.read(MergeRows::pending);
  }

  public Optional<MergeEntry> entry(String beadId) {
    return transactions.read(c -> Optional.ofNullable(MergeRows.find(c, beadId)));
  }

  /** The integration branch's head as last recorded (after a merge), or null. */
  public String head(String branch) {
    return transactions.read(c -> MergeRows.head(c, branch));
  }

  /** Why the bead's last work was sent back, for its next attempt's prompt; null if it was not. */
  public String feedback(String beadId) {
    MergeEntry e = entry(beadId).orElse(null);
    return e != null && e.phase() == MergePhase.SENT_BACK ? e.feedback() : null;
  }

  /** How many beads were merged since {@code since}. */
  public int mergedSince(Instant since) {
    return transactions.read(c -> MergeRows.mergedSince(c, since.toEpochMilli()));
  }

  // ---- changes ---------------------------------------------------------------------------------

  /**
   * A human said merge it ({@code beadpool merge}, with {@code merge: manual}).
   *
   * @throws RefusedException if the bead's work is not waiting in the queue
   */
  public MergeEntry approve(String beadId) {
    return transactions.inTransaction(
        c -> {
          MergeEntry e = requirePending(c, beadId);
          MergeRows.approve(c, beadId);
          try (RowWriter w = new RowWriter(c, clock)) {
            w.history(beadId, "beadpool", "merge_approved", null, e.commit());
          }
          return MergeRows.find(c, beadId);
        });
  }

  /** A pull request was opened for the bead's branch; {@code url} may be null if none printed. */
  public void prCreated(String beadId, String url) {
    transactions.inTransaction(
        c -> {
          rows.prCreated(c, beadId, url);
          return null;
        });
  }

  /**
   * The bead's commit is in the integration branch: the bead closes (with the reason its run gave),
   * its row records the merge commit and the branch's head. Null if it was recorded already, so a
   * merge found again after a restart is recorded once.
   */
  public Bead merged(String beadId, String mergeCommit, String branch, String head) {
    return transactions.inTransaction(
        c -> {
          MergeEntry e = MergeRows.find(c, beadId);
          if (e == null || !e.phase().pending()) {
            return null;
          }
          rows.merged(c, beadId, mergeCommit);
          MergeRows.setHead(c, branch, head);
          Bead bead = BeadRows.require(c, beadId);
          if (bead.isClosed()) {
            return bead;
          }
          Instant now = clock.instant();
          String reason =
              e.closeReason() == null || e.closeReason().isBlank()
                  ? "Merged " + mergeCommit + " into " + branch + " (run " + e.run() + ")"
                  : e.closeReason();
          Bead closed = BeadEdits.close(bead.edit(), bead, reason, now).touch(now).build();
          try (RowWriter w = new RowWriter(c, clock)) {
            w.change(bead, closed, "beadpool");
            w.history(beadId, "beadpool", "merged", e.commit(), mergeCommit);
          }
          return closed;
        });
  }

  /** The integration branch moved without a bead of ours (a human's push): its new head. */
  public void headMoved(String branch, String head) {
    transactions.inTransaction(
        c -> {
          MergeRows.setHead(c, branch, head);
          return null;
        });
  }

  /**
   * The bead's work goes back to an agent: its next attempt starts from the current head with
   * {@code feedback} in its prompt. With {@code spend}, an attempt of its budget is spent (the
   * pushed run counts as failed) and a failure bead follows once the budget is gone; without, the
   * bead is simply given back.
   *
   * @return the decision to settle ({@code RETRY}, {@code FAILURE_BEAD} or {@code RELEASED}); null
   *     if the bead's work was not waiting in the queue
   */
  public Decision sendBack(String beadId, String feedback, int maxAttempts, boolean spend) {
    return transactions.inTransaction(
        c -> {
          MergeEntry e = MergeRows.find(c, beadId);
          if (e == null || !e.phase().pending()) {
            return null;
          }
          rows.sentBack(c, beadId, feedback);
          Run run = RunRows.find(c, e.run());
          try (RowWriter w = new RowWriter(c, clock)) {
            w.history(beadId, "beadpool", "sent_back", e.commit(), RunEnd.firstLine(feedback));
          }
          if (!spend) {
            outcomes.reopen(c, beadId, "beadpool");
            return new Decision(Effect.RELEASED, run, null);
          }
          // why: the run's work did not make it in, so it counts as a failed attempt (and shows
          // as one in the failure bead's list of attempts)
          Sql.update(
              c,
              "UPDATE runs SET state = 'FAILED', error = ? WHERE run = ?",
              RunEnd.firstLine(feedback),
              e.run());
          int failures = Budgets.spendAttempt(c, beadId);
          outcomes.reopen(c, beadId, "beadpool");
          Run failed = RunRows.find(c, e.run());
          if (failures < maxAttempts) {
            return new Decision(Effect.RETRY, failed, null);
          }
          Bead failureBead =
              outcomes
                  .failureBeads()
                  .create(c, failed, RunEnding.because(RunState.FAILED, feedback));
          Budgets.holdFor(c, beadId, failureBead.id());
          return new Decision(Effect.FAILURE_BEAD, failed, failureBead.id());
        });
  }

  private static MergeEntry requirePending(java.sql.Connection c, String beadId)
      throws java.sql.SQLException {
    MergeEntry e = MergeRows.find(c, beadId);
    if (e == null) {
      throw new RefusedException(beadId + " has no pushed work in the merge queue");
    }
    if (!e.phase().pending()) {
      throw new RefusedException(
          beadId + " is not waiting to be merged (its work is " + e.phase().label() + ")");
    }
    return e;
  }
}
