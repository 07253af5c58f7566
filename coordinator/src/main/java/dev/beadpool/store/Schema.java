package dev.beadpool.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The store's schema, versioned with SQLite's {@code user_version}. Each migration runs once, in
 * its own transaction, in order; a store newer than this code is refused rather than guessed at.
 *
 * <p>The {@code beads.data} column is the source of truth for a bead: its whole JSON object, every
 * key in its original order, including {@code dependencies}, {@code labels} and {@code comments}.
 * The other columns and the {@code dependencies}, {@code labels} and {@code comments} tables are
 * indexes over it, rewritten in the same transaction as every change, so that readiness can be
 * evaluated from small indexed rows without parsing JSON.
 */
final class Schema {
  /** The version this code writes. */
  static final int CURRENT_VERSION = 7;

  private static final List<String> V1 =
      List.of(
          """
          CREATE TABLE beads (
            id          TEXT PRIMARY KEY,
            title       TEXT NOT NULL,
            status      TEXT NOT NULL,
            priority    INTEGER NOT NULL,
            issue_type  TEXT NOT NULL,
            assignee    TEXT,
            created_at  INTEGER NOT NULL,
            updated_at  INTEGER NOT NULL,
            defer_until INTEGER,
            pinned      INTEGER NOT NULL DEFAULT 0,
            ephemeral   INTEGER NOT NULL DEFAULT 0,
            data        TEXT NOT NULL
          )""",
          "CREATE INDEX beads_status ON beads(status)",
          """
          CREATE TABLE dependencies (
            issue_id      TEXT NOT NULL REFERENCES beads(id) ON DELETE CASCADE,
            depends_on_id TEXT NOT NULL REFERENCES beads(id) ON DELETE CASCADE,
            type          TEXT NOT NULL,
            gate          TEXT,
            PRIMARY KEY (issue_id, depends_on_id)
          ) WITHOUT ROWID""",
          "CREATE INDEX dependencies_target ON dependencies(depends_on_id, type)",
          """
          CREATE TABLE labels (
            issue_id TEXT NOT NULL REFERENCES beads(id) ON DELETE CASCADE,
            label    TEXT NOT NULL,
            PRIMARY KEY (issue_id, label)
          ) WITHOUT ROWID""",
          "CREATE INDEX labels_label ON labels(label)",
          """
          CREATE TABLE comments (
            issue_id   TEXT NOT NULL REFERENCES beads(id) ON DELETE CASCADE,
            position   INTEGER NOT NULL,
            comment_id TEXT,
            author     TEXT,
            text       TEXT,
            created_at TEXT,
            PRIMARY KEY (issue_id, position)
          ) WITHOUT ROWID""",
          """
          CREATE TABLE history (
            seq        INTEGER PRIMARY KEY,
            bead_id    TEXT NOT NULL,
            at         TEXT NOT NULL,
            actor      TEXT NOT NULL,
            event      TEXT NOT NULL,
            from_value TEXT,
            to_value   TEXT
          )""",
          "CREATE INDEX history_bead ON history(bead_id, seq)",
          """
          CREATE TABLE child_counters (
            parent_id  TEXT PRIMARY KEY,
            last_child INTEGER NOT NULL
          )""",
          """
          CREATE TABLE config (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
          )""",
          // every write transaction bumps it: readers on two connections compare it
          "INSERT INTO config(key, value) VALUES ('revision', '0')");

  /**
   * Version 2, the worker pool: one row per run of a bead (a run is one dispatch; its number is
   * unique over all beads, for the broker's duplicate detection) and each bead's attempt budget.
   */
  private static final List<String> V2 =
      List.of(
          """
          CREATE TABLE runs (
            run           INTEGER PRIMARY KEY,
            bead_id       TEXT NOT NULL,
            attempt       INTEGER NOT NULL,
            state         TEXT NOT NULL,
            worker        TEXT,
            lease_id      TEXT,
            dispatched_at TEXT NOT NULL,
            not_before    INTEGER NOT NULL DEFAULT 0,
            started_at    TEXT,
            ended_at      TEXT,
            exit_code     INTEGER,
            error         TEXT,
            output_tail   TEXT,
            log_path      TEXT
          )""",
          "CREATE INDEX runs_bead ON runs(bead_id, run)",
          "CREATE INDEX runs_state ON runs(state)",
          """
          CREATE TABLE budgets (
            bead_id      TEXT PRIMARY KEY,
            failures     INTEGER NOT NULL DEFAULT 0,
            failure_bead TEXT
          )""",
          "CREATE INDEX budgets_failure_bead ON budgets(failure_bead)",
          // why: duplicate-detection ids on a shared broker must not collide across stores
          "INSERT INTO config(key, value) VALUES ('store_id', lower(hex(randomblob(16))))");

  /**
   * Version 3, agent profiles: each run's profile and turn (a handoff starts the next turn of the
   * same attempt), and each bead's count of turns in its current attempt.
   */
  private static final List<String> V3 =
      List.of(
          "ALTER TABLE runs ADD COLUMN profile TEXT NOT NULL DEFAULT 'default'",
          "ALTER TABLE runs ADD COLUMN turn INTEGER NOT NULL DEFAULT 1",
          "ALTER TABLE budgets ADD COLUMN turns INTEGER NOT NULL DEFAULT 0");

  /**
   * Version 4, authenticated results: the proof (a SHA-256) of the secret the claiming worker signs
   * its results with; a result whose secret does not match is rejected as forged.
   */
  private static final List<String> V4 = List.of("ALTER TABLE runs ADD COLUMN lease_proof TEXT");

  /**
   * Version 5, usage: what each run spent as its agent reported it (the latest heartbeat's figure
   * while it runs, the result's after). The cost is exact decimal text, never a float.
   */
  private static final List<String> V5 =
      List.of(
          "ALTER TABLE runs ADD COLUMN input_tokens INTEGER",
          "ALTER TABLE runs ADD COLUMN output_tokens INTEGER",
          "ALTER TABLE runs ADD COLUMN cost_usd TEXT",
          "ALTER TABLE runs ADD COLUMN model TEXT");

  /**
   * Version 6, pauses: a profile ({@code scope} its name), or the whole pool ({@code scope} {@code
   * *}), paused until a time (epoch millis; null: until resumed by hand), why, and where it was
   * seen (the run and worker that hit a usage limit) or who paused it by hand.
   */
  private static final List<String> V6 =
      List.of(
          """
          CREATE TABLE pauses (
            scope  TEXT PRIMARY KEY,
            since  INTEGER NOT NULL,
            until  INTEGER,
            reason TEXT NOT NULL,
            run    INTEGER NOT NULL DEFAULT 0,
            worker TEXT,
            actor  TEXT,
            line   TEXT
          ) WITHOUT ROWID""");

  /**
   * Version 7, the merge queue: one row per bead whose work a worker pushed, until it is merged
   * (then kept, for {@code status} and recovery) or sent back to an agent (its feedback kept for
   * the next dispatch). See {@link MergeRows}.
   */
  private static final List<String> V7 =
      List.of(
          """
          CREATE TABLE merge_queue (
            bead_id      TEXT PRIMARY KEY,
            run          INTEGER NOT NULL,
            branch       TEXT NOT NULL,
            commit_id    TEXT NOT NULL,
            base         TEXT,
            phase        TEXT NOT NULL,
            close_reason TEXT,
            pushed_at    INTEGER NOT NULL,
            merged_at    INTEGER,
            merge_commit TEXT,
            pr_url       TEXT,
            feedback     TEXT,
            approved     INTEGER NOT NULL DEFAULT 0
          )""",
          "CREATE INDEX merge_queue_phase ON merge_queue(phase, pushed_at)");

  /** Migration {@code i} takes the store from version {@code i} to {@code i + 1}. */
  private static final List<List<String>> MIGRATIONS = List.of(V1, V2, V3, V4, V5, V6, V7);

  private Schema() {}

  static int version(Connection connection) throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA user_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  /** Brings the store up to {@link #CURRENT_VERSION}. */
  static void migrate(Connection connection, String where) throws SQLException {
    int version = version(connection);
    if (version > CURRENT_VERSION) {
      throw new StoreException(
          where
              + " has schema version "
              + version
              + " but this beadpool knows up to "
              + CURRENT_VERSION
              + "; upgrade beadpool");
    }
    boolean auto = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      for (int v = version; v < CURRENT_VERSION; v++) {
        try (Statement st = connection.createStatement()) {
          for (String sql : MIGRATIONS.get(v)) {
            st.execute(sql);
          }
          st.execute("PRAGMA user_version = " + (v + 1));
        }
        connection.commit();
      }
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(auto);
    }
  }
}
