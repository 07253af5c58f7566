package dev.beadpool.store;

import dev.beadpool.bead.Timestamps;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Locale;

/**
 * Ends a run: its row, a {@code run_ended} line in its bead's history and, when worker sessions are
 * recorded, a worker-session bead.
 */
final class RunEnd {
  private final Clock clock;
  private final WorkerSessions sessions;

  /**
   * @param sessions records each ended run as a bead; null records none
   */
  RunEnd(Clock clock, WorkerSessions sessions) {
    this.clock = clock;
    this.sessions = sessions;
  }

  void end(Connection c, Run run, RunEnding ending) throws SQLException {
    RunRows.end(c, run.run(), Timestamps.format(clock.instant()), ending);
    if (run.worker() == null) {
      return; // never claimed: no session to record
    }
    String session =
        "run "
            + run.run()
            + " (attempt "
            + run.attempt()
            + ", turn "
            + run.turn()
            + ", profile "
            + run.profile()
            + ") on "
            + run.worker();
    Integer exitCode = ending.exitCode();
    String error = ending.error();
    String log = ending.log();
    String outcome =
        ending.state().name().toLowerCase(Locale.ROOT)
            + (exitCode == null ? "" : ", exit " + exitCode)
            + (error == null ? "" : ": " + firstLine(error))
            + (log == null ? "" : " (log " + log + ")");
    try (RowWriter w = new RowWriter(c, clock)) {
      w.history(run.beadId(), run.worker(), "run_ended", session, outcome);
    }
    if (sessions != null) {
      sessions.record(c, run, session, outcome);
    }
  }

  /** The first line of an error or output, for one-line summaries. */
  static String firstLine(String text) {
    return text.strip().lines().findFirst().orElse("");
  }
}
