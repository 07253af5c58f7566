package dev.beadpool.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * The {@code pauses} table: the pauses in force, kept across restarts. A write inside a batch (a
 * result's) joins its transaction, so a pause is durable with the release that caused it.
 */
public final class PauseRows {
  private static final String SELECT =
      "SELECT scope, since, until, reason, run, worker, actor, line FROM pauses ORDER BY scope";

  private final Transactions transactions;

  public PauseRows(BeadStore store) {
    this.transactions = store.transactions();
  }

  /** Every pause stored, by scope. */
  public List<Pause> all() {
    return transactions.read(c -> Sql.query(c, SELECT, PauseRows::map));
  }

  /** Stores the pause, replacing any of the same scope. */
  public void save(Pause pause) {
    transactions.inTransaction(
        c ->
            Sql.update(
                c,
                "INSERT OR REPLACE INTO pauses(scope, since, until, reason, run, worker, actor,"
                    + " line) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                pause.scope(),
                pause.since().toEpochMilli(),
                pause.until() == null ? null : pause.until().toEpochMilli(),
                pause.reason(),
                pause.run(),
                pause.worker(),
                pause.actor(),
                pause.line()));
  }

  /** Removes the pause of {@code scope}; whether there was one. */
  public boolean remove(String scope) {
    return transactions.inTransaction(
        c -> Sql.update(c, "DELETE FROM pauses WHERE scope = ?", scope) > 0);
  }

  private static Pause map(ResultSet rs) throws SQLException {
    long until = rs.getLong(3);
    boolean forever = rs.wasNull();
    return new Pause(
        rs.getString(1),
        Instant.ofEpochMilli(rs.getLong(2)),
        forever ? null : Instant.ofEpochMilli(until),
        rs.getString(4),
        rs.getLong(5),
        rs.getString(6),
        rs.getString(7),
        rs.getString(8));
  }
}
