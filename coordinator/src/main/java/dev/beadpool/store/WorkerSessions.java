package dev.beadpool.store;

import dev.beadpool.bead.Bead;
import dev.beadpool.bead.BeadEdits;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The seeds' {@code worker-session} beads, when {@code worker-sessions} is on: one closed bead per
 * ended run, related to the run's bead.
 */
final class WorkerSessions {
  /** The label of the beads that record worker sessions. */
  static final String LABEL = "worker-session";

  private final Clock clock;
  private final BeadCreation creation;

  WorkerSessions(Clock clock, BeadCreation creation) {
    this.clock = clock;
    this.creation = creation;
  }

  /**
   * @param session the run, as {@code run N (attempt A, ...) on WORKER}
   * @param outcome how it ended; the bead's close reason
   */
  void record(Connection c, Run run, String session, String outcome) throws SQLException {
    Bead sessionBead =
        creation.create(
            c,
            new NewBead(
                "worker-session: "
                    + run.worker()
                    + " "
                    + session.substring(0, session.indexOf(" ("))
                    + " of "
                    + run.beadId(),
                "Worker session for " + run.beadId() + ": " + session + "\nOutcome: " + outcome,
                "task",
                Bead.MAX_PRIORITY,
                List.of(LABEL),
                null,
                List.of("related:" + run.beadId()),
                null,
                run.worker()),
            null,
            "beadpool");
    Instant now = clock.instant();
    Bead closed = BeadEdits.close(sessionBead.edit(), sessionBead, outcome, now).touch(now).build();
    try (RowWriter w = new RowWriter(c, clock)) {
      w.change(sessionBead, closed, "beadpool");
    }
  }
}
