package dev.beadpool.store;

import dev.beadpool.bead.Bead;
import dev.beadpool.bead.BeadEdits;
import dev.beadpool.bead.Statuses;
import dev.beadpool.bead.Timestamps;
import dev.beadpool.store.RunLedger.ClaimDecision;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;

/** Decides a worker's claim on a dispatched run, inside the caller's transaction. */
final class RunClaims {
  private final Clock clock;
  private final RunEnd runEnd;

  RunClaims(Clock clock, RunEnd runEnd) {
    this.clock = clock;
    this.runEnd = runEnd;
  }

  /** See {@link RunLedger#claim}. */
  ClaimDecision claim(
      Connection c, String beadId, long runNumber, String worker, String newLeaseId, String proof)
      throws SQLException {
    Run run = RunRows.find(c, runNumber);
    if (run == null || !run.beadId().equals(beadId)) {
      return new ClaimDecision(false, null, "no run " + runNumber + " of " + beadId, null, null);
    }
    Bead bead = BeadRows.load(c, beadId);
    if (run.state() == RunState.RUNNING) {
      // why the proof, not the name: a worker's name is no secret, anyone can claim in it
      return worker.equals(run.worker())
              && proof != null
              && proof.equals(RunRows.leaseProof(c, runNumber))
          ? new ClaimDecision(true, run.leaseId(), null, bead, run)
          : new ClaimDecision(false, null, "already claimed by " + run.worker(), bead, run);
    }
    if (run.state() != RunState.DISPATCHED) {
      return new ClaimDecision(
          false, null, "run " + runNumber + " is " + run.state().name().toLowerCase(), bead, run);
    }
    if (bead == null
        || !Statuses.OPEN.equals(bead.status())
        || (bead.assignee() != null && !bead.assignee().equals(worker))) {
      String why =
          bead == null
              ? "bead is gone"
              : bead.assignee() != null
                  ? "bead is assigned to " + bead.assignee()
                  : "bead is " + bead.status();
      runEnd.end(c, run, RunEnding.because(RunState.CANCELLED, why));
      return new ClaimDecision(false, null, why, bead, run.withState(RunState.CANCELLED));
    }
    Instant now = clock.instant();
    String startedAt = Timestamps.format(now);
    RunRows.markRunning(c, runNumber, worker, newLeaseId, proof, startedAt);
    Bead after = BeadEdits.claim(bead.edit(), bead, worker, now).touch(now).build();
    try (RowWriter w = new RowWriter(c, clock)) {
      w.change(bead, after, worker);
      w.history(beadId, worker, "claimed", null, "run " + runNumber + " attempt " + run.attempt());
    }
    return new ClaimDecision(
        true, newLeaseId, null, after, run.claimed(worker, newLeaseId, startedAt));
  }
}
