package dev.beadpool.store;

import dev.beadpool.bead.Bead;
import dev.beadpool.bead.BeadEdits;
import dev.beadpool.bead.Statuses;
import dev.beadpool.protocol.RunResult;
import dev.beadpool.store.RunLedger.Decision;
import dev.beadpool.store.RunLedger.Effect;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;

/**
 * What each way a run ends does to the run, its bead and the bead's budget, inside the caller's
 * transaction: done closes the bead; a release gives it back; a failure spends an attempt and, once
 * the budget is spent, makes the bead wait for a failure bead.
 */
final class RunOutcomes {
  private final Clock clock;
  private final RunEnd runEnd;
  private final FailureBeads failureBeads;

  RunOutcomes(Clock clock, RunEnd runEnd, FailureBeads failureBeads) {
    this.clock = clock;
    this.runEnd = runEnd;
    this.failureBeads = failureBeads;
  }

  RunEnd runEnd() {
    return runEnd;
  }

  FailureBeads failureBeads() {
    return failureBeads;
  }

  /** The run succeeded: the bead is closed, unless it already is. */
  Decision succeed(Connection c, Run run, RunResult result) throws SQLException {
    runEnd.end(c, run, RunEnding.of(RunState.SUCCEEDED, result, null));
    Bead bead = BeadRows.require(c, run.beadId());
    if (!bead.isClosed()) {
      Instant now = clock.instant();
      String reason =
          result.closeReason() == null || result.closeReason().isBlank()
              ? "Completed by "
                  + run.worker()
                  + " (run "
                  + run.run()
                  + ", attempt "
                  + run.attempt()
                  + ")"
              : result.closeReason();
      Bead closed = BeadEdits.close(bead.edit(), bead, reason, now).touch(now).build();
      try (RowWriter w = new RowWriter(c, clock)) {
        w.change(bead, closed, run.worker());
      }
    }
    return new Decision(Effect.CLOSED, run, null);
  }

  /** The run is given back without spending an attempt: dispatch again at once. */
  Decision release(Connection c, Run run, String why) throws SQLException {
    runEnd.end(c, run, RunEnding.because(RunState.RELEASED, why));
    reopen(c, run.beadId(), "beadpool");
    return new Decision(Effect.RELEASED, run, null);
  }

  /**
   * The run failed: an attempt is spent and the bead is open again; with {@code maxAttempts} spent,
   * a failure bead now blocks it.
   */
  Decision fail(Connection c, Run run, RunEnding ending, int maxAttempts) throws SQLException {
    runEnd.end(c, run, ending);
    int failures = Budgets.spendAttempt(c, run.beadId());
    reopen(c, run.beadId(), "beadpool");
    if (failures < maxAttempts) {
      return new Decision(Effect.RETRY, run, null);
    }
    Bead failureBead = failureBeads.create(c, run, ending);
    Budgets.holdFor(c, run.beadId(), failureBead.id());
    return new Decision(Effect.FAILURE_BEAD, run, failureBead.id());
  }

  /** Back to {@code open} with no assignee, unless a human closed it meanwhile. */
  void reopen(Connection c, String beadId, String actor) throws SQLException {
    Bead bead = BeadRows.require(c, beadId);
    if (bead.isClosed() || (Statuses.OPEN.equals(bead.status()) && bead.assignee() == null)) {
      return;
    }
    Instant now = clock.instant();
    Bead open = BeadEdits.release(bead.edit(), bead, now).touch(now).build();
    try (RowWriter w = new RowWriter(c, clock)) {
      w.change(bead, open, actor);
    }
  }
}
