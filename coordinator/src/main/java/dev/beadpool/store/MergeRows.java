package dev.beadpool.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Json;
import dev.beadpool.protocol.PushedBranch;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The {@code merge_queue} table and the integration branch's recorded head, inside the caller's
 * transaction. Each change also sets the bead's {@code worktree} metadata ({@code phase}, {@code
 * commit}, {@code merge_commit}, {@code pr_url}), where {@code show} and bd's readers look.
 */
final class MergeRows {
  /** Feedback kept for the next attempt's prompt, in characters from the start. */
  static final int MAX_FEEDBACK_CHARS = 8_000;

  /** The key of the {@code config} row holding the recorded head of an integration branch. */
  static final String HEAD_KEY = "integration_head:";

  private static final String SELECT =
      "SELECT m.bead_id, m.run, m.branch, m.commit_id, m.base, m.phase, m.close_reason,"
          + " m.pushed_at, m.merged_at, m.merge_commit, m.pr_url, m.feedback, m.approved,"
          + " coalesce(b.priority, 2) FROM merge_queue m LEFT JOIN beads b ON b.id = m.bead_id";

  private final Clock clock;
  private final FieldWrites fields;

  MergeRows(Clock clock, FieldWrites fields) {
    this.clock = clock;
    this.fields = fields;
  }

  static MergeEntry find(Connection c, String beadId) throws SQLException {
    List<MergeEntry> rows = Sql.query(c, SELECT + " WHERE m.bead_id = ?", MergeRows::map, beadId);
    return rows.isEmpty() ? null : rows.get(0);
  }

  /**
   * Rows the integrator has to act on, in its order: priority, then the oldest push first (so no
   * pushed bead waits behind newer ones of its priority for ever), then id.
   */
  static List<MergeEntry> pending(Connection c) throws SQLException {
    return Sql.query(
        c,
        SELECT + " WHERE m.phase IN ('PUSHED', 'PR_CREATED') ORDER BY 14, m.pushed_at, m.bead_id",
        MergeRows::map);
  }

  /** Beads merged since {@code sinceMillis}. */
  static int mergedSince(Connection c, long sinceMillis) throws SQLException {
    return Sql.queryInt(
        c,
        "SELECT count(*) FROM merge_queue WHERE phase = 'MERGED' AND merged_at >= ?",
        Long.toString(sinceMillis));
  }

  static String head(Connection c, String branch) throws SQLException {
    return Sql.queryString(c, "SELECT value FROM config WHERE key = ?", HEAD_KEY + branch);
  }

  static void setHead(Connection c, String branch, String commit) throws SQLException {
    Sql.update(
        c,
        "INSERT INTO config(key, value) VALUES (?, ?)"
            + " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        HEAD_KEY + branch,
        commit);
  }

  /** A worker pushed the run's work: the bead's row (a new one, or the previous attempt's). */
  void pushed(Connection c, Run run, PushedBranch pushed, String closeReason) throws SQLException {
    Sql.update(
        c,
        "INSERT OR REPLACE INTO merge_queue(bead_id, run, branch, commit_id, base, phase,"
            + " close_reason, pushed_at, approved) VALUES (?, ?, ?, ?, ?, 'PUSHED', ?, ?, 0)",
        run.beadId(),
        run.run(),
        pushed.branch(),
        pushed.commit(),
        pushed.base(),
        closeReason,
        clock.millis());
    phase(
        c,
        run.beadId(),
        MergePhase.PUSHED,
        Map.of("branch", pushed.branch(), "commit", pushed.commit()));
  }

  void phase(Connection c, String beadId, MergePhase phase, Map<String, String> more)
      throws SQLException {
    Sql.update(c, "UPDATE merge_queue SET phase = ? WHERE bead_id = ?", phase.name(), beadId);
    Bead bead = BeadRows.require(c, beadId);
    JsonNode current = bead.metadata().path("worktree");
    ObjectNode worktree =
        current instanceof ObjectNode o ? o.deepCopy() : Json.MAPPER.createObjectNode();
    worktree.put("phase", phase.label());
    more.forEach(worktree::put);
    ObjectNode patch = Json.MAPPER.createObjectNode();
    patch.set("worktree", worktree);
    try {
      fields.mergeMetadata(c, beadId, patch, "beadpool");
    } catch (RefusedException e) {
      // why: metadata a human made unreadable must not stop the queue; the row is the record
      try (RowWriter w = new RowWriter(c, clock)) {
        w.history(beadId, "beadpool", "merge_phase", null, phase.label());
      }
    }
  }

  void merged(Connection c, String beadId, String mergeCommit) throws SQLException {
    Sql.update(
        c,
        "UPDATE merge_queue SET merged_at = ?, merge_commit = ?, feedback = NULL WHERE bead_id = ?",
        clock.millis(),
        mergeCommit,
        beadId);
    phase(c, beadId, MergePhase.MERGED, Map.of("merge_commit", mergeCommit));
  }

  void sentBack(Connection c, String beadId, String feedback) throws SQLException {
    String kept =
        feedback.length() > MAX_FEEDBACK_CHARS
            ? feedback.substring(0, MAX_FEEDBACK_CHARS) + "\n[... cut]"
            : feedback;
    Sql.update(c, "UPDATE merge_queue SET feedback = ? WHERE bead_id = ?", kept, beadId);
    phase(c, beadId, MergePhase.SENT_BACK, Map.of());
  }

  static void approve(Connection c, String beadId) throws SQLException {
    Sql.update(c, "UPDATE merge_queue SET approved = 1 WHERE bead_id = ?", beadId);
  }

  void prCreated(Connection c, String beadId, String url) throws SQLException {
    Sql.update(c, "UPDATE merge_queue SET pr_url = ? WHERE bead_id = ?", url, beadId);
    phase(c, beadId, MergePhase.PR_CREATED, url == null ? Map.of() : Map.of("pr_url", url));
  }

  private static MergeEntry map(ResultSet rs) throws SQLException {
    long mergedAt = rs.getLong(9);
    Long merged = rs.wasNull() ? null : mergedAt;
    return new MergeEntry(
        rs.getString(1),
        rs.getLong(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        MergePhase.valueOf(rs.getString(6)),
        rs.getString(7),
        rs.getLong(8),
        merged,
        rs.getString(10),
        rs.getString(11),
        rs.getString(12),
        rs.getInt(13) != 0,
        rs.getInt(14));
  }
}
