package dev.beadpool.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * A bead's attempt budget (the {@code budgets} table): failed attempts and turns taken in the
 * current attempt, and the failure bead that holds the bead once the budget is spent.
 */
final class Budgets {
  private Budgets() {}

  /** Failed attempts in the bead's current budget. */
  static int failures(Connection c, String beadId) throws SQLException {
    return counter(c, beadId, "failures");
  }

  /** Turns taken in the bead's current attempt. */
  static int turns(Connection c, String beadId) throws SQLException {
    return counter(c, beadId, "turns");
  }

  /** A counter of the bead's budget row; 0 without one. */
  private static int counter(Connection c, String beadId, String column) throws SQLException {
    return Sql.queryInt(c, "SELECT " + column + " FROM budgets WHERE bead_id = ?", beadId);
  }

  static void setTurns(Connection c, String beadId, int turns) throws SQLException {
    Sql.update(
        c,
        "INSERT INTO budgets(bead_id, failures, turns) VALUES (?, 0, ?)"
            + " ON CONFLICT(bead_id) DO UPDATE SET turns = excluded.turns",
        beadId,
        turns);
  }

  /** Spends an attempt (and starts its turns again); returns the failed attempts so far. */
  static int spendAttempt(Connection c, String beadId) throws SQLException {
    int failures = failures(c, beadId) + 1;
    Sql.update(
        c,
        "INSERT INTO budgets(bead_id, failures, turns) VALUES (?, ?, 0)"
            + " ON CONFLICT(bead_id) DO UPDATE SET failures = excluded.failures, turns = 0",
        beadId,
        failures);
    return failures;
  }

  /** The budget is spent: the bead waits for this failure bead. */
  static void holdFor(Connection c, String beadId, String failureBead) throws SQLException {
    // why an upsert: a spending cap may hold a bead that never failed (no budget row yet)
    Sql.update(
        c,
        "INSERT INTO budgets(bead_id, failures, turns, failure_bead) VALUES (?, 0, 0, ?)"
            + " ON CONFLICT(bead_id) DO UPDATE SET failure_bead = excluded.failure_bead",
        beadId,
        failureBead);
  }

  /**
   * A failure bead was closed: the bead it held gets a fresh budget (recorded in its history).
   *
   * @return the bead whose budget was reset, if any
   */
  static Optional<String> reset(Connection c, String failureBeadId, Clock clock)
      throws SQLException {
    List<String> held =
        Sql.query(
            c,
            "SELECT bead_id FROM budgets WHERE failure_bead = ?",
            rs -> rs.getString(1),
            failureBeadId);
    if (held.isEmpty()) {
      return Optional.empty();
    }
    Sql.update(
        c,
        "UPDATE budgets SET failures = 0, turns = 0, failure_bead = NULL WHERE failure_bead = ?",
        failureBeadId);
    try (RowWriter w = new RowWriter(c, clock)) {
      w.history(held.get(0), "beadpool", "budget_reset", failureBeadId, "fresh attempts");
    }
    return Optional.of(held.get(0));
  }
}
