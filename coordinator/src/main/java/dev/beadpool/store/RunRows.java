package dev.beadpool.store;

import dev.beadpool.protocol.Usage;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** The {@code runs} table: one row per run of a bead, read and written inside a transaction. */
final class RunRows {
  private static final String SELECT_RUN =
      "SELECT run, bead_id, attempt, state, worker, lease_id, dispatched_at, not_before, started_at,"
          + " ended_at, exit_code, error, output_tail, log_path, profile, turn,"
          + " input_tokens, output_tokens, cost_usd, model FROM runs";

  private RunRows() {}

  private static Run map(ResultSet rs) throws SQLException {
    int exit = rs.getInt(11);
    Integer exitCode = rs.wasNull() ? null : exit;
    return new Run(
        rs.getLong(1),
        rs.getString(2),
        rs.getInt(3),
        RunState.valueOf(rs.getString(4)),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        rs.getLong(8),
        rs.getString(9),
        rs.getString(10),
        exitCode,
        rs.getString(12),
        rs.getString(13),
        rs.getString(14),
        rs.getString(15),
        rs.getInt(16),
        usage(rs, 17));
  }

  /**
   * A run's usage from four columns from {@code from}: input_tokens, output_tokens, cost_usd,
   * model.
   */
  static Usage usage(ResultSet rs, int from) throws SQLException {
    long in = rs.getLong(from);
    Long input = rs.wasNull() ? null : in;
    long out = rs.getLong(from + 1);
    Long output = rs.wasNull() ? null : out;
    String cost = rs.getString(from + 2);
    return new Usage(
        input, output, cost == null ? null : new BigDecimal(cost), rs.getString(from + 3));
  }

  /** The run, or null. */
  static Run find(Connection c, long run) throws SQLException {
    List<Run> rows = Sql.query(c, SELECT_RUN + " WHERE run = ?", RunRows::map, Long.toString(run));
    return rows.isEmpty() ? null : rows.get(0);
  }

  /** Runs dispatched or running, by number. */
  static List<Run> inFlight(Connection c) throws SQLException {
    return Sql.query(
        c, SELECT_RUN + " WHERE state IN ('DISPATCHED', 'RUNNING') ORDER BY run", RunRows::map);
  }

  /** Every run of a bead, by number. */
  static List<Run> ofBead(Connection c, String beadId) throws SQLException {
    return Sql.query(c, SELECT_RUN + " WHERE bead_id = ? ORDER BY run", RunRows::map, beadId);
  }

  /** The bead's runs that failed or expired, by number. */
  static List<Run> failedAttempts(Connection c, String beadId) throws SQLException {
    return Sql.query(
        c,
        SELECT_RUN + " WHERE bead_id = ? AND state IN ('FAILED', 'EXPIRED') ORDER BY run",
        RunRows::map,
        beadId);
  }

  /** The proof of the lease secret the run's claim carried, or null. */
  static String leaseProof(Connection c, long run) throws SQLException {
    return Sql.queryString(c, "SELECT lease_proof FROM runs WHERE run = ?", Long.toString(run));
  }

  /** Adds a dispatched run and returns it. */
  static Run insert(
      Connection c,
      String beadId,
      int attempt,
      String dispatchedAt,
      long notBeforeMillis,
      String profile,
      int turn)
      throws SQLException {
    Sql.update(
        c,
        "INSERT INTO runs(bead_id, attempt, state, dispatched_at, not_before, profile, turn)"
            + " VALUES (?, ?, 'DISPATCHED', ?, ?, ?, ?)",
        beadId,
        attempt,
        dispatchedAt,
        notBeforeMillis,
        profile,
        turn);
    long run = Sql.queryInt(c, "SELECT last_insert_rowid()");
    return find(c, run);
  }

  /** A granted claim: the run is running under the lease. */
  static void markRunning(
      Connection c, long run, String worker, String leaseId, String leaseProof, String startedAt)
      throws SQLException {
    Sql.update(
        c,
        "UPDATE runs SET state = 'RUNNING', worker = ?, lease_id = ?, lease_proof = ?,"
            + " started_at = ? WHERE run = ?",
        worker,
        leaseId,
        leaseProof,
        startedAt,
        run);
  }

  /**
   * The run's usage as its agent last reported it: a heartbeat's figure so far, then its result's,
   * which replaces it. Cost is stored as exact decimal text.
   */
  static void usage(Connection c, long run, Usage usage) throws SQLException {
    BigDecimal cost = usage.costUsd();
    Sql.update(
        c,
        "UPDATE runs SET input_tokens = ?, output_tokens = ?, cost_usd = ?, model = ? WHERE run = ?",
        usage.inputTokens(),
        usage.outputTokens(),
        cost == null ? null : cost.toPlainString(),
        usage.model(),
        run);
  }

  /** The run ended, with what is known of how. */
  static void end(Connection c, long run, String endedAt, RunEnding ending) throws SQLException {
    Sql.update(
        c,
        "UPDATE runs SET state = ?, ended_at = ?, exit_code = ?, error = ?, output_tail = ?, log_path = ?"
            + " WHERE run = ?",
        ending.state().name(),
        endedAt,
        ending.exitCode(),
        ending.error(),
        ending.tail(),
        ending.log(),
        run);
  }
}
